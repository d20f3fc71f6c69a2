from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TelephonyConfig(AppConfig):
    name = "regie.telephony"
    label = "telephony"
    verbose_name = _("Telephony")

    def ready(self) -> None:
        from regie.telephony import continuity, panels, permissions, readiness, subnav  # noqa: F401  # registers the access policies

        panels.register()
        readiness.register()
        subnav.register()
        continuity.register()
