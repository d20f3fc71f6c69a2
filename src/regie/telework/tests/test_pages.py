"""The pages: check-out with the charter, receipt, check-in, booking, calendar, readiness,
and who sees what."""

import datetime as dt
import html

import pytest
import time_machine
from django.urls import reverse

from regie.assets.models import AssetStatus
from regie.assets.tests.factories import AssetFactory
from regie.directory.tests.factories import DepartmentFactory, PersonFactory
from regie.telework.models import CharterAcceptance, Loan, Reservation, ReturnCondition
from regie.telework.services import book_equipment, check_out_equipment
from regie.telework.tests.factories import CharterFactory, PoolLaptopFactory, laptop_type

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def charter():
    return CharterFactory(
        version="2026.1", text="Article 1 : le matériel reste la propriété de la CC."
    )


@pytest.fixture
def own_loan(charter, staff_user, site, technician):
    return check_out_equipment(
        asset=PoolLaptopFactory(name="PRET-AGNES", site=site),
        person=staff_user.person,
        due_date=dt.date(2026, 12, 15),
        typed_name="Agnès Durand",
        by=technician,
    )


@pytest.fixture
def other_loan(charter, other_site, technician):
    person = PersonFactory(first_name="Hugo", last_name="Blanc", site=other_site)
    return check_out_equipment(
        asset=PoolLaptopFactory(name="PRET-HUGO", site=other_site),
        person=person,
        due_date=dt.date(2026, 12, 15),
        typed_name="Hugo Blanc",
        by=technician,
    )


def test_check_out_page_shows_the_charter_and_refuses_a_wrong_name(client, technician, charter):
    laptop = PoolLaptopFactory(name="PRET-10")
    person = PersonFactory(first_name="Zoé", last_name="Faure")
    client.force_login(technician)
    url = reverse("telework:loan-create")
    page = client.get(url)
    assert "Article 1 : le matériel reste la propriété de la CC." in page.content.decode()
    assert f'href="{charter.get_absolute_url()}"' in page.content.decode()
    data = {"asset": laptop.pk, "person": person.pk, "due_date": "2026-12-10", "typed_name": "Zoe"}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Le nom saisi ne correspond pas à Zoé Faure" in response.content.decode()
    assert (Loan.objects.count(), CharterAcceptance.objects.count()) == (0, 0)
    response = client.post(url, {**data, "typed_name": "ZOE FAURE"})
    loan = Loan.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("telework:loan-receipt", args=[loan.pk])
    laptop.refresh_from_db()
    assert laptop.status == AssetStatus.ON_LOAN
    receipt = client.get(response["Location"])
    content = receipt.content.decode()
    assert "Acceptée en saisissant « ZOE FAURE » le 01/12/2026 10:00." in content
    assert "telework/telework.css" in content
    assert "Charte informatique, version 2026.1" in content


def test_check_out_page_without_a_charter_says_so_and_offers_no_form(client, technician):
    laptop = PoolLaptopFactory(name="PRET-12")
    person = PersonFactory(first_name="Zoé", last_name="Faure")
    CharterFactory(version="2027.1", effective_date=dt.date(2027, 1, 1))  # not in force yet
    client.force_login(technician)
    url = reverse("telework:loan-create")
    page = client.get(url)
    content = html.unescape(page.content.decode())
    assert page.status_code == 200
    assert "Aucune charte informatique n'est en vigueur" in content
    assert "Les administrateurs et les techniciens peuvent publier une charte." in content
    assert "Charte informatique, version 2027.1 entre en vigueur le 01/01/2027." in content
    assert f'href="{reverse("telework:charter-create")}"' in content
    assert 'name="typed_name"' not in content
    assert "la charte ci-dessus" not in content
    data = {"asset": laptop.pk, "person": person.pk, "due_date": "2026-12-10"}
    response = client.post(url, {**data, "typed_name": "Zoé Faure"})
    assert response.status_code == 200
    assert "Aucune charte informatique n'est en vigueur" in html.unescape(response.content.decode())
    assert Loan.objects.count() == 0


def test_check_in_page_returns_the_equipment(client, technician, own_loan):
    client.force_login(technician)
    url = reverse("telework:loan-checkin", args=[own_loan.pk])
    response = client.post(url, {"return_condition": "damaged", "return_note": ""})
    assert response.status_code == 200
    assert "Décrivez les dégâts ou les accessoires manquants." in response.content.decode()
    response = client.post(url, {"return_condition": "damaged", "return_note": "Écran fêlé"})
    assert response.status_code == 302
    own_loan.refresh_from_db()
    own_loan.asset.refresh_from_db()
    assert (own_loan.return_condition, own_loan.return_note) == (
        ReturnCondition.DAMAGED,
        "Écran fêlé",
    )
    assert own_loan.asset.status == AssetStatus.STOCK


