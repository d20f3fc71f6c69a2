"""What an inventory agent reports about an asset: its system, network and components.

Queried data gets columns (operating system, interfaces and addresses, memory, last user);
everything else an agent reports (CPUs, memory modules, disks, volumes with encryption,
monitors, batteries, antivirus, firewall, remote-control ids, …) is kept as one JSON snapshot
per asset in ``AssetInventory.sections``, for display, replaced section by section.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from regie.assets.models.fleet import Asset
from regie.core.models import TimeStampedModel


class AssetOperatingSystem(TimeStampedModel):
    """The operating system an asset runs, as its agent last reported it."""

    asset = models.OneToOneField(
        Asset,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="operating_system",
        verbose_name=_("asset"),
    )
    name = models.CharField(_("name"), max_length=150, blank=True)
    full_name = models.CharField(_("full name"), max_length=255, blank=True)
    version = models.CharField(_("version"), max_length=100, blank=True)
    build = models.CharField(_("build"), max_length=100, blank=True)
    architecture = models.CharField(_("architecture"), max_length=32, blank=True)
    install_date = models.DateTimeField(_("installed at"), null=True, blank=True)
    last_boot = models.DateTimeField(_("last boot"), null=True, blank=True)

    class Meta:
        verbose_name = _("operating system")
        verbose_name_plural = _("operating systems")
        ordering = ["name", "version"]
        indexes = [models.Index(fields=["name", "version"])]

    def __str__(self) -> str:
        return " ".join(part for part in (self.name, self.version, self.build) if part)


class NetworkInterface(TimeStampedModel):
    """A network interface of an asset; ``virtual`` ones never identify a machine."""

    asset = models.ForeignKey(
        Asset,
        on_delete=models.CASCADE,
        related_name="network_interfaces",
        verbose_name=_("asset"),
    )
    name = models.CharField(_("name"), max_length=150, blank=True)
    mac = models.CharField(_("MAC address"), max_length=17, blank=True, db_index=True)
    virtual = models.BooleanField(_("virtual"), default=False)

    class Meta:
        verbose_name = _("network interface")
        verbose_name_plural = _("network interfaces")
        ordering = ["asset", "name", "mac"]
        constraints = [
            models.UniqueConstraint(
                fields=["asset", "name", "mac"],
                name="networkinterface_unique_per_asset",
                violation_error_message=_("This asset already has this interface."),
            ),
            models.CheckConstraint(
                condition=Q(mac="") | Q(mac__regex=r"^[0-9a-f]{2}(:[0-9a-f]{2}){5}$"),
                name="networkinterface_mac_canonical",
                violation_error_message=_("A MAC address reads like 00:1a:2b:3c:4d:5e."),
            ),
        ]

    def __str__(self) -> str:
        return self.name or self.mac


class IpVersion(models.IntegerChoices):
    V4 = 4, "IPv4"
    V6 = 6, "IPv6"


class IpAddress(TimeStampedModel):
    """An address an interface had when the agent last reported."""

    interface = models.ForeignKey(
        NetworkInterface,
        on_delete=models.CASCADE,
        related_name="addresses",
        verbose_name=_("interface"),
    )
    address = models.GenericIPAddressField(_("address"), db_index=True)
    version = models.PositiveSmallIntegerField(_("version"), choices=IpVersion.choices)
    prefix_length = models.PositiveSmallIntegerField(_("prefix length"), null=True, blank=True)

    class Meta:
        verbose_name = _("IP address")
        verbose_name_plural = _("IP addresses")
        ordering = ["interface", "version", "address"]
        constraints = [
            models.UniqueConstraint(
                fields=["interface", "address"],
                name="ipaddress_unique_per_interface",
                violation_error_message=_("This interface already has this address."),
            ),
            models.CheckConstraint(
                condition=Q(version__in=[4, 6]),
                name="ipaddress_version_4_or_6",
                violation_error_message=_("An IP address is version 4 or 6."),
            ),
            models.CheckConstraint(
                condition=Q(prefix_length__isnull=True) | Q(prefix_length__lte=128),
                name="ipaddress_prefix_length_at_most_128",
                violation_error_message=_("A prefix length is at most 128."),
            ),
        ]

    def __str__(self) -> str:
        if self.prefix_length is None:
            return self.address
        return f"{self.address}/{self.prefix_length}"


def _empty_sections() -> dict[str, Any]:
    return {}


class AssetInventory(TimeStampedModel):
    """The latest agent report about an asset: who sent it, when, and what it said.

    ``sections`` maps a report section ("cpus", "volumes", "antivirus", …) to what the agent
    said, JSON-ready. A partial report replaces only the sections it carries.
    """

    asset = models.OneToOneField(
        Asset,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="inventory",
        verbose_name=_("asset"),
    )
    agent_device_id = models.CharField(_("agent device id"), max_length=255, db_index=True)
    protocol = models.CharField(_("protocol"), max_length=20)
    last_inventory_at = models.DateTimeField(_("last inventory"), null=True, blank=True)
    memory_mib = models.PositiveIntegerField(_("memory (MiB)"), null=True, blank=True)
    last_user = models.CharField(_("last user"), max_length=255, blank=True)
    sections = models.JSONField(_("reported sections"), default=_empty_sections, blank=True)
    # The fingerprint of the software list last applied and how many installations it gave:
    # while both still hold, an unchanged list is not compared row by row again.
    software_digest = models.CharField(_("software list fingerprint"), max_length=80, blank=True)
    software_count = models.PositiveIntegerField(_("installed programs"), null=True, blank=True)

    class Meta:
        verbose_name = _("asset inventory")
        verbose_name_plural = _("asset inventories")
        ordering = ["-last_inventory_at"]

    def __str__(self) -> str:
        return f"{self.asset} ({self.agent_device_id})"
