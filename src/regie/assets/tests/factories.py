import factory

from regie.assets.models import (
    Asset,
    AssetModel,
    AssetStatus,
    AssetType,
    Contract,
    ContractKind,
    Manufacturer,
    Supplier,
)


class AssetTypeFactory(factory.django.DjangoModelFactory):
    """The seeded desktop type, so tests share the migration's catalogue."""

    class Meta:
        model = AssetType
        django_get_or_create = ("prefix",)

    name = "Poste fixe"
    kind = "desktop"
    prefix = "PC"


class ManufacturerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Manufacturer

    name = factory.Sequence(lambda n: f"Fabricant {n}")


class AssetModelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AssetModel

    manufacturer = factory.SubFactory(ManufacturerFactory)
    name = factory.Sequence(lambda n: f"Modèle {n}")


class SupplierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Supplier

    name = factory.Sequence(lambda n: f"Fournisseur {n}")


class ContractFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contract

    name = factory.Sequence(lambda n: f"Contrat {n}")
    kind = ContractKind.MAINTENANCE
    supplier = factory.SubFactory(SupplierFactory)
    start_date = factory.Faker("date_between", start_date="-3y", end_date="-1y")


class AssetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Asset

    inventory_number = factory.Sequence(lambda n: f"PC-{n + 900000:06d}")
    name = factory.Sequence(lambda n: f"POSTE-{n:04d}")
    asset_type = factory.SubFactory(AssetTypeFactory)
    status = AssetStatus.IN_SERVICE


_RELATIONS = {
    "asset_type",
    "manufacturer",
    "model",
    "site",
    "room",
    "assigned_to",
    "department",
    "supplier",
    "contract",
}


def asset_form_data(asset=None, **changes):
    """A complete POST body for the asset form, from ``asset`` (or empty) plus ``changes``."""
    data = {
        "inventory_number": "",
        "name": "",
        "asset_type": AssetTypeFactory().pk,
        "manufacturer": "",
        "model": "",
        "serial_number": "",
        "hardware_uuid": "",
        "status": AssetStatus.IN_SERVICE,
        "site": "",
        "room": "",
        "assigned_to": "",
        "department": "",
        "purchase_date": "",
        "purchase_price": "",
        "supplier": "",
        "order_reference": "",
        "warranty_end": "",
        "contract": "",
        "notes": "",
    }
    if asset is not None:
        for name in data:
            value = getattr(asset, f"{name}_id", None) if name in _RELATIONS else None
            data[name] = value if name in _RELATIONS else getattr(asset, name)
        data = {key: "" if value is None else value for key, value in data.items()}
    data.update(changes)
    return data
