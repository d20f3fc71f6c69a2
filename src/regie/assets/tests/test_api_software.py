"""The software endpoints: an asset's installed software and the catalogue, per role."""

import datetime as dt

import pytest
from rest_framework.test import APIClient

from regie.assets.models import Software, SoftwareInstallation, SoftwareVersion
from regie.assets.models.software import normalise_software_text
from regie.assets.tests.factories import AssetFactory
from regie.core.testing import bearer_client

INSTALLATION_KEYS = {
    "id",
    "software",
    "software_brief",
    "version",
    "version_brief",
    "install_date",
    "created_at",
    "updated_at",
}
SOFTWARE_KEYS = {"id", "name", "publisher", "version_count", "installation_count"}


def software(name, publisher=""):
    return Software.objects.create(
        name=name,
        publisher=publisher,
        normalized_name=normalise_software_text(name),
        normalized_publisher=normalise_software_text(publisher),
    )


def install(asset, version, install_date=None):
    return SoftwareInstallation.objects.create(
        asset=asset, version=version, install_date=install_date
    )


def brief(asset):
    return {"id": asset.pk, "inventory_number": asset.inventory_number, "name": asset.name}


@pytest.fixture
def catalogue(owned_asset, colleague_asset, outside_asset):
    """Firefox 128 on the staff member's and the colleague's machines, 115 on the pool's;
    LibreOffice on the staff member's machine only; 7-Zip on nothing."""
    firefox = software("Mozilla Firefox", "Mozilla")
    ff128 = SoftwareVersion.objects.create(software=firefox, version="128.0", architecture="x64")
    ff115 = SoftwareVersion.objects.create(software=firefox, version="115.2", architecture="x64")
    libre = software("LibreOffice", "The Document Foundation")
    lo24 = SoftwareVersion.objects.create(software=libre, version="24.2.7")
    zip7 = software("7-Zip")
    SoftwareVersion.objects.create(software=zip7, version="24.08")
    install(owned_asset, ff128, dt.date(2026, 10, 1))
    install(colleague_asset, ff128)
    install(outside_asset, ff115)
    install(owned_asset, lo24, dt.date(2026, 9, 15))
    return {"firefox": firefox, "ff128": ff128, "ff115": ff115, "libre": libre, "lo24": lo24}


def asset_url(asset_pk):
    return f"/api/v1/assets/{asset_pk}/software/"


# --- /assets/{id}/software/ -----------------------------------------------------------------


def test_technician_lists_an_assets_software_by_name(technician, owned_asset, catalogue):
    response = bearer_client(technician).get(asset_url(owned_asset.pk))

    assert response.status_code == 200
    body = response.json()
    assert (body["count"], body["next"], body["previous"]) == (2, None, None)
    assert all(set(row) == INSTALLATION_KEYS for row in body["results"])
    libre, firefox = body["results"]
    ff128 = catalogue["ff128"]
    installation = SoftwareInstallation.objects.get(asset=owned_asset, version=ff128)
    assert {k: v for k, v in firefox.items() if k not in {"created_at", "updated_at"}} == {
        "id": installation.pk,
        "software": catalogue["firefox"].pk,
        "software_brief": {
            "id": catalogue["firefox"].pk,
            "name": "Mozilla Firefox",
            "publisher": "Mozilla",
        },
        "version": ff128.pk,
        "version_brief": {"id": ff128.pk, "version": "128.0", "architecture": "x64"},
        "install_date": "2026-10-01",
    }
    assert firefox["created_at"].endswith("Z")
    assert libre["software_brief"]["name"] == "LibreOffice"
    assert libre["version_brief"] == {
        "id": catalogue["lo24"].pk,
        "version": "24.2.7",
        "architecture": "",
    }
    assert libre["install_date"] == "2026-09-15"


@pytest.mark.parametrize(
    ("term", "names"),
    [
        ("firefox", ["Mozilla Firefox"]),
        ("document foundation", ["LibreOffice"]),
        ("24.2", ["LibreOffice"]),
        ("nothing-like-this", []),
    ],
)
def test_asset_software_search_matches_name_publisher_or_version(
    technician, owned_asset, catalogue, term, names
):
    response = bearer_client(technician).get(asset_url(owned_asset.pk), {"q": term})

    assert response.status_code == 200
    assert [r["software_brief"]["name"] for r in response.json()["results"]] == names


