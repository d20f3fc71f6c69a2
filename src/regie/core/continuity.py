"""The continuity mode ("the offices close tomorrow"), contributed by the apps that know.

Like the daily round (:mod:`regie.core.rounds`), the continuity page knows nothing of
readiness, phone lines, backups or visits: each app registers a :class:`ContinuitySection`
when it starts. The page asks every section for its :meth:`summary`; declaring the plan calls
every section's ``activate`` hook in one transaction, ending it calls every ``end`` hook.
Both hooks are idempotent: calling them twice changes nothing the second time.

The state of the mode itself (is it on, until when) is stored by the ``continuity`` app, which
sits above every other app; lower apps read it through :func:`active_mode`, which asks the
reader that app registers (so no lower app imports a higher one). Round sources use it to
put the continuity-relevant items first.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.core.cache import cache
from django.utils.translation import get_language

from regie.core.models import User


@dataclass(frozen=True)
class Figure:
    """One headline number of a section: "12 people without a managed laptop"."""

    label: Any  # text shown under the number; ngettext_lazy(singular, plural, "n") agrees
    value: int | None  # None: unknown (shown as "?", never as zero)
    tone: str = ""  # "ok", "warning", "danger", "unknown" or "" (neutral)
    headline: bool = False  # shown again in the summary at the top of the page

    @property
    def caption(self) -> str:
        """The label as shown beside its number: in the singular or the plural, as the
        language's rules ask for the number (an unknown number reads as a plural)."""
        return str(self.label % {"n": 2 if self.value is None else self.value})


@dataclass(frozen=True)
class Cell:
    """A table cell that is more than text: coloured (``tone``) or a link (``url``)."""

    text: Any
    tone: str = ""
    url: str = ""

    def __str__(self) -> str:
        return str(self.text)


@dataclass(frozen=True)
class Table:
    """A titled table of rows, the same for the page, the kit and the API."""

    key: str
    title: Any
    columns: tuple[Any, ...]
    # Each row: a tuple of cells; a cell is text, or (text, tone) to colour it.
    rows: list[tuple[Any, ...]]
    empty: Any = ""  # shown when there is no row
    total: int | None = None  # the full count when ``rows`` is cut

    @property
    def cell_rows(self) -> list[list[Cell]]:
        """The rows with every cell a :class:`Cell` (what the templates iterate)."""
        return [
            [cell if isinstance(cell, Cell) else Cell(cell) for cell in row] for row in self.rows
        ]

    @property
    def hidden(self) -> int:
        """How many rows were left out of ``rows`` (shown as "and N more")."""
        return max((self.total or 0) - len(self.rows), 0)


@dataclass
class SectionResult:
    """What a section shows: its headline figures and its tables."""

    figures: list[Figure] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    notes: list[Any] = field(default_factory=list)  # a line or two of explanation
    # Anything else the page's extra parts need (the round button, the planning form…).
    extra: dict[str, Any] = field(default_factory=dict)
    # When it was computed, for a section whose summary is cached (see ``cache_seconds``).
    computed_at: datetime.datetime | None = None

    @property
    def headlines(self) -> list[Figure]:
        """The figures of the page's summary (the first three if none is marked)."""
        return [figure for figure in self.figures if figure.headline] or self.figures[:3]


class ActivationLike(Protocol):
    """What the hooks are given of the activation: its id, dates and what it recorded."""

    pk: Any
    started_at: datetime.datetime
    ends_on: datetime.date
    results: dict[str, Any]


@dataclass(frozen=True)
class ContinuitySection:
    key: str  # e.g. "telework"
    label: Any  # a lazily translated heading
    order: int  # sections are shown by increasing order
    # summary(user, context): what this user sees; ``context`` holds the shared facts of the
    # request ("now", "ends_on", "active" mode), so sections agree on the dates.
    summary: Callable[[User, dict[str, Any]], SectionResult]
    # activate(activation, by) / end(activation, by): idempotent; each returns a JSON-ready
    # dict kept in the activation's record under the section's key.
    activate: Callable[[ActivationLike, User | None], dict[str, Any]] | None = None
    end: Callable[[ActivationLike, User | None], dict[str, Any]] | None = None
    # A summary too costly to compute on every request (readiness of every person) is kept
    # this many seconds; 0: computed each time. Its rows must then be plain text.
    cache_seconds: int = 0


_SECTIONS: dict[str, ContinuitySection] = {}
CACHE_PREFIX = "regie:continuity:"


def register_section(section: ContinuitySection) -> ContinuitySection:
    """Add ``section`` to the continuity page (registering the same key again replaces it)."""
    _SECTIONS[section.key] = section
    return section


def sections() -> list[ContinuitySection]:
    return sorted(_SECTIONS.values(), key=lambda section: (section.order, section.key))


def section_summary(
    section: ContinuitySection, user: User, context: dict[str, Any]
) -> SectionResult:
    """``section.summary``, from the cache when the section allows it.

    The cache key holds the plan in force (``context["state"]``), so declaring or ending the
    plan shows fresh figures at once in every process; ``context["fresh"]`` skips the cache.
    Every reader of the page sees the same figures (correspondents and staff do not see it).
    """
    if not section.cache_seconds or context.get("fresh"):
        return section.summary(user, context)
    key = ":".join(
        str(part)
        for part in (
            CACHE_PREFIX + section.key,
            context.get("state", ""),
            get_language(),
            context["ends_on"],
            context.get("limit"),
        )
    )
    result: SectionResult | None = cache.get(key)
    if result is None:
        result = section.summary(user, context)
        result.computed_at = context["now"]
        cache.set(key, result, section.cache_seconds)
    return result


# --- the mode ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Mode:
    """The continuity mode in force: since when, until which day."""

    started_at: datetime.datetime
    ends_on: datetime.date


_READER: list[Callable[[], Mode | None]] = []


def register_mode_reader(reader: Callable[[], Mode | None]) -> None:
    """Called once by the app that stores the mode (``regie.continuity``)."""
    _READER[:] = [reader]


def active_mode() -> Mode | None:
    """The continuity mode in force, or None (always None when no app stores it)."""
    return _READER[0]() if _READER else None
