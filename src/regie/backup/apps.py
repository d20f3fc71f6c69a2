from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackupConfig(AppConfig):
    name = "regie.backup"
    label = "backup"
    verbose_name = _("Backup and restore")

    def ready(self) -> None:
        from django.conf import settings

        from regie.core.schedule import register_periodic

        if settings.BACKUP_ENABLED:
            from regie.backup.tasks import nightly_backup_task

            register_periodic("backup.nightly", nightly_backup_task, daily_at=settings.BACKUP_TIME)
