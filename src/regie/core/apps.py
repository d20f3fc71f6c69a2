from datetime import timedelta

from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "regie.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from regie.core.collation import register_sqlite_collation
        from regie.core.models import User
        from regie.core.schedule import register_periodic
        from regie.core.search import register_sqlite_fold
        from regie.core.signals import credentials_changed, detect_credential_changes
        from regie.core.tasks import retry_outgoing_mails
        from regie.core.tokens import revoke_tokens_on_credentials_changed

        connection_created.connect(register_sqlite_collation, dispatch_uid="regie_fr_collation")
        connection_created.connect(register_sqlite_fold, dispatch_uid="regie_fold")
        register_periodic("mail.retry", retry_outgoing_mails, every=timedelta(minutes=1))
        post_save.connect(
            detect_credential_changes, sender=User, dispatch_uid="regie_credential_changes"
        )
        credentials_changed.connect(
            revoke_tokens_on_credentials_changed, sender=User, dispatch_uid="regie_token_revoke"
        )
