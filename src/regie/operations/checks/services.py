"""Writes of the checks app: recording pings, changing status, evaluating deadlines.

Every change of status goes through :func:`flip_check`, a conditional update (``WHERE
status = <the status we saw>``): whichever request or worker gets there first records the
one :class:`Flip` and publishes the event; the others change nothing. That makes the
periodic evaluation idempotent and safe with any number of workers.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from regie.core.events import Event, Severity, publish
from regie.core.history import save_with_history
from regie.core.models import ChangeSource, User
from regie.operations.checks.models import (
    OUTAGE,
    Check,
    CheckStatus,
    FailureReason,
    Flip,
    Ping,
    PingKind,
)

logger = logging.getLogger(__name__)

# What the ping view reads: enough to decide, nothing more.
PING_FIELDS = (
    "id",
    "name",
    "status",
    "schedule_kind",
    "period_minutes",
    "cron",
    "time_zone",
    "grace_minutes",
    "start_grace_minutes",
    "min_duration_seconds",
    "min_size_bytes",
    "failure_keywords",
    "last_ping_at",
    "last_start_at",
    "rate_minute",
    "rate_count",
)


@dataclass(frozen=True)
class PingRequest:
    """What the endpoint received, already parsed and capped."""

    kind: str  # PingKind
    exit_status: int | None
    body: str
    body_truncated: bool
    size: int | None
    remote_addr: str | None
    method: str
    user_agent: str


class RateLimited(Exception):
    """The check received more pings this minute than ``PING_RATE_LIMIT``."""


def _outcome(check: Check, ping: PingRequest, duration: float | None) -> tuple[str, str]:
    """(effective kind, failure reason) of a ping, after the check's own rules."""
    if ping.kind == PingKind.START:
        return PingKind.START, FailureReason.NONE
    if ping.kind == PingKind.FAIL:
        if ping.exit_status:
            return PingKind.FAIL, FailureReason.EXIT_STATUS
        return PingKind.FAIL, FailureReason.SIGNALLED
    keywords = check.keywords
    if keywords and ping.body:
        log = ping.body.casefold()
        if any(word in log for word in keywords):
            return PingKind.FAIL, FailureReason.KEYWORD
    if (
        check.min_duration_seconds is not None
        and duration is not None
        and duration < check.min_duration_seconds
    ):
        return PingKind.FAIL, FailureReason.TOO_SHORT
    too_small = check.min_size_bytes is not None and ping.size is not None
    if too_small and ping.size < check.min_size_bytes:  # type: ignore[operator]  # both set
        return PingKind.FAIL, FailureReason.TOO_SMALL
    return PingKind.SUCCESS, FailureReason.NONE


