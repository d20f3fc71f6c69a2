"""The fleet: asset types, manufacturers and models, suppliers, contracts and assets."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from regie.assets.querysets import AssetQuerySet
from regie.core.collation import collated
from regie.core.models import TimeStampedModel
from regie.directory.models import Department, Person, Room, Site


class AssetKind(models.TextChoices):
    DESKTOP = "desktop", _("Desktop computer")
    LAPTOP = "laptop", _("Laptop")
    SERVER = "server", _("Server")
    VIRTUAL_MACHINE = "virtual_machine", _("Virtual machine")
    NETWORK_DEVICE = "network_device", _("Network device")
    PRINTER = "printer", _("Printer")
    DESK_PHONE = "desk_phone", _("Desk phone")
    MOBILE_PHONE = "mobile_phone", _("Mobile phone")
    TABLET = "tablet", _("Tablet")
    INTERACTIVE_WHITEBOARD = "interactive_whiteboard", _("Interactive whiteboard")
    PERIPHERAL = "peripheral", _("Peripheral")
    UPS = "ups", _("UPS")
    OTHER = "other", _("Other")


class AssetType(TimeStampedModel):
    """A kind of equipment; its prefix starts the inventory numbers of its assets."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=AssetKind.choices)
    prefix = models.CharField(
        _("inventory prefix"),
        max_length=8,
        unique=True,
        validators=[
            RegexValidator(r"^[A-Z0-9]{2,8}$", _("2 to 8 capital letters or digits, e.g. PC."))
        ],
    )

    class Meta:
        verbose_name = _("asset type")
        verbose_name_plural = _("asset types")
        ordering = [collated("name")]

    def __str__(self) -> str:
        return self.name


