import json

import pytest
from django.test import override_settings
from rest_framework.test import APIClient

from regie.assets.models import Asset
from regie.core.models import ChangeAction, ChangeRecord
from regie.core.testing import bearer_client
from regie.directory.models import Organisation, Site


def test_malformed_json_is_400_and_creates_nothing(technician):
    response = bearer_client(technician).post(
        "/api/v1/sites/", "{name: oops", content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {}
    assert response.json()["detail"] == "Le corps de la requête n'est pas du JSON valide."
    assert Site.objects.count() == 0


def test_non_json_body_is_415(technician):
    response = bearer_client(technician).post(
        "/api/v1/sites/", "name=x", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 415
    assert set(response.json()) == {"detail", "errors"}
    assert Site.objects.count() == 0


def test_json_that_is_not_an_object_is_400(technician):
    response = bearer_client(technician).post(
        "/api/v1/sites/", json.dumps(["a"]), content_type="application/json"
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["non_field_errors"]


def test_unknown_path_and_non_numeric_id_are_json_404(technician):
    client = bearer_client(technician)
    for path in ["/api/v1/nothing-here/", "/api/v1/assets/abc/", "/api/v1/assets/999999/"]:
        response = client.get(path)
        assert response.status_code == 404, path
        assert response.json() == {"detail": "Non trouvé.", "errors": {}}


def test_method_not_allowed_is_405(technician):
    response = bearer_client(technician).put("/api/v1/assets/", {}, format="json")
    assert response.status_code == 405
    assert response.json()["errors"] == {}
    assert "Allow" in response.headers


def test_protected_delete_is_409_and_deletes_nothing(technician, owned_asset, site):
    response = bearer_client(technician).delete(f"/api/v1/sites/{site.pk}/")
    assert response.status_code == 409
    assert response.json()["errors"] == {}
    assert Site.objects.filter(pk=site.pk).exists()
    assert Asset.objects.filter(pk=owned_asset.pk).exists()
    assert not ChangeRecord.objects.filter(action=ChangeAction.DELETE).exists()


def test_invalid_filter_value_is_400_with_field_error(technician):
    response = bearer_client(technician).get("/api/v1/assets/?status=broken")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["status"]


def assert_json_error(response, status, detail):
    assert response.status_code == status
    assert response.headers["Content-Type"] == "application/json"
    assert response.json() == {"detail": detail, "errors": {}}


@pytest.mark.parametrize("method", ["get", "post", "put", "delete"])
def test_dotted_id_and_unknown_paths_are_json_404_for_every_method(technician, method):
    client = bearer_client(technician)
    for path in ["/api/v1/assets/1.5/", "/api/v1/nothing/", "/api/", "/api/v2/assets"]:
        response = getattr(client, method)(path)
        assert_json_error(response, 404, "Non trouvé.")


def test_a_post_to_an_unknown_api_path_is_not_refused_as_csrf(technician):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(technician)
    assert_json_error(client.post("/api/v1/assets/1.5/", {}), 404, "Non trouvé.")


def test_ids_beyond_64_bits_are_json_404(technician, owned_asset):
    client = bearer_client(technician)
    for path in [
        "/api/v1/assets/99999999999999999999/",
        "/api/v1/assets/99999999999999999999/software/",
        "/api/v1/people/99999999999999999999/readiness",
    ]:
        assert_json_error(client.get(path), 404, "Non trouvé.")


@pytest.mark.parametrize(
    "query",
    [
        "/api/v1/flips/?check=99999999999999999999",
        "/api/v1/pings/?check=-99999999999999999999",
        "/api/v1/ticket-follow-ups/?ticket=99999999999999999999",
        "/api/v1/pings/?check=1.5",
    ],
)
def test_out_of_range_id_filters_are_400(admin_user, query):
    response = bearer_client(admin_user).get(query)
    assert response.status_code == 400
    assert response.headers["Content-Type"] == "application/json"
    name = query.split("?")[1].split("=")[0]
    assert list(response.json()["errors"]) == [name]


def test_software_version_filter_refuses_a_huge_number(technician, owned_asset):
    response = bearer_client(technician).get(
        f"/api/v1/assets/{owned_asset.pk}/software/?version=-1.374e+117"
    )
    assert response.status_code == 400
    assert response.json() == {
        "detail": "Saisie invalide.",
        "errors": {"version": ["Saisissez un nombre entier."]},
    }


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("page_size=abc", "page_size"),
        ("page_size=0", "page_size"),
        ("page_size=501", "page_size"),
        ("page=abc", "page"),
        ("page=0", "page"),
    ],
)
def test_malformed_pagination_is_400(technician, owned_asset, query, name):
    response = bearer_client(technician).get(f"/api/v1/assets/?{query}")
    assert response.status_code == 400
    assert response.headers["Content-Type"] == "application/json"
    assert response.json()["detail"] == "Saisie invalide."
    assert list(response.json()["errors"]) == [name]


def test_a_page_past_the_last_is_404_and_last_is_the_last(technician, owned_asset):
    client = bearer_client(technician)
    assert client.get("/api/v1/assets/?page=2").status_code == 404
    response = client.get("/api/v1/assets/?page=last&page_size=1")
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [owned_asset.pk]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("active=", "Ce champ ne peut être vide."),
        ("active=null", "Doit être un booléen valide."),
        ("site=", "Ce champ ne peut être vide."),
    ],
)
def test_blank_or_unreadable_filters_are_400(technician, query, message):
    response = bearer_client(technician).get(f"/api/v1/people/?{query}")
    assert response.status_code == 400
    assert response.json()["errors"] == {query.split("=")[0]: [message]}


def test_blank_search_is_no_filter(technician, owned_asset):
    response = bearer_client(technician).get("/api/v1/assets/?q=")
    assert response.status_code == 200
    assert response.json()["count"] == 1


@override_settings(ROOT_URLCONF="regie.api.tests.raising_urls")
def test_an_unhandled_error_in_the_api_is_json_500(db):
    client = APIClient(raise_request_exception=False)
    response = client.get("/api/v1/broken/")
    assert_json_error(response, 500, "Une erreur du serveur est survenue.")
    # Elsewhere, Django's own page.
    page = client.get("/broken/")
    assert page.status_code == 500
    assert page.headers["Content-Type"].startswith("text/html")


def test_html_page_ignores_an_out_of_range_version_filter(admin_user, client):
    from regie.assets.models import Software

    software = Software.objects.create(name="Firefox", normalized_name="firefox")
    client.force_login(admin_user)
    for version in ["99999999999999999999", "-1.374e+117"]:
        response = client.get(f"/fleet/catalogue/software/{software.pk}/?version={version}")
        assert response.status_code == 200, version
        assert "Firefox" in response.content.decode()


def test_text_must_be_a_string_and_fit_as_sent(technician):
    client = bearer_client(technician)
    as_number = client.post(
        "/api/v1/organisations/", {"name": 12, "kind": "commune"}, format="json"
    )
    assert as_number.status_code == 400
    assert as_number.json()["errors"] == {"name": ["Chaîne de caractère invalide."]}
    padded = client.post(
        "/api/v1/organisations/", {"name": " " * 10 + "x" * 145, "kind": "commune"}, format="json"
    )
    assert padded.status_code == 400
    assert list(padded.json()["errors"]) == ["name"]
    assert Organisation.objects.count() == 0
