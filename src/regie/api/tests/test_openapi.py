import json

from rest_framework.test import APIClient

from regie.core.tests.test_views_auth import EXTERNAL_ASSET


def test_openapi_schema_lists_resources_filters_and_bearer_security(db):
    response = APIClient().get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["info"]["title"] == "Régie API"
    assert "/api/v1/assets/" in schema["paths"]
    assert "/api/v1/people/{id}/" in schema["paths"]
    assert schema["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "A personal token from /account/tokens/ or `regie token create USERNAME`.",
    }
    list_assets = schema["paths"]["/api/v1/assets/"]["get"]
    assert {"bearerAuth": []} in list_assets["security"]
    parameters = {parameter["name"] for parameter in list_assets["parameters"]}
    assert {"q", "status", "site", "ordering", "page", "page_size"} <= parameters


def test_swagger_ui_is_served_from_local_static_files(db):
    response = APIClient().get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert not EXTERNAL_ASSET.search(html)
    assert "jsdelivr" not in html and "unpkg" not in html


def test_openapi_documents_the_error_shape(db):
    schema = json.loads(APIClient().get("/api/v1/openapi.json").content)
    delete = schema["paths"]["/api/v1/assets/{id}/"]["delete"]["responses"]
    assert sorted(delete) == ["204", "401", "403", "404", "409"]
    error = delete["409"]["content"]["application/json"]["schema"]
    assert error == {"$ref": "#/components/schemas/Error"}
    assert schema["components"]["schemas"]["Error"]["required"] == ["detail", "errors"]
