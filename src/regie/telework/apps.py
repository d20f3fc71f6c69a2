from datetime import time

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TeleworkConfig(AppConfig):
    name = "regie.telework"
    label = "telework"
    verbose_name = _("Telework")

    def ready(self) -> None:
        from regie.core.schedule import register_periodic
        from regie.telework import continuity, panels, permissions, readiness, subnav  # noqa: F401  # registers the access policies
        from regie.telework.rounds import register as register_round_source
        from regie.telework.tasks import send_loan_reminders_task

        panels.register()
        readiness.register()
        subnav.register()
        continuity.register()
        register_round_source()
        register_periodic("telework.loan_reminders", send_loan_reminders_task, daily_at=time(8))
