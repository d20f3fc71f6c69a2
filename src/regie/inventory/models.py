"""The inventory inbox: agents, the reports they sent, and what was refused at the door.

A report is stored raw (zlib-compressed) and committed before the agent gets its 2xx; the
background task parses and applies it later. A refused body is never stored: only a counter
per (source, reason) remembers it, for the inventory activity page.
"""

from __future__ import annotations

import zlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from regie.core.models import TimeStampedModel
from regie.inventory.report import Protocol


class AgentProtocol(models.TextChoices):
    GLPI_JSON = Protocol.GLPI_JSON.value, _("GLPI Agent (JSON)")
    FUSION_XML = Protocol.FUSION_XML.value, _("FusionInventory (XML)")
    OCS_XML = Protocol.OCS_XML.value, _("OCS Inventory (XML)")


class Agent(TimeStampedModel):
    """One agent install, identified by its deviceid (not a machine: see protocols.md)."""

    device_id = models.CharField(_("device id"), max_length=255, unique=True)
    protocol = models.CharField(_("protocol"), max_length=16, choices=AgentProtocol.choices)
    name = models.CharField(_("agent name"), max_length=100, blank=True)
    version = models.CharField(_("agent version"), max_length=50, blank=True)
    glpi_agent_id = models.CharField(_("GLPI-Agent-ID"), max_length=64, blank=True)
    last_address = models.GenericIPAddressField(_("last address"), null=True, blank=True)
    first_seen = models.DateTimeField(_("first seen"), default=timezone.now)
    last_seen = models.DateTimeField(_("last seen"), default=timezone.now, db_index=True)
    approved = models.BooleanField(
        _("approved"),
        default=True,
        help_text=_("Reports of an agent that is not approved are kept but not processed."),
    )
    report_count = models.PositiveIntegerField(_("reports received"), default=0)
    # The asset this agent speaks for (see ``regie.inventory.trust``): the one it first
    # inventoried, or the one a technician re-bound to it.
    asset = models.OneToOneField(
        "assets.Asset",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inventory_agent",
        verbose_name=_("bound asset"),
    )
    bound_at = models.DateTimeField(_("bound at"), null=True, blank=True)

    class Meta:
        verbose_name = _("agent")
        verbose_name_plural = _("agents")
        ordering = ["-last_seen"]

    def __str__(self) -> str:
        return self.device_id


class ReportStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    PROCESSED = "processed", _("Processed")
    FAILED = "failed", _("Failed")
    HELD = "held", _("Held: conflict")
    REJECTED = "rejected", _("Rejected")


# Statuses a report's processing never leaves by itself (a held one waits for a technician).
SETTLED_STATUSES = (ReportStatus.PROCESSED, ReportStatus.HELD, ReportStatus.REJECTED)


class ReceivedReport(TimeStampedModel):
    """An inventory as an agent sent it, waiting for or done with processing."""

    agent = models.ForeignKey(
        Agent, on_delete=models.CASCADE, related_name="reports", verbose_name=_("agent")
    )
    protocol = models.CharField(_("protocol"), max_length=16, choices=AgentProtocol.choices)
    # zlib (RFC 1950) of the decompressed body; ``body_sha256`` is the hash of the latter.
    body = models.BinaryField(_("body (zlib)"))
    body_sha256 = models.CharField(_("SHA-256 of the body"), max_length=64)
    body_size = models.PositiveIntegerField(_("decompressed size"))
    partial = models.BooleanField(_("partial inventory"), default=False)
    remote_address = models.GenericIPAddressField(_("sent from"), null=True, blank=True)
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.RECEIVED
    )
    error = models.TextField(_("error"), blank=True)
    processed_at = models.DateTimeField(_("processed at"), null=True, blank=True)
    # Worker time spent on this report: decompress, parse and apply (a commit shared with
    # the other reports of its batch not included).
    processing_ms = models.FloatField(_("processing time (ms)"), null=True, blank=True)
    matched_rule = models.CharField(_("matched rule"), max_length=100, blank=True)
    # A held report: the bound agent and the newcomer side by side (``trust._conflict``).
    conflict = models.JSONField(_("conflict"), default=dict, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    asset = models.ForeignKey(
        "assets.Asset",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inventory_reports",
        verbose_name=_("asset"),
    )

    class Meta:
        verbose_name = _("received report")
        verbose_name_plural = _("received reports")
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["agent", "body_sha256"], name="inventory_report_unique_body_per_agent"
            ),
        ]
        indexes = [
            models.Index(fields=["-received_at"], name="inventory_report_received"),
            models.Index(fields=["status", "-received_at"], name="inventory_report_status"),
            models.Index(fields=["agent", "-received_at"], name="inventory_report_agent"),
        ]

    def __str__(self) -> str:
        return f"{self.agent_id} {self.received_at:%Y-%m-%d %H:%M:%S} ({self.status})"

    def decompressed_body(self) -> bytes:
        return zlib.decompress(bytes(self.body))


class RefusalReason(models.TextChoices):
    TOO_LARGE = "too_large", _("Body too large")
    COMPRESSION_BOMB = "compression_bomb", _("Compression ratio too high")
    TRUNCATED = "truncated", _("Truncated or corrupt compressed body")
    MALFORMED = "malformed", _("Not a well-formed agent message")
    HOSTILE = "hostile", _("Hostile content")
    UNSUPPORTED = "unsupported", _("Unsupported message")
    BAD_CREDENTIALS = "bad_credentials", _("Wrong credentials")
    NETWORK = "network", _("Address not allowed")


class Refusal(TimeStampedModel):
    """How many bodies one source (device id, else address) had refused for one reason."""

    source = models.CharField(_("device id or address"), max_length=255)
    reason = models.CharField(_("reason"), max_length=32, choices=RefusalReason.choices)
    count = models.PositiveIntegerField(_("count"), default=0)
    last_at = models.DateTimeField(_("last refused at"), default=timezone.now)
    last_address = models.GenericIPAddressField(_("last address"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("refusal")
        verbose_name_plural = _("refusals")
        ordering = ["-last_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "reason"], name="inventory_refusal_unique_source_reason"
            ),
        ]
        indexes = [models.Index(fields=["-last_at"], name="inventory_refusal_last")]

    def __str__(self) -> str:
        return f"{self.source}: {self.get_reason_display()} × {self.count}"
