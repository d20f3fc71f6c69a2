"""Hostile or malformed request bodies get a 4xx in the API's error format and change nothing."""

import pytest

from regie.assets.models import Asset
from regie.core.models import ChangeRecord
from regie.core.testing import bearer_client

pytestmark = pytest.mark.django_db


def post_raw(client, body, content_type="application/json"):
    return client.generic("POST", "/api/v1/assets/", body, content_type=content_type)


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ('{"name": "' + "x" * (3 * 1024 * 1024) + '"}', 413),  # over DATA_UPLOAD_MAX_MEMORY_SIZE
        ("[" * 100_000 + "]" * 100_000, 400),  # beyond the recursion limit
        ('{"a":' * 30 + "1" + "}" * 30, 400),  # within it, beyond the API's depth
        ('{"name": NaN}', 400),
        ('{"name": "POSTE"', 400),  # truncated
        (b"\xff\xfe{}", 400),  # not UTF-8
        ("", 400),
    ],
)
def test_hostile_json_is_refused_in_the_api_format(technician, body, status):
    client = bearer_client(technician)
    records_before = ChangeRecord.objects.count()
    response = post_raw(client, body)
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert set(response.json()) == {"detail", "errors"}
    assert Asset.objects.count() == 0
    assert ChangeRecord.objects.count() == records_before


def test_a_form_body_is_415(technician):
    response = post_raw(
        bearer_client(technician), "name=POSTE", "application/x-www-form-urlencoded"
    )
    assert response.status_code == 415
    assert set(response.json()) == {"detail", "errors"}


@pytest.mark.parametrize("escaped", ["a\\u0000b", "\\ud800"])
def test_unstorable_characters_are_field_errors(technician, escaped):
    # Sent escaped, as a client would: a NUL byte and a lone surrogate are valid JSON.
    response = post_raw(bearer_client(technician), '{"name": "' + escaped + '"}')
    assert response.status_code == 400
    assert "name" in response.json()["errors"]
    assert Asset.objects.count() == 0


@pytest.mark.parametrize(
    ("query", "status"),
    [("page=abc", 400), ("ordering=password", 400), ("site=abc", 400), ("status=bogus", 400)],
)
def test_bad_list_parameters_are_refused_not_ignored(technician, query, status):
    response = bearer_client(technician).get(f"/api/v1/assets/?{query}")
    assert response.status_code == status
    assert set(response.json()) == {"detail", "errors"}
