"""The site and people pages: access per role, validation in French, query counts."""

import pytest
from django.urls import reverse

from regie.assets.tests.factories import AssetFactory
from regie.core.history import history_of
from regie.core.models import ChangeAction, ChangeRecord
from regie.directory.models import Person, Room, Site, SiteKind
from regie.directory.tests.factories import (
    DepartmentFactory,
    OrganisationFactory,
    PersonFactory,
    SiteFactory,
)

pytestmark = pytest.mark.django_db

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def site_data(site=None, **changes):
    data = {
        "name": "",
        "kind": SiteKind.SCHOOL,
        "organisation": "",
        "address": "",
        "postcode": "",
        "city": "",
        "latitude": "",
        "longitude": "",
        "phone": "",
        "contact_name": "",
        "contact_phone": "",
        "contact_email": "",
        "access_notes": "",
        **{f"hours_{day}": "" for day in DAYS},
    }
    if site is not None:
        data.update(
            {name: getattr(site, name) or "" for name in data if name != "organisation"},
            organisation=site.organisation_id,
        )
    data.update(changes)
    return data


def person_data(**changes):
    return {
        "first_name": "Lucie",
        "last_name": "Moreau",
        "email": "",
        "phone": "",
        "mobile": "",
        "department": "",
        "site": "",
        "job_title": "",
        "active": "on",
        "arrival_date": "",
        "departure_date": "",
        "user": "",
        **changes,
    }


def site_url(action, site=None):
    return reverse(f"directory:site-{action}", args=[site.pk] if site else [])


def person_url(action, person=None):
    return reverse(f"directory:person-{action}", args=[person.pk] if person else [])


# --- anonymous -------------------------------------------------------------------------------


@pytest.mark.parametrize("model", ["site", "person"])
@pytest.mark.parametrize("action", ["list", "create", "detail", "update", "delete"])
def test_anonymous_is_sent_to_login(client, site, model, action):
    obj = site if model == "site" else PersonFactory()
    args = [] if action in {"list", "create"} else [obj.pk]
    target = reverse(f"directory:{model}-{action}", args=args)
    response = client.get(target)
    assert response.status_code == 302
    assert response["Location"] == f"/login/?next={target}"


# --- sites -----------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["admin_user", "technician", "reader"])
def test_wide_readers_list_every_site(client, request, persona, site, other_site):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(site_url("list"))
    assert response.status_code == 200
    # French order: "École" before "Piscine" (a byte order would put "É" after "P").
    assert [row.obj.name for row in response.context["rows"]] == [
        "École de Melle",
        "Piscine de Chef-Boutonne",
    ]
    assert response.context["page_obj"].paginator.count == 2


def test_correspondent_lists_and_opens_only_their_sites(client, correspondent, site, other_site):
    client.force_login(correspondent)
    response = client.get(site_url("list"))
    assert [row.obj.name for row in response.context["rows"]] == ["École de Melle"]
    assert client.get(site_url("detail", site)).status_code == 200
    assert client.get(site_url("detail", other_site)).status_code == 404


def test_staff_may_not_list_sites(client, staff_user, site):
    client.force_login(staff_user)
    assert client.get(site_url("list")).status_code == 403
    assert client.get(site_url("detail", site)).status_code == 404


def test_site_page_shows_hours_contacts_rooms_people_and_assets(client, technician, correspondent):
    site = Site.objects.get(name="École de Melle")
    site.hours_mon = "8h30-12h00, 13:30-17:00"
    site.contact_name = "Mme Bernard"
    site.access_notes = "Clé à la mairie"
    site.save()
    Room.objects.create(site=site, name="Salle informatique", floor="RDC")
    person = PersonFactory(site=site, first_name="Hugo", last_name="Petit", job_title="Directeur")
    asset = AssetFactory(site=site, name="TBI-CM2", assigned_to=person)
    client.force_login(technician)

    response = client.get(site_url("detail", site))

    assert response.status_code == 200
    assert response.context["opening_hours"][0] == ("Lundi", "08:30-12:00, 13:30-17:00")
    assert response.context["opening_hours"][6] == ("Dimanche", "")
    content = response.content.decode()
    assert "Fermé" in content
    assert "Mme Bernard" in content
    assert "Clé à la mairie" in content
    assert str(correspondent) in content
    assert "Salle informatique" in content
    assert f'href="{person.get_absolute_url()}">Hugo Petit</a>' in content
    assert f'href="{asset.get_absolute_url()}">{asset.inventory_number}</a>' in content
    assert f'href="{site_url("update", site)}"' in content


