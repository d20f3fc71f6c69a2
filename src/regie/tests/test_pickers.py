"""Searchable pickers: the choices endpoint keeps to the user's scope, the forms show
pickers and still submit as plain selects."""

import re

import pytest
from django.urls import reverse

from regie.assets.models import Asset
from regie.assets.tests.factories import AssetTypeFactory
from regie.directory.tests.factories import PersonFactory, RoomFactory
from regie.telework.tests.factories import CharterFactory

pytestmark = pytest.mark.django_db


def tag(page, name):
    """The opening tag of the select ``name``."""
    found = re.search(rf'<select name="{name}"[^>]*>', page)
    assert found is not None, name
    return found.group(0)


def texts(response):
    assert response.status_code == 200
    assert set(response.json()) == {"results", "more"}
    return [row["text"] for row in response.json()["results"]]


@pytest.fixture
def people(site, other_site):
    return {
        "helene": PersonFactory(first_name="Hélène", last_name="Morin", site=site),
        "severine": PersonFactory(first_name="Séverine", last_name="Jaulin", site=other_site),
        "gone": PersonFactory(first_name="Hélène", last_name="Partie", site=site, active=False),
    }


def test_people_choices_fold_accents_and_offer_active_people(client, technician, people):
    client.force_login(technician)
    assert texts(client.get("/choices/people/", {"q": "helene"})) == ["Hélène Morin"]
    assert texts(client.get("/choices/people/", {"q": "SEVERINE"})) == ["Séverine Jaulin"]
    row = client.get("/choices/people/", {"q": "jaulin"}).json()["results"][0]
    assert row == {"id": people["severine"].pk, "text": "Séverine Jaulin"}


def test_choices_come_twenty_at_a_time(client, technician):
    for number in range(45):
        PersonFactory(first_name="Agent", last_name=f"Numéro {number:02d}")
    client.force_login(technician)
    first = client.get("/choices/people/", {"q": "numero"}).json()
    third = client.get("/choices/people/", {"q": "numero", "page": "3"}).json()
    assert (len(first["results"]), first["more"]) == (20, True)
    assert (len(third["results"]), third["more"]) == (5, False)
    assert texts(client.get("/choices/people/", {"q": "numero", "page": "1"})) == texts(
        client.get("/choices/people/", {"q": "numero"})
    )
    assert texts(client.get("/choices/people/", {"q": "numero", "page": "1000"})) == []


def errors_of(response):
    """The fields a 400 of the choices names, checked to be in the API's error format."""
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"detail", "errors"} and body["detail"]
    assert all(isinstance(messages, list) and messages for messages in body["errors"].values())
    return set(body["errors"])


@pytest.mark.parametrize("kind", ["people", "sites", "rooms", "assets"])
@pytest.mark.parametrize("page", ["abc", "0", "-1", "1.5", "1001", "9" * 30])
def test_a_malformed_page_is_refused(client, technician, kind, page):
    client.force_login(technician)
    assert errors_of(client.get(f"/choices/{kind}/", {"page": page})) == {"page"}


@pytest.mark.parametrize("kind", ["people", "sites", "rooms", "assets"])
def test_a_search_longer_than_anyone_types_is_refused(client, technician, kind):
    client.force_login(technician)
    assert errors_of(client.get(f"/choices/{kind}/", {"q": "a" * 201})) == {"q"}
    assert client.get(f"/choices/{kind}/", {"q": "a" * 200}).status_code == 200


@pytest.mark.parametrize("kind", ["rooms", "assets"])
@pytest.mark.parametrize("site_id", ["abc", "0", "-3", "9" * 30])
def test_a_malformed_site_is_refused(client, technician, site, kind, site_id):
    client.force_login(technician)
    assert errors_of(client.get(f"/choices/{kind}/", {"site": site_id})) == {"site"}
    # Several faults at once are all named.
    both = client.get(f"/choices/{kind}/", {"site": site_id, "page": "x", "q": "a" * 300})
    assert errors_of(both) == {"site", "page", "q"}


def test_an_empty_site_or_page_narrows_nothing(client, technician, site, other_site):
    RoomFactory(site=site, name="Salle A")
    RoomFactory(site=other_site, name="Salle B")
    client.force_login(technician)
    everything = texts(client.get("/choices/rooms/", {"q": "salle"}))
    assert len(everything) == 2
    assert texts(client.get("/choices/rooms/", {"q": "salle", "site": "", "page": ""})) == (
        everything
    )
    # Kinds that depend on no other field ignore a site, as any other unknown parameter.
    assert client.get("/choices/people/", {"site": "abc"}).status_code == 200


def test_a_correspondent_only_gets_their_sites_rows(
    client, correspondent, people, site, other_site, colleague_asset, outside_asset
):
    client.force_login(correspondent)
    assert texts(client.get("/choices/people/", {"q": "helene"})) == ["Hélène Morin"]
    everyone = client.get("/choices/people/").json()["results"]
    assert {row["id"] for row in everyone} == {
        people["helene"].pk,
        colleague_asset.assigned_to.pk,
    }
    assert texts(client.get("/choices/people/", {"q": "severine"})) == []
    assert texts(client.get("/choices/assets/", {"q": "poste"})) == [str(colleague_asset)]
    assert texts(client.get("/choices/sites/")) == [site.name]
    RoomFactory(site=site, name="Bureau 1")
    RoomFactory(site=other_site, name="Bureau 2")
    assert texts(client.get("/choices/rooms/", {"q": "bureau"})) == [f"{site.name} — Bureau 1"]
    assert texts(client.get("/choices/rooms/", {"site": other_site.pk})) == []


