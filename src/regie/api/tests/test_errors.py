import json

from regie.api.tests.clients import bearer_client
from regie.assets.models import Asset
from regie.core.models import ChangeAction, ChangeRecord
from regie.directory.models import Site


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
