"""The public ping endpoint: ``/ping/<uuid>[/start|/fail|/<exit status>]``.

No authentication (the secret UUID is the credential), no CSRF, GET, HEAD or POST. The body
is kept as the run's log, truncated (never refused) at ``PING_BODY_LIMIT`` bytes; the
optional query parameter ``size`` reports the size in bytes of what the job produced (a
backup archive), compared with the check's minimum size. An unknown or malformed code
gets the same tiny 404.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from regie.operations.checks.fastpath import record_ping
from regie.operations.checks.models import PingKind
from regie.operations.checks.services import PingRequest, RateLimited

_CHUNK = 64 * 1024
_DRAIN_LIMIT = 64 * 1024 * 1024  # read and drop at most this much beyond the cap


def _text(status: int, body: bytes) -> HttpResponse:
    response = HttpResponse(body, status=status, content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response


NOT_FOUND = b"not found"


def _action(action: str) -> tuple[str, int | None] | None:
    if action == "":
        return PingKind.SUCCESS, None
    if action == "start":
        return PingKind.START, None
    if action == "fail":
        return PingKind.FAIL, None
    if action.isdigit() and len(action) <= 3 and int(action) <= 255:
        status = int(action)
        return (PingKind.SUCCESS if status == 0 else PingKind.FAIL), status
    return None


def _read_body(request: HttpRequest) -> tuple[str, bool]:
    """The body up to the cap (decoded, invalid bytes replaced), and whether it was cut."""
    if request.method != "POST":
        return "", False
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length <= 0:
        return "", False
    limit = settings.PING_BODY_LIMIT
    data = request.read(min(length, limit))
    truncated = length > limit
    if truncated:
        # Drain what is left so the connection can serve the next request.
        drained = 0
        while drained < _DRAIN_LIMIT and (chunk := request.read(_CHUNK)):
            drained += len(chunk)
    return data.decode("utf-8", errors="replace"), truncated


def _size(request: HttpRequest) -> int | None:
    raw = request.GET.get("size", "")
    if raw.isdigit() and len(raw) <= 19:
        return int(raw)
    return None


@csrf_exempt
def ping(request: HttpRequest, code: str, action: str = "") -> HttpResponse:
    """Record one ping; ``OK``, or 404 / 405 / 429 with a tiny plain-text body."""
    if request.method not in ("GET", "HEAD", "POST"):
        response = _text(405, b"method not allowed")
        response["Allow"] = "GET, HEAD, POST"
        return response
    parsed = _action(action)
    try:
        key = uuid.UUID(code)
    except ValueError:
        return _text(404, NOT_FOUND)
    if parsed is None:
        return _text(404, NOT_FOUND)
    kind, exit_status = parsed
    body, truncated = _read_body(request)
    try:
        found = record_ping(
            code=key,
            ping=PingRequest(
                kind=kind,
                exit_status=exit_status,
                body=body,
                body_truncated=truncated,
                size=_size(request),
                remote_addr=request.META.get("REMOTE_ADDR") or None,
                method=request.method,
                user_agent=request.META.get("HTTP_USER_AGENT", ""),
            ),
        )
    except RateLimited:
        response = _text(429, b"rate limited")
        response["Retry-After"] = "60"
        return response
    if not found:
        return _text(404, NOT_FOUND)
    return _text(200, b"OK")
