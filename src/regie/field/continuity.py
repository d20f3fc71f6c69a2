"""The on-site section of the continuity page: what still needs a visit, and tomorrow's round.

Needs a visit: the open tickets that say so, the backups that failed at a site (a local NAS
only someone on site can restart), and the laptops booked for people working from home (the
loans to deliver). Declaring the plan turns each loan to deliver into a delivery intervention
(one per booking, found again by its origin, so declaring twice creates nothing); the round
for tomorrow is then planned in one click with :func:`regie.field.planning.plan_day`.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext_lazy, pgettext_lazy

from regie.assets.models import AssetKind
from regie.core.continuity import (
    ActivationLike,
    Cell,
    ContinuitySection,
    Figure,
    SectionResult,
    Table,
    register_section,
)
from regie.core.formatting import format_datetime, format_time
from regie.core.history import bulk_create_with_history
from regie.core.models import Role, User
from regie.field.models import (
    Intervention,
    InterventionKind,
    PlanStatus,
    Priority,
    RoutePlan,
    RouteStop,
)
from regie.field.planning import MAX_TECHNICIANS, is_technician, plan_day
from regie.helpdesk.models import Ticket
from regie.operations.checks.models import Check, CheckKind, CheckStatus
from regie.telework.models import Reservation


def tomorrow(now: datetime.datetime) -> datetime.date:
    return timezone.localdate(now) + datetime.timedelta(days=1)


def _period(context: dict[str, Any]) -> tuple[datetime.datetime, datetime.datetime]:
    ends_on: datetime.date = context["ends_on"]
    end = timezone.make_aware(
        datetime.datetime.combine(ends_on + datetime.timedelta(days=1), datetime.time.min)
    )
    return context["now"], end


def loans_to_deliver(start: datetime.datetime, end: datetime.datetime) -> list[Reservation]:
    """Laptops booked over the period, not checked out yet: each is a delivery to make."""
    return list(
        Reservation.objects.booked()
        .overlapping(start, end)
        .filter(asset__asset_type__kind=AssetKind.LAPTOP)
        .select_related("asset", "person", "person__site")
        .order_by("start", "pk")
    )


def _deliveries(reservations: list[Reservation]) -> dict[int, Intervention]:
    """The delivery interventions already made for these bookings, by booking id."""
    kind = ContentType.objects.get_for_model(Reservation)
    return {
        intervention.origin_id: intervention
        for intervention in Intervention.objects.filter(
            origin_type=kind, origin_id__in=[r.pk for r in reservations]
        )
        if intervention.origin_id is not None
    }


def _tickets() -> list[Ticket]:
    return list(
        Ticket.objects.open().filter(needs_visit=True).select_related("site").order_by("pk")
    )


def _failed_backups() -> list[Check]:
    return list(
        Check.objects.filter(
            kind=CheckKind.BACKUP, status=CheckStatus.DOWN, site__isnull=False
        ).select_related("site")
    )


def tomorrow_plan(now: datetime.datetime) -> RoutePlan | None:
    return (
        RoutePlan.objects.filter(date=tomorrow(now), status=PlanStatus.PLANNED)
        .order_by("-pk")
        .first()
    )


def _stops(plan: RoutePlan | None) -> list[RouteStop]:
    if plan is None:
        return []
    return list(
        RouteStop.objects.filter(route__plan=plan)
        .select_related("route__technician", "intervention__site")
        .order_by("route__position", "sequence")
    )


def _visit_rows(
    tickets: list[Ticket],
    backups: list[Check],
    loans: list[Reservation],
    deliveries: dict[int, Intervention],
) -> list[tuple[Any, ...]]:
    rows: list[tuple[Any, ...]] = []
    for ticket in tickets:
        rows.append((_("Ticket"), str(ticket), ticket.site or "—", Cell(_("To visit"), "warning")))
    for check in backups:
        rows.append(
            (_("Failed backup"), check.name, check.site or "—", Cell(_("To restart"), "danger"))
        )
    for reservation in loans:
        delivery = deliveries.get(reservation.pk)
        state = (
            Cell(delivery.get_status_display(), "ok")
            if delivery is not None
            else Cell(_("No delivery yet"), "warning")
        )
        rows.append(
            (
                _("Loan to deliver"),
                _("%(asset)s for %(person)s")
                % {"asset": reservation.asset, "person": reservation.person},
                reservation.person.site or "—",
                state,
            )
        )
    return rows


def summary(user: User, context: dict[str, Any]) -> SectionResult:
    start, end = _period(context)
    tickets, backups = _tickets(), _failed_backups()
    loans = loans_to_deliver(start, end)
    deliveries = _deliveries(loans)
    rows = _visit_rows(tickets, backups, loans, deliveries)
    plan = tomorrow_plan(context["now"])
    stops = _stops(plan)
    limit = context.get("limit")
    return SectionResult(
        figures=[
            Figure(
                ngettext_lazy("ticket needing a visit", "tickets needing a visit", "n"),
                len(tickets),
                "warning" if tickets else "ok",
            ),
            Figure(
                ngettext_lazy("failed backup on site", "failed backups on site", "n"),
                len(backups),
                "danger" if backups else "ok",
            ),
            Figure(
                ngettext_lazy("loan to deliver", "loans to deliver", "n"),
                len(loans),
                "warning" if loans else "ok",
            ),
            Figure(
                ngettext_lazy("stop on tomorrow's round", "stops on tomorrow's round", "n"),
                len(stops),
                "ok" if stops else "",
            ),
        ],
        tables=[
            Table(
                "visits",
                _("Needs a visit"),
                (_("Why"), _("What"), _("Site"), _("State")),
                rows if limit is None else rows[:limit],
                _("Nothing needs a visit."),
                len(rows),
            ),
            Table(
                "round",
                _("Tomorrow's round"),
                (_("Technician"), _("Arrival"), _("Site"), _("Intervention")),
                [
                    (
                        stop.route.technician,
                        format_time(stop.arrival),
                        stop.intervention.site or "—",
                        stop.intervention.title,
                    )
                    for stop in stops
                ],
                _("No round planned for tomorrow yet."),
                len(stops),
            ),
        ],
        extra={
            "tomorrow": tomorrow(context["now"]),
            "plan": plan,
            "plan_url": plan.get_absolute_url() if plan is not None else "",
            "planned_at": format_datetime(plan.created_at, short=True) if plan else "",
        },
    )


def activate(activation: ActivationLike, by: User | None) -> dict[str, Any]:
    """One delivery intervention per laptop to deliver that has none yet."""
    start, end = _period({"now": activation.started_at, "ends_on": activation.ends_on})
    loans = loans_to_deliver(start, end)
    existing = _deliveries(loans)
    kind = ContentType.objects.get_for_model(Reservation)
    day = timezone.localdate(activation.started_at)
    waiting = [reservation for reservation in loans if reservation.pk not in existing]
    interventions = [
        Intervention(
            kind=InterventionKind.LOAN_DELIVERY,
            title=_("Deliver %(asset)s to %(person)s")
            % {"asset": reservation.asset, "person": reservation.person},
            description=_("Continuity plan: the person works from home until %(date)s.")
            % {"date": activation.ends_on.strftime("%d/%m/%Y")},
            site=reservation.person.site,
            earliest_date=day,
            latest_date=day + datetime.timedelta(days=1),
            priority=Priority.HIGH,
            origin_type=kind,
            origin_id=reservation.pk,
            duration_minutes=30,
        )
        for reservation in waiting
    ]
    with transaction.atomic():
        bulk_create_with_history(instances=interventions, by=by)
        Intervention.assets.through.objects.bulk_create(
            Intervention.assets.through(
                intervention_id=intervention.pk, asset_id=reservation.asset_id
            )
            for intervention, reservation in zip(interventions, waiting, strict=True)
        )
    created = [intervention.pk for intervention in interventions]
    return {"interventions": created, "created": len(created)}


def round_technicians(by: User) -> list[User]:
    """The technicians who drive out (all of them, up to the planner's limit), else ``by``."""
    technicians = list(
        User.objects.filter(is_active=True, role=Role.TECHNICIAN).order_by("pk")[:MAX_TECHNICIANS]
    )
    return technicians or ([by] if is_technician(by) else [])


def plan_tomorrow(*, by: User, now: datetime.datetime | None = None) -> RoutePlan:
    """Plan tomorrow's round with every intervention waiting (ValidationError if none fits)."""
    return plan_day(day=tomorrow(now or timezone.now()), technicians=round_technicians(by), by=by)


def register() -> None:
    register_section(
        ContinuitySection(
            key="field",
            label=pgettext_lazy("continuity section", "On site"),
            order=40,
            summary=summary,
            activate=activate,
        )
    )
