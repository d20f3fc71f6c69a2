"""The fleet's sections on the directory's pages."""

import pytest
from django.urls import reverse

from regie.assets.panels import SHOWN
from regie.assets.tests.factories import AssetFactory
from regie.directory.tests.factories import DepartmentFactory, PersonFactory

pytestmark = pytest.mark.django_db


def equipment_names(response):
    panel = response.context["panels"][0].context
    return sorted(asset.name for asset in panel["assets"]), panel["count"], panel["more_url"]


def test_site_page_lists_the_site_equipment(
    client, technician, site, colleague_asset, outside_asset
):
    client.force_login(technician)
    response = client.get(reverse("directory:site-detail", args=[site.pk]))
    assert response.status_code == 200
    assert equipment_names(response) == (["POSTE-ACCUEIL"], 1, "")
    assert "POSTE-PISCINE" not in response.content.decode()


def test_person_page_lists_their_equipment_only_as_far_as_the_viewer_may_see(
    client, correspondent, staff_user, owned_asset, outside_asset
):
    outside_asset.assigned_to = staff_user.person
    outside_asset.save()
    person_url = reverse("directory:person-detail", args=[staff_user.person.pk])
    client.force_login(correspondent)
    assert equipment_names(client.get(person_url)) == (["PORTABLE-AGNES"], 1, "")
    client.force_login(staff_user)
    assert equipment_names(client.get(person_url)) == (
        ["PORTABLE-AGNES", "POSTE-PISCINE"],
        2,
        "",
    )


def test_long_lists_are_cut_with_a_link_to_the_filtered_list(client, reader):
    department = DepartmentFactory()
    AssetFactory.create_batch(SHOWN + 3, department=department)
    client.force_login(reader)
    response = client.get(reverse("directory:department-detail", args=[department.pk]))
    names, count, more_url = equipment_names(response)
    assert (len(names), count) == (SHOWN, SHOWN + 3)
    assert more_url == f"{reverse('assets:asset-list')}?department={department.pk}"
    assert f'href="{more_url}"' in response.content.decode()


def test_a_page_without_equipment_says_so(client, technician):
    person = PersonFactory()
    client.force_login(technician)
    response = client.get(reverse("directory:person-detail", args=[person.pk]))
    assert equipment_names(response) == ([], 0, "")
    assert "Aucun équipement." in response.content.decode()
