"""Can this person work from home tomorrow? The readiness engine and its registry of criteria.

The engine knows nothing of laptops, compliance findings or phone lines: each app that knows
something registers a :class:`CriterionProvider` when it starts (telework: the laptop, its
inventory, the VPN client, MFA, Office 365, headset and webcam; compliance: encryption,
antivirus and system; telephony: the office line), the same way the daily round's sources
register in :mod:`regie.core.rounds`. Dependencies keep pointing down: ``core`` imports no app.

Which laptop a person would take home is one app's decision (telework's, see
``telework/readiness.py``), registered as the *laptop finder*; every provider then judges the
same laptop.

**Colours.** Each criterion is green (ready), amber (to check), red (not ready) or *unknown*
(grey: Régie has no evidence either way, e.g. a laptop that never sent an inventory, or an
agent that does not report its antivirus). A person's colour is the worst of their criteria,
in this order: green < amber < unknown < red. So anyone with a red criterion is red; otherwise
anyone with an unknown criterion is unknown, never green nor amber: *unknown is never ready*.

**Queries.** ``readiness_for_people`` asks the laptop finder once, then calls each distinct
``read`` function once for the whole list (providers that share a ``read`` share its result),
then evaluates every person in memory: a fixed number of queries whatever the number of people.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import TextChoices
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class Colour(TextChoices):
    GREEN = "green", gettext_lazy("Ready")
    AMBER = "amber", gettext_lazy("To check")
    UNKNOWN = "unknown", gettext_lazy("Unknown")
    RED = "red", gettext_lazy("Not ready")


# Worse is higher: unknown ranks above amber, so missing evidence is never shown as ready.
_RANK = {Colour.GREEN: 0, Colour.AMBER: 1, Colour.UNKNOWN: 2, Colour.RED: 3}


def worst(colours: Iterable[Colour]) -> Colour:
    """The colour a set of criteria adds up to (green when there is none)."""
    return max(colours, key=_RANK.__getitem__, default=Colour.GREEN)


@dataclass(frozen=True)
class Verdict:
    """What a provider concludes about one person: a colour and a reason they can act on."""

    colour: Colour
    reason: str


@dataclass(frozen=True)
class Criterion:
    key: str
    label: str
    colour: Colour
    reason: str


@dataclass(frozen=True)
class Subjects:
    """Whom a list's readiness is about, handed to every provider's ``read``."""

    person_ids: list[int]
    # The laptop each person would take home (an ``assets.Asset``, its ``inventory`` loaded),
    # as chosen by the laptop finder; people without one are absent.
    laptops: Mapping[int, Any]

    @property
    def laptop_ids(self) -> list[int]:
        return [laptop.pk for laptop in self.laptops.values()]


# read(subjects) -> facts: everything the provider needs for the whole list, in a fixed number
# of queries. evaluate(person, laptop or None, facts, now) -> Verdict, without any query.
Reader = Callable[[Subjects], Any]
Evaluator = Callable[[Any, Any, Any, datetime.datetime], Verdict]
LaptopFinder = Callable[[list[int]], Mapping[int, Any]]


def last_inventory_at(laptop: Any) -> datetime.datetime | None:
    """When the laptop's agent last reported (``None``: never)."""
    inventory = getattr(laptop, "inventory", None)
    return inventory.last_inventory_at if inventory is not None else None


def no_laptop() -> Verdict:
    """What a laptop criterion says of someone without a managed laptop."""
    return Verdict(Colour.RED, _("No managed laptop to check."))


def never_inventoried() -> Verdict:
    """What a laptop criterion says when the laptop never reported: nothing is known."""
    return Verdict(Colour.UNKNOWN, _("Never inventoried."))


def read_nothing(subjects: Subjects) -> None:
    """The ``read`` of a provider that needs nothing but the person and the laptop."""
    return


@dataclass(frozen=True)
class CriterionProvider:
    key: str  # e.g. "antivirus"
    label: Any  # a lazily translated name: _("Antivirus")
    order: int  # criteria are listed by increasing order
    read: Reader
    evaluate: Evaluator


_PROVIDERS: dict[str, CriterionProvider] = {}
_LAPTOP_FINDER: list[LaptopFinder] = []


