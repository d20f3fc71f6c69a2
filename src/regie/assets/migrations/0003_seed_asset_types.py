"""The thirteen asset types every installation starts with (renamable, not required)."""

from django.db import migrations

TYPES = [
    ("Poste fixe", "desktop", "PC"),
    ("Ordinateur portable", "laptop", "PORT"),
    ("Serveur", "server", "SRV"),
    ("Machine virtuelle", "virtual_machine", "VM"),
    ("Équipement réseau", "network_device", "NET"),
    ("Imprimante", "printer", "IMP"),
    ("Téléphone fixe", "desk_phone", "TEL"),
    ("Téléphone mobile", "mobile_phone", "MOB"),
    ("Tablette", "tablet", "TAB"),
    ("Tableau numérique interactif", "interactive_whiteboard", "TNI"),
    ("Périphérique", "peripheral", "PER"),
    ("Onduleur", "ups", "OND"),
    ("Autre", "other", "DIV"),
]


def seed(apps, schema_editor):
    AssetType = apps.get_model("assets", "AssetType")
    for name, kind, prefix in TYPES:
        AssetType.objects.get_or_create(kind=kind, prefix=prefix, defaults={"name": name})


def unseed(apps, schema_editor):
    AssetType = apps.get_model("assets", "AssetType")
    AssetType.objects.filter(prefix__in=[prefix for _, _, prefix in TYPES], assets=None).delete()


class Migration(migrations.Migration):
    dependencies = [("assets", "0002_initial")]
    operations = [migrations.RunPython(seed, unseed)]
