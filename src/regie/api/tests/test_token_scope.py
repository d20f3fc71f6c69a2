"""A read-only token cannot write anywhere: every write operation of the OpenAPI schema,
sent with a read-only token of an administrator on the demo territory (ids of real rows),
answers 403 with the scope's message and changes no row of any table. The same walk with a
read-write token is never refused by the scope, so the walk can fail."""

import json
import re

import pytest
from django.apps import apps
from rest_framework.test import APIClient

from regie.core.models import ApiToken, ChangeRecord, Role, User
from regie.core.tokens import create_api_token
from regie.demo.territory import build_territory

WRITE_METHODS = {"post", "put", "patch", "delete"}
PARAMETER = re.compile(r"\{([^}]+)\}")
SCOPE_MESSAGE = (
    "This token is read-only: it cannot change anything. "
    "Create a read-write token to write through the API."
)
# Columns a request may write whatever its scope: the token's own last use.
VOLATILE = {(ApiToken, "last_used_at"), (ApiToken, "last_used_address")}


def _client(user, scope):
    _token, raw_key = create_api_token(user=user, name=scope, scope=scope, expires_at=None)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw_key}", HTTP_ACCEPT_LANGUAGE="en")
    return client


def _snapshot():
    """Every row of every table (but the tokens' last use), to compare before and after."""
    state = {}
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        columns = [
            field.attname
            for field in model._meta.concrete_fields
            if (model, field.name) not in VOLATILE
        ]
        state[model._meta.label] = list(model._base_manager.order_by("pk").values_list(*columns))
    return state


def _first_id(client, path):
    """The id of a row the caller sees, from the list the path stands under."""
    response = client.get(path.split("{")[0])
    if response.status_code != 200:
        return None
    data = response.json()
    rows = data.get("results", []) if isinstance(data, dict) else data
    return next((row["id"] for row in rows if isinstance(row, dict) and "id" in row), None)


def _write_operations(client):
    schema = json.loads(client.get("/api/v1/openapi.json").content)
    operations = []
    for path, item in schema["paths"].items():
        for method in item:
            if method in WRITE_METHODS:
                operations.append((method, path))
    return operations


def _url(client, path):
    pk = _first_id(client, path)
    return PARAMETER.sub(lambda match: str(pk if pk is not None else 1), path)


def _send(client, method, url):
    # A plausible body is not needed: the scope is checked before the body is read.
    return getattr(client, method)(url, {}, format="json")


@pytest.mark.django_db
def test_a_read_only_token_cannot_write_anywhere():
    build_territory(password="mot-de-passe-demo", with_fleet=False)  # noqa: S106  # the demo's own
    admin = User.objects.filter(role=Role.ADMIN, is_active=True).order_by("pk").first()
    read_only = _client(admin, ApiToken.Scope.READ)
    read_write = _client(admin, ApiToken.Scope.WRITE)
    operations = _write_operations(read_only)
    assert len(operations) > 70
    urls = {(method, path): _url(read_only, path) for method, path in operations}

    before = _snapshot()
    changes_before = ChangeRecord.objects.count()
    refused = []
    for (method, path), url in urls.items():
        response = _send(read_only, method, url)
        if response.status_code == 403 and response.json()["detail"] == SCOPE_MESSAGE:
            refused.append((method, path))
    assert [operation for operation in urls if operation not in refused] == []
    assert ChangeRecord.objects.count() == changes_before
    assert _snapshot() == before

    scope_refusals = [
        (method, path)
        for (method, path), url in urls.items()
        if (response := _send(read_write, method, url)).status_code == 403
        and response.json()["detail"] == SCOPE_MESSAGE
    ]
    assert scope_refusals == []
    assert _snapshot() != before  # the read-write token did write


def test_the_walk_covers_every_write_endpoint_of_the_url_configuration(db):
    """No API view that takes a write is left out of the schema, hence out of the walk."""
    from drf_spectacular.generators import EndpointEnumerator

    endpoints = EndpointEnumerator().get_api_endpoints()
    # The schema names the primary key "id", as the serializers do.
    writes = {
        (method.lower(), path.replace("{pk}", "{id}"))
        for path, _regex, method, _callback in endpoints
        if method.lower() in WRITE_METHODS
    }
    assert len(writes) > 70
    assert writes - set(_write_operations(APIClient())) == set()