def record_ping(*, code: uuid.UUID, ping: PingRequest, now: datetime | None = None) -> Ping | None:
    """Store one ping and move the check accordingly; ``None`` for an unknown code.

    One lookup, one insert, one update in the common case. Raises :class:`RateLimited`
    when the check has had too many pings this minute (nothing is stored then). The
    endpoint uses :func:`fastpath.record_ping`, the same in fixed SQL; this is the
    reference its tests compare it with.
    """
    now = now or timezone.now()
    minute = int(now.timestamp() // 60)
    limit = settings.PING_RATE_LIMIT
    with transaction.atomic():
        check = Check.objects.only(*PING_FIELDS).filter(ping_uuid=code).order_by().first()
        if check is None:
            return None
        same_minute = check.rate_minute == minute
        if same_minute and check.rate_count >= limit:
            raise RateLimited
        duration = None
        if check.is_running and ping.kind != PingKind.START:
            assert check.last_start_at is not None  # noqa: S101  # is_running says so
            duration = (now - check.last_start_at).total_seconds()
        kind, reason = _outcome(check, ping, duration)
        row = Ping.objects.create(
            check_obj_id=check.pk,
            at=now,
            kind=kind,
            reason=reason,
            exit_status=ping.exit_status,
            duration=duration,
            size=ping.size,
            remote_addr=ping.remote_addr,
            method=ping.method,
            user_agent=ping.user_agent[:300],
            body=ping.body,
            body_truncated=ping.body_truncated,
        )
        changes = _ping_changes(check, kind=kind, now=now, duration=duration, minute=minute)
        target = _target_status(check.status, kind)
        if target == check.status:
            updated = Check.objects.filter(pk=check.pk, status=check.status).update(**changes)
            if updated:
                return row
            check.refresh_from_db(fields=["status"])  # changed meanwhile: decide again
        _move_after_ping(check, kind=kind, reason=reason, now=now, changes=changes)
    return row


def _ping_changes(
    check: Check, *, kind: str, now: datetime, duration: float | None, minute: int
) -> dict[str, Any]:
    """The columns a ping of ``kind`` at ``now`` changes on ``check`` (read before it, and
    updated in memory here: last start or last run, then the deadlines that follow)."""
    changes: dict[str, Any] = {
        "rate_minute": minute,
        "rate_count": F("rate_count") + 1 if check.rate_minute == minute else 1,
    }
    if kind == PingKind.START:
        check.last_start_at = now
        changes["last_start_at"] = now
    else:
        check.last_ping_at = now
        changes["last_ping_at"] = now
        changes["last_duration"] = duration
    late_at, down_at = check.deadlines() or (None, None)
    changes |= {"late_at": late_at, "down_at": down_at}
    return changes


def _move_after_ping(
    check: Check, *, kind: str, reason: str, now: datetime, changes: dict[str, Any]
) -> None:
    """Apply ``changes`` with the status a ping of ``kind`` leads to from ``check.status``
    (a flip, recorded once), when the plain conditional update did not apply."""
    target = _target_status(check.status, kind)
    if target != check.status:
        reason_text = _flip_reason(kind, reason)
        flip_check(check=check, to=target, reason=reason_text, now=now, changes=changes)
    else:
        Check.objects.filter(pk=check.pk).update(**changes)


def _target_status(current: str, kind: str) -> str:
    if kind == PingKind.START:
        return current  # a start changes no status (a paused check stays paused)
    if kind == PingKind.FAIL:
        return CheckStatus.DOWN
    return CheckStatus.UP


def _flip_reason(kind: str, reason: str) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        if kind == PingKind.SUCCESS:
            return _("Success reported.")
        return str(FailureReason(reason).label) + "."


def flip_check(
    *,
    check: Check,
    to: str,
    reason: str,
    now: datetime | None = None,
    changes: dict[str, Any] | None = None,
) -> Flip | None:
    """Move ``check`` from the status it had when read to ``to``; the Flip, or ``None`` if
    someone else changed the status first (then nothing is written)."""
    now = now or timezone.now()
    previous = check.status
    values = dict(changes or {})
    values["status"] = to
    with transaction.atomic():
        if not Check.objects.filter(pk=check.pk, status=previous).update(**values):
            return None
        flip = Flip.objects.create(
            check_obj_id=check.pk, from_status=previous, to_status=to, at=now, reason=reason
        )
        if to in OUTAGE and previous not in OUTAGE:
            Check.objects.filter(pk=check.pk).update(outage_flip=flip)
        elif to not in OUTAGE:
            Check.objects.filter(pk=check.pk).update(outage_flip=None)
        check.status = to
        _publish_flip(check_id=check.pk, flip=flip)
    return flip


_EVENT_KINDS = {
    CheckStatus.DOWN: ("check.down", Severity.CRITICAL),
    CheckStatus.LATE: ("check.late", Severity.WARNING),
    CheckStatus.UP: ("check.up", Severity.INFO),
}


def _publish_flip(*, check_id: int, flip: Flip) -> None:
    if flip.to_status not in _EVENT_KINDS:
        return
    if flip.to_status == CheckStatus.UP and flip.from_status not in OUTAGE:
        return  # a first success or a resume is not news
    check = Check.objects.select_related("site").get(pk=check_id)
    kind, severity = _EVENT_KINDS[CheckStatus(flip.to_status)]
    with translation.override(settings.LANGUAGE_CODE):
        status_label = str(CheckStatus(flip.to_status).label).lower()
        title = _("%(check)s: %(status)s") % {"check": check.name, "status": status_label}
        lines = [flip.reason]
        if check.site is not None:
            lines.append(_("Site: %(site)s") % {"site": check.site.name})
        if check.last_ping_at is not None:
            when = timezone.localtime(check.last_ping_at).strftime("%d/%m/%Y %H:%M")
            lines.append(_("Last run reported: %(when)s") % {"when": when})
        else:
            lines.append(_("No run reported yet."))
    publish(
        Event(
            kind=kind,
            severity=severity,
            title=title,
            text="\n".join(lines),
            url=check.get_absolute_url(),
            data={
                "check_id": check.pk,
                "name": check.name,
                "kind": check.kind,
                "status": flip.to_status,
                "previous_status": flip.from_status,
                "site": check.site.name if check.site else None,
                "site_id": check.site_id,
                "last_ping_at": check.last_ping_at.isoformat() if check.last_ping_at else None,
            },
            occurred_at=flip.at,
        )
    )


def evaluate_checks(*, now: datetime | None = None) -> list[Flip]:
    """Move checks whose deadline has passed to late or down; returns the flips made.

    Each flip is dated when its deadline passed, not when it was noticed: a check that
    missed Friday night's run while no worker ran is down since Friday night."""
    now = now or timezone.now()
    flips: list[Flip] = []
    with translation.override(settings.LANGUAGE_CODE):
        down_reason = _("No run reported in time (grace period over).")
        late_reason = _("Expected run not reported yet.")
    due_down = Check.objects.filter(
        status__in=[CheckStatus.UP, CheckStatus.LATE], down_at__lte=now
    ).only("id", "status", "down_at")
    for check in due_down:
        down = check.down_at  # passed: the filter above
        if flip := flip_check(check=check, to=CheckStatus.DOWN, reason=down_reason, now=down):
            flips.append(flip)
    due_late = Check.objects.filter(status=CheckStatus.UP, late_at__lte=now).only(
        "id", "status", "late_at"
    )
    for check in due_late:
        late = check.late_at  # passed: the filter above
        if flip := flip_check(check=check, to=CheckStatus.LATE, reason=late_reason, now=late):
            flips.append(flip)
    return flips


def prune_pings(*, keep: int | None = None, since: timedelta | None = None) -> int:
    """Keep the last ``keep`` pings of each check pinged lately; returns the rows deleted."""
    keep = keep if keep is not None else settings.PING_KEEP
    checks = Check.objects.all()
    if since is not None:
        checks = checks.filter(last_ping_at__gte=timezone.now() - since)
    deleted = 0
    for check_id in checks.values_list("pk", flat=True):
        threshold = (
            Ping.objects.filter(check_obj_id=check_id)
            .order_by("-id")
            .values_list("id", flat=True)[keep : keep + 1]
        )
        oldest_kept = threshold.first()
        if oldest_kept is not None:
            count, _detail = Ping.objects.filter(
                check_obj_id=check_id, id__lte=oldest_kept
            ).delete()
            deleted += count
    return deleted


def pause_check(*, check: Check, by: User | None) -> Flip | None:
    """Stop watching ``check`` until it pings again or someone resumes it."""
    if check.status == CheckStatus.PAUSED:
        return None
    with translation.override(settings.LANGUAGE_CODE):
        reason = _("Paused by %(user)s.") % {"user": by or _("the system")}
    return flip_check(
        check=check,
        to=CheckStatus.PAUSED,
        reason=reason,
        changes={"late_at": None, "down_at": None},
    )


def resume_check(*, check: Check, by: User | None, now: datetime | None = None) -> Flip | None:
    """Watch ``check`` again; its schedule restarts from now (one period to report)."""
    if check.status != CheckStatus.PAUSED:
        return None
    now = now or timezone.now()
    with translation.override(settings.LANGUAGE_CODE):
        reason = _("Resumed by %(user)s.") % {"user": by or _("the system")}
    if check.last_ping_at is None:
        return flip_check(check=check, to=CheckStatus.NEW, reason=reason, now=now)
    late_at, down_at = check.deadlines(reference=now) or (None, None)
    return flip_check(
        check=check,
        to=CheckStatus.UP,
        reason=reason,
        now=now,
        changes={"late_at": late_at, "down_at": down_at},
    )


def save_check(*, check: Check, by: User | None, source: str = ChangeSource.WEB) -> Check:
    """Save a validated check with its history; deadlines follow a schedule change."""

    def refresh(instance: Check) -> None:
        if instance.pk is not None:
            stored = Check.objects.filter(pk=instance.pk).values(
                "status", "last_ping_at", "last_start_at", "late_at", "down_at"
            )
            for name, value in (stored.first() or {}).items():
                setattr(instance, name, value)  # pings may have moved them since the form read
        if instance.status in (CheckStatus.UP, CheckStatus.LATE, CheckStatus.DOWN):
            instance.late_at, instance.down_at = instance.deadlines() or (None, None)

    return save_with_history(instance=check, by=by, source=source, before_save=refresh)
