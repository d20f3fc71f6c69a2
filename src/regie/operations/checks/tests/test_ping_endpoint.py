"""The public ping endpoint: verbs, methods, bodies, unknown codes, rate limit."""

import pytest
import time_machine

from regie.operations.checks.models import Check, CheckStatus, FailureReason, Ping, PingKind
from regie.operations.checks.tests.factories import CheckFactory


@pytest.fixture
def check(db):
    return CheckFactory()


def url(check, suffix=""):
    return f"/ping/{check.ping_uuid}{suffix}"


@pytest.mark.parametrize("method", ["get", "head", "post"])
def test_success_by_every_method(client, check, method):
    response = getattr(client, method)(url(check), HTTP_USER_AGENT="curl/8.5")
    assert response.status_code == 200
    row = Ping.objects.get(check_obj=check)
    assert (row.kind, row.method, row.user_agent, row.remote_addr) == (
        PingKind.SUCCESS,
        method.upper(),
        "curl/8.5",
        "127.0.0.1",
    )
    assert Check.objects.get(pk=check.pk).status == CheckStatus.UP
    if method != "head":
        assert response.content == b"OK"


def test_start_then_fail(client, check):
    assert client.get(url(check, "/start")).status_code == 200
    assert (
        client.post(url(check, "/fail"), "disque plein", content_type="text/plain").status_code
        == 200
    )
    start, fail = Ping.objects.filter(check_obj=check).order_by("id")
    assert start.kind == PingKind.START
    assert (fail.kind, fail.reason, fail.body) == (
        PingKind.FAIL,
        FailureReason.SIGNALLED,
        "disque plein",
    )
    assert fail.duration is not None and fail.duration >= 0
    assert Check.objects.get(pk=check.pk).status == CheckStatus.DOWN


@pytest.mark.parametrize(
    ("code", "kind"), [("0", PingKind.SUCCESS), ("1", PingKind.FAIL), ("255", PingKind.FAIL)]
)
def test_exit_status(client, check, code, kind):
    assert client.post(url(check, f"/{code}")).status_code == 200
    row = Ping.objects.get(check_obj=check)
    assert (row.kind, row.exit_status) == (kind, int(code))


@pytest.mark.parametrize("suffix", ["/256", "/-1", "/unknown", "/1/2"])
def test_invalid_suffix_is_404_and_stores_nothing(client, check, suffix):
    assert client.get(url(check, suffix)).status_code == 404
    assert not Ping.objects.exists()


def test_size_is_read_from_the_query_string(client, check):
    client.get(url(check) + "?size=123456")
    assert Ping.objects.get().size == 123456


def test_body_over_the_cap_is_truncated_not_refused(client, check, settings):
    settings.PING_BODY_LIMIT = 1000
    body = "é" * 400 + "x" * 2000  # 800 bytes of two-byte characters, then ASCII
    response = client.post(url(check), body, content_type="text/plain")
    assert response.status_code == 200
    row = Ping.objects.get()
    assert row.body_truncated is True
    assert row.body == "é" * 400 + "x" * 200
    assert len(row.body.encode()) == 1000


def test_body_larger_than_django_upload_limit_is_still_accepted(client, check, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    response = client.post(url(check), b"a" * 300_000, content_type="application/octet-stream")
    assert response.status_code == 200
    assert len(Ping.objects.get().body) == settings.PING_BODY_LIMIT


@pytest.mark.parametrize(
    "code",
    ["0b6c3f55-4a0e-4f43-9d1e-2c7e5a8b9f10", "not-a-uuid", "x" * 300],
    ids=["unknown", "malformed", "too-long"],
)
def test_unknown_or_malformed_code_gets_the_same_tiny_404(client, db, code):
    response = client.get(f"/ping/{code}")
    assert response.status_code == 404
    assert response.content == b"not found"
    assert not Ping.objects.exists()


def test_other_methods_are_refused(client, check):
    response = client.put(url(check))
    assert response.status_code == 405
    assert not Ping.objects.exists()


def test_rate_limit_answers_429_beyond_the_limit(client, check, settings):
    settings.PING_RATE_LIMIT = 5
    with time_machine.travel("2026-01-12 10:00:01Z", tick=False):
        statuses = [client.get(url(check)).status_code for _ in range(7)]
    assert statuses == [200] * 5 + [429] * 2
    assert Ping.objects.filter(check_obj=check).count() == 5
    with time_machine.travel("2026-01-12 10:00:30Z", tick=False):
        assert client.get(url(CheckFactory())).status_code == 200  # counted per check
    with time_machine.travel("2026-01-12 10:01:00Z", tick=False):
        assert client.get(url(check)).status_code == 200  # a new minute


def test_no_session_or_csrf_needed(check):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post(url(check), "ok", content_type="text/plain").status_code == 200


def test_health_live_is_a_bare_ok(client, db):
    response = client.get("/health/live")
    assert (response.status_code, response.content) == (200, b"ok")
