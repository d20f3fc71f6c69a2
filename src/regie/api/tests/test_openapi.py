import json
import re

from rest_framework.test import APIClient

from regie.core.testing import EXTERNAL_ASSET


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


def _schema():
    return json.loads(APIClient().get("/api/v1/openapi.json").content)


def test_nested_objects_of_nullable_relations_are_nullable(db):
    schemas = _schema()["components"]["schemas"]
    department = schemas["Asset"]["properties"]["department_brief"]
    assert department["nullable"] is True
    assert department["allOf"] == [{"$ref": "#/components/schemas/DepartmentBrief"}]
    # Through a relation: a stop's site is its intervention's, which may have none.
    assert schemas["RouteStop"]["properties"]["site_brief"]["nullable"] is True
    # A required relation stays required.
    assert "nullable" not in schemas["Room"]["properties"]["site_brief"]


def test_a_blank_read_only_choice_is_in_the_schema(db):
    waiting_for = _schema()["components"]["schemas"]["Ticket"]["properties"]["waiting_for"]
    assert waiting_for["oneOf"] == [
        {"$ref": "#/components/schemas/WaitingForEnum"},
        {"$ref": "#/components/schemas/BlankEnum"},
    ]


def test_times_are_described_as_the_api_writes_them(db):
    day_start = _schema()["components"]["schemas"]["RoutePlan"]["properties"]["day_start"]
    assert "format" not in day_start
    assert re.match(day_start["pattern"], "08:00:00")
    assert re.match(day_start["pattern"], "08:00")
    assert not re.match(day_start["pattern"], "25:00:00")


def test_compliance_rules_are_a_plain_list(db):
    get = _schema()["paths"]["/api/v1/compliance/rules/"]["get"]
    body = get["responses"]["200"]["content"]["application/json"]["schema"]
    assert body == {"type": "array", "items": {"$ref": "#/components/schemas/ComplianceRule"}}
    assert {parameter["name"] for parameter in get.get("parameters", [])} == set()


def test_lists_and_writes_document_their_errors(db):
    paths = _schema()["paths"]
    assert sorted(paths["/api/v1/assets/"]["get"]["responses"]) == [
        "200",
        "400",
        "401",
        "403",
        "404",
    ]
    assert sorted(paths["/api/v1/assets/"]["post"]["responses"]) == [
        "201",
        "400",
        "401",
        "403",
        "409",
        "413",
        "415",
    ]
    page_size = next(
        p for p in paths["/api/v1/assets/"]["get"]["parameters"] if p["name"] == "page_size"
    )
    assert page_size["schema"] == {"type": "integer", "minimum": 1, "maximum": 500}
