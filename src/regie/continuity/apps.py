from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContinuityConfig(AppConfig):
    name = "regie.continuity"
    label = "continuity"
    verbose_name = _("Continuity")

    def ready(self) -> None:
        from regie.continuity import permissions  # noqa: F401  # registers the access policies
        from regie.continuity.models import current_mode
        from regie.core.continuity import register_mode_reader

        register_mode_reader(current_mode)
