from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TelephonyConfig(AppConfig):
    name = "regie.telephony"
    label = "telephony"
    verbose_name = _("Telephony")

    def ready(self) -> None:
        from regie.telephony import continuity, panels, permissions, subnav  # noqa: F401  # registers the access policies

        panels.register()
        subnav.register()
        continuity.register()