def test_reader_gets_403_on_site_edit_pages_and_sees_no_buttons(client, reader, site):
    client.force_login(reader)
    assert client.get(site_url("create")).status_code == 403
    assert client.get(site_url("update", site)).status_code == 403
    assert client.post(site_url("update", site), site_data(site, name="X")).status_code == 403
    assert client.post(site_url("delete", site)).status_code == 403
    content = client.get(site_url("detail", site)).content.decode()
    assert site_url("update", site) not in content
    assert site_url("delete", site) not in content
    site.refresh_from_db()
    assert site.name == "École de Melle"


def test_correspondent_edits_own_site_but_not_its_correspondents(
    client, correspondent, site, other_site
):
    client.force_login(correspondent)
    form = client.get(site_url("update", site)).context["form"]
    assert "correspondents" not in form.fields
    response = client.post(site_url("update", site), site_data(site, hours_wed="09:00-12:00"))
    assert response.status_code == 302
    site.refresh_from_db()
    assert site.hours_wed == "09:00-12:00"
    assert list(site.correspondents.all()) == [correspondent]
    assert [(r.field, r.new_value, r.actor) for r in history_of(site)] == [
        ("hours_wed", "09:00-12:00", correspondent)
    ]
    assert client.get(site_url("update", other_site)).status_code == 404
    assert client.get(site_url("create")).status_code == 403
    assert client.post(site_url("delete", site)).status_code == 403


def test_technician_creates_site_with_correspondent(client, technician, correspondent):
    commune = OrganisationFactory(name="Melle")
    client.force_login(technician)
    response = client.post(
        site_url("create"),
        site_data(
            name="Médiathèque de Melle",
            organisation=commune.pk,
            kind=SiteKind.MEDIA_LIBRARY,
            hours_tue="10:00-18:00",
            correspondents=[correspondent.pk],
        ),
    )
    site = Site.objects.get(name="Médiathèque de Melle")
    assert response.status_code == 302
    assert response["Location"] == site_url("detail", site)
    assert (site.organisation_id, site.kind, site.hours_tue) == (
        commune.pk,
        SiteKind.MEDIA_LIBRARY,
        "10:00-18:00",
    )
    assert list(site.correspondents.all()) == [correspondent]
    assert [r.action for r in history_of(site)] == [ChangeAction.CREATE]


def test_bad_opening_hours_are_refused_in_french(client, technician, site):
    client.force_login(technician)
    response = client.post(site_url("update", site), site_data(site, hours_mon="25:00-12"))
    assert response.status_code == 200
    assert response.context["form"].errors["hours_mon"] == [
        "« 25:00-12 » n'est pas une plage horaire ; écrivez-la comme 08:30-12:00."
    ]
    response = client.post(site_url("update", site), site_data(site, hours_mon="25:00-26:00"))
    assert response.context["form"].errors["hours_mon"] == [
        "« 25:00-26:00 » n'est pas une heure valide."
    ]
    site.refresh_from_db()
    assert site.hours_mon == ""
    assert ChangeRecord.objects.count() == 0


def test_half_a_position_is_refused_in_french(client, technician, site):
    client.force_login(technician)
    response = client.post(site_url("update", site), site_data(site, latitude="46.2"))
    assert response.status_code == 200
    assert "Indiquez à la fois la latitude et la longitude, ou aucune des deux." in (
        response.content.decode()
    )
    site.refresh_from_db()
    assert site.latitude is None


def test_site_with_assets_is_not_deleted(client, technician, outside_asset, other_site):
    client.force_login(technician)
    response = client.post(site_url("delete", other_site), follow=True)
    assert response.status_code == 200
    assert Site.objects.filter(pk=other_site.pk).exists()
    assert [str(m) for m in response.context["messages"]] == [
        "Impossible de supprimer « Piscine de Chef-Boutonne » : d'autres enregistrements en "
        f"dépendent ({outside_asset})."
    ]


