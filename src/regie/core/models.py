"""Shared models: the user account and its role, the change log, API tokens, worker heartbeat,
the outbox of mails."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Collection
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """Adds creation and last-change times to every domain model."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class Role(models.TextChoices):
    """What a user account may do; site correspondents are further scoped to their sites."""

    ADMIN = "admin", _("Administrator")
    TECHNICIAN = "technician", _("Technician")
    READER = "reader", _("Reader")
    CORRESPONDENT = "correspondent", _("Site correspondent")
    STAFF = "staff", _("Staff")


class RegieUserManager(UserManager["User"]):
    def create_superuser(
        self, username: str, email: str | None = None, password: str | None = None, **extra: Any
    ) -> User:
        """`regie createsuperuser` makes an administrator, not a staff member with all rights."""
        extra.setdefault("role", Role.ADMIN)
        return super().create_superuser(username, email, password, **extra)


class User(AbstractUser):
    """A login account. Its person record (if any) lives in the directory."""

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.STAFF)

    objects = RegieUserManager()  # type: ignore[misc]  # narrows AbstractUser's manager

    class Meta:
        verbose_name = _("user account")
        verbose_name_plural = _("user accounts")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def effective_role(self) -> str:
        """Superusers are administrators whatever their stored role."""
        return Role.ADMIN if self.is_superuser else self.role

    # What a login, a token or a session was granted on: when one of these changes, what was
    # granted before must end (regie.core.signals). The values as loaded from the
    # database are remembered so that a save can tell what it changed.
    _stored_credentials: dict[str, Any] | None = None
    _rehashing_password = False

    @classmethod
    def from_db(cls, db: str | None, field_names: Collection[str], values: Collection[Any]) -> User:
        user = super().from_db(db, field_names, values)
        user.remember_credentials()
        return user

    def _credentials(self) -> dict[str, Any]:
        loaded = self.get_deferred_fields()
        return {
            name: getattr(self, name)
            for name in ("is_active", "password", "role", "is_superuser")
            if name not in loaded
        }

    def remember_credentials(self, fields: Collection[str] | None = None) -> None:
        """Take the current values as the stored ones (all, or only ``fields`` when a save
        wrote only those)."""
        current = self._credentials()
        if fields is None or self._stored_credentials is None:
            self._stored_credentials = current
        else:
            self._stored_credentials.update(
                (name, value) for name, value in current.items() if name in fields
            )

    def credential_changes(self, update_fields: Collection[str] | None = None) -> frozenset[str]:
        """What of :class:`CredentialChange` this object changed since it was loaded or last
        saved: the account disabled, the password changed, the effective role changed.

        Only an object read from the database knows its stored values: one built by hand and
        saved over an existing row, or a queryset ``update()``, changes nothing here.
        """
        before = self._stored_credentials
        if before is None:
            return frozenset()
        after = self._credentials()

        def changed(name: str) -> bool:
            if update_fields is not None and name not in update_fields:
                return False
            return name in before and name in after and before[name] != after[name]

        reasons = set()
        if changed("is_active") and not self.is_active:
            reasons.add(CredentialChange.DISABLED)
        if changed("password") and not self._rehashing_password:
            reasons.add(CredentialChange.PASSWORD)
        role_before = Role.ADMIN if before.get("is_superuser") else before.get("role")
        role_fields = {"role", "is_superuser"}
        if (
            (update_fields is None or role_fields & set(update_fields))
            and role_fields <= before.keys()
            and role_before != self.effective_role
        ):
            reasons.add(CredentialChange.ROLE)
        return frozenset(reasons)

    def refresh_from_db(self, *args: Any, **kwargs: Any) -> None:
        super().refresh_from_db(*args, **kwargs)
        self.remember_credentials()

    def check_password(self, raw_password: str) -> bool:
        # Django re-hashes a correct password whose hasher settings changed and saves it:
        # the same password, not a change of it.
        self._rehashing_password = True
        try:
            return super().check_password(raw_password)
        finally:
            self._rehashing_password = False


class CredentialChange(models.TextChoices):
    """Why what a user was granted (tokens, sessions, second factors) must end."""

    DISABLED = "disabled", _("Account disabled")
    PASSWORD = "password", _("Password changed")
    ROLE = "role", _("Role changed")


class ChangeAction(models.TextChoices):
    CREATE = "create", _("Created")
    UPDATE = "update", _("Changed")
    DELETE = "delete", _("Deleted")


class ChangeSource(models.TextChoices):
    WEB = "web", _("Web interface")
    API = "api", _("API")
    AGENT = "agent", _("Inventory agent")
    DIRECTORY = "directory", _("Directory")
    SYSTEM = "system", _("System")


