"""Compliance: the thresholds an administrator sets, and the findings the sweep keeps.

A finding is one rule failing on one asset. It stays open while the rule keeps failing
(``last_seen`` moves on each sweep) and is *resolved*, never deleted, when the rule passes
again. If the problem comes back later, a new finding is opened: the old one keeps its
dates, so the history of a machine shows each episode.
"""

from __future__ import annotations

from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from regie.assets.models import Asset
from regie.core.events import Severity
from regie.core.models import TimeStampedModel

MAX_DAYS = 3650


class RuleCode(models.TextChoices):
    OS_END_OF_SUPPORT = "os_end_of_support", _("Operating system past end of support")
    OS_END_OF_SUPPORT_SOON = "os_end_of_support_soon", _("Operating system end of support near")
    OS_UPDATES = "os_updates", _("No operating system update")
    ANTIVIRUS = "antivirus", _("Antivirus disabled or out of date")
    FIREWALL = "firewall", _("Firewall off")
    DISK_ENCRYPTION = "disk_encryption", _("Laptop disk not encrypted")
    INVENTORY_STALE = "inventory_stale", _("No recent inventory")
    WARRANTY_ENDING = "warranty_ending", _("Warranty ending")
    WARRANTY_EXPIRED = "warranty_expired", _("Warranty expired")


def _days(label: Any, default: int, help_text: Any) -> models.PositiveIntegerField[Any, Any]:
    return models.PositiveIntegerField(
        label,
        default=default,
        help_text=help_text,
        validators=[
            MinValueValidator(1, _("Enter a number of days of at least 1.")),
            MaxValueValidator(MAX_DAYS, _("Enter a number of days of at most 3650.")),
        ],
    )


class ComplianceSettings(TimeStampedModel):
    """The one set of thresholds and switches the sweep uses (a single row, ``pk=1``)."""

    eol_warning_days = _days(
        _("warn before end of support (days)"),
        90,
        _("How long before an operating system's end of support to warn."),
    )
    update_max_age_days = _days(
        _("longest time without an update (days)"),
        45,
        _("Days since the last installed update after which a machine is reported."),
    )
    inventory_max_age_days = _days(
        _("longest time without an inventory (days)"),
        30,
        _("Days since the last agent report after which a machine is reported."),
    )
    warranty_warning_days = _days(
        _("warn before the end of warranty (days)"),
        60,
        _("How long before the end of warranty to warn."),
    )
    max_events_per_sweep = models.PositiveIntegerField(
        _("individual alerts per sweep"),
        default=5,
        help_text=_("New serious findings announced one by one; beyond, one summary."),
        validators=[
            MinValueValidator(0, _("Enter a number of at least 0.")),
            MaxValueValidator(100, _("Enter a number of at most 100.")),
        ],
    )
    os_end_of_support_enabled = models.BooleanField(
        _("check operating system support"), default=True
    )
    os_updates_enabled = models.BooleanField(_("check operating system updates"), default=True)
    antivirus_enabled = models.BooleanField(_("check antivirus"), default=True)
    firewall_enabled = models.BooleanField(_("check firewall"), default=True)
    disk_encryption_enabled = models.BooleanField(_("check laptop disk encryption"), default=True)
    inventory_stale_enabled = models.BooleanField(_("check inventory freshness"), default=True)
    warranty_enabled = models.BooleanField(_("check warranty"), default=True)

    class Meta:
        verbose_name = _("compliance settings")
        verbose_name_plural = _("compliance settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(pk=1),
                name="compliancesettings_single_row",
                violation_error_message=_("There is only one set of compliance settings."),
            ),
            models.CheckConstraint(
                condition=Q(eol_warning_days__gte=1, eol_warning_days__lte=MAX_DAYS)
                & Q(update_max_age_days__gte=1, update_max_age_days__lte=MAX_DAYS)
                & Q(inventory_max_age_days__gte=1, inventory_max_age_days__lte=MAX_DAYS)
                & Q(warranty_warning_days__gte=1, warranty_warning_days__lte=MAX_DAYS),
                name="compliancesettings_days_in_range",
                violation_error_message=_("Numbers of days are between 1 and 3650."),
            ),
        ]

    def __str__(self) -> str:
        return str(_("Compliance settings"))

    def get_absolute_url(self) -> str:
        return reverse("compliance:settings")

    @classmethod
    def load(cls) -> ComplianceSettings:
        """The settings row, created with the defaults the first time it is needed."""
        settings, _created = cls.objects.get_or_create(pk=1)
        return settings


class FindingQuerySet(models.QuerySet["Finding"]):
    def open(self) -> FindingQuerySet:
        return self.filter(resolved_at__isnull=True)

    def for_list(self) -> FindingQuerySet:
        return self.select_related("asset", "asset__asset_type", "asset__site")


class Finding(TimeStampedModel):
    """One rule failing on one asset, from the sweep that first saw it until it is fixed."""

    asset = models.ForeignKey(
        Asset, on_delete=models.CASCADE, related_name="findings", verbose_name=_("asset")
    )
    rule = models.CharField(_("rule"), max_length=40, choices=RuleCode.choices)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    reason = models.TextField(_("reason"))
    details = models.JSONField(_("details"), default=dict, blank=True)
    first_seen = models.DateTimeField(_("first seen"))
    last_seen = models.DateTimeField(_("last seen"))
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    objects = FindingQuerySet.as_manager()

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["-first_seen", "pk"]
        indexes = [
            models.Index(fields=["resolved_at", "rule", "severity"]),
            models.Index(fields=["first_seen"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["asset", "rule"],
                condition=Q(resolved_at__isnull=True),
                name="finding_one_open_per_asset_and_rule",
                violation_error_message=_("This asset already has an open finding for this rule."),
            ),
            models.CheckConstraint(
                condition=Q(severity__in=[s.value for s in Severity]),
                name="finding_severity_known",
                violation_error_message=_("Unknown severity."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.asset} — {self.get_rule_display()}"

    def get_absolute_url(self) -> str:
        return reverse("compliance:finding-detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None
