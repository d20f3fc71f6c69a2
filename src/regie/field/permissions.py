"""Access rules for interventions and route plans (see ``regie.core.permissions``).

Administrators and technicians plan and edit; readers read; correspondents see the
interventions of their sites (not the rounds); staff see nothing here.
"""

from __future__ import annotations

from django.db.models import QuerySet

from regie.core.models import Role, User
from regie.core.permissions import Policy, register
from regie.field.models import Intervention, RoutePlan


class InterventionPolicy(Policy[Intervention]):
    model = Intervention

    def base_queryset(self) -> QuerySet[Intervention]:
        return Intervention.objects.select_related("site")

    def scoped_queryset(
        self, user: User, queryset: QuerySet[Intervention]
    ) -> QuerySet[Intervention]:
        if user.role == Role.CORRESPONDENT:
            return queryset.filter(site__correspondents=user)
        return queryset.none()

    def scoped_lists(self, user: User) -> bool:
        return user.role == Role.CORRESPONDENT


class RoutePlanPolicy(Policy[RoutePlan]):
    model = RoutePlan

    def base_queryset(self) -> QuerySet[RoutePlan]:
        return RoutePlan.objects.select_related("base", "created_by")


intervention_policy = register(InterventionPolicy())
route_plan_policy = register(RoutePlanPolicy())
