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

        from django.conf import settings

        from regie.core.schedule import register_periodic

        if settings.DIRECTORY_SYNC_SCHEDULE is not None:
            from regie.directory.tasks import sync_directories_task

            register_periodic(
                "directory.sync", sync_directories_task, **settings.DIRECTORY_SYNC_SCHEDULE
            )
