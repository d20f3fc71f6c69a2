"""Telephony's readiness criterion: are this person's office calls answered away from the
office, by a forwarding or a softphone? (:mod:`regie.core.readiness`)"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from regie.core.readiness import Colour, CriterionProvider, Subjects, Verdict, register_criterion
from regie.telephony.models import OFFICE_KINDS, Extension, Line, LineStatus
from regie.telephony.services import LineContinuity


def read_continuity(subjects: Subjects) -> dict[int, LineContinuity]:
    """``line_continuity_for`` for many people in two queries (same rules)."""
    person_ids = subjects.person_ids
    lines: dict[int, list[bool]] = defaultdict(list)
    for person_id, active in Line.objects.filter(
        person__in=person_ids, kind__in=OFFICE_KINDS, status=LineStatus.ACTIVE
    ).values_list("person_id", "forwarding__active"):
        lines[person_id].append(bool(active))
    extensions: dict[int, list[tuple[bool, bool]]] = defaultdict(list)
    for person_id, softphone, active in Extension.objects.filter(person__in=person_ids).values_list(
        "person_id", "softphone", "forwarding__active"
    ):
        extensions[person_id].append((bool(softphone), bool(active)))
    return {
        person_id: LineContinuity(
            office_lines=len(lines[person_id]) + len(extensions[person_id]),
            forwarded=sum(lines[person_id]) + sum(state for _s, state in extensions[person_id]),
            softphone=any(softphone for softphone, _state in extensions[person_id]),
        )
        for person_id in person_ids
    }


def _phone(person: Any, laptop: Any, facts: dict[int, LineContinuity], now: Any) -> Verdict:
    continuity = facts.get(person.pk, LineContinuity(0, 0, False))
    if continuity.softphone:
        return Verdict(Colour.GREEN, _("A softphone is set up."))
    if continuity.office_lines == 0:
        return Verdict(Colour.GREEN, _("No office line to forward."))
    if continuity.covered:
        return Verdict(Colour.GREEN, _("Every office line is forwarded."))
    values = {"forwarded": continuity.forwarded, "lines": continuity.office_lines}
    return Verdict(
        Colour.AMBER,
        _("%(forwarded)d of %(lines)d office lines forwarded, and no softphone.") % values,
    )


def register() -> None:
    register_criterion(
        CriterionProvider(
            "phone", gettext_lazy("Office line answered"), 110, read_continuity, _phone
        )
    )
