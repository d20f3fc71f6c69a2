"""The main menu, grouped by area, and the compact header: what each role sees."""

import pytest
from django.urls import reverse
from lxml import html  # type: ignore[import-untyped]  # lxml ships no type stubs

pytestmark = pytest.mark.django_db

IT_TEAM_MENU = [
    ("Parc", ["Équipements", "Fournisseurs", "Contrats", "Catalogue", "Inventaire"]),
    ("Exploitation", ["Aujourd'hui", "Continuité", "Contrôles", "Conformité", "Alertes"]),
    ("Support", ["Tickets"]),
    ("Terrain", ["Interventions", "Tournées", "Sites", "Carte des sites"]),
    ("Télétravail", ["Prêts"]),
    ("Téléphonie", ["Lignes"]),
    ("Administration", ["Personnes", "Services", "Organisations"]),
]
# Administrators also set up the directory sources.
ADMIN_MENU = [
    *IT_TEAM_MENU[:-1],
    ("Administration", ["Personnes", "Services", "Organisations", "Sources d'annuaire"]),
]
MENUS = {
    "admin_user": ADMIN_MENU,
    "technician": IT_TEAM_MENU,
    "reader": IT_TEAM_MENU,
    "correspondent": [
        ("Parc", ["Équipements"]),
        ("Exploitation", ["Aujourd'hui", "Contrôles", "Conformité"]),
        ("Support", ["Mes demandes"]),
        ("Terrain", ["Interventions", "Sites", "Carte des sites"]),
        ("Télétravail", ["Prêts"]),
        ("Téléphonie", ["Lignes"]),
        ("Administration", ["Personnes"]),
    ],
    "staff_user": [
        ("Parc", ["Équipements"]),
        ("Support", ["Mes demandes"]),
        ("Télétravail", ["Prêts"]),
        ("Téléphonie", ["Lignes"]),
    ],
}


def menu_of(response):
    """The menu as the page shows it: (area, [links]) in order, read from the HTML."""
    tree = html.fromstring(response.content)
    (nav,) = tree.xpath("//nav[@id='mainnav']")
    areas = []
    for area in nav.xpath(".//li[@class='nav-area']"):
        (label,) = area.xpath("./span[@class='nav-area-label']")
        (links,) = area.xpath("./ul")
        assert links.get("aria-labelledby") == label.get("id")
        areas.append(
            (label.text_content().strip(), [a.text_content() for a in links.xpath(".//a")])
        )
    return nav.xpath(".//li[@class='nav-home']/a")[0].text_content(), areas


@pytest.mark.parametrize("persona", sorted(MENUS))
def test_each_role_sees_only_its_areas(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    home, areas = menu_of(client.get(reverse("home")))
    assert home == "Accueil"
    assert areas == MENUS[persona]


def test_areas_are_named_in_english_too(client, technician):
    client.force_login(technician)
    client.cookies["django_language"] = "en"
    home, areas = menu_of(client.get(reverse("home")))
    assert (home, [label for label, _links in areas]) == (
        "Home",
        ["Fleet", "Operations", "Support", "Field", "Telework", "Telephony", "Administration"],
    )


def test_the_current_entry_and_its_area_are_marked(client, technician):
    client.force_login(technician)
    response = client.get(reverse("telephony:operator-list"))
    tree = html.fromstring(response.content)
    assert tree.xpath("//nav[@id='mainnav']//a[@aria-current='page']/text()") == ["Lignes"]
    groups = response.context["nav_groups"]
    assert [group.label for group in groups if group.current] == ["Téléphonie"]


def test_account_menu_holds_language_tokens_and_log_out(client, staff_user):
    client.force_login(staff_user)
    tree = html.fromstring(client.get(reverse("home")).content)
    (menu,) = tree.xpath("//header//details[@class='account-menu']")
    assert " ".join(menu.xpath("./summary")[0].text_content().split()) == f"Compte {staff_user}"
    assert menu.xpath(".//select[@name='language']/option/@lang") == ["fr", "en"]
    assert menu.xpath(".//a/@href") == [reverse("accounts:security"), reverse("tokens:token-list")]
    assert menu.xpath(".//form/@action") == [reverse("set_language"), reverse("logout")]
    # Nothing of the account stays in the bar itself: it folds into the menu.
    assert tree.xpath("//header/form") == []


def test_anonymous_visitor_gets_the_language_switch_and_no_menu(client):
    tree = html.fromstring(client.get(reverse("login")).content)
    (menu,) = tree.xpath("//header//details[@class='account-menu']")
    assert menu.xpath("./summary")[0].text_content().strip() == "Langue"
    assert menu.xpath(".//form/@action") == [reverse("set_language")]
    assert tree.xpath("//nav[@id='mainnav']") == []