def test_booking_page_refuses_an_overlap_with_a_clear_message(client, technician):
    laptop = PoolLaptopFactory(name="PRET-11")
    person = PersonFactory(first_name="Jules", last_name="Renard")
    book_equipment(
        asset=laptop, person=person, start=NOW, end=NOW + dt.timedelta(days=3), by=technician
    )
    client.force_login(technician)
    response = client.post(
        reverse("telework:reservation-create"),
        {
            "asset": laptop.pk,
            "person": person.pk,
            "start": "2026-12-02T09:00",
            "end": "2026-12-05T09:00",
        },
    )
    assert response.status_code == 200
    assert "est déjà réservé par Jules Renard" in response.content.decode()
    assert Reservation.objects.count() == 1


def test_calendar_shows_bookings_and_loans_of_the_week(client, technician, own_loan):
    laptop = PoolLaptopFactory(name="PRET-12")
    book_equipment(
        asset=laptop,
        person=PersonFactory(),
        start=dt.datetime(2026, 12, 3, 8, tzinfo=dt.UTC),
        end=dt.datetime(2026, 12, 4, 17, tzinfo=dt.UTC),
        by=technician,
    )
    client.force_login(technician)
    response = client.get(reverse("telework:calendar"), {"start": "2026-12-01"})
    rows = {asset.name: cells for asset, cells in response.context["rows"]}
    # The week of Tuesday 1 December starts on Monday 30 November.
    assert response.context["days"][0] == dt.date(2026, 11, 30)
    assert [state for state, _who in rows["PRET-12"]] == ["", "", "", "busy", "busy", "", ""]
    assert [state for state, _who in rows["PRET-AGNES"]] == [""] + ["on-loan"] * 6
    month = client.get(reverse("telework:calendar"), {"view": "month", "start": "2026-12-01"})
    assert len(month.context["days"]) == 31


def test_staff_cannot_open_the_calendar_or_the_roll_up(client, staff_user):
    client.force_login(staff_user)
    assert client.get(reverse("telework:calendar")).status_code == 403
    assert client.get(reverse("telework:readiness")).status_code == 403


def test_staff_see_only_their_own_loans_and_readiness(client, staff_user, own_loan, other_loan):
    client.force_login(staff_user)
    response = client.get(reverse("telework:loan-list"))
    assert [row.obj for row in response.context["rows"]] == [own_loan]
    assert client.get(own_loan.get_absolute_url()).status_code == 200
    assert client.get(other_loan.get_absolute_url()).status_code == 404
    assert client.get(reverse("telework:loan-receipt", args=[other_loan.pk])).status_code == 404
    mine = reverse("telework:readiness-person", args=[staff_user.person.pk])
    theirs = reverse("telework:readiness-person", args=[other_loan.person.pk])
    assert client.get(mine).status_code == 200
    assert client.get(theirs).status_code == 404
    assert client.get(reverse("telework:loan-checkin", args=[own_loan.pk])).status_code == 403
    assert client.get(reverse("telework:loan-create")).status_code == 403


def test_correspondents_see_the_loans_of_their_sites(client, correspondent, own_loan, other_loan):
    client.force_login(correspondent)
    response = client.get(reverse("telework:loan-list"))
    assert [row.obj for row in response.context["rows"]] == [own_loan]
    assert client.get(other_loan.get_absolute_url()).status_code == 404


def test_reader_reads_everything_and_changes_nothing(client, reader, own_loan, other_loan):
    client.force_login(reader)
    response = client.get(reverse("telework:loan-list"))
    assert {row.obj for row in response.context["rows"]} == {own_loan, other_loan}
    assert client.get(reverse("telework:loan-checkin", args=[own_loan.pk])).status_code == 403
    assert client.get(reverse("telework:reservation-create")).status_code == 403


def test_loan_list_query_count_does_not_grow(
    client, technician, charter, django_assert_max_num_queries
):
    for index in range(12):
        person = PersonFactory(first_name="P", last_name=f"N{index}")
        check_out_equipment(
            asset=PoolLaptopFactory(),
            person=person,
            due_date=dt.date(2026, 12, 9),
            typed_name=f"P N{index}",
            by=technician,
        )
    client.force_login(technician)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("telework:loan-list"))
    assert len(response.context["rows"]) == 12


