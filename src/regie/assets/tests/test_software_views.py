import pytest
from django.urls import reverse

from regie.assets.models import Software, SoftwareInstallation, SoftwareVersion


@pytest.fixture
def firefox(owned_asset, colleague_asset, outside_asset):
    software = Software.objects.create(
        name="Firefox",
        publisher="Mozilla",
        normalized_name="firefox",
        normalized_publisher="mozilla",
    )
    v128 = SoftwareVersion.objects.create(software=software, version="128.0")
    v115 = SoftwareVersion.objects.create(software=software, version="115.0")
    SoftwareInstallation.objects.create(asset=owned_asset, version=v128)
    SoftwareInstallation.objects.create(asset=colleague_asset, version=v115)
    SoftwareInstallation.objects.create(asset=outside_asset, version=v128)
    return software, v128, v115


def machines(response):
    return sorted(i.asset.name for i in response.context["machines_page"].object_list)


def test_reader_lists_software_with_counts(client, reader, firefox):
    client.force_login(reader)
    response = client.get(reverse("assets:software-list"))
    assert response.status_code == 200
    rows = [[cell.value for cell in row.cells] for row in response.context["rows"]]
    assert rows == [["Firefox", "Mozilla", 2, 3]]


def test_which_machines_run_a_version(client, technician, firefox):
    software, v128, _v115 = firefox
    client.force_login(technician)
    url = reverse("assets:software-detail", args=[software.pk])
    assert machines(client.get(url)) == ["PORTABLE-AGNES", "POSTE-ACCUEIL", "POSTE-PISCINE"]
    assert machines(client.get(f"{url}?version={v128.pk}")) == ["PORTABLE-AGNES", "POSTE-PISCINE"]


def test_staff_sees_only_own_installations(client, staff_user, firefox):
    software, v128, _v115 = firefox
    client.force_login(staff_user)
    listing = client.get(reverse("assets:software-list"))
    assert [[c.value for c in row.cells] for row in listing.context["rows"]] == [
        ["Firefox", "Mozilla", 2, 1]
    ]
    detail = client.get(reverse("assets:software-detail", args=[software.pk]))
    assert machines(detail) == ["PORTABLE-AGNES"]
    assert [v.pk for v in detail.context["versions"]] == [v128.pk]


def test_correspondent_sees_their_sites_assets(client, correspondent, firefox):
    software, _v128, _v115 = firefox
    client.force_login(correspondent)
    detail = client.get(reverse("assets:software-detail", args=[software.pk]))
    assert machines(detail) == ["PORTABLE-AGNES", "POSTE-ACCUEIL"]


def test_staff_cannot_see_software_not_on_their_assets(client, staff_user, firefox):
    other = Software.objects.create(name="GIMP", normalized_name="gimp")
    client.force_login(staff_user)
    assert client.get(reverse("assets:software-detail", args=[other.pk])).status_code == 404


@pytest.mark.parametrize("count", [3, 40])
def test_software_list_query_count_is_fixed(
    client, technician, owned_asset, count, django_assert_max_num_queries
):
    for i in range(count):
        software = Software.objects.create(name=f"Logiciel {i}", normalized_name=f"logiciel {i}")
        version = SoftwareVersion.objects.create(software=software, version="1")
        SoftwareInstallation.objects.create(asset=owned_asset, version=version)
    client.force_login(technician)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("assets:software-list") + "?page_size=100")
    assert len(response.context["rows"]) == count
