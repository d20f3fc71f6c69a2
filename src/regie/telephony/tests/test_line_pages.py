"""Line pages: numbers typed the French way are stored in E.164, bad ones are refused, and
each role sees the lines it should."""

import pytest
from django.urls import reverse

from regie.core.history import history_of
from regie.directory.tests.factories import PersonFactory
from regie.telephony.models import Line, LineKind
from regie.telephony.tests.factories import LineFactory

pytestmark = pytest.mark.django_db


def test_technician_creates_a_line_typed_in_the_national_format(client, technician, site):
    client.force_login(technician)
    response = client.post(
        reverse("telephony:line-create"),
        {
            "number": "05 49 27 00 00",
            "kind": "alarm",
            "technology": "copper",
            "status": "active",
            "site": site.pk,
        },
    )
    line = Line.objects.get()
    assert response.status_code == 302
    assert response["Location"] == line.get_absolute_url()
    assert line.number == "+33549270000"
    assert line.kind == LineKind.ALARM
    assert history_of(line).get().action == "create"
    page = client.get(reverse("telephony:line-list"))
    assert "05 49 27 00 00" in page.content.decode()


def test_the_support_short_number_is_a_line(client, technician, site):
    client.force_login(technician)
    response = client.post(
        reverse("telephony:line-create"),
        {
            "number": "39 01",
            "label": "Assistance opérateur",
            "kind": "analogue",
            "status": "active",
        },
    )
    assert response.status_code == 302
    line = Line.objects.get()
    assert line.number == "3901"
    assert str(line).startswith("3901")
    assert "3901" in client.get(line.get_absolute_url()).content.decode()
    assert 'href="tel:3901"' in client.get(line.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("05 49", "« 05 49 » n’est pas un numéro de téléphone possible (trop court)."),
        (
            "07 00 00 00 00",
            "« 07 00 00 00 00 » n’est pas un numéro valide "
            "(aucune tranche de numérotation ne le prévoit).",
        ),
        ("bonjour", "« bonjour » n’est pas un numéro de téléphone."),
    ],
)
def test_an_invalid_number_is_refused_with_its_reason(client, technician, typed, message):
    client.force_login(technician)
    response = client.post(
        reverse("telephony:line-create"), {"number": typed, "kind": "analogue", "status": "active"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["number"] == [message]
    assert Line.objects.count() == 0


def test_a_number_already_known_in_another_format_is_refused(client, technician):
    LineFactory(number="+33549270000")
    client.force_login(technician)
    response = client.post(
        reverse("telephony:line-create"),
        {"number": "05.49.27.00.00", "kind": "analogue", "status": "active"},
    )
    assert response.context["form"].errors["number"] == ["Ce numéro est déjà enregistré."]
    assert Line.objects.count() == 1


def test_list_search_finds_a_number_typed_with_spaces(client, reader):
    LineFactory(number="+33549270000", label="Accueil")
    LineFactory(number="+33549271111", label="Atelier")
    client.force_login(reader)
    response = client.get(reverse("telephony:line-list"), {"q": "05 49 27 00 00"})
    assert [row.obj.label for row in response.context["rows"]] == ["Accueil"]


def test_list_answers_htmx_with_the_results_partial(client, reader):
    LineFactory()
    client.force_login(reader)
    response = client.get(reverse("telephony:line-list"), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.template_name == "telephony/object_list.html#results"


def test_line_list_has_a_fixed_number_of_queries(client, reader, django_assert_max_num_queries):
    for _ in range(30):
        LineFactory(person=PersonFactory())
    client.force_login(reader)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("telephony:line-list"), {"page_size": 25})
    assert len(response.context["rows"]) == 25


def test_each_role_sees_its_lines(
    client, admin_user, reader, correspondent, staff_user, site, other_site
):
    own = LineFactory(site=site, person=staff_user.person, label="Agnès")
    colleague = LineFactory(site=site, person=PersonFactory(site=site), label="Accueil")
    elsewhere = LineFactory(site=other_site, label="Piscine")
    expected = {
        admin_user: {"Agnès", "Accueil", "Piscine"},
        reader: {"Agnès", "Accueil", "Piscine"},
        correspondent: {"Agnès", "Accueil"},
        staff_user: {"Agnès"},
    }
    for user, labels in expected.items():
        client.force_login(user)
        response = client.get(reverse("telephony:line-list"))
        assert {row.obj.label for row in response.context["rows"]} == labels, user.username
    client.force_login(staff_user)
    assert client.get(reverse("telephony:line-detail", args=[own.pk])).status_code == 200
    assert client.get(reverse("telephony:line-detail", args=[colleague.pk])).status_code == 404
    assert client.get(reverse("telephony:line-detail", args=[elsewhere.pk])).status_code == 404


@pytest.mark.parametrize("persona", ["reader", "correspondent", "staff_user"])
def test_only_managers_change_lines(request, client, persona, site):
    user = request.getfixturevalue(persona)
    line = LineFactory(site=site, person=getattr(user, "person", None), label="Avant")
    client.force_login(user)
    assert client.get(reverse("telephony:line-create")).status_code == 403
    response = client.post(
        reverse("telephony:line-update", args=[line.pk]),
        {"number": line.number, "kind": "analogue", "status": "active", "label": "Après"},
    )
    assert response.status_code == 403
    line.refresh_from_db()
    assert line.label == "Avant"
    assert client.post(reverse("telephony:line-delete", args=[line.pk])).status_code == 403
    assert Line.objects.filter(pk=line.pk).exists()


def test_detail_page_shows_numbers_in_the_national_format_with_a_call_link(client, reader):
    line = LineFactory(number="+33549270000")
    client.force_login(reader)
    response = client.get(line.get_absolute_url())
    number = next(row for row in response.context["fields"] if row.label == "Numéro")
    assert (number.value, number.url) == ("05 49 27 00 00", "tel:+33549270000")


def test_desk_phone_must_be_a_desk_phone(client, technician):
    from regie.assets.tests.factories import AssetFactory, AssetTypeFactory

    computer = AssetFactory()
    phone = AssetFactory(
        asset_type=AssetTypeFactory(name="Téléphone", kind="desk_phone", prefix="TEL")
    )
    client.force_login(technician)
    form = {"number": "05 49 27 00 00", "kind": "analogue", "status": "active"}
    response = client.post(reverse("telephony:line-create"), {**form, "desk_phone": computer.pk})
    assert "desk_phone" in response.context["form"].errors
    assert Line.objects.count() == 0
    client.post(reverse("telephony:line-create"), {**form, "desk_phone": phone.pk})
    assert Line.objects.get().desk_phone == phone
