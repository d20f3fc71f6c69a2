"""The round as one user sees it now: every registered source's items, with their
acknowledgements, in the order the person on duty should work through them."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from regie.core.events import Severity
from regie.core.models import User
from regie.core.rounds import RoundItem, RoundSource, round_sources
from regie.directory.permissions import site_policy
from regie.operations.daily.models import Acknowledgement, LogEntry, LogKind
from regie.operations.daily.permissions import log_entry_policy, sees_only_own_sites

logger = logging.getLogger(__name__)

SEVERITY_RANK = {Severity.CRITICAL: 0, Severity.WARNING: 1, Severity.INFO: 2}


@dataclass(frozen=True)
class RoundEntry:
    source: RoundSource
    item: RoundItem
    acknowledgement: Acknowledgement | None = None
    new: bool = False  # appeared after the last hand-over

    @property
    def severity_label(self) -> str:
        return str(Severity(self.item.severity).label)


@dataclass
class RoundSection:
    source: RoundSource
    open: list[RoundEntry] = field(default_factory=list)
    acknowledged: list[RoundEntry] = field(default_factory=list)
    failed: bool = False  # the source raised: say so rather than show an empty section

    @property
    def key(self) -> str:
        return self.source.key

    @property
    def entries(self) -> list[RoundEntry]:
        return [*self.open, *self.acknowledged]


@dataclass
class Round:
    since: datetime | None
    hand_over: LogEntry | None  # the last hand-over note, if this user may read it
    sections: list[RoundSection]

    @property
    def open_count(self) -> int:
        return sum(len(section.open) for section in self.sections)

    @property
    def is_empty(self) -> bool:
        return not any(section.entries or section.failed for section in self.sections)


def last_hand_over() -> LogEntry | None:
    """The latest hand-over note, whoever may read it: its time starts the new round."""
    return (
        LogEntry.objects.filter(kind=LogKind.HAND_OVER)
        .select_related("author")
        .order_by("-at", "-id")
        .first()
    )


def sort_key(item: RoundItem) -> tuple[int, datetime, str]:
    """Most severe first; within a severity, the longest-standing first."""
    return (SEVERITY_RANK.get(item.severity, len(SEVERITY_RANK)), item.since, item.key)


def source_items(source: RoundSource, user: User, since: datetime | None) -> list[RoundItem]:
    """What ``source`` reports for ``user``, kept to their sites for a correspondent.

    Sources are asked with the user and may scope themselves; the site filter here makes
    sure a correspondent never sees an item of another site, nor one about no site.
    """
    items = source.items(user, since)
    if sees_only_own_sites(user):
        site_ids = set(site_policy.visible(user).values_list("pk", flat=True))
        items = [item for item in items if item.site_id in site_ids]
    return sorted(items, key=sort_key)


def current_round(user: User, *, only: str | None = None) -> Round:
    """Ask every source (or only the one keyed ``only``) for this user's items now.

    A failing source is logged and shown as failed; it does not take the page down.
    """
    hand_over = last_hand_over()
    since = hand_over.at if hand_over is not None else None
    sections: list[RoundSection] = []
    for source in round_sources():
        if only is not None and source.key != only:
            continue
        section = RoundSection(source)
        try:
            items = source_items(source, user, since)
        except Exception:
            logger.exception("round source %r failed", source.key)
            section.failed = True
            items = []
        sections.append(section)
        acknowledgements = {
            ack.item_key: ack
            for ack in Acknowledgement.objects.filter(
                source_key=source.key, item_key__in=[item.key for item in items]
            ).select_related("acknowledged_by")
        }
        for item in items:
            ack = acknowledgements.get(item.key)
            target = section.open if ack is None else section.acknowledged
            new = since is not None and item.since > since
            target.append(RoundEntry(source, item, ack, new))
    visible_hand_over = (
        hand_over
        if hand_over is not None and log_entry_policy.visible(user).filter(pk=hand_over.pk).exists()
        else None
    )
    return Round(since=since, hand_over=visible_hand_over, sections=sections)


def find_item(user: User, *, item_key: str, source_key: str = "") -> RoundEntry | None:
    """The item keyed ``item_key`` in this user's round now (in source ``source_key`` if
    given), or ``None`` when no source reports it to them."""
    hand_over = last_hand_over()
    since = hand_over.at if hand_over is not None else None
    for source in round_sources():
        if source_key and source.key != source_key:
            continue
        try:
            items = source_items(source, user, since)
        except Exception:
            logger.exception("round source %r failed", source.key)
            continue
        for item in items:
            if item.key == item_key:
                return RoundEntry(source, item)
    return None