class Manufacturer(TimeStampedModel):
    """A maker of equipment (Dell, HP, Lenovo, Yealink…)."""

    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("manufacturer")
        verbose_name_plural = _("manufacturers")
        ordering = [collated("name")]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="manufacturer_unique_name",
                violation_error_message=_("This manufacturer already exists."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class AssetModel(TimeStampedModel):
    """A product model of a manufacturer (OptiPlex 7010, LaserJet M404…)."""

    manufacturer = models.ForeignKey(
        Manufacturer,
        on_delete=models.PROTECT,
        related_name="models",
        verbose_name=_("manufacturer"),
    )
    name = models.CharField(_("name"), max_length=150)
    asset_type = models.ForeignKey(
        AssetType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="models",
        verbose_name=_("asset type"),
    )

    class Meta:
        verbose_name = _("model")
        verbose_name_plural = _("models")
        ordering = [collated("manufacturer__name"), collated("name")]
        constraints = [
            models.UniqueConstraint(
                fields=["manufacturer", "name"],
                name="assetmodel_unique_name_per_manufacturer",
                violation_error_message=_("This manufacturer already has a model with this name."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.manufacturer} {self.name}"


class Supplier(TimeStampedModel):
    """A company the organisation buys from or has contracts with."""

    name = models.CharField(_("name"), max_length=150)
    siret = models.CharField(
        _("SIRET"),
        max_length=14,
        blank=True,
        validators=[RegexValidator(r"^\d{14}$", _("A SIRET number has 14 digits."))],
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    website = models.URLField(_("website"), blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("supplier")
        verbose_name_plural = _("suppliers")
        ordering = [collated("name")]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="supplier_unique_name",
                violation_error_message=_("A supplier with this name already exists."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("assets:supplier-detail", args=[self.pk])


class ContractKind(models.TextChoices):
    MAINTENANCE = "maintenance", _("Maintenance")
    LEASING = "leasing", _("Leasing")
    WARRANTY = "warranty", _("Warranty extension")
    SUPPORT = "support", _("Support")
    LICENCE = "licence", _("Software licence")
    TELECOM = "telecom", _("Telecoms")
    HOSTING = "hosting", _("Hosting")
    OTHER = "other", _("Other")


class Contract(TimeStampedModel):
    """A contract with a supplier: maintenance, leasing, licences, telecoms, hosting."""

    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=20, choices=ContractKind.choices)
    supplier = models.ForeignKey(
        Supplier, on_delete=models.PROTECT, related_name="contracts", verbose_name=_("supplier")
    )
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    notice_period_days = models.PositiveIntegerField(
        _("notice period (days)"), default=0, help_text=_("How long before the end to give notice.")
    )
    yearly_cost = models.DecimalField(
        _("yearly cost (€)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        ordering = [collated("name")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="contract_ends_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            models.CheckConstraint(
                condition=Q(yearly_cost__isnull=True) | Q(yearly_cost__gte=0),
                name="contract_cost_not_negative",
                violation_error_message=_("The yearly cost cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("assets:contract-detail", args=[self.pk])


class AssetStatus(models.TextChoices):
    STOCK = "stock", _("In stock")
    IN_SERVICE = "in_service", _("In service")
    ON_LOAN = "on_loan", _("On loan")
    IN_REPAIR = "in_repair", _("In repair")
    RETIRED = "retired", _("Retired")
    LOST = "lost", _("Lost or stolen")


class Asset(TimeStampedModel):
    """One piece of equipment of the fleet, wherever it stands and whoever uses it."""

    inventory_number = models.CharField(
        _("inventory number"),
        max_length=30,
        unique=True,
        blank=True,
        help_text=_("Given automatically when left empty."),
        error_messages={"unique": _("Another asset already has this inventory number.")},
    )
    name = models.CharField(_("name"), max_length=150, db_index=True)
    asset_type = models.ForeignKey(
        AssetType, on_delete=models.PROTECT, related_name="assets", verbose_name=_("type")
    )
    manufacturer = models.ForeignKey(
        Manufacturer,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assets",
        verbose_name=_("manufacturer"),
    )
    model = models.ForeignKey(
        AssetModel,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assets",
        verbose_name=_("model"),
    )
    serial_number = models.CharField(_("serial number"), max_length=100, blank=True)
    hardware_uuid = models.CharField(_("hardware UUID"), max_length=64, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=AssetStatus.choices, default=AssetStatus.STOCK
    )
    site = models.ForeignKey(
        Site,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assets",
        verbose_name=_("site"),
    )
    room = models.ForeignKey(
        Room,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assets",
        verbose_name=_("room"),
    )
    assigned_to = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assets",
        verbose_name=_("assigned to"),
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assets",
        verbose_name=_("department"),
    )
    purchase_date = models.DateField(_("purchase date"), null=True, blank=True)
    purchase_price = models.DecimalField(
        _("purchase price (€)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    supplier = models.ForeignKey(
        Supplier,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assets",
        verbose_name=_("supplier"),
    )
    order_reference = models.CharField(_("order reference"), max_length=100, blank=True)
    warranty_end = models.DateField(_("end of warranty"), null=True, blank=True)
    contract = models.ForeignKey(
        Contract,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assets",
        verbose_name=_("contract"),
    )
    notes = models.TextField(_("notes"), blank=True)
    locked_fields = models.JSONField(
        _("fields locked against inventory"),
        default=list,
        blank=True,
        editable=False,  # set by the edit services, shown and unlocked on the asset page
        help_text=_("Fields edited by hand, which inventory agents never overwrite."),
    )

    objects = AssetQuerySet.as_manager()

    class Meta:
        verbose_name = _("asset")
        verbose_name_plural = _("assets")
        ordering = ["inventory_number"]
        indexes = [
            models.Index(fields=["status", "inventory_number"]),
            models.Index(fields=["serial_number"]),
            models.Index(fields=["hardware_uuid"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["manufacturer", "serial_number"],
                condition=~Q(serial_number=""),
                name="asset_unique_serial_per_manufacturer",
                violation_error_message=_(
                    "This manufacturer already has an asset with this serial number."
                ),
            ),
            models.UniqueConstraint(
                Lower("hardware_uuid"),
                condition=~Q(hardware_uuid=""),
                name="asset_unique_hardware_uuid",
                violation_error_message=_("Another asset already has this hardware UUID."),
            ),
            models.CheckConstraint(
                condition=Q(purchase_price__isnull=True) | Q(purchase_price__gte=0),
                name="asset_price_not_negative",
                violation_error_message=_("The purchase price cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.inventory_number} {self.name}".strip()

    def get_absolute_url(self) -> str:
        return reverse("assets:asset-detail", args=[self.pk])

    def is_locked(self, field_name: str) -> bool:
        """Whether a person edited ``field_name`` by hand, so inventory must leave it alone."""
        return field_name in self.locked_fields

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if not isinstance(self.locked_fields, list) or not all(
            isinstance(name, str) for name in self.locked_fields
        ):
            errors["locked_fields"] = str(_("Locked fields must be a list of field names."))
        model, room = self.model, self.room
        if model is not None and self.manufacturer_id is None:
            self.manufacturer_id = model.manufacturer_id
        if model is not None and model.manufacturer_id != self.manufacturer_id:
            errors["model"] = str(_("This model belongs to another manufacturer."))
        if room is not None and room.site_id != self.site_id:
            errors["room"] = str(_("This room is not in the asset's site."))
        if errors:
            raise ValidationError(errors)
