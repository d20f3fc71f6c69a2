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