def test_staff_reads_own_assets_software_not_a_colleagues(
    staff_user, owned_asset, colleague_asset, catalogue
):
    client = bearer_client(staff_user)

    own = client.get(asset_url(owned_asset.pk))
    colleague = client.get(asset_url(colleague_asset.pk))

    assert own.status_code == 200
    assert own.json()["count"] == 2
    assert colleague.status_code == 404
    assert colleague.json() == {"detail": "Non trouvé.", "errors": {}}


def test_correspondent_reads_software_of_own_site_only(
    correspondent, colleague_asset, outside_asset, catalogue
):
    client = bearer_client(correspondent)

    assert client.get(asset_url(colleague_asset.pk)).json()["count"] == 1
    assert client.get(asset_url(outside_asset.pk)).status_code == 404


def test_unknown_or_malformed_asset_is_404(technician):
    client = bearer_client(technician)
    assert client.get(asset_url(999999)).status_code == 404
    assert client.get(asset_url("abc")).status_code == 404


def test_asset_software_is_read_only(technician, owned_asset, catalogue):
    response = bearer_client(technician).post(asset_url(owned_asset.pk), {}, format="json")
    assert response.status_code == 405
    assert SoftwareInstallation.objects.filter(asset=owned_asset).count() == 2


def test_asset_software_without_token_is_401(owned_asset):
    response = APIClient().get(asset_url(owned_asset.pk))
    assert response.status_code == 401
    assert set(response.json()) == {"detail", "errors"}


@pytest.mark.parametrize("page_size", [5, 60])
def test_asset_software_runs_a_fixed_number_of_queries(
    technician, django_assert_max_num_queries, page_size
):
    asset = AssetFactory()
    for n in range(page_size):
        version = SoftwareVersion.objects.create(software=software(f"Programme {n:03d}"))
        install(asset, version)
    client = bearer_client(technician)
    client.get(asset_url(asset.pk))  # the first request records the token's last use
    # token, asset, count, page
    with django_assert_max_num_queries(4):
        response = client.get(asset_url(asset.pk), {"page_size": page_size})
    assert len(response.json()["results"]) == page_size


# --- /software/ --------------------------------------------------------------------------------


def test_technician_lists_the_catalogue_with_counts(technician, catalogue):
    response = bearer_client(technician).get("/api/v1/software/")

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    assert all(set(row) == SOFTWARE_KEYS for row in body["results"])
    assert body["results"] == [
        {
            "id": Software.objects.get(name="7-Zip").pk,
            "name": "7-Zip",
            "publisher": "",
            "version_count": 1,
            "installation_count": 0,
        },
        {
            "id": catalogue["libre"].pk,
            "name": "LibreOffice",
            "publisher": "The Document Foundation",
            "version_count": 1,
            "installation_count": 1,
        },
        {
            "id": catalogue["firefox"].pk,
            "name": "Mozilla Firefox",
            "publisher": "Mozilla",
            "version_count": 2,
            "installation_count": 3,
        },
    ]


@pytest.mark.parametrize(
    ("params", "names"),
    [
        ({"q": "mozilla"}, ["Mozilla Firefox"]),
        ({"q": "foundation"}, ["LibreOffice"]),
        ({"name": "zip"}, ["7-Zip"]),
        ({"publisher": "mozilla"}, ["Mozilla Firefox"]),
        ({"version": "115.2"}, ["Mozilla Firefox"]),
        ({"version": "115"}, []),
        ({"ordering": "-installs"}, ["Mozilla Firefox", "LibreOffice", "7-Zip"]),
    ],
)
def test_catalogue_filters(technician, catalogue, params, names):
    response = bearer_client(technician).get("/api/v1/software/", params)

    assert response.status_code == 200
    assert [r["name"] for r in response.json()["results"]] == names


def test_software_detail_lists_the_machines_running_each_version(
    technician, catalogue, owned_asset, colleague_asset, outside_asset
):
    firefox = catalogue["firefox"]

    response = bearer_client(technician).get(f"/api/v1/software/{firefox.pk}/")

    assert response.status_code == 200
    assert response.json() == {
        "id": firefox.pk,
        "name": "Mozilla Firefox",
        "publisher": "Mozilla",
        "version_count": 2,
        "installation_count": 3,
        "versions": [
            {
                "id": catalogue["ff115"].pk,
                "version": "115.2",
                "architecture": "x64",
                "installation_count": 1,
                "assets": [brief(outside_asset)],
            },
            {
                "id": catalogue["ff128"].pk,
                "version": "128.0",
                "architecture": "x64",
                "installation_count": 2,
                # by name: PORTABLE-AGNES, POSTE-ACCUEIL
                "assets": [brief(owned_asset), brief(colleague_asset)],
            },
        ],
    }


