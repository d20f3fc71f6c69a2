import datetime

import factory

from regie.assets.models import AssetStatus, AssetType
from regie.assets.tests.factories import AssetFactory
from regie.telework.models import Charter, RemoteAccess


def asset_type(name, kind, prefix):
    return AssetType.objects.get_or_create(prefix=prefix, defaults={"name": name, "kind": kind})[0]


def laptop_type():
    return asset_type("Ordinateur portable", "laptop", "PORT")


def headset_type():
    return asset_type("Casque", "peripheral", "CAS")


def webcam_type():
    return asset_type("Webcam", "peripheral", "WEB")


class PoolLaptopFactory(AssetFactory):
    """A laptop of the lending pool, in stock."""

    inventory_number = factory.Sequence(lambda n: f"PORT-{n + 800000:06d}")
    name = factory.Sequence(lambda n: f"PRET-{n:03d}")
    asset_type = factory.LazyFunction(laptop_type)  # type: ignore[assignment]  # the seeded type, not a new one
    status = AssetStatus.STOCK


class CharterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Charter

    version = factory.Sequence(lambda n: f"1.{n}")
    effective_date = datetime.date(2026, 1, 1)
    text = "Le matériel prêté reste la propriété de la communauté de communes."


class RemoteAccessFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RemoteAccess

    mfa_enrolled = True
    office365_licence = True
    recorded_on = datetime.date(2026, 11, 2)
    source = "Console Microsoft 365"
