"""Every telephony page renders for those who may see it and refuses the others."""

import datetime

import pytest
from django.urls import reverse

from regie.core.testing import bearer_client
from regie.directory.tests.factories import OrganisationFactory, PersonFactory, SiteFactory
from regie.telephony.models import ContinuityPlan, Forwarding
from regie.telephony.services import set_forwarding
from regie.telephony.tests.factories import (
    CopperCutoffFactory,
    ExtensionFactory,
    LineFactory,
    OperatorContractFactory,
    OperatorFactory,
    SimCardFactory,
    SiteFallbackFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def objects(site, staff_user, technician):
    line = LineFactory(site=site, person=staff_user.person, kind="mobile")
    extension = ExtensionFactory(person=staff_user.person, softphone=True)
    set_forwarding(subject=extension, active=True, target="0612345678", by=technician)
    plan = ContinuityPlan.objects.create(title="Fermeture", starts_on=datetime.date(2026, 12, 1))
    return {
        "line": line,
        "simcard": SimCardFactory(line=line),
        "extension": extension,
        "operator": OperatorFactory(),
        "contract": OperatorContractFactory(end_date=datetime.date(2027, 1, 1), notice_months=2),
        "plan": plan,
        "fallback": SiteFallbackFactory(site=site, number="+33549279999"),
        "cutoff": CopperCutoffFactory(
            commune=OrganisationFactory(), cutoff_date=datetime.date(2027, 1, 1)
        ),
    }


SLUGS = ["line", "simcard", "extension", "operator", "contract", "plan", "fallback", "cutoff"]


@pytest.mark.parametrize("slug", SLUGS)
def test_managers_open_every_page(client, technician, objects, slug):
    obj = objects[slug]
    client.force_login(technician)
    for name, args in [
        ("list", []),
        ("create", []),
        ("detail", [obj.pk]),
        ("update", [obj.pk]),
        ("delete", [obj.pk]),
    ]:
        response = client.get(reverse(f"telephony:{slug}-{name}", args=args))
        assert response.status_code == 200, (slug, name)
    assert client.get(reverse("telephony:copper")).status_code == 200
    assert client.get(reverse("telephony:line-import")).status_code == 200
    assert (
        client.get(reverse("telephony:line-forwarding", args=[objects["line"].pk])).status_code
        == 200
    )


@pytest.mark.parametrize("slug", SLUGS)
def test_reader_reads_but_cannot_change(client, reader, objects, slug):
    obj = objects[slug]
    client.force_login(reader)
    assert client.get(reverse(f"telephony:{slug}-list")).status_code == 200
    assert client.get(reverse(f"telephony:{slug}-detail", args=[obj.pk])).status_code == 200
    assert client.get(reverse(f"telephony:{slug}-create")).status_code == 403
    assert client.get(reverse(f"telephony:{slug}-update", args=[obj.pk])).status_code == 403
    assert client.post(reverse(f"telephony:{slug}-delete", args=[obj.pk])).status_code == 403
    assert type(obj).objects.filter(pk=obj.pk).exists()


@pytest.mark.parametrize(
    ("slug", "lists"),
    [
        ("line", True),
        ("simcard", True),
        ("extension", True),
        ("operator", False),
        ("contract", False),
        ("plan", False),
        ("cutoff", False),
    ],
)
def test_staff_see_their_own_lines_and_no_reference_data(client, staff_user, objects, slug, lists):
    obj = objects[slug]
    client.force_login(staff_user)
    assert client.get(reverse(f"telephony:{slug}-list")).status_code == (200 if lists else 403)
    assert client.get(reverse(f"telephony:{slug}-detail", args=[obj.pk])).status_code == (
        200 if lists else 404
    )
    assert client.get(reverse(f"telephony:{slug}-update", args=[obj.pk])).status_code == (
        403 if lists else 404
    )


def test_staff_cannot_change_a_forwarding(client, staff_user, objects):
    client.force_login(staff_user)
    url = reverse("telephony:line-forwarding", args=[objects["line"].pk])
    assert client.post(url, {"active": "on", "target": "0612345678"}).status_code == 403
    assert not Forwarding.objects.filter(line=objects["line"]).exists()


def test_person_page_shows_lines_extension_and_forwarding(client, reader, staff_user, objects):
    client.force_login(reader)
    response = client.get(staff_user.person.get_absolute_url())
    panel = next(
        p for p in response.context["panels"] if p.template == "telephony/panels/person.html"
    )
    assert panel.context["lines"] == [objects["line"]]
    assert panel.context["extensions"] == [objects["extension"]]
    assert [f.extension for f in panel.context["forwardings"]] == [objects["extension"]]
    content = response.content.decode()
    assert "06 12 34 56 78" in content
    assert objects["extension"].number in content


def test_staff_see_their_own_line_on_their_page(client, staff_user, objects):
    client.force_login(staff_user)
    response = client.get(staff_user.person.get_absolute_url())
    assert objects["line"].number_display in response.content.decode()


@pytest.mark.parametrize(
    "resource",
    ["operators", "operator-contracts", "phone-lines", "sim-cards", "extensions", "forwardings"],
)
def test_api_lists_per_role(request, objects, resource):
    expected = {
        "admin_user": 200,
        "technician": 200,
        "reader": 200,
        "correspondent": 200,
        "staff_user": 200,
    }
    if resource in {"operators", "operator-contracts"}:
        expected.update(correspondent=403, staff_user=403)
    for persona, status in expected.items():
        response = bearer_client(request.getfixturevalue(persona)).get(f"/api/v1/{resource}/")
        assert response.status_code == status, (resource, persona)


def test_telephony_menu_entry_is_current_on_every_telephony_page(client, reader):
    client.force_login(reader)
    for name in ("telephony:line-list", "telephony:operator-list", "telephony:copper"):
        response = client.get(reverse(name))
        current = [entry.label for entry in response.context["nav_entries"] if entry.current]
        assert current == ["Lignes"], name


@pytest.mark.parametrize("slug", ["simcard", "extension", "contract"])
def test_lists_have_a_fixed_number_of_queries(client, reader, slug, django_assert_max_num_queries):
    for index in range(30):
        person = PersonFactory()
        line = LineFactory(kind="mobile", person=person, operator=OperatorFactory())
        SimCardFactory(line=line, operator=line.operator)
        ExtensionFactory(person=person, line=line, site=SiteFactory())
        OperatorContractFactory(end_date=datetime.date(2027, 1, 1 + index % 28))
    client.force_login(reader)
    with django_assert_max_num_queries(12):
        response = client.get(reverse(f"telephony:{slug}-list"), {"page_size": 25})
    assert len(response.context["rows"]) == 25


@pytest.mark.parametrize(
    "resource", ["sim-cards", "extensions", "operator-contracts", "forwardings"]
)
def test_api_lists_have_a_fixed_number_of_queries(
    reader, technician, resource, django_assert_max_num_queries
):
    for _ in range(30):
        person = PersonFactory()
        line = LineFactory(kind="mobile", person=person, operator=OperatorFactory())
        SimCardFactory(line=line, operator=line.operator)
        extension = ExtensionFactory(person=person, line=line, site=SiteFactory())
        OperatorContractFactory()
        set_forwarding(subject=extension, active=True, target="0612345678", by=technician)
    api = bearer_client(reader)
    with django_assert_max_num_queries(8):
        response = api.get(f"/api/v1/{resource}/")
    assert response.json()["count"] == 30