def register_criterion(provider: CriterionProvider) -> CriterionProvider:
    """Add ``provider`` to readiness (registering the same key again replaces it)."""
    _PROVIDERS[provider.key] = provider
    return provider


def criterion_providers() -> list[CriterionProvider]:
    return sorted(_PROVIDERS.values(), key=lambda provider: (provider.order, provider.key))


def register_laptop_finder(finder: LaptopFinder) -> LaptopFinder:
    """Set how the laptop each person would take home is chosen (one finder; the last wins)."""
    _LAPTOP_FINDER[:] = [finder]
    return finder


def _find_laptops(person_ids: list[int]) -> Mapping[int, Any]:
    return _LAPTOP_FINDER[0](person_ids) if _LAPTOP_FINDER and person_ids else {}


@dataclass
class Readiness:
    person: Any  # a directory.Person
    criteria: list[Criterion]
    laptop: Any | None = None  # an assets.Asset

    @property
    def colour(self) -> Colour:
        return worst(criterion.colour for criterion in self.criteria)

    @property
    def has_managed_laptop(self) -> bool:
        return self.laptop is not None

    @property
    def unknown_criteria(self) -> list[Criterion]:
        return [criterion for criterion in self.criteria if criterion.colour == Colour.UNKNOWN]


def readiness_for_people(
    people: Iterable[Any], *, now: datetime.datetime | None = None
) -> list[Readiness]:
    """The readiness of each person, in a fixed number of queries whatever their number."""
    now = now or timezone.now()
    people = list(people)
    person_ids = [person.pk for person in people]
    subjects = Subjects(person_ids, _find_laptops(person_ids))
    providers = criterion_providers()
    facts: dict[Reader, Any] = {}
    for provider in providers:
        if provider.read not in facts:
            facts[provider.read] = provider.read(subjects)
    labels = {provider.key: str(provider.label) for provider in providers}
    readinesses = []
    for person in people:
        laptop = subjects.laptops.get(person.pk)
        criteria = []
        for provider in providers:
            verdict = provider.evaluate(person, laptop, facts[provider.read], now)
            criteria.append(
                Criterion(provider.key, labels[provider.key], verdict.colour, verdict.reason)
            )
        readinesses.append(Readiness(person=person, criteria=criteria, laptop=laptop))
    return readinesses


def readiness_for(person: Any, *, now: datetime.datetime | None = None) -> Readiness:
    [readiness] = readiness_for_people([person], now=now)
    return readiness


def colour_counts(readinesses: Sequence[Readiness]) -> list[tuple[Colour, int]]:
    """How many people of each colour, in the order a page shows them."""
    return [
        (colour, sum(readiness.colour == colour for readiness in readinesses))
        for colour in (Colour.GREEN, Colour.AMBER, Colour.UNKNOWN, Colour.RED)
    ]


@dataclass
class RollUpRow:
    """One department's (or site's) people by colour."""

    label: str
    total: int = 0
    green: int = 0
    amber: int = 0
    unknown: int = 0
    red: int = 0

    def percent(self, count: int) -> int:
        return round(100 * count / self.total) if self.total else 0

    @property
    def green_percent(self) -> int:
        return self.percent(self.green)

    @property
    def amber_percent(self) -> int:
        return self.percent(self.amber)

    @property
    def unknown_percent(self) -> int:
        return self.percent(self.unknown)

    @property
    def red_percent(self) -> int:
        return self.percent(self.red)

    @property
    def able_percent(self) -> int:
        """Who can work from home: ready, or ready once something minor is checked. The
        unknown are not counted: nothing shows they can."""
        return self.percent(self.green + self.amber)


def roll_up(readinesses: Iterable[Readiness], *, by: str) -> list[RollUpRow]:
    """Count the people of each department (``by="department"``) or site (``by="site"``)."""
    rows: dict[str, RollUpRow] = {}
    nobody = _("No department") if by == "department" else _("No site")
    for readiness in readinesses:
        group = getattr(readiness.person, by)
        label = str(group) if group is not None else nobody
        row = rows.setdefault(label, RollUpRow(label))
        row.total += 1
        setattr(row, readiness.colour.value, getattr(row, readiness.colour.value) + 1)
    return sorted(rows.values(), key=lambda row: row.label.casefold())