def test_technician_deletes_empty_site(client, technician, other_site):
    client.force_login(technician)
    response = client.post(site_url("delete", other_site))
    assert response.status_code == 302
    assert response["Location"] == site_url("list")
    assert not Site.objects.filter(pk=other_site.pk).exists()
    assert ChangeRecord.objects.get().action == ChangeAction.DELETE


@pytest.mark.parametrize("page_size", [5, 100])
def test_site_list_runs_a_fixed_number_of_queries(
    client, technician, django_assert_max_num_queries, page_size
):
    for _ in range(110):
        SiteFactory()
    client.force_login(technician)
    # session, user, count, page, the commune filter's choices
    with django_assert_max_num_queries(5):
        response = client.get(site_url("list"), {"page_size": page_size})
    assert len(response.context["rows"]) == page_size


# --- people ----------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["admin_user", "technician", "reader"])
def test_wide_readers_list_people(client, request, persona, staff_user, other_site):
    PersonFactory(first_name="Zoé", last_name="Zimmer", site=other_site)
    client.force_login(request.getfixturevalue(persona))
    response = client.get(person_url("list"))
    assert response.status_code == 200
    assert [str(row.obj) for row in response.context["rows"]] == ["Agnès Durand", "Zoé Zimmer"]


def test_correspondent_lists_people_of_their_sites_only(
    client, correspondent, staff_user, other_site
):
    outsider = PersonFactory(first_name="Zoé", last_name="Zimmer", site=other_site)
    client.force_login(correspondent)
    response = client.get(person_url("list"))
    assert [str(row.obj) for row in response.context["rows"]] == ["Agnès Durand"]
    assert client.get(person_url("detail", staff_user.person)).status_code == 200
    assert client.get(person_url("detail", outsider)).status_code == 404
    assert client.get(person_url("update", staff_user.person)).status_code == 403
    assert client.get(person_url("create")).status_code == 403


def test_staff_sees_own_person_page_with_their_assets(
    client, staff_user, owned_asset, colleague_asset
):
    client.force_login(staff_user)
    assert client.get(person_url("list")).status_code == 403
    response = client.get(person_url("detail", staff_user.person))
    assert response.status_code == 200
    assert list(response.context["assets"]) == [owned_asset]
    content = response.content.decode()
    assert "PORTABLE-AGNES" in content
    assert "POSTE-ACCUEIL" not in content
    assert person_url("update", staff_user.person) not in content
    assert client.get(person_url("detail", colleague_asset.assigned_to)).status_code == 404
    assert client.get(person_url("update", staff_user.person)).status_code == 403


def test_reader_gets_403_on_person_edit_pages(client, reader, staff_user):
    person = staff_user.person
    client.force_login(reader)
    assert client.get(person_url("create")).status_code == 403
    assert client.get(person_url("update", person)).status_code == 403
    assert client.get(person_url("delete", person)).status_code == 403
    assert ">Modifier<" not in client.get(person_url("detail", person)).content.decode()


def test_technician_creates_and_edits_person(client, technician, site):
    department = DepartmentFactory(name="Affaires scolaires")
    client.force_login(technician)
    response = client.post(
        person_url("create"),
        person_data(
            email="lucie.moreau@example.org",
            department=department.pk,
            site=site.pk,
            arrival_date="2024-09-01",
        ),
    )
    person = Person.objects.get(last_name="Moreau")
    assert response.status_code == 302
    assert (person.department_id, person.site_id, str(person.arrival_date)) == (
        department.pk,
        site.pk,
        "2024-09-01",
    )
    response = client.post(
        person_url("update", person),
        person_data(
            email="lucie.moreau@example.org",
            department=department.pk,
            site=site.pk,
            arrival_date="2024-09-01",
            job_title="Secrétaire",
        ),
    )
    assert response.status_code == 302
    assert [(r.action, r.field, r.new_value) for r in history_of(person)] == [
        (ChangeAction.UPDATE, "job_title", "Secrétaire"),
        (ChangeAction.CREATE, "", ""),
    ]


