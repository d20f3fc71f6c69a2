"""The software catalogue: software → versions → installations on assets.

The catalogue is shared by every asset: a version of a program is one row however many
machines run it, so "which machines run Firefox 128" is one indexed join. Catalogue rows are
identified by normalised natural keys (``normalise_software_text``) so "Mozilla Firefox" and
"mozilla  firefox" reported by two agents are one program.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from regie.assets.models.fleet import Asset
from regie.core.collation import collated
from regie.core.models import TimeStampedModel

SOFTWARE_NAME_LENGTH = 255
SOFTWARE_VERSION_LENGTH = 100
SOFTWARE_ARCHITECTURE_LENGTH = 32


def normalise_software_text(value: str | None, *, length: int = SOFTWARE_NAME_LENGTH) -> str:
    """The comparison form of a name or publisher: case-folded, spaces collapsed, bounded."""
    if not value:
        return ""
    return " ".join(value.split()).casefold()[:length]


class Software(TimeStampedModel):
    """A program as publishers name it, whatever its version."""

    name = models.CharField(_("name"), max_length=SOFTWARE_NAME_LENGTH)
    publisher = models.CharField(_("publisher"), max_length=SOFTWARE_NAME_LENGTH, blank=True)
    normalized_name = models.CharField(
        _("normalised name"), max_length=SOFTWARE_NAME_LENGTH, editable=False
    )
    normalized_publisher = models.CharField(
        _("normalised publisher"), max_length=SOFTWARE_NAME_LENGTH, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("software")
        verbose_name_plural = _("software")
        ordering = [collated("name"), "publisher"]
        constraints = [
            models.UniqueConstraint(
                fields=["normalized_name", "normalized_publisher"],
                name="software_unique_name_per_publisher",
                violation_error_message=_("This publisher already has software with this name."),
            ),
            models.CheckConstraint(
                condition=~models.Q(normalized_name=""),
                name="software_name_not_empty",
                violation_error_message=_("Software needs a name."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class SoftwareVersion(TimeStampedModel):
    """One version of a program for one architecture; empty text means "not reported"."""

    software = models.ForeignKey(
        Software, on_delete=models.CASCADE, related_name="versions", verbose_name=_("software")
    )
    version = models.CharField(_("version"), max_length=SOFTWARE_VERSION_LENGTH, blank=True)
    architecture = models.CharField(
        _("architecture"), max_length=SOFTWARE_ARCHITECTURE_LENGTH, blank=True
    )

    class Meta:
        verbose_name = _("software version")
        verbose_name_plural = _("software versions")
        ordering = ["software", "version", "architecture"]
        constraints = [
            models.UniqueConstraint(
                fields=["software", "version", "architecture"],
                name="softwareversion_unique_per_software",
                violation_error_message=_("This version of the software already exists."),
            )
        ]

    def __str__(self) -> str:
        return " ".join(part for part in (self.software.name, self.version) if part)


class SoftwareInstallation(TimeStampedModel):
    """A version of a program installed on an asset, as its inventory agent last said."""

    asset = models.ForeignKey(
        Asset,
        on_delete=models.CASCADE,
        related_name="software_installations",
        verbose_name=_("asset"),
    )
    # The foreign key's own index answers "which assets run this version"; the unique
    # constraint (asset first) answers "what does this asset run".
    version = models.ForeignKey(
        SoftwareVersion,
        on_delete=models.PROTECT,
        related_name="installations",
        verbose_name=_("version"),
    )
    install_date = models.DateField(_("installed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("software installation")
        verbose_name_plural = _("software installations")
        ordering = ["asset", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["asset", "version"],
                name="softwareinstallation_unique_per_asset",
                violation_error_message=_("This version is already installed on this asset."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.version} @ {self.asset}"