def test_which_machines_run_one_version(technician, catalogue, owned_asset, colleague_asset):
    response = bearer_client(technician).get(
        f"/api/v1/software/{catalogue['firefox'].pk}/", {"version": "128.0"}
    )

    assert response.status_code == 200
    [version] = response.json()["versions"]
    assert version["version"] == "128.0"
    assert sorted(a["id"] for a in version["assets"]) == sorted(
        [owned_asset.pk, colleague_asset.pk]
    )


def test_reader_reads_the_catalogue_but_cannot_write(reader, catalogue):
    client = bearer_client(reader)
    firefox = catalogue["firefox"]

    assert client.get("/api/v1/software/").json()["count"] == 3
    assert client.get(f"/api/v1/software/{firefox.pk}/").status_code == 200
    assert client.post("/api/v1/software/", {"name": "X"}, format="json").status_code == 405
    patch = client.patch(f"/api/v1/software/{firefox.pk}/", {"name": "X"}, format="json")
    assert patch.status_code == 405
    assert client.delete(f"/api/v1/software/{firefox.pk}/").status_code == 405
    firefox.refresh_from_db()
    assert firefox.name == "Mozilla Firefox"


@pytest.mark.parametrize(("persona", "firefox_machines"), [("correspondent", 2), ("staff_user", 1)])
def test_correspondents_and_staff_see_the_software_of_their_machines(
    request, persona, firefox_machines, catalogue
):
    client = bearer_client(request.getfixturevalue(persona))

    listing = client.get("/api/v1/software/")

    assert listing.status_code == 200
    rows = {row["name"]: row for row in listing.json()["results"]}
    assert sorted(rows) == ["LibreOffice", "Mozilla Firefox"]
    assert rows["Mozilla Firefox"]["installation_count"] == firefox_machines
    unused = Software.objects.get(name="7-Zip")
    assert client.get(f"/api/v1/software/{unused.pk}/").status_code == 404


def test_catalogue_without_token_is_401(catalogue):
    assert APIClient().get("/api/v1/software/").status_code == 401
    assert APIClient().get(f"/api/v1/software/{catalogue['firefox'].pk}/").status_code == 401


def test_unknown_software_is_404(technician):
    assert bearer_client(technician).get("/api/v1/software/999999/").status_code == 404


@pytest.mark.parametrize("page_size", [5, 60])
def test_catalogue_runs_a_fixed_number_of_queries(
    technician, django_assert_max_num_queries, page_size
):
    assets = [AssetFactory() for _ in range(3)]
    for n in range(page_size):
        program = software(f"Programme {n:03d}")
        for v in range(2):
            version = SoftwareVersion.objects.create(software=program, version=f"{v}.0")
            for asset in assets:
                install(asset, version)
    client = bearer_client(technician)
    client.get("/api/v1/software/")  # the first request records the token's last use
    # token, count, page (counts are subqueries of the page query)
    with django_assert_max_num_queries(3):
        response = client.get("/api/v1/software/", {"page_size": page_size})
    rows = response.json()["results"]
    assert len(rows) == page_size
    assert {(r["version_count"], r["installation_count"]) for r in rows} == {(2, 6)}


@pytest.mark.parametrize("machines", [2, 40])
def test_software_detail_runs_a_fixed_number_of_queries(
    technician, django_assert_max_num_queries, machines
):
    program = software("Mozilla Firefox", "Mozilla")
    versions = [
        SoftwareVersion.objects.create(software=program, version=f"{n}.0") for n in range(3)
    ]
    for n in range(machines):
        install(AssetFactory(), versions[n % 3])
    client = bearer_client(technician)
    client.get(f"/api/v1/software/{program.pk}/")
    # token, software with its counts, versions, installations with their assets
    with django_assert_max_num_queries(4):
        response = client.get(f"/api/v1/software/{program.pk}/")
    assert sum(len(v["assets"]) for v in response.json()["versions"]) == machines
