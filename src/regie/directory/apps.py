from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "regie.directory"
    label = "directory"
    verbose_name = _("Directory")

    def ready(self) -> None:
        from regie.directory import (
            permissions,  # noqa: F401  # registers the access policies
            pickers,
        )

        pickers.register()