class ChangeRecord(models.Model):
    """One recorded change: who changed which field of which object, from what to what.

    A creation or a deletion is one row with an empty ``field``; an update is one row per
    changed field. Rows are never edited.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, verbose_name=_("type"))
    object_id = models.PositiveBigIntegerField(_("object id"))
    object_repr = models.CharField(_("object"), max_length=200)
    action = models.CharField(_("action"), max_length=10, choices=ChangeAction.choices)
    field = models.CharField(_("field"), max_length=100, blank=True)
    field_label = models.CharField(_("field label"), max_length=200, blank=True)
    old_value = models.TextField(_("old value"), blank=True)
    new_value = models.TextField(_("new value"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    source = models.CharField(
        _("source"), max_length=10, choices=ChangeSource.choices, default=ChangeSource.WEB
    )
    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("change")
        verbose_name_plural = _("changes")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "-at"])]

    def __str__(self) -> str:
        if self.field:
            return f"{self.object_repr}: {self.field} {self.old_value!r} → {self.new_value!r}"
        return f"{self.object_repr}: {self.action}"


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def active(self, *, at: datetime | None = None) -> ApiTokenQuerySet:
        """Tokens that would be accepted now (or ``at``): neither revoked nor expired."""
        at = at or timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=at)
        )


def hash_token(raw: str) -> str:
    """Tokens are random 256-bit strings, so one round of SHA-256 is enough to store them."""
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


class ApiToken(models.Model):
    """A personal API token. Only its hash is stored; the token is shown once at creation.

    A token acts with its user's rights, narrowed by its ``scope``, until it expires or is
    revoked. It is revoked by its user or an administrator, and by itself when its user is
    disabled, changes password or changes role (``role`` is the effective role it was created
    under).
    """

    PREFIX = "regie_"

    class Scope(models.TextChoices):
        READ = "read", _("Read only")
        WRITE = "read-write", _("Read and write")

    class RevokedReason(models.TextChoices):
        REVOKED = "revoked", _("By its user or an administrator")
        DISABLED = CredentialChange.DISABLED.value, _("Account disabled")
        PASSWORD = CredentialChange.PASSWORD.value, _("Password changed")
        ROLE = CredentialChange.ROLE.value, _("Role changed")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("user account"),
    )
    name = models.CharField(_("name"), max_length=100)
    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices, default=Scope.READ)
    role = models.CharField(_("created as"), max_length=20, choices=Role.choices, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    key_hint = models.CharField(_("starts with"), max_length=16, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(
        _("expires at"), null=True, blank=True, help_text=_("Empty: never expires.")
    )
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    last_used_address = models.GenericIPAddressField(_("last used from"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_reason = models.CharField(
        _("revoked because"), max_length=10, choices=RevokedReason.choices, blank=True
    )

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(revoked_at__isnull=True, revoked_reason="")
                | (models.Q(revoked_at__isnull=False) & ~models.Q(revoked_reason="")),
                name="core_apitoken_revoked_with_reason",
                violation_error_message=_("A revoked token has a reason, an active one none."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.key_hint}…)"

    @classmethod
    def new_raw_key(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(32)

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def is_active(self) -> bool:
        return not self.is_revoked and not self.is_expired

    @property
    def is_read_only(self) -> bool:
        return self.scope == self.Scope.READ


class WorkerHeartbeat(models.Model):
    """Last sign of life of each background worker, read by /health."""

    worker_id = models.CharField(max_length=64, unique=True)
    hostname = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    last_seen = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-last_seen"]

    def __str__(self) -> str:
        return f"{self.worker_id}@{self.hostname}"


class ScheduledRun(models.Model):
    """One run of a periodic job, claimed for its time slot by exactly one worker.

    Every worker runs the scheduler; the unique (job, slot) row decides which of them queues
    the job, so a job runs once per slot however many workers there are.
    """

    job = models.CharField(max_length=100)
    slot = models.DateTimeField()
    queued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-slot"]
        constraints = [models.UniqueConstraint(fields=["job", "slot"], name="one_run_per_slot")]

    def __str__(self) -> str:
        return f"{self.job}@{self.slot.isoformat()}"


class MailStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed, will retry")
    GIVEN_UP = "given_up", _("Given up")


MAIL_RETRYABLE = (MailStatus.FAILED, MailStatus.GIVEN_UP)
_MAIL_BADGES: dict[str, str] = {
    MailStatus.SENT: "approved",
    MailStatus.FAILED: "held",
    MailStatus.GIVEN_UP: "report-failed",
}


class OutgoingMail(TimeStampedModel):
    """A mail Régie sends (a ticket notification, a loan reminder), queued in the transaction
    of the change it tells about and sent, then retried, by the worker (``regie.core.mail``)."""

    kind = models.CharField(_("kind"), max_length=100)
    recipients = models.TextField(_("recipients"), help_text=_("One address per line."))
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("text"))
    html_body = models.TextField(_("HTML text"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=MailStatus.choices, default=MailStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("sending since"), null=True, blank=True)
    attempted_at = models.DateTimeField(_("last attempt at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing mail")
        verbose_name_plural = _("outgoing mails")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="core_mail_due"),
            models.Index(fields=["-attempted_at"], name="core_mail_attempted"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} · {self.subject}"

    def recipient_list(self) -> list[str]:
        return [line for line in self.recipients.splitlines() if line]

    @property
    def badge(self) -> str:
        """The CSS modifier of the status badge (the colours of the alert deliveries)."""
        return _MAIL_BADGES.get(self.status, "report-received")

    @property
    def can_retry(self) -> bool:
        return self.status in MAIL_RETRYABLE
