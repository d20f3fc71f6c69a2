"""The history of a check as a picture: an SVG drawn on the server, no script.

The last runs are bars side by side (height: duration, colour: outcome); under them a
strip covers the same time span with the periods the check was up, late, down or paused.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from regie.operations.checks.models import Check, CheckStatus, Flip, Ping, PingKind

WIDTH = 600
BARS_HEIGHT = 120
STRIP_Y = 135
STRIP_HEIGHT = 14
HEIGHT = STRIP_Y + STRIP_HEIGHT + 4
RUNS = 50
COLOURS = {
    PingKind.SUCCESS: "#2e7d32",
    PingKind.FAIL: "#c62828",
    CheckStatus.UP: "#2e7d32",
    CheckStatus.LATE: "#ef8f00",
    CheckStatus.DOWN: "#c62828",
    CheckStatus.PAUSED: "#9e9e9e",
    CheckStatus.NEW: "#bdbdbd",
}


@dataclass(frozen=True)
class Shape:
    x: float
    y: float
    width: float
    height: float
    fill: str
    title: str


@dataclass(frozen=True)
class Picture:
    width: int
    height: int
    bars: list[Shape]
    periods: list[Shape]
    start: datetime | None
    end: datetime
    longest: float  # seconds, the scale of the bars


def _when(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%d/%m %H:%M")


def history_picture(check: Check, *, now: datetime | None = None) -> Picture:
    """The last ``RUNS`` runs and the status periods over the same span."""
    now = now or timezone.now()
    runs = list(
        Ping.objects.filter(check_obj=check, kind__in=[PingKind.SUCCESS, PingKind.FAIL])
        .order_by("-id")
        .values_list("at", "kind", "duration", "reason")[:RUNS]
    )[::-1]
    longest = max((duration or 0.0 for _at, _kind, duration, _reason in runs), default=0.0)
    slot = WIDTH / RUNS
    bars = []
    for index, (at, kind, duration, _reason) in enumerate(runs):
        share = (duration or 0.0) / longest if longest else 0.0
        height = max(4.0, share * (BARS_HEIGHT - 4))
        outcome = _("success") if kind == PingKind.SUCCESS else _("failure")
        length = _("%(seconds)s s") % {"seconds": round(duration)} if duration is not None else "—"
        bars.append(
            Shape(
                x=round(index * slot + 1, 1),
                y=round(BARS_HEIGHT - height, 1),
                width=round(slot - 2, 1),
                height=round(height, 1),
                fill=COLOURS[PingKind(kind)],
                title=f"{_when(at)} — {outcome} — {length}",
            )
        )
    start = runs[0][0] if runs else None
    periods = _periods(check, start, now) if start else []
    return Picture(WIDTH, HEIGHT, bars, periods, start, now, longest)


def _periods(check: Check, start: datetime, end: datetime) -> list[Shape]:
    span = (end - start).total_seconds() or 1.0
    flips = list(
        Flip.objects.filter(check_obj=check, at__gt=start, at__lte=end)
        .order_by("at", "id")
        .values_list("at", "from_status", "to_status")
    )
    before = (
        Flip.objects.filter(check_obj=check, at__lte=start)
        .order_by("-at", "-id")
        .values_list("to_status", flat=True)
        .first()
    )
    status = before or (flips[0][1] if flips else check.status)
    moments = [(start, status)] + [(at, to) for at, _from, to in flips]
    shapes = []
    for index, (begin, current) in enumerate(moments):
        finish = moments[index + 1][0] if index + 1 < len(moments) else end
        x = (begin - start).total_seconds() / span * WIDTH
        width = max((finish - begin).total_seconds() / span * WIDTH, 0.5)
        label = CheckStatus(current).label
        shapes.append(
            Shape(
                x=round(x, 1),
                y=STRIP_Y,
                width=round(width, 1),
                height=STRIP_HEIGHT,
                fill=COLOURS[CheckStatus(current)],
                title=_("%(status)s: %(start)s → %(end)s")
                % {"status": label, "start": _when(begin), "end": _when(finish)},
            )
        )
    return shapes
