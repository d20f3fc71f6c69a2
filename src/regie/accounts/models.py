"""What Régie keeps about an account's sign-in: its second-factor exemption, its sessions, and
the per-account slow-down of failed logins. The factors themselves are django-otp's devices
(TOTP, recovery codes) and django-otp-webauthn's credentials (passkeys)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AccountSecurity(models.Model):
    """Per-account sign-in settings; an account without a row has the defaults."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="security"
    )
    mfa_exempt = models.BooleanField(
        _("exempt from the second factor"),
        default=False,
        help_text=_("Signs in with a password alone even if its role requires a second factor."),
    )

    class Meta:
        verbose_name = _("account security")
        verbose_name_plural = _("account security")

    def __str__(self) -> str:
        return str(self.user)


class UserSession(models.Model):
    """One signed-in browser of a user, so that the user can see it and end it. The session
    itself lives in Django's session store under ``session_key``."""

    session_key = models.CharField(max_length=40, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="browser_sessions"
    )
    address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    last_seen_at = models.DateTimeField(_("last seen"))

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["-last_seen_at"]

    def __str__(self) -> str:
        return f"{self.user} · {self.address or '?'}"


class LoginDelay(models.Model):
    """Failed logins of one username, from any address: past a few, the account asks to wait
    a short, growing time before the next try (it never blocks the right password)."""

    username = models.CharField(max_length=150, unique=True)
    failures = models.PositiveIntegerField(default=0)
    last_failure_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.username}: {self.failures}"
