"""Telephony: operators and their contracts, lines and numbers, SIM cards, extensions,
forwarding states, continuity plans and the copper cut-off dates of the communes."""

from __future__ import annotations

import calendar
import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from regie.assets.models import Asset, AssetKind
from regie.core import encryption
from regie.core.collation import collated
from regie.core.models import TimeStampedModel
from regie.directory.models import Department, Organisation, OrganisationKind, Person, Site
from regie.telephony.numbers import IccidField, PhoneNumberField, national_format
from regie.telephony.querysets import ExtensionQuerySet, LineQuerySet


class Operator(TimeStampedModel):
    """A telecoms operator the organisation has an account with (Orange, SFR, Bouygues…)."""

    name = models.CharField(_("name"), max_length=100)
    customer_account = models.CharField(_("customer account number"), max_length=50, blank=True)
    support_contact = models.CharField(
        _("support contact"), max_length=200, blank=True, help_text=_("Name, phone, e-mail.")
    )
    support_phone = PhoneNumberField(_("support phone"), blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("operator")
        verbose_name_plural = _("operators")
        ordering = [collated("name")]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="operator_unique_name",
                violation_error_message=_("An operator with this name already exists."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("telephony:operator-detail", args=[self.pk])


def months_before(day: datetime.date, months: int) -> datetime.date:
    """``day`` moved back ``months`` calendar months (31 May − 3 months = 28/29 February)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return datetime.date(year, month + 1, min(day.day, last))


class OperatorContract(TimeStampedModel):
    """A subscription contract with an operator, covering some lines."""

    operator = models.ForeignKey(
        Operator, on_delete=models.PROTECT, related_name="contracts", verbose_name=_("operator")
    )
    reference = models.CharField(_("reference"), max_length=100)
    monthly_cost = models.DecimalField(
        _("monthly cost (€)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    notice_months = models.PositiveSmallIntegerField(
        _("notice period (months)"),
        default=0,
        help_text=_("How many months before the end date notice must be given."),
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("operator contract")
        verbose_name_plural = _("operator contracts")
        ordering = [collated("operator__name"), "reference"]
        constraints = [
            models.UniqueConstraint(
                fields=["operator", "reference"],
                name="operatorcontract_unique_reference",
                violation_error_message=_(
                    "This operator already has a contract with this reference."
                ),
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="operatorcontract_ends_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            models.CheckConstraint(
                condition=Q(monthly_cost__isnull=True) | Q(monthly_cost__gte=0),
                name="operatorcontract_cost_not_negative",
                violation_error_message=_("The monthly cost cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.operator} — {self.reference}"

    def get_absolute_url(self) -> str:
        return reverse("telephony:contract-detail", args=[self.pk])

    @property
    def notice_deadline(self) -> datetime.date | None:
        """The last day to give notice so that the contract ends on its end date."""
        if self.end_date is None:
            return None
        return months_before(self.end_date, self.notice_months)

    def notice_is_near(self, today: datetime.date | None = None) -> bool:
        """Whether the notice deadline is within the warning window (and not passed long ago:
        a deadline already passed stays flagged until the end date)."""
        deadline = self.notice_deadline
        if deadline is None or self.end_date is None:
            return False
        today = today or timezone.localdate()
        warning = datetime.timedelta(days=settings.TELEPHONY_NOTICE_WARNING_DAYS)
        return deadline - warning <= today <= self.end_date

    @property
    def notice_flag(self) -> str:
        """What the contract list shows in its "Notice" column."""
        if not self.notice_is_near():
            return ""
        deadline = self.notice_deadline
        assert deadline is not None  # noqa: S101  # notice_is_near needs one
        if deadline < timezone.localdate():
            return str(_("Deadline passed"))
        return str(_("Give notice soon"))

    @property
    def notice_badge(self) -> str:
        return "in_repair" if self.notice_flag else ""


class LineKind(models.TextChoices):
    ANALOGUE = "analogue", _("Analogue line (RTC)")
    SIP_TRUNK = "sip_trunk", _("SIP trunk")
    T0 = "t0", _("T0 (ISDN BRI)")
    T2 = "t2", _("T2 (ISDN PRI)")
    MOBILE = "mobile", _("Mobile")
    DATA = "data", _("Data (4G/5G)")
    FAX = "fax", _("Fax")
    ALARM = "alarm", _("Alarm")
    LIFT = "lift", _("Lift")
    EMERGENCY = "emergency", _("Emergency phone")


# Lines that keep people safe: they must survive the copper cut-off.
SAFETY_KINDS = (LineKind.ALARM, LineKind.LIFT, LineKind.EMERGENCY)
# Lines that carry a SIM card.
SIM_KINDS = (LineKind.MOBILE, LineKind.DATA)
# Lines answered at a desk, forwarded when the office closes.
OFFICE_KINDS = (LineKind.ANALOGUE, LineKind.SIP_TRUNK, LineKind.T0, LineKind.T2)


class Technology(models.TextChoices):
    COPPER = "copper", _("Copper")
    FIBRE = "fibre", _("Fibre")
    RADIO = "radio", _("Radio (4G/5G)")
    IP = "ip", _("IP")


class LineStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    TERMINATED = "terminated", _("Terminated")


class Line(TimeStampedModel):
    """A telephone line and its number: an office line, a mobile, an alarm or lift line…"""

    number = PhoneNumberField(
        _("number"),
        unique=True,
        help_text=_("For example 05 49 27 00 00 or +33 5 49 27 00 00."),
        error_messages={"unique": _("This number is already recorded.")},
    )
    label = models.CharField(_("label"), max_length=150, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=LineKind.choices)
    technology = models.CharField(
        _("technology"), max_length=10, choices=Technology.choices, blank=True
    )
    status = models.CharField(
        _("status"), max_length=12, choices=LineStatus.choices, default=LineStatus.ACTIVE
    )
    operator = models.ForeignKey(
        Operator,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lines",
        verbose_name=_("operator"),
    )
    contract = models.ForeignKey(
        OperatorContract,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lines",
        verbose_name=_("contract"),
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="phone_lines",
        verbose_name=_("person"),
    )
    site = models.ForeignKey(
        Site,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="phone_lines",
        verbose_name=_("site"),
    )
    desk_phone = models.ForeignKey(
        Asset,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="phone_lines",
        verbose_name=_("desk phone"),
        limit_choices_to={"asset_type__kind": AssetKind.DESK_PHONE},
    )
    notes = models.TextField(_("notes"), blank=True)

    objects = LineQuerySet.as_manager()

    class Meta:
        verbose_name = _("line")
        verbose_name_plural = _("lines")
        ordering = ["number"]

    def __str__(self) -> str:
        shown = national_format(self.number)
        return f"{shown} ({self.label})" if self.label else shown

    def get_absolute_url(self) -> str:
        return reverse("telephony:line-detail", args=[self.pk])

    @property
    def number_display(self) -> str:
        return national_format(self.number)

    @property
    def is_safety(self) -> bool:
        return self.kind in SAFETY_KINDS

    @property
    def is_on_copper(self) -> bool:
        return self.technology == Technology.COPPER and self.status != LineStatus.TERMINATED

    def clean(self) -> None:
        contract = self.contract
        if (
            contract is not None
            and self.operator_id is not None
            and contract.operator_id != self.operator_id
        ):
            raise ValidationError({"contract": _("This contract is with another operator.")})


class SimCard(TimeStampedModel):
    """A SIM card; its PIN and PUK codes are stored encrypted and shown to administrators."""

    iccid = IccidField(
        _("ICCID"),
        unique=True,
        help_text=_("The 19 or 20 digits printed on the card, starting with 89."),
        error_messages={"unique": _("A SIM card with this ICCID is already recorded.")},
    )
    line = models.ForeignKey(
        Line,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sim_cards",
        verbose_name=_("line"),
    )
    operator = models.ForeignKey(
        Operator,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sim_cards",
        verbose_name=_("operator"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=LineStatus.choices, default=LineStatus.ACTIVE
    )
    # Encrypted (regie.core.encryption); never shown in lists, exports or the API lists.
    pin_encrypted = models.TextField(_("PIN code"), blank=True, editable=False)
    puk_encrypted = models.TextField(_("PUK code"), blank=True, editable=False)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("SIM card")
        verbose_name_plural = _("SIM cards")
        ordering = ["iccid"]

    def __str__(self) -> str:
        return str(self.iccid)

    def get_absolute_url(self) -> str:
        return reverse("telephony:simcard-detail", args=[self.pk])

    def clean(self) -> None:
        line = self.line
        if line is not None and line.kind not in SIM_KINDS:
            raise ValidationError({"line": _("A SIM card goes with a mobile or data line.")})

    def set_codes(self, *, pin: str | None = None, puk: str | None = None) -> None:
        """Encrypt new codes; ``None`` keeps the stored one, ``""`` erases it."""
        if pin is not None:
            self.pin_encrypted = encryption.encrypt(pin)
        if puk is not None:
            self.puk_encrypted = encryption.encrypt(puk)

    @property
    def has_codes(self) -> bool:
        return bool(self.pin_encrypted or self.puk_encrypted)


class SecretReveal(models.Model):
    """One display of a SIM card's PIN and PUK: who saw them, when, from where."""

    sim_card = models.ForeignKey(
        SimCard, on_delete=models.CASCADE, related_name="reveals", verbose_name=_("SIM card")
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    source = models.CharField(_("source"), max_length=10)

    class Meta:
        verbose_name = _("display of the codes")
        verbose_name_plural = _("displays of the codes")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.sim_card} — {self.by} — {self.at:%Y-%m-%d %H:%M}"


class Extension(TimeStampedModel):
    """An internal extension of the telephone system, at a desk or in a softphone."""

    number = models.CharField(
        _("extension"),
        max_length=10,
        unique=True,
        validators=[RegexValidator(r"^\d{2,10}$", _("An extension has 2 to 10 digits."))],
        error_messages={"unique": _("This extension is already recorded.")},
    )
    line = models.ForeignKey(
        Line,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="extensions",
        verbose_name=_("direct line (DID)"),
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="phone_extensions",
        verbose_name=_("person"),
    )
    site = models.ForeignKey(
        Site,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="phone_extensions",
        verbose_name=_("site"),
    )
    desk_phone = models.ForeignKey(
        Asset,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="phone_extensions",
        verbose_name=_("desk phone"),
        limit_choices_to={"asset_type__kind": AssetKind.DESK_PHONE},
    )
    softphone = models.BooleanField(
        _("softphone"), default=False, help_text=_("A softphone client on the person's computer.")
    )
    softphone_client = models.CharField(
        _("softphone client"), max_length=150, blank=True, help_text=_("Software and computer.")
    )
    notes = models.TextField(_("notes"), blank=True)

    objects = ExtensionQuerySet.as_manager()

    class Meta:
        verbose_name = _("extension")
        verbose_name_plural = _("extensions")
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.number} ({self.person})" if self.person_id else self.number

    def get_absolute_url(self) -> str:
        return reverse("telephony:extension-detail", args=[self.pk])

    @property
    def softphone_display(self) -> str:
        if not self.softphone:
            return str(_("no"))
        return self.softphone_client or str(_("yes"))


class Forwarding(TimeStampedModel):
    """The forwarding state of one line or one extension; its changes are its history."""

    line = models.OneToOneField(
        Line,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="forwarding",
        verbose_name=_("line"),
    )
    extension = models.OneToOneField(
        Extension,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="forwarding",
        verbose_name=_("extension"),
    )
    active = models.BooleanField(_("forwarded"), default=False)
    target = PhoneNumberField(_("forwarded to"), blank=True)
    since = models.DateTimeField(_("since"), null=True, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("set by"),
    )
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("forwarding")
        verbose_name_plural = _("forwardings")
        ordering = ["-since", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(line__isnull=False) & Q(extension__isnull=True))
                | (Q(line__isnull=True) & Q(extension__isnull=False)),
                name="forwarding_one_line_or_extension",
                violation_error_message=_("A forwarding is for one line or one extension."),
            ),
            models.CheckConstraint(
                condition=Q(active=False) | ~Q(target=""),
                name="forwarding_active_has_target",
                violation_error_message=_("Give the number calls are forwarded to."),
            ),
        ]

    def __str__(self) -> str:
        subject = self.line if self.line_id else self.extension
        return str(_("Forwarding of %(subject)s") % {"subject": subject})

    def get_absolute_url(self) -> str:
        subject = self.line if self.line_id else self.extension
        assert subject is not None  # noqa: S101  # the check constraint
        return subject.get_absolute_url()

    @property
    def target_display(self) -> str:
        return national_format(self.target)


