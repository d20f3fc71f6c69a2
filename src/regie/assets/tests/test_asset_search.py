import pytest

from regie.assets.models import Asset
from regie.assets.tests.factories import AssetFactory
from regie.directory.tests.factories import PersonFactory


@pytest.fixture
def fleet(db):
    holder = PersonFactory(first_name="Hélène", last_name="Boutin")
    return {
        "compta": AssetFactory(
            inventory_number="PC-000101", name="POSTE-COMPTA-01", serial_number="5CG1234XYZ"
        ),
        "accueil": AssetFactory(
            inventory_number="PC-000102",
            name="Poste accueil médiathèque",
            hardware_uuid="4C4C4544-0042-3510-8051-B7C04F4A3732",
            assigned_to=holder,
        ),
        "piscine": AssetFactory(inventory_number="PORT-000103", name="PORTABLE-PISCINE"),
    }


def names(term):
    return sorted(Asset.objects.search(term).values_list("name", flat=True))


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("compta", ["POSTE-COMPTA-01"]),
        ("poste", ["POSTE-COMPTA-01", "Poste accueil médiathèque"]),
        ("5cg1234", ["POSTE-COMPTA-01"]),
        ("b7c04f4a", ["Poste accueil médiathèque"]),
        ("000103", ["PORTABLE-PISCINE"]),
        ("médiathèque", ["Poste accueil médiathèque"]),
        ("boutin", ["Poste accueil médiathèque"]),
        ("poste compta", ["POSTE-COMPTA-01"]),
        ("01", ["PORTABLE-PISCINE", "POSTE-COMPTA-01", "Poste accueil médiathèque"]),
        ("introuvable", []),
    ],
)
def test_search_matches_substrings_of_every_searched_field(fleet, term, expected):
    assert names(term) == expected


@pytest.mark.parametrize(
    "hostile",
    ['"', '""', "'", "*", "NEAR(zz", "zz:yy", "(", ")", "^poste", "%", "_", "\\", "'; DROP"],
)
def test_search_with_query_syntax_characters_finds_nothing_and_does_not_fail(fleet, hostile):
    assert names(hostile) == []
    assert Asset.objects.count() == 3


def test_search_follows_renames_and_deletions(fleet):
    fleet["compta"].name = "POSTE-RH-02"
    fleet["compta"].save()
    assert names("compta") == []
    assert names("poste-rh") == ["POSTE-RH-02"]
    fleet["piscine"].delete()
    assert names("piscine") == []


@pytest.fixture
def territory(db):
    """Three machines told apart only by accented names, places and makes."""
    from regie.assets.tests.factories import AssetModelFactory, ManufacturerFactory
    from regie.directory.tests.factories import OrganisationFactory, SiteFactory

    sauze = SiteFactory(
        name="Maison communautaire de Sauzé", organisation=OrganisationFactory(name="Sauzé")
    )
    melle = SiteFactory(name="Médiathèque", organisation=OrganisationFactory(name="MELLE"))
    dell = AssetModelFactory(name="Latitude 5440", manufacturer=ManufacturerFactory(name="Dell"))
    return {
        "severine": AssetFactory(
            name="PORT-RH",
            inventory_number="PORT-004711",
            serial_number="7HQ2XK3",
            assigned_to=PersonFactory(first_name="Séverine", last_name="Jaulin"),
            site=melle,
            manufacturer=dell.manufacturer,
            model=dell,
        ),
        "helene": AssetFactory(
            name="PC-ACCUEIL",
            assigned_to=PersonFactory(first_name="HÉLÈNE", last_name="Morin"),
            site=sauze,
        ),
        "ecole": AssetFactory(name="TBI-ÉCOLE-Ç", site=sauze),
    }


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("Severine", ["PORT-RH"]),
        ("severine jaulin", ["PORT-RH"]),
        ("Helene", ["PC-ACCUEIL"]),
        ("hélène", ["PC-ACCUEIL"]),
        ("Sauzé", ["PC-ACCUEIL", "TBI-ÉCOLE-Ç"]),
        ("sauze", ["PC-ACCUEIL", "TBI-ÉCOLE-Ç"]),
        ("SAUZE accueil", ["PC-ACCUEIL"]),
        ("melle", ["PORT-RH"]),
        ("mediatheque", ["PORT-RH"]),
        ("Dell", ["PORT-RH"]),
        ("latitude", ["PORT-RH"]),
        ("port-004711", ["PORT-RH"]),
        ("7hq2xk3", ["PORT-RH"]),
        ("ecole-c", ["TBI-ÉCOLE-Ç"]),
        ("éc", ["TBI-ÉCOLE-Ç"]),  # under three letters: no trigram, the folded scan
    ],
)
def test_search_ignores_accents_and_case_across_people_places_and_makes(territory, term, expected):
    assert names(term) == expected


def test_search_index_follows_accented_renames(territory):
    territory["ecole"].name = "TBI-Élémentaire"
    territory["ecole"].save()
    assert names("elementaire") == ["TBI-Élémentaire"]
    assert names("ecole") == []


def test_asset_list_and_api_search_fold_accents(client, technician, territory):
    from django.urls import reverse

    from regie.core.testing import bearer_client

    client.force_login(technician)
    page = client.get(reverse("assets:asset-list"), {"q": "Severine"})
    assert [row.obj.name for row in page.context["rows"]] == ["PORT-RH"]
    api = bearer_client(technician).get("/api/v1/assets/", {"q": "sauze"})
    assert sorted(asset["name"] for asset in api.json()["results"]) == [
        "PC-ACCUEIL",
        "TBI-ÉCOLE-Ç",
    ]
