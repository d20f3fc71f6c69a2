"""Telephony's section of the continuity page: the office lines and extensions to forward.

For each office line and extension, the proposed target is the holder's mobile line (else
their mobile number), else the site's fallback number, else the department's on-call number
— the same order as :func:`regie.telephony.services.generate_plan_items`, computed here for
the whole territory in a fixed number of queries. What is already forwarded is shown apart,
and so is what has no target.

Declaring the plan opens a telephony continuity plan (one per activation, found again by a
marker in its notes) and sets the forwardings it proposes, except those already forwarded
(by hand or earlier): ending the plan turns off the forwardings it set, and only those
(``end_plan_forwardings`` leaves a forwarding changed by hand since alone).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy

from regie.core.continuity import (
    ActivationLike,
    Cell,
    ContinuitySection,
    Figure,
    SectionResult,
    Table,
    register_section,
)
from regie.core.models import User
from regie.directory.models import Person, Site
from regie.telephony.models import (
    OFFICE_KINDS,
    ContinuityPlan,
    Extension,
    Line,
    LineStatus,
    TargetSource,
)
from regie.telephony.numbers import national_format
from regie.telephony.services import (
    TargetFinder,
    create_plan,
    end_plan_forwardings,
    mark_items_done,
)


@dataclass(frozen=True)
class Subject:
    """An office line or an extension, with where its calls should go."""

    kind: str  # "line" or "extension"
    pk: int
    raw_number: str  # E.164 for a line, the digits of an extension
    holder: str
    site: str
    site_id: int | None
    forwarded_to: str  # the active forwarding's target, "" when not forwarded
    target: str
    source: str  # a TargetSource value

    @property
    def is_forwarded(self) -> bool:
        return bool(self.forwarded_to)

    @property
    def number(self) -> str:
        """As people dial it (formatted only for the rows shown: it costs)."""
        return national_format(self.raw_number) if self.kind == "line" else self.raw_number


_FIELDS = (
    "pk",
    "number",
    "site_id",
    "site__name",
    "forwarding__active",
    "forwarding__target",
    "person_id",
    "person__first_name",
    "person__last_name",
    "person__mobile",
    "person__site_id",
    "person__site__name",
    "person__department_id",
)


def office_subjects() -> list[Subject]:
    """Every active office line and every extension, with its proposed target (5 queries,
    plain values: thousands of lines on a large territory)."""
    targets = TargetFinder()
    lines = (
        Line.objects.filter(kind__in=OFFICE_KINDS, status=LineStatus.ACTIVE)
        .order_by("number")
        .values_list(*_FIELDS)
    )
    extensions = Extension.objects.order_by("number").values_list(*_FIELDS)
    subjects = [_subject("line", row, targets) for row in lines]
    subjects += [_subject("extension", row, targets) for row in extensions]
    return subjects


def _subject(kind: str, row: tuple[Any, ...], targets: TargetFinder) -> Subject:
    pk, number, site_id, site_name, active, forwarded_to, person_id = row[:7]
    first, last, mobile, person_site_id, person_site, department_id = row[7:]
    if site_id is None and person_id is not None:
        site_id, site_name = person_site_id, person_site
    target, source = targets.for_holder(
        person_id=person_id, mobile=mobile or "", site_id=site_id, department_id=department_id
    )
    return Subject(
        kind=kind,
        pk=pk,
        raw_number=number,
        holder=f"{first} {last}" if person_id is not None else "",
        site=site_name or "",
        site_id=site_id,
        forwarded_to=forwarded_to if active and forwarded_to else "",
        target=target,
        source=source,
    )


def _kind_label(subject: Subject) -> str:
    return _("Line") if subject.kind == "line" else _("Extension")


def _rows(subjects: Iterable[Subject], limit: int | None, columns: str) -> list[tuple[Any, ...]]:
    rows: list[tuple[Any, ...]] = []
    for subject in subjects:
        if limit is not None and len(rows) >= limit:
            break
        first = (_kind_label(subject), subject.number, subject.holder or "—", subject.site or "—")
        if columns == "forwarded":
            rows.append((*first, national_format(subject.forwarded_to)))
        elif columns == "missing":
            rows.append((*first, Cell(_("No target"), "danger")))
        else:
            rows.append(
                (
                    *first,
                    national_format(subject.target),
                    TargetSource(subject.source).label,
                )
            )
    return rows


def summary(user: User, context: dict[str, Any]) -> SectionResult:
    subjects = office_subjects()
    forwarded = [s for s in subjects if s.is_forwarded]
    to_forward = [s for s in subjects if not s.is_forwarded and s.target]
    missing = [s for s in subjects if not s.is_forwarded and not s.target]
    limit = context.get("limit")
    head = (_("Kind"), _("Number"), _("Holder"), _("Site"))
    return SectionResult(
        figures=[
            Figure(
                ngettext_lazy("office line or extension", "office lines and extensions", "n"),
                len(subjects),
            ),
            Figure(
                gettext_lazy("to forward"),
                len(to_forward),
                "warning" if to_forward else "ok",
                headline=True,
            ),
            Figure(
                ngettext_lazy("already forwarded (one)", "already forwarded", "n"),
                len(forwarded),
                "ok",
                headline=True,
            ),
            Figure(
                gettext_lazy("without a target"),
                len(missing),
                "danger" if missing else "ok",
                headline=True,
            ),
        ],
        tables=[
            Table(
                "to_forward",
                _("To forward"),
                (*head, _("Proposed target"), _("Target from")),
                _rows(to_forward, limit, "to_forward"),
                _("Nothing left to forward."),
                len(to_forward),
            ),
            Table(
                "missing",
                _("No target"),
                (*head, _("Proposed target")),
                _rows(missing, limit, "missing"),
                _("Every line has a target."),
                len(missing),
            ),
            Table(
                "forwarded",
                _("Already forwarded"),
                (*head, _("Forwarded to")),
                _rows(forwarded, limit, "forwarded"),
                _("No line is forwarded yet."),
                len(forwarded),
            ),
        ],
        notes=[
            _(
                "Target: the holder's mobile line, else the site's fallback number, else the "
                "department's on-call number."
            )
        ],
    )


def _marker(activation: ActivationLike) -> str:
    return f"continuity-activation:{activation.pk}"


def _plan_of(activation: ActivationLike) -> ContinuityPlan | None:
    return ContinuityPlan.objects.filter(notes__contains=_marker(activation)).first()


def activate(activation: ActivationLike, by: User | None) -> dict[str, Any]:
    """Open the activation's continuity plan (once) and set the forwardings it proposes that
    are not forwarded yet. Lines forwarded before are left as they are, not marked done, so
    ending the plan never turns them off."""
    plan = _plan_of(activation)
    if plan is None:
        holders = Person.objects.filter(
            Q(phone_lines__kind__in=OFFICE_KINDS, phone_lines__status=LineStatus.ACTIVE)
            | Q(phone_extensions__isnull=False)
        ).distinct()
        sites = Site.objects.filter(
            Q(phone_lines__kind__in=OFFICE_KINDS, phone_lines__status=LineStatus.ACTIVE)
            | Q(phone_extensions__isnull=False)
        ).distinct()
        plan = create_plan(
            title=_("Continuity plan from %(date)s")
            % {"date": timezone.localdate(activation.started_at).strftime("%d/%m/%Y")},
            starts_on=timezone.localdate(activation.started_at),
            people=holders,
            sites=sites,
            notes=_marker(activation),
            by=by,
        )
    assert by is not None  # noqa: S101  # activations always have an author
    # Lines forwarded before the plan are left as they are, not marked done.
    set_count = len(mark_items_done(plan=plan, by=by))
    waiting = plan.items.filter(done_at__isnull=True)
    no_target = waiting.filter(target="").count()
    kept = waiting.exclude(target="").count()
    done = plan.items.filter(done_at__isnull=False).count()
    return {
        "plan_id": plan.pk,
        "forwardings_set": set_count,
        "forwardings_done": done,
        "already_forwarded": kept,
        "without_target": no_target,
    }


def end(activation: ActivationLike, by: User | None) -> dict[str, Any]:
    """Turn off the forwardings the plan set (a second call finds none left to turn off)."""
    plan = _plan_of(activation)
    if plan is None or by is None:
        return {"forwardings_ended": 0}
    return {"plan_id": plan.pk, "forwardings_ended": end_plan_forwardings(plan=plan, by=by)}


def register() -> None:
    register_section(
        ContinuitySection(
            key="telephony",
            label=gettext_lazy("Telephony"),
            order=20,
            summary=summary,
            activate=activate,
            end=end,
        )
    )
