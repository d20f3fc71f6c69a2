from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "regie.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from regie.accounts.middleware import note_sign_in

        user_logged_in.connect(note_sign_in, dispatch_uid="regie.accounts.note_sign_in")
