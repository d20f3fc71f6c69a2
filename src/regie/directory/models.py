"""The territory: organisations, sites and rooms, departments and people."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_stubs_ext import StrOrPromise

from regie.core import encryption
from regie.core.collation import collated
from regie.core.models import Role, TimeStampedModel
from regie.directory.hours import WEEKDAYS, Period, parse_periods, validate_opening_hours
from regie.directory.querysets import PersonQuerySet, SiteQuerySet
from regie.directory.sync.entries import AD_ATTRIBUTES, LDAP_ATTRIBUTES, GraphSettings, LdapSettings


def _coordinate(label: StrOrPromise, bound: int) -> models.DecimalField[Any, Any]:
    """A WGS84 coordinate in degrees, to the metre (5 decimals), optional."""
    return models.DecimalField(
        label,
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-bound), MaxValueValidator(bound)],
    )


class OrganisationKind(models.TextChoices):
    INTERCOMMUNALITY = "intercommunality", _("Intercommunality")
    COMMUNE = "commune", _("Member commune")
    OTHER = "other", _("Other body")


class Organisation(TimeStampedModel):
    """A body of the territory: the intercommunality at the root, its member communes below."""

    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent organisation"),
    )
    siren = models.CharField(
        _("SIREN"),
        max_length=9,
        blank=True,
        validators=[RegexValidator(r"^\d{9}$", _("A SIREN number has 9 digits."))],
    )
    insee_code = models.CharField(
        _("INSEE code"),
        max_length=5,
        blank=True,
        validators=[RegexValidator(r"^\d[0-9AB]\d{3}$", _("An INSEE code has 5 characters."))],
    )
    postcode = models.CharField(_("postcode"), max_length=5, blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    latitude = _coordinate(_("latitude"), 90)
    longitude = _coordinate(_("longitude"), 180)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = [collated("name")]
        constraints = [
            models.UniqueConstraint(
                fields=["insee_code"],
                condition=~Q(insee_code=""),
                name="organisation_unique_insee_code",
                violation_error_message=_("An organisation with this INSEE code already exists."),
            ),
            models.UniqueConstraint(
                Lower("name"),
                "parent",
                name="organisation_unique_name_per_parent",
                violation_error_message=_("An organisation with this name already exists here."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("directory:organisation-detail", args=[self.pk])

    def clean(self) -> None:
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk:
                raise ValidationError(
                    {"parent": _("An organisation cannot be placed under itself.")}
                )
            ancestor = ancestor.parent


class SiteKind(models.TextChoices):
    HEAD_OFFICE = "head_office", _("Head office")
    FRANCE_SERVICES = "france_services", _("Maison communautaire / France Services")
    SCHOOL = "school", _("School")
    MEDIA_LIBRARY = "media_library", _("Media library")
    POOL = "pool", _("Swimming pool")
    WASTE_CENTRE = "waste_centre", _("Waste centre")
    NURSERY = "nursery", _("Nursery")
    TECHNICAL = "technical", _("Technical site")
    OTHER = "other", _("Other")


_HOURS_HELP = _("For example 08:30-12:00, 13:30-17:00; empty when closed.")


def _hours_field(label: StrOrPromise) -> models.CharField[str, str]:
    return models.CharField(
        label, max_length=60, blank=True, validators=[validate_opening_hours], help_text=_HOURS_HELP
    )


class Site(TimeStampedModel):
    """A building of the territory, where equipment stands and technicians go."""

    name = models.CharField(_("name"), max_length=150, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=SiteKind.choices)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="sites",
        verbose_name=_("commune"),
        help_text=_("The commune (or body) where the site stands."),
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    postcode = models.CharField(
        _("postcode"),
        max_length=5,
        blank=True,
        validators=[RegexValidator(r"^\d{5}$", _("A postcode has 5 digits."))],
    )
    city = models.CharField(_("city"), max_length=100, blank=True)
    latitude = _coordinate(_("latitude"), 90)
    longitude = _coordinate(_("longitude"), 180)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    contact_name = models.CharField(_("contact name"), max_length=150, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    access_notes = models.TextField(
        _("access notes"), blank=True, help_text=_("Keys, alarm, parking, who to ask.")
    )
    hours_mon = _hours_field(_("Monday"))
    hours_tue = _hours_field(_("Tuesday"))
    hours_wed = _hours_field(_("Wednesday"))
    hours_thu = _hours_field(_("Thursday"))
    hours_fri = _hours_field(_("Friday"))
    hours_sat = _hours_field(_("Saturday"))
    hours_sun = _hours_field(_("Sunday"))
    correspondents = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="correspondent_sites",
        verbose_name=_("site correspondents"),
    )

    objects = SiteQuerySet.as_manager()

    class Meta:
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        ordering = [collated("name")]
        constraints = [
            models.CheckConstraint(
                condition=(Q(latitude__isnull=True) & Q(longitude__isnull=True))
                | (Q(latitude__isnull=False) & Q(longitude__isnull=False)),
                name="site_position_complete",
                violation_error_message=_("Give both latitude and longitude, or neither."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("directory:site-detail", args=[self.pk])

    @property
    def opening_hours(self) -> list[tuple[str, str, list[Period]]]:
        """(weekday code, weekday label, periods) for the seven days, Monday first."""
        return [
            (code, str(label), parse_periods(getattr(self, f"hours_{code}")))
            for code, label in WEEKDAYS
        ]


class Room(TimeStampedModel):
    """A room or technical space within a site (server room, classroom, office)."""

    site = models.ForeignKey(
        Site, on_delete=models.CASCADE, related_name="rooms", verbose_name=_("site")
    )
    name = models.CharField(_("name"), max_length=100)
    floor = models.CharField(_("floor"), max_length=30, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        ordering = [collated("site__name"), collated("name")]
        constraints = [
            models.UniqueConstraint(
                fields=["site", "name"],
                name="room_unique_name_per_site",
                violation_error_message=_("This site already has a room with this name."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.site} — {self.name}"


class Department(TimeStampedModel):
    """A department (*service*) of the organisation: finance, schools, waste, IT…"""

    name = models.CharField(_("name"), max_length=150, unique=True)
    code = models.CharField(_("code"), max_length=20, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="departments",
        verbose_name=_("organisation"),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent department"),
    )
    head = models.ForeignKey(
        "Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("head of department"),
    )

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = [collated("name")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("directory:department-detail", args=[self.pk])


class Person(TimeStampedModel):
    """A member of staff (or an elected official) known to the IT department."""

    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    mobile = models.CharField(_("mobile"), max_length=30, blank=True)
    department = models.ForeignKey(
        Department,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("department"),
    )
    site = models.ForeignKey(
        Site,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("site"),
    )
    job_title = models.CharField(_("job title"), max_length=150, blank=True)
    active = models.BooleanField(_("active"), default=True)
    arrival_date = models.DateField(_("arrival date"), null=True, blank=True)
    departure_date = models.DateField(_("departure date"), null=True, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        verbose_name=_("user account"),
    )
    # The organisation's directory's permanent id (Active Directory objectGUID, Entra ID
    # object id): people are matched on it, never on a name, so a renamed or moved person
    # stays one person. Empty for people typed into Régie by hand.
    directory_id = models.CharField(
        _("directory id"), max_length=64, unique=True, null=True, blank=True, editable=False
    )
    # The source that brought the person in: its sync owns the directory's fields and marks
    # the person inactive when the directory stops returning them.
    directory_source = models.ForeignKey(
        "DirectorySource",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="people",
        verbose_name=_("directory source"),
    )
    manager = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("manager"),
    )

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = [collated("last_name"), collated("first_name"), "id"]
        indexes = [models.Index(fields=["last_name", "first_name"])]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                condition=~Q(email=""),
                name="person_unique_email",
                violation_error_message=_("A person with this e-mail address already exists."),
            ),
            models.CheckConstraint(
                condition=Q(departure_date__isnull=True)
                | Q(arrival_date__isnull=True)
                | Q(departure_date__gte=models.F("arrival_date")),
                name="person_departure_after_arrival",
                violation_error_message=_("The departure date cannot be before the arrival date."),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse("directory:person-detail", args=[self.pk])

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def directory_fields(self) -> frozenset[str]:
        """The fields the directory sync writes and Régie's forms and API leave alone."""
        if self.directory_source_id is None or not self.directory_id:
            return frozenset()
        source = self.directory_source
        return source.synced_fields() if source is not None else frozenset()


