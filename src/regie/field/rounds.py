"""The round's contribution to the "Aujourd'hui" page: visits due, and today's rounds."""

from __future__ import annotations

from datetime import datetime, time

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from regie.core.events import Severity
from regie.core.models import User
from regie.core.rounds import RoundItem, RoundSource, register_source
from regie.field.models import PlanStatus
from regie.field.permissions import intervention_policy, route_plan_policy

SHOWN = 50


def due_visits(user: User, since: datetime | None) -> list[RoundItem]:
    """Interventions to plan that are due today or overdue, and today's open rounds."""
    today = timezone.localdate()
    items = []
    plans = route_plan_policy.visible(user).filter(date=today, status=PlanStatus.PLANNED)
    for plan in plans.prefetch_related("routes__technician"):
        names = ", ".join(str(route.technician) for route in plan.routes.all())
        items.append(
            RoundItem(
                key=f"route-plan:{plan.pk}",
                title=_("Round of the day: %(names)s") % {"names": names},
                detail=_("To record once back at the base."),
                url=plan.get_absolute_url(),
                severity=Severity.INFO,
                # Since it was planned: a round planned at 14:00 is not "6 hours" old at 06:00.
                since=plan.created_at,
            )
        )
    due = (
        intervention_policy.visible(user)
        .to_plan()
        .filter(latest_date__lte=today)
        .order_by("latest_date", "-priority", "pk")[:SHOWN]
    )
    for intervention in due:
        assert intervention.latest_date is not None  # noqa: S101  # filtered above
        late = intervention.latest_date < today
        items.append(
            RoundItem(
                key=f"intervention:{intervention.pk}:due",
                title=str(intervention),
                detail=(
                    _("%(site)s — overdue since %(date)s, not planned yet.")
                    if late
                    else _("%(site)s — due today, not planned yet.")
                )
                % {
                    "site": intervention.site or _("no site"),
                    "date": intervention.latest_date.strftime("%d/%m/%Y"),
                },
                url=intervention.get_absolute_url(),
                severity=Severity.WARNING if late else Severity.INFO,
                # Due since the start of its last day, or since it was asked for if later.
                since=max(
                    timezone.make_aware(datetime.combine(intervention.latest_date, time())),
                    intervention.created_at,
                ),
                site_id=intervention.site_id,
            )
        )
    return items


def register() -> None:
    register_source(
        RoundSource(key="field", label=gettext_lazy("Visits to make"), order=40, items=due_visits)
    )