def test_duplicate_person_email_is_refused_in_french(client, technician):
    PersonFactory(email="agnes.durand@example.org")
    client.force_login(technician)
    response = client.post(person_url("create"), person_data(email="Agnes.Durand@example.org"))
    assert response.status_code == 200
    assert "Une personne a déjà cette adresse de courriel." in response.content.decode()
    assert Person.objects.count() == 1


def test_departure_before_arrival_is_refused_in_french(client, technician):
    client.force_login(technician)
    response = client.post(
        person_url("create"), person_data(arrival_date="2025-03-01", departure_date="2025-02-01")
    )
    assert response.status_code == 200
    assert "La date de départ ne peut pas précéder la date d&#x27;arrivée." in (
        response.content.decode()
    )
    assert Person.objects.count() == 0


@pytest.mark.parametrize("page_size", [5, 100])
def test_person_list_runs_a_fixed_number_of_queries(
    client, technician, site, django_assert_max_num_queries, page_size
):
    department = DepartmentFactory()
    for number in range(110):
        PersonFactory(site=site if number % 2 else None, department=department)
    client.force_login(technician)
    # session, user, count, page, the department and site filters' choices
    with django_assert_max_num_queries(6):
        response = client.get(person_url("list"), {"page_size": page_size})
    assert len(response.context["rows"]) == page_size


def test_htmx_person_search_renders_the_partial(client, technician, staff_user):
    client.force_login(technician)
    response = client.get(person_url("list"), {"q": "durand"}, headers={"HX-Request": "true"})
    assert response.template_name == "directory/person_list.html#results"
    content = response.content.decode()
    assert "<html" not in content
    assert "Durand" in content
    assert "1 résultat" in content


def test_site_contacts_are_one_tap_links(client, technician, site):
    site.contact_phone = "05 49 27 00 00"
    site.contact_email = "ecole.melle@example.org"
    site.save()
    client.force_login(technician)
    content = client.get(site_url("detail", site)).content.decode()
    assert '<a href="tel:0549270000">05 49 27 00 00</a>' in content
    assert '<a href="mailto:ecole.melle@example.org">ecole.melle@example.org</a>' in content


@pytest.mark.parametrize("persona", ["admin_user", "technician"])
def test_managers_delete_a_person_and_keep_their_assets(client, request, persona, owned_asset):
    user = request.getfixturevalue(persona)
    person = owned_asset.assigned_to
    client.force_login(user)
    assert "Voulez-vous vraiment supprimer" in (
        client.get(person_url("delete", person)).content.decode()
    )
    response = client.post(person_url("delete", person))
    assert response.status_code == 302
    assert response["Location"] == person_url("list")
    assert not Person.objects.filter(pk=person.pk).exists()
    owned_asset.refresh_from_db()
    assert owned_asset.assigned_to is None
    record = ChangeRecord.objects.get(action=ChangeAction.DELETE)
    assert (record.object_id, record.object_repr, record.actor) == (person.pk, "Agnès Durand", user)


def test_correspondent_may_not_delete_a_person_of_their_site(client, correspondent, staff_user):
    client.force_login(correspondent)
    assert client.post(person_url("delete", staff_user.person)).status_code == 403
    assert Person.objects.filter(pk=staff_user.person.pk).exists()


def test_changing_correspondents_is_recorded(client, technician, correspondent, site):
    from regie.core.models import Role
    from regie.core.tests.factories import UserFactory

    newcomer = UserFactory(username="nouveau", first_name="Inès", last_name="Garnier")
    newcomer.role = Role.CORRESPONDENT
    newcomer.save()
    client.force_login(technician)
    response = client.post(
        site_url("update", site), site_data(site, correspondents=[correspondent.pk, newcomer.pk])
    )
    assert response.status_code == 302
    assert set(site.correspondents.all()) == {correspondent, newcomer}
    record = history_of(site).get()
    assert (record.field, record.field_label, record.actor) == (
        "correspondents",
        "correspondants de site",
        technician,
    )
    assert record.old_value == str(correspondent)
    assert record.new_value == ", ".join(sorted([str(correspondent), "Inès Garnier"]))
