"""The API against its own OpenAPI schema, with schemathesis, on a live Régie with the demo.

For every operation (reads, then writes), as an administrator and as a correspondent,
requests are generated from ``/api/v1/openapi.json`` (valid ones and invalid ones) and each
answer is checked: no server
error, a documented status and content type, a body matching the schema, invalid input
refused. Operations with an ``{id}`` are also tried with ids of real rows the caller sees.
Bounded and deterministic: a fixed number of examples per operation, no example database.
Excluded checks are listed, with why, in docs/api.md.
"""

from __future__ import annotations

import time

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, configuration, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from regie.core.models import ApiToken, Role, User
from regie.core.tokens import create_api_token
from regie.demo.territory import build_territory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.fuzz]

READ_EXAMPLES = 5  # per operation, per generation mode, per caller
WRITE_EXAMPLES = 4
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]
# Writes with the id of a real row; a DELETE only ever gets generated ids, so that the rows
# the other operations need stay.
UPDATE_METHODS = {"PUT", "PATCH"}


def _fuzz(operation, headers, failures, mode, path_parameters=None, examples=READ_EXAMPLES):
    strategy = operation.as_strategy(generation_mode=mode, path_parameters=path_parameters)

    @settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def run(case):
        response = case.call(headers=headers, timeout=30)
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001  # collected, then reported
            failures.append(f"{operation.label} [{mode.value}] {str(exc)[:600]}")

    run()


def _ids(base_url, path, headers):
    """Ids of a few rows of the list ``path`` stands under, as the caller sees them."""
    list_path = path.split("{id}")[0]
    if "{" in list_path:
        return []
    response = requests.get(base_url + list_path, headers=headers, timeout=30)
    if response.status_code != 200:
        return []
    data = response.json()
    rows = data.get("results", []) if isinstance(data, dict) else data
    return [row["id"] for row in rows[:2] if isinstance(row, dict) and "id" in row]


@pytest.fixture
def hypothesis_home(tmp_path):
    """Hypothesis keeps caches (constants, examples) in ./.hypothesis: not in the repository."""
    configuration.set_hypothesis_home_dir(tmp_path / "hypothesis")
    yield
    configuration.set_hypothesis_home_dir(None)


def test_the_api_answers_as_its_schema_says(live_server, hypothesis_home):
    started = time.perf_counter()
    build_territory(password="fuzz-demo-password")  # noqa: S106  # a throwaway test account
    callers = {}
    for role in (Role.ADMIN, Role.CORRESPONDENT):
        user = User.objects.filter(role=role, is_active=True).order_by("pk").first()
        assert user is not None, role
        _token, raw = create_api_token(
            user=user, name="fuzz", scope=ApiToken.Scope.WRITE, expires_at=None
        )
        callers[role] = {"Authorization": f"Bearer {raw}"}

    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/v1/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    reads = [op for op in operations if op.method.upper() == "GET"]
    writes = [op for op in operations if op.method.upper() != "GET"]
    assert len(reads) > 70
    assert len(writes) > 70

    failures: list[str] = []
    modes = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
    for headers in callers.values():
        for operation in reads:
            for mode in modes:
                _fuzz(operation, headers, failures, mode)
            if "{id}" in operation.path:
                for pk in _ids(live_server.url, operation.path, headers):
                    _fuzz(operation, headers, failures, GenerationMode.POSITIVE, {"id": pk})
    for headers in callers.values():
        for operation in writes:
            for mode in modes:
                _fuzz(operation, headers, failures, mode, examples=WRITE_EXAMPLES)
            if operation.method.upper() in UPDATE_METHODS and operation.path.endswith("{id}/"):
                for pk in _ids(live_server.url, operation.path, headers)[:1]:
                    _fuzz(
                        operation,
                        headers,
                        failures,
                        GenerationMode.POSITIVE,
                        {"id": pk},
                        examples=WRITE_EXAMPLES,
                    )
    elapsed = time.perf_counter() - started
    print(f"schema fuzz: {len(reads)} reads, {len(writes)} writes, 2 callers, {elapsed:.0f} s")
    assert failures == [], "\n\n".join(failures[:40]) + f"\n\n{len(failures)} failures"