def test_person_page_shows_loans_and_asset_page_has_a_loans_tab(client, technician, own_loan):
    client.force_login(technician)
    person_page = client.get(own_loan.person.get_absolute_url()).content.decode()
    assert "PRET-AGNES" in person_page
    assert reverse("telework:readiness-person", args=[own_loan.person.pk]) in person_page
    tab = client.get(own_loan.asset.get_absolute_url(), {"tab": "loans"})
    assert tab.status_code == 200
    assert own_loan.get_absolute_url() in tab.content.decode()


def test_roll_up_page_with_threshold_filter(client, reader, site):
    finance = DepartmentFactory(name="Finances")
    for _ in range(3):
        PersonFactory(department=finance, site=site)
    client.force_login(reader)
    response = client.get(reverse("telework:readiness"), {"threshold": "80", "below": "1"})
    assert [row.label for row in response.context["departments"]] == ["Finances"]
    assert response.context["departments"][0].able_percent == 0
    assert len(response.context["without_laptop"]) == 3
    response = client.get(reverse("telework:readiness"), {"threshold": "0", "below": "1"})
    assert response.context["departments"] == []


def test_correspondent_roll_up_covers_only_their_sites(client, correspondent, site, other_site):
    PersonFactory(site=site, last_name="Ici")
    PersonFactory(site=other_site, last_name="Ailleurs")
    client.force_login(correspondent)
    response = client.get(reverse("telework:readiness"))
    assert [r.person.last_name for r in response.context["without_laptop"]] == ["Ici"]


@pytest.fixture
def reservations(staff_user, site, other_site, technician):
    mine = book_equipment(
        asset=PoolLaptopFactory(name="PRET-RESA-AGNES", site=site),
        person=staff_user.person,
        start=dt.datetime(2026, 12, 10, 9, tzinfo=dt.UTC),
        end=dt.datetime(2026, 12, 12, 17, tzinfo=dt.UTC),
        notes="",
        by=technician,
    )
    theirs = book_equipment(
        asset=PoolLaptopFactory(name="PRET-RESA-HUGO", site=other_site),
        person=PersonFactory(first_name="Hugo", last_name="Blanc", site=other_site),
        start=dt.datetime(2026, 12, 10, 9, tzinfo=dt.UTC),
        end=dt.datetime(2026, 12, 12, 17, tzinfo=dt.UTC),
        notes="",
        by=technician,
    )
    return mine, theirs


@pytest.mark.parametrize("persona", ["admin_user", "technician"])
def test_reservation_page_renders_for_the_it_team_with_its_actions(
    client, request, persona, reservations
):
    mine, _ = reservations
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("telework:reservation-detail", args=[mine.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "PRET-RESA-AGNES" in html
    assert reverse("telework:reservation-cancel", args=[mine.pk]) in html
    edit = reverse("telework:reservation-update", args=[mine.pk])
    assert response.context["update_url"] == edit
    assert f'href="{edit}"' in html
    assert response.context["delete_url"] == ""


def test_reservation_page_of_someone_else_is_404_for_staff(client, staff_user, reservations):
    mine, theirs = reservations
    client.force_login(staff_user)
    own = client.get(reverse("telework:reservation-detail", args=[mine.pk]))
    assert own.status_code == 200
    assert reverse("telework:reservation-cancel", args=[mine.pk]) not in own.content.decode()
    other = client.get(reverse("telework:reservation-detail", args=[theirs.pk]))
    assert other.status_code == 404


def test_readiness_pages_show_unknown_in_grey_with_a_count(client, technician, site):
    finance = DepartmentFactory(name="Finances")
    person = PersonFactory(first_name="Inès", last_name="Roux", department=finance, site=site)
    AssetFactory(asset_type=laptop_type(), assigned_to=person)  # never sent an inventory
    client.force_login(technician)
    response = client.get(reverse("telework:readiness"))
    assert response.status_code == 200
    page = " ".join(html.unescape(response.content.decode()).split())
    assert '<span class="badge readiness-unknown">Inconnu</span> 1' in page
    assert "Inconnu : 1 personne dont l'état n'est pas connu" in page
    [row] = response.context["departments"]
    assert (row.label, row.total, row.unknown, row.unknown_percent, row.able_percent) == (
        "Finances",
        1,
        1,
        100,
        0,
    )
    assert '<th scope="col" class="readiness-unknown">Inconnu</th>' in page
    assert "Chiffrement du disque (Jamais inventorié.)" in page
    person_page = html.unescape(client.get(person.get_absolute_url()).content.decode())
    assert '<span class="badge readiness-unknown">Inconnu</span>' in person_page
