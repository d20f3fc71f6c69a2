"""A user's own signed-in browsers: recorded on each request (at most once a minute), listed
and ended from "Mes sessions". Ending one deletes it from Django's session store."""

from __future__ import annotations

from datetime import datetime
from importlib import import_module

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from regie.accounts.models import UserSession
from regie.core.http import client_address
from regie.core.models import User


def record_session(
    *, request: HttpRequest, session_key: str, now: datetime, user: User | None = None
) -> UserSession:
    """Create or refresh the row of this request's session."""
    row, _created = UserSession.objects.update_or_create(
        session_key=session_key,
        defaults={
            "user": user if user is not None else request.user,
            "address": client_address(request),
            "user_agent": request.META.get("HTTP_USER_AGENT", "")[:300],
            "last_seen_at": now,
        },
    )
    return row


def live_sessions(user: User) -> list[UserSession]:
    """The user's sessions still in the store and not expired; rows of the others are dropped."""
    rows = list(UserSession.objects.filter(user=user))
    alive = set(
        Session.objects.filter(
            session_key__in=[row.session_key for row in rows], expire_date__gt=timezone.now()
        ).values_list("session_key", flat=True)
    )
    stale = [row.pk for row in rows if row.session_key not in alive]
    if stale:
        UserSession.objects.filter(pk__in=stale).delete()
    return [row for row in rows if row.session_key in alive]


def _store_delete(session_key: str) -> None:
    engine = import_module(settings.SESSION_ENGINE)
    engine.SessionStore(session_key=session_key).delete()


def end_session(*, user: User, pk: int) -> bool:
    """End one of the user's own sessions; False when the row is not theirs (or gone)."""
    with transaction.atomic():
        row = UserSession.objects.filter(user=user, pk=pk).first()
        if row is None:
            return False
        _store_delete(row.session_key)
        row.delete()
    return True


def end_other_sessions(*, user: User, current_key: str | None) -> int:
    """End every session of the user but ``current_key``; how many were ended."""
    with transaction.atomic():
        rows = list(UserSession.objects.filter(user=user).exclude(session_key=current_key or ""))
        for row in rows:
            _store_delete(row.session_key)
        UserSession.objects.filter(pk__in=[row.pk for row in rows]).delete()
    return len(rows)


def browser_summary(user_agent: str) -> str:
    """ "Firefox · Windows" from a user agent string; the string's start when unknown."""
    browsers = (
        ("Edg/", "Edge"),
        ("OPR/", "Opera"),
        ("Firefox/", "Firefox"),
        ("Chrome/", "Chrome"),
        ("Chromium/", "Chromium"),
        ("Safari/", "Safari"),
    )
    systems = (
        ("Windows", "Windows"),
        ("Android", "Android"),
        ("iPhone", "iOS"),
        ("iPad", "iPadOS"),
        ("Mac OS X", "macOS"),
        ("CrOS", "ChromeOS"),
        ("Linux", "Linux"),
    )
    browser = next((name for token, name in browsers if token in user_agent), "")
    system = next((name for token, name in systems if token in user_agent), "")
    if browser or system:
        return " · ".join(part for part in (browser, system) if part)
    return user_agent[:60]