class ContinuityPlan(TimeStampedModel):
    """The forwardings to set because people or sites will not answer their office lines."""

    title = models.CharField(_("title"), max_length=150)
    starts_on = models.DateField(_("from"), help_text=_("The day the offices close."))
    people = models.ManyToManyField(Person, blank=True, related_name="+", verbose_name=_("people"))
    sites = models.ManyToManyField(Site, blank=True, related_name="+", verbose_name=_("sites"))
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        verbose_name = _("continuity plan")
        verbose_name_plural = _("continuity plans")
        ordering = ["-starts_on", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("telephony:plan-detail", args=[self.pk])


class TargetSource(models.TextChoices):
    MOBILE_LINE = "mobile_line", _("The person's mobile line")
    PERSON_MOBILE = "person_mobile", _("The person's mobile number")
    SITE_FALLBACK = "site_fallback", _("The site's fallback number")
    DEPARTMENT_ON_CALL = "department_on_call", _("The department's on-call number")
    MANUAL = "manual", _("Typed in")
    NONE = "none", _("No target")


class ContinuityItem(models.Model):
    """One forwarding of a plan: this line or extension to that number, done or not."""

    plan = models.ForeignKey(
        ContinuityPlan, on_delete=models.CASCADE, related_name="items", verbose_name=_("plan")
    )
    line = models.ForeignKey(
        Line, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    extension = models.ForeignKey(
        Extension, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    person = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    site = models.ForeignKey(
        Site, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    target = PhoneNumberField(_("forward to"), blank=True)
    target_source = models.CharField(_("target from"), max_length=20, choices=TargetSource.choices)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("done by"),
    )

    class Meta:
        verbose_name = _("plan item")
        verbose_name_plural = _("plan items")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(line__isnull=False) & Q(extension__isnull=True))
                | (Q(line__isnull=True) & Q(extension__isnull=False)),
                name="continuityitem_one_line_or_extension",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {national_format(self.target) or '—'}"

    @property
    def subject(self) -> Line | Extension:
        subject = self.line if self.line_id else self.extension
        assert subject is not None  # noqa: S101  # the check constraint
        return subject

    @property
    def is_done(self) -> bool:
        return self.done_at is not None

    @property
    def target_display(self) -> str:
        return national_format(self.target)

    @property
    def current_forwarding(self) -> Forwarding | None:
        """The line's (or extension's) forwarding when it is on, whoever set it."""
        try:
            forwarding: Forwarding = self.subject.forwarding
        except Forwarding.DoesNotExist:
            return None
        return forwarding if forwarding.active and forwarding.target else None

    @property
    def forwarded_elsewhere(self) -> Forwarding | None:
        """The forwarding in force when it does not go where this item says."""
        forwarding = self.current_forwarding
        return forwarding if forwarding is not None and forwarding.target != self.target else None


class SiteFallback(TimeStampedModel):
    """The number a site's office lines go to when nobody there can answer."""

    site = models.OneToOneField(
        Site, on_delete=models.CASCADE, related_name="phone_fallback", verbose_name=_("site")
    )
    number = PhoneNumberField(_("fallback number"))
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("site fallback number")
        verbose_name_plural = _("site fallback numbers")
        ordering = [collated("site__name")]

    def __str__(self) -> str:
        return f"{self.site} → {national_format(self.number)}"

    def get_absolute_url(self) -> str:
        return reverse("telephony:fallback-detail", args=[self.pk])

    @property
    def number_display(self) -> str:
        return national_format(self.number)


class DepartmentOnCall(TimeStampedModel):
    """The number that answers for a department when its people and its site cannot: the
    last resort of a forwarding plan."""

    department = models.OneToOneField(
        Department,
        on_delete=models.CASCADE,
        related_name="phone_on_call",
        verbose_name=_("department"),
        error_messages={"unique": _("This department already has an on-call number.")},
    )
    number = PhoneNumberField(_("on-call number"))
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("department on-call number")
        verbose_name_plural = _("department on-call numbers")
        ordering = [collated("department__name")]

    def __str__(self) -> str:
        return f"{self.department} → {national_format(self.number)}"

    def get_absolute_url(self) -> str:
        return reverse("telephony:oncall-detail", args=[self.pk])

    @property
    def number_display(self) -> str:
        return national_format(self.number)


class CopperCutoff(TimeStampedModel):
    """When the incumbent operator closes the copper network in a commune."""

    commune = models.OneToOneField(
        Organisation,
        on_delete=models.CASCADE,
        related_name="copper_cutoff",
        verbose_name=_("commune"),
        limit_choices_to={"kind": OrganisationKind.COMMUNE},
        error_messages={"unique": _("This commune already has a cut-off date.")},
    )
    cutoff_date = models.DateField(_("copper closing date"))
    lot = models.CharField(_("lot or phase"), max_length=100, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("copper cut-off")
        verbose_name_plural = _("copper cut-offs")
        ordering = ["cutoff_date", "id"]

    def __str__(self) -> str:
        return f"{self.commune} — {self.cutoff_date:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return reverse("telephony:cutoff-detail", args=[self.pk])

    def clean(self) -> None:
        commune = Organisation.objects.filter(pk=self.commune_id).first()
        if commune is not None and commune.kind != OrganisationKind.COMMUNE:
            raise ValidationError({"commune": _("Choose a member commune.")})
