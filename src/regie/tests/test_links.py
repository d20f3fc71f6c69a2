"""No page offers a link its user cannot follow: links to pages that would answer 403 or 404
are plain text (or absent), and stay links for those the page lets in."""

from __future__ import annotations

import pytest
from django.template import RequestContext, Template
from django.urls import reverse

from regie.assets.tests.factories import AssetFactory, ContractFactory, SupplierFactory
from regie.directory.tests.factories import DepartmentFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _page(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _links(html, *url_names):
    """Which of the pages named are linked from ``html``."""
    return {name for name in url_names if f'href="{reverse(name)}"' in html}


def _opens(client, user, url_name):
    client.force_login(user)
    return client.get(reverse(url_name)).status_code == 200


# --- sub-menus ----------------------------------------------------------------------------------

TELEPHONY = (
    "telephony:line-list",
    "telephony:extension-list",
    "telephony:simcard-list",
    "telephony:operator-list",
    "telephony:contract-list",
    "telephony:plan-list",
    "telephony:fallback-list",
    "telephony:copper",
    "telephony:cutoff-list",
)
TELEWORK = (
    "telework:loan-list",
    "telework:reservation-list",
    "telework:calendar",
    "telework:readiness",
    "telework:remoteaccess-list",
    "telework:charter-list",
)


@pytest.mark.parametrize("persona", ["staff_user", "correspondent", "reader"])
def test_the_telephony_sub_menu_links_only_to_pages_that_open(client, request, persona):
    user = request.getfixturevalue(persona)
    linked = _links(_page(client, user, reverse("telephony:line-list")), *TELEPHONY)
    assert linked == {name for name in TELEPHONY if _opens(client, user, name)}
    if persona == "reader":
        assert linked == set(TELEPHONY)
    else:
        assert "telephony:operator-list" not in linked
        assert "telephony:contract-list" not in linked
        assert "telephony:plan-list" not in linked
        assert "telephony:fallback-list" not in linked
        assert "telephony:cutoff-list" not in linked
        assert ("telephony:copper" in linked) == (persona == "correspondent")


@pytest.mark.parametrize("persona", ["staff_user", "correspondent", "reader"])
def test_the_telework_sub_menu_links_only_to_pages_that_open(client, request, persona):
    user = request.getfixturevalue(persona)
    linked = _links(_page(client, user, reverse("telework:loan-list")), *TELEWORK)
    assert linked == {name for name in TELEWORK if _opens(client, user, name)}
    if persona == "reader":
        assert linked == set(TELEWORK)
    else:
        assert "telework:charter-list" not in linked
    if persona == "staff_user":
        assert (
            not {"telework:calendar", "telework:readiness", "telework:remoteaccess-list"} & linked
        )


def test_the_interventions_link_to_the_rounds_only_for_those_who_may_open_them(
    client, correspondent, reader
):
    url = reverse("field:intervention-list")
    assert _links(_page(client, correspondent, url), "field:routeplan-list") == set()
    assert not _opens(client, correspondent, "field:routeplan-list")
    assert _links(_page(client, reader, url), "field:routeplan-list") == {"field:routeplan-list"}


def test_the_inventory_pages_link_to_the_agent_set_up_only_for_those_who_may_open_it(
    client, reader, technician
):
    url = reverse("inventory:activity")
    assert _links(_page(client, reader, url), "inventory:setup") == set()
    assert not _opens(client, reader, "inventory:setup")
    assert _links(_page(client, reader, url), "inventory:agent-list") == {"inventory:agent-list"}
    assert _links(_page(client, technician, url), "inventory:setup") == {"inventory:setup"}


def test_an_empty_inventory_tab_points_to_the_set_up_only_for_those_who_may_open_it(
    client, reader, technician, site
):
    asset = AssetFactory(site=site)
    url = asset.get_absolute_url() + "?tab=hardware"
    assert _links(_page(client, reader, url), "inventory:setup") == set()
    assert _links(_page(client, technician, url), "inventory:setup") == {"inventory:setup"}


# --- related objects on detail pages ------------------------------------------------------------


@pytest.fixture
def furnished(site):
    """An asset with every related page: supplier, contract, site, department."""

    def make(**fields):
        supplier = SupplierFactory(name="Bureau Vallée Niort")
        return AssetFactory(
            site=site,
            supplier=supplier,
            contract=ContractFactory(name="Maintenance copieurs", supplier=supplier),
            department=DepartmentFactory(name="Service enfance"),
            **fields,
        )

    return make


def _related_links(html, asset):
    related = {
        "supplier": asset.supplier,
        "contract": asset.contract,
        "site": asset.site,
        "department": asset.department,
    }
    return {name for name, obj in related.items() if f'href="{obj.get_absolute_url()}"' in html}


def test_the_asset_page_links_staff_to_none_of_the_pages_they_cannot_open(
    client, staff_user, furnished
):
    asset = furnished(assigned_to=staff_user.person)
    html = _page(client, staff_user, asset.get_absolute_url())
    assert _related_links(html, asset) == set()
    assert "Bureau Vallée Niort" in html  # the name stays, as text
    for obj in (asset.supplier, asset.site, asset.department):
        client.force_login(staff_user)
        assert client.get(obj.get_absolute_url()).status_code == 404


def test_the_asset_page_links_a_correspondent_to_their_site_only(client, correspondent, furnished):
    asset = furnished()
    html = _page(client, correspondent, asset.get_absolute_url())
    assert _related_links(html, asset) == {"site"}
    assert "Maintenance copieurs" in html
    for obj in (asset.supplier, asset.contract):
        assert client.get(obj.get_absolute_url()).status_code == 404


def test_the_asset_page_links_a_reader_to_every_related_page(client, reader, furnished):
    asset = furnished()
    html = _page(client, reader, asset.get_absolute_url())
    assert _related_links(html, asset) == {"supplier", "contract", "site", "department"}


@pytest.mark.parametrize(("persona", "linked"), [("correspondent", False), ("reader", True)])
def test_the_site_page_links_to_its_organisation_for_those_who_may_open_it(
    client, request, site, persona, linked
):
    user = request.getfixturevalue(persona)
    html = _page(client, user, site.get_absolute_url())
    organisation_url = site.organisation.get_absolute_url()
    assert (f'href="{organisation_url}"' in html) is linked
    assert site.organisation.name in html
    assert (client.get(organisation_url).status_code == 200) is linked


@pytest.mark.parametrize(("persona", "linked"), [("correspondent", False), ("reader", True)])
def test_the_person_page_links_to_their_department_for_those_who_may_open_it(
    client, request, site, persona, linked
):
    person = PersonFactory(site=site, department=DepartmentFactory(name="Service scolaire"))
    user = request.getfixturevalue(persona)
    html = _page(client, user, person.get_absolute_url())
    department_url = person.department.get_absolute_url()
    assert (f'href="{department_url}"' in html) is linked
    assert "Service scolaire" in html
    assert (client.get(department_url).status_code == 200) is linked


@pytest.mark.parametrize(("persona", "linked"), [("staff_user", False), ("reader", True)])
def test_the_person_page_leads_back_to_the_people_list_for_those_who_may_open_it(
    client, request, staff_user, persona, linked
):
    user = request.getfixturevalue(persona)
    html = _page(client, user, staff_user.person.get_absolute_url())
    assert bool(_links(html, "directory:person-list")) is linked
    assert _opens(client, user, "directory:person-list") is linked


# --- the template tag, for hand-written links ---------------------------------------------------


@pytest.mark.parametrize(("persona", "linked"), [("correspondent", False), ("reader", True)])
def test_link_to_links_an_object_only_for_those_who_may_view_it(rf, request, site, persona, linked):
    page = rf.get("/")
    page.user = request.getfixturevalue(persona)
    html = Template("{% load links %}{% link_to organisation %}").render(
        RequestContext(page, {"organisation": site.organisation})
    )
    url = site.organisation.get_absolute_url()
    expected = f'<a href="{url}">{site.organisation.name}</a>' if linked else site.organisation.name
    assert html == expected
