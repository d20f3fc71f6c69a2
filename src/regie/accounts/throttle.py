"""Per-account slow-down of failed logins. Blocking an account after N failures would let
anyone lock a real user out by typing their name; instead, past a few failures the account
answers "try again in N seconds", a wait that doubles at each failure up to a minute, and the
right password after the wait always works, from any address. Addresses that fail many times
are blocked by django-axes (``REGIE_LOGIN_FAILURE_LIMIT``)."""

from __future__ import annotations

import math
from datetime import timedelta

from django.db.models import F
from django.utils import timezone

from regie.accounts.models import LoginDelay

FREE_FAILURES = 3
MAX_WAIT_SECONDS = 60
# Failures older than this are forgotten.
FORGET_AFTER = timedelta(minutes=15)


def _key(username: str) -> str:
    return username.strip().lower()[:150]


def seconds_to_wait(username: str) -> int:
    """How long the account still asks to wait before the next try (0: try now)."""
    row = LoginDelay.objects.filter(username=_key(username)).first()
    if row is None or row.failures < FREE_FAILURES:
        return 0
    elapsed = (timezone.now() - row.last_failure_at).total_seconds()
    if elapsed > FORGET_AFTER.total_seconds():
        return 0
    wait = min(2 ** (row.failures - FREE_FAILURES), MAX_WAIT_SECONDS)
    return int(max(0, math.ceil(wait - elapsed)))


def record_failure(username: str) -> None:
    now = timezone.now()
    key = _key(username)
    forgotten = LoginDelay.objects.filter(username=key, last_failure_at__lt=now - FORGET_AFTER)
    forgotten.update(failures=0)
    updated = LoginDelay.objects.filter(username=key).update(
        failures=F("failures") + 1, last_failure_at=now
    )
    if not updated:
        LoginDelay.objects.get_or_create(
            username=key, defaults={"failures": 1, "last_failure_at": now}
        )


def forget_failures(username: str) -> None:
    LoginDelay.objects.filter(username=_key(username)).delete()
