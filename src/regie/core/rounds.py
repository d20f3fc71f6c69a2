"""What the daily round ("Aujourd'hui") lists, contributed by the apps that know.

The round knows nothing of checks, findings, tickets or loans: each of those apps registers
a :class:`RoundSource` when it starts, and the page asks every source for the items that need
the person on duty. Dependencies keep pointing down.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from regie.core.events import Severity
from regie.core.models import User


@dataclass(frozen=True)
class RoundItem:
    """One thing to look at. ``key`` is stable while the situation lasts (a check's current
    outage, a finding), so an acknowledgement stays attached to it; a new outage of the same
    check is a new key."""

    key: str  # e.g. "check:42:flip:1234", "finding:77"
    title: str
    detail: str
    url: str
    severity: Severity
    since: datetime
    # The site the item is about, if any: site correspondents see only the items of their
    # sites (an item without a site is the IT team's alone).
    site_id: int | None = None


@dataclass(frozen=True)
class RoundSource:
    key: str  # e.g. "checks"
    label: Any  # a lazily translated heading: _("Checks down or late")
    order: int  # sections are shown by increasing order
    # items(user, since): what this user should see now; ``since`` is the time of the last
    # hand-over (None before the first), for sources that list what is *new*.
    items: Callable[[User, datetime | None], list[RoundItem]]


_SOURCES: dict[str, RoundSource] = {}


def register_source(source: RoundSource) -> RoundSource:
    """Add ``source`` to the round (registering the same key again replaces it)."""
    _SOURCES[source.key] = source
    return source


# While the continuity mode is on, what keeps the organisation running comes first: the
# essential jobs (backups, updates), the visits (deliveries of loans among them), the loans,
# then the tickets; the other sources follow in their usual order.
CONTINUITY_PRIORITY = ("checks", "field", "loans", "tickets")


def round_sources() -> list[RoundSource]:
    """The sources in the page's order (continuity priorities first while that mode is on)."""
    from regie.core.continuity import active_mode  # noqa: PLC0415  # core module, no cycle

    if active_mode() is not None:
        rank = {key: index for index, key in enumerate(CONTINUITY_PRIORITY)}
        return sorted(
            _SOURCES.values(),
            key=lambda source: (rank.get(source.key, len(rank)), source.order, source.key),
        )
    return sorted(_SOURCES.values(), key=lambda source: (source.order, source.key))
