from datetime import time

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HelpdeskConfig(AppConfig):
    name = "regie.helpdesk"
    label = "helpdesk"
    verbose_name = _("Helpdesk")

    def ready(self) -> None:
        from regie.core.schedule import register_periodic
        from regie.helpdesk import permissions  # noqa: F401  # registers the access policies
        from regie.helpdesk.calendar import calendar_from_settings
        from regie.helpdesk.rounds import register as register_round_source
        from regie.helpdesk.tasks import close_old_resolved_tickets

        calendar_from_settings()  # a bad REGIE_HELPDESK_WORKING_* stops start-up here
        register_periodic("helpdesk.close_resolved", close_old_resolved_tickets, daily_at=time(6))
        register_round_source()