# --- directory sync ----------------------------------------------------------------------------


class SourceKind(models.TextChoices):
    ACTIVE_DIRECTORY = "ad", _("Active Directory")
    LDAP = "ldap", _("LDAP directory")
    ENTRA = "entra", _("Entra ID (Microsoft 365)")


LDAP_KINDS = (SourceKind.ACTIVE_DIRECTORY, SourceKind.LDAP)

# Person field ← the DirectoryEntry fields whose attribute must be mapped for the sync to
# write it (a plain LDAP directory has no "account disabled" attribute, for example).
PERSON_FIELDS_FROM_ENTRY: dict[str, tuple[str, ...]] = {
    "first_name": ("first_name",),
    "last_name": ("last_name",),
    "email": ("email",),
    "phone": ("phone",),
    "mobile": ("mobile",),
    "department": ("department",),
    "site": ("site", "site_fallback"),
    "job_title": ("job_title",),
    "manager": ("manager_id",),
    "active": ("active",),
}


class DirectorySource(TimeStampedModel):
    """An organisation directory people and accounts are synced from: an Active Directory or
    LDAP server (bind account, base DN, filter, attribute mapping) or an Entra ID tenant read
    through Microsoft Graph (an app registration's id and secret).

    The bind password and the client secret are stored encrypted (``regie.core.encryption``)
    and never shown back.
    """

    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=SourceKind.choices)
    enabled = models.BooleanField(
        pgettext_lazy("directory source", "enabled"),
        default=True,
        help_text=_("Synced by the periodic job."),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation of new departments"),
        help_text=_("Departments the directory names and Régie lacks are created under it."),
    )
    # LDAP / Active Directory
    url = models.CharField(
        _("server"), max_length=255, blank=True, help_text=_("ldap://dc.example.org or ldaps://…")
    )
    bind_dn = models.CharField(_("bind account"), max_length=255, blank=True)
    bind_password_encrypted = models.TextField(editable=False, blank=True)
    base_dn = models.CharField(_("base DN"), max_length=255, blank=True)
    user_filter = models.CharField(_("user filter"), max_length=500, blank=True)
    start_tls = models.BooleanField(_("StartTLS"), default=False)
    ca_file = models.CharField(
        _("CA certificate file"),
        max_length=255,
        blank=True,
        help_text=_("PEM file of the authority that signed the server's certificate."),
    )
    attributes = models.JSONField(
        _("attribute mapping"),
        default=dict,
        blank=True,
        help_text=_("Only the attributes that differ from the defaults of the kind."),
    )
    # Entra ID
    tenant_id = models.CharField(_("tenant id"), max_length=64, blank=True)
    client_id = models.CharField(_("client id"), max_length=64, blank=True)
    client_secret_encrypted = models.TextField(editable=False, blank=True)
    # [[group name, role], …]: the first group the person belongs to gives the role.
    role_mapping = models.JSONField(_("group → role mapping"), default=list, blank=True)

    class Meta:
        verbose_name = _("directory source")
        verbose_name_plural = _("directory sources")
        ordering = [collated("name")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("directory:source-detail", args=[self.pk])

    # --- secrets -------------------------------------------------------------------------
    def set_bind_password(self, plain: str) -> None:
        self.bind_password_encrypted = encryption.encrypt(plain)

    def set_client_secret(self, plain: str) -> None:
        self.client_secret_encrypted = encryption.encrypt(plain)

    @property
    def is_ldap(self) -> bool:
        return self.kind in LDAP_KINDS

    # --- mapping -------------------------------------------------------------------------
    def default_attributes(self) -> Mapping[str, str]:
        return LDAP_ATTRIBUTES if self.kind == SourceKind.LDAP else AD_ATTRIBUTES

    def effective_attributes(self) -> dict[str, str]:
        """The kind's defaults with this source's overrides."""
        mapping = dict(self.default_attributes())
        mapping.update({key: str(value) for key, value in (self.attributes or {}).items()})
        return mapping

    def synced_fields(self) -> frozenset[str]:
        """The person fields this source writes (all of them for Entra ID)."""
        if not self.is_ldap:
            return frozenset(PERSON_FIELDS_FROM_ENTRY)
        mapping = self.effective_attributes()
        return frozenset(
            name
            for name, keys in PERSON_FIELDS_FROM_ENTRY.items()
            if any(mapping.get(key) for key in keys)
        )

    def role_for(self, groups: Iterable[str]) -> str:
        """The role of the first mapped group the account belongs to; staff otherwise."""
        member_of = {group.casefold() for group in groups}
        for group, role in self.role_mapping or []:
            if str(group).casefold() in member_of:
                return str(role)
        return Role.STAFF

    # --- validation and settings ---------------------------------------------------------
    def clean(self) -> None:
        errors: dict[str, StrOrPromise] = {}
        if self.is_ldap:
            if not self.url.startswith(("ldap://", "ldaps://")):
                errors["url"] = _("Give the server as ldap://host or ldaps://host.")
            if not self.base_dn:
                errors["base_dn"] = _("Give the base DN the users are searched under.")
            if self.start_tls and self.url.startswith("ldaps://"):
                errors["start_tls"] = _("StartTLS is for ldap://; ldaps:// is already encrypted.")
            unknown = sorted(set(self.attributes or {}) - set(AD_ATTRIBUTES))
            if unknown:
                errors["attributes"] = _("Unknown fields in the mapping: %(names)s.") % {
                    "names": ", ".join(unknown)
                }
        elif self.kind == SourceKind.ENTRA:
            if not _GUID.match(self.tenant_id):
                errors["tenant_id"] = _("The tenant id is a GUID (Entra ID → Overview).")
            if not _GUID.match(self.client_id):
                errors["client_id"] = _("The client id is the app registration's GUID.")
        roles = set(Role.values)
        for pair in self.role_mapping or []:
            if len(pair) != 2 or not str(pair[0]).strip() or pair[1] not in roles:
                errors["role_mapping"] = _("Each line reads: group name = role (%(roles)s).") % {
                    "roles": ", ".join(Role.values)
                }
                break
        if errors:
            raise ValidationError(errors)

    @property
    def effective_user_filter(self) -> str:
        if self.user_filter:
            return self.user_filter
        if self.kind == SourceKind.ACTIVE_DIRECTORY:
            return "(&(objectCategory=person)(objectClass=user))"
        return "(objectClass=inetOrgPerson)"

    def ldap_settings(self) -> LdapSettings:
        if not self.is_ldap:
            raise ValidationError(_("“%(source)s” is not an LDAP source.") % {"source": self})
        return LdapSettings(
            url=self.url,
            bind_dn=self.bind_dn,
            bind_password=encryption.decrypt(self.bind_password_encrypted),
            base_dn=self.base_dn,
            kind="ad" if self.kind == SourceKind.ACTIVE_DIRECTORY else "ldap",
            user_filter=self.effective_user_filter,
            attributes=self.effective_attributes(),
            start_tls=self.start_tls,
            ca_file=self.ca_file,
        )

    def graph_settings(self) -> GraphSettings:
        if self.kind != SourceKind.ENTRA:
            raise ValidationError(_("“%(source)s” is not an Entra ID source.") % {"source": self})
        secret = encryption.decrypt(self.client_secret_encrypted)
        if not secret:
            raise ValidationError(
                _("The client secret of “%(source)s” is missing.") % {"source": self}
            )
        return GraphSettings(
            tenant_id=self.tenant_id, client_id=self.client_id, client_secret=secret
        )


_GUID = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")


class SyncStatus(models.TextChoices):
    OK = "ok", _("Succeeded")
    FAILED = "failed", _("Failed")


class DirectorySyncRun(models.Model):
    """One sync of a source, applied or simulated (dry run), with its counts and its changes.

    ``changes`` lists one item per person created, changed, disabled or no longer in the
    directory: ``{"action", "directory_id", "person", "person_id", "fields": [{"field",
    "label", "old", "new"}]}``; ``warnings`` what the sync could not do (an unknown site).
    """

    source = models.ForeignKey(
        DirectorySource, on_delete=models.CASCADE, related_name="runs", verbose_name=_("source")
    )
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    dry_run = models.BooleanField(_("simulation"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=SyncStatus.choices, default=SyncStatus.OK
    )
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    disabled = models.PositiveIntegerField(pgettext_lazy("directory sync", "disabled"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    not_in_directory = models.PositiveIntegerField(_("no longer in the directory"), default=0)
    error = models.TextField(_("error"), blank=True)
    changes = models.JSONField(_("changes"), default=list, blank=True)
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )

    class Meta:
        verbose_name = _("directory sync")
        verbose_name_plural = _("directory syncs")
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.source} · {self.started_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("directory:sync-run-detail", args=[self.pk])

    @property
    def duration(self) -> datetime.timedelta | None:
        return None if self.finished_at is None else self.finished_at - self.started_at

    @property
    def change_count(self) -> int:
        return self.created + self.updated + self.disabled


class PersonCloudAccount(TimeStampedModel):
    """What Entra ID says of a person's Microsoft 365 account, as the last sync read it.

    Written by the directory sync from an Entra ID source only, and only when a value
    changes (so ``updated_at`` is when Entra last said something new); telework readiness
    reads it before the MFA / Office 365 records typed or imported by hand. ``None`` means
    Entra could not tell (the app registration lacks the permission, or the account is
    disabled and so left out of the MFA report): unknown, never "no".
    """

    person = models.OneToOneField(
        Person, on_delete=models.CASCADE, related_name="cloud_account", verbose_name=_("person")
    )
    mfa_registered = models.BooleanField(_("MFA registered"), null=True, blank=True)
    # Microsoft 365 SKU part numbers (ENTERPRISEPACK, SPE_E3…), sorted; None when unknown.
    licences = models.JSONField(_("licences"), null=True, blank=True)

    class Meta:
        verbose_name = _("Microsoft 365 account")
        verbose_name_plural = _("Microsoft 365 accounts")
        ordering = ["person"]

    def __str__(self) -> str:
        return str(self.person)
