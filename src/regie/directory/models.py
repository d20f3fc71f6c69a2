"""The territory: organisations, sites and rooms, departments and people."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from regie.core.collation import collated
from regie.core.models import TimeStampedModel
from regie.directory.hours import WEEKDAYS, Period, parse_periods, validate_opening_hours
from regie.directory.querysets import PersonQuerySet, SiteQuerySet


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