def test_staff_may_not_list_people_and_only_get_their_own_assets(
    client, staff_user, owned_asset, colleague_asset, people
):
    client.force_login(staff_user)
    assert client.get("/choices/people/").status_code == 403
    assert texts(client.get("/choices/assets/")) == [str(owned_asset)]


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get("/choices/people/", {"q": "a"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert client.get("/choices/nothing/").status_code == 404


def test_rooms_of_the_chosen_site_only(client, technician, site, other_site):
    RoomFactory(site=site, name="Salle des maîtres")
    RoomFactory(site=other_site, name="Salle des machines")
    client.force_login(technician)
    assert texts(client.get("/choices/rooms/", {"q": "salle", "site": site.pk})) == [
        f"{site.name} — Salle des maîtres"
    ]
    assert len(texts(client.get("/choices/rooms/", {"q": "salle"}))) == 2


def test_asset_form_shows_pickers_and_submits_without_javascript(client, technician, people, site):
    room = RoomFactory(site=site, name="Secrétariat")
    client.force_login(technician)
    page = client.get(reverse("assets:asset-create")).content.decode()
    assigned = tag(page, "assigned_to")
    assert 'data-picker="/choices/people/"' in assigned
    rooms = tag(page, "room")
    assert 'data-picker="/choices/rooms/"' in rooms
    assert 'data-picker-depends="site"' in rooms
    assert f'<option value="{room.pk}">{site.name} — Secrétariat</option>' in page
    assert page.count("regie/picker.js") >= 1

    form = {
        "inventory_number": "PC-777001",
        "name": "POSTE-SECRETARIAT",
        # The factory, not the migration's rows: a transactional test before this one on the
        # same worker empties the tables.
        "asset_type": AssetTypeFactory().pk,
        "status": "in_service",
        "site": site.pk,
        "room": room.pk,
        "assigned_to": people["helene"].pk,
    }
    response = client.post(reverse("assets:asset-create"), form)
    assert response.status_code == 302, response.context["form"].errors
    asset = Asset.objects.get(inventory_number="PC-777001")
    assert (asset.assigned_to, asset.room) == (people["helene"], room)


def test_continuity_plan_people_and_sites_are_pickers(client, technician):
    client.force_login(technician)
    page = client.get(reverse("telephony:plan-create")).content.decode()
    people = tag(page, "people")
    sites = tag(page, "sites")
    assert 'data-picker="/choices/people/"' in people and "multiple" in people
    assert 'data-picker="/choices/sites/"' in sites


def test_ticket_links_equipment_found_by_the_picker_beyond_the_short_list(
    client, technician, staff_user, outside_asset
):
    from regie.helpdesk.services import create_ticket

    ticket = create_ticket(
        requester=staff_user.person, title="Écran", description="Noir.", by=technician
    )
    client.force_login(technician)
    page = client.get(ticket.get_absolute_url()).content.decode()
    found = re.search(r'<select name="assets".*?</select>', page, re.S)
    assert found is not None
    select = found.group(0)
    assert 'data-picker="/choices/assets/"' in select
    assert outside_asset.name not in select  # the plain list: the requester's and site's
    response = client.post(
        reverse("helpdesk:ticket-assets", args=[ticket.pk]), {"assets": [outside_asset.pk]}
    )
    assert response.status_code == 302
    assert list(ticket.assets.all()) == [outside_asset]


def test_asset_choices_narrow_to_the_forms_site(
    client, technician, site, owned_asset, outside_asset
):
    client.force_login(technician)
    assert texts(client.get("/choices/assets/", {"site": site.pk})) == [str(owned_asset)]
    assert texts(client.get("/choices/assets/", {"q": "piscine"})) == [str(outside_asset)]


def test_loan_borrower_is_a_picker_and_its_equipment_a_plain_select(client, technician):
    CharterFactory()  # without a charter in force the page offers no form
    client.force_login(technician)
    page = client.get(reverse("telework:loan-create")).content.decode()
    assert 'data-picker="/choices/people/"' in tag(page, "person")
    assert "data-picker" not in tag(page, "asset")


def test_intervention_equipment_is_searched_on_its_site_only(client, technician, site):
    client.force_login(technician)
    page = client.get(reverse("field:intervention-create")).content.decode()
    assert "data-picker" not in tag(page, "assets")
    page = client.get(reverse("field:intervention-create"), {"site": site.pk}).content.decode()
    assets = tag(page, "assets")
    assert 'data-picker="/choices/assets/"' in assets
    assert 'data-picker-depends="site"' in assets


def test_ticket_form_picks_requester_site_and_equipment(
    client, technician, people, site, owned_asset
):
    client.force_login(technician)
    page = client.get(reverse("helpdesk:ticket-create")).content.decode()
    assert 'data-picker="/choices/people/"' in tag(page, "requester")
    assert 'data-picker="/choices/sites/"' in tag(page, "site")
    assert 'data-picker-depends="site"' in tag(page, "assets")
    response = client.post(
        reverse("helpdesk:ticket-create"),
        {
            "requester": people["helene"].pk,
            "source": "phone",
            "title": "Écran noir",
            "description": "Plus rien.",
            "urgency": 3,
            "impact": 3,
            "site": site.pk,
            "assets": [owned_asset.pk],
        },
    )
    assert response.status_code == 302
    from regie.helpdesk.models import Ticket

    ticket = Ticket.objects.get()
    assert (ticket.requester, list(ticket.assets.all())) == (people["helene"], [owned_asset])


def test_choices_take_a_fixed_number_of_queries(
    client, technician, site, django_assert_max_num_queries
):
    for number in range(30):
        RoomFactory(site=site, name=f"Salle {number}")
        PersonFactory(site=site)
    client.force_login(technician)
    for kind in ("rooms", "people", "assets", "sites"):
        with django_assert_max_num_queries(4):
            assert client.get(f"/choices/{kind}/", {"q": "a"}).status_code == 200
