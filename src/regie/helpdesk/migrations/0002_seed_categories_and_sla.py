"""Seed the categories (with a few children) and the SLA targets; both are admin-editable.

Reversible: going back deletes the seeded rows that no ticket uses.
"""

from django.db import migrations

CATEGORIES = {
    "Poste de travail": ["Lenteur", "Panne matérielle", "Installation"],
    "Imprimante": ["Bourrage", "Toner", "Impression impossible"],
    "Téléphonie": ["Poste fixe", "Mobile", "Renvoi d'appel"],
    "Réseau": ["Wi-Fi", "Accès internet", "VPN"],
    "Logiciel métier": ["Finances", "Ressources humaines", "État civil"],
    "Messagerie / Office 365": ["Messagerie", "Teams", "OneDrive / SharePoint"],
    "Compte et accès": ["Mot de passe", "Nouvel arrivant", "Droits d'accès"],
    "Équipement scolaire": ["TBI / VPI", "Tablettes", "Salle informatique"],
    "Autre": [],
}

# priority: (first response, resolution) in working minutes; a working day is 7.5 hours.
SLA = {1: (60, 240), 2: (120, 900), 3: (240, 1350), 4: (450, 2250), 5: (1350, 4500)}


def seed(apps, schema_editor):
    Category = apps.get_model("helpdesk", "Category")
    SlaTarget = apps.get_model("helpdesk", "SlaTarget")
    for name, children in CATEGORIES.items():
        parent = Category.objects.create(name=name)
        for child in children:
            Category.objects.create(name=child, parent=parent)
    for priority, (response, resolution) in SLA.items():
        SlaTarget.objects.create(
            priority=priority, first_response_minutes=response, resolution_minutes=resolution
        )


def unseed(apps, schema_editor):
    Category = apps.get_model("helpdesk", "Category")
    SlaTarget = apps.get_model("helpdesk", "SlaTarget")
    SlaTarget.objects.all().delete()
    Category.objects.filter(parent__isnull=False, tickets__isnull=True).delete()
    Category.objects.filter(children__isnull=True, tickets__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("helpdesk", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
