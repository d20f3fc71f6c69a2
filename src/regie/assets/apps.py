from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssetsConfig(AppConfig):
    name = "regie.assets"
    label = "assets"
    verbose_name = _("Fleet")

    def ready(self) -> None:
        from regie.assets import panels, permissions, pickers  # noqa: F401  # registers the access policies

        panels.register()
        pickers.register()
