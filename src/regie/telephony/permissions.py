"""Access rules for telephony (see ``regie.core.permissions``).

Administrators and technicians manage everything; readers read everything but the SIM codes;
correspondents see the lines, extensions and SIM cards of their sites; staff see their own
lines and extensions. Only administrators may display a SIM card's PIN and PUK.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from regie.core.models import Role, User
from regie.core.permissions import AnyUser, Policy, is_admin, register
from regie.telephony.models import (
    ContinuityPlan,
    CopperCutoff,
    DepartmentOnCall,
    Extension,
    Forwarding,
    Line,
    Operator,
    OperatorContract,
    SimCard,
    SiteFallback,
)


class OperatorPolicy(Policy[Operator]):
    model = Operator


class OperatorContractPolicy(Policy[OperatorContract]):
    model = OperatorContract

    def base_queryset(self) -> QuerySet[OperatorContract]:
        return OperatorContract.objects.select_related("operator")


class ContinuityPlanPolicy(Policy[ContinuityPlan]):
    model = ContinuityPlan


class CopperCutoffPolicy(Policy[CopperCutoff]):
    model = CopperCutoff

    def base_queryset(self) -> QuerySet[CopperCutoff]:
        return CopperCutoff.objects.select_related("commune")


class DepartmentOnCallPolicy(Policy[DepartmentOnCall]):
    model = DepartmentOnCall

    def base_queryset(self) -> QuerySet[DepartmentOnCall]:
        return DepartmentOnCall.objects.select_related("department")


class SiteFallbackPolicy(Policy[SiteFallback]):
    model = SiteFallback

    def base_queryset(self) -> QuerySet[SiteFallback]:
        return SiteFallback.objects.select_related("site")


def _line_scope(user: User, prefix: str = "") -> Q:
    if user.role == Role.CORRESPONDENT:
        return Q(**{f"{prefix}site__correspondents": user})
    return Q(**{f"{prefix}person__user": user})


class LinePolicy(Policy[Line]):
    """Correspondents read their sites' lines; staff read their own."""

    model = Line

    def base_queryset(self) -> QuerySet[Line]:
        return Line.objects.for_list()

    def scoped_queryset(self, user: User, queryset: QuerySet[Line]) -> QuerySet[Line]:
        return queryset.filter(pk__in=Line.objects.filter(_line_scope(user)).values("pk"))

    def scoped_lists(self, user: User) -> bool:
        return True


class ExtensionPolicy(Policy[Extension]):
    """Correspondents read the extensions of their sites (or their people); staff their own."""

    model = Extension

    def base_queryset(self) -> QuerySet[Extension]:
        return Extension.objects.for_list()

    def scoped_queryset(self, user: User, queryset: QuerySet[Extension]) -> QuerySet[Extension]:
        scope = _line_scope(user)
        if user.role == Role.CORRESPONDENT:
            scope |= Q(person__site__correspondents=user)
        return queryset.filter(pk__in=Extension.objects.filter(scope).values("pk"))

    def scoped_lists(self, user: User) -> bool:
        return True


class SimCardPolicy(Policy[SimCard]):
    """A SIM card is seen by whoever sees its line; only administrators see its codes."""

    model = SimCard

    def base_queryset(self) -> QuerySet[SimCard]:
        return SimCard.objects.select_related("line", "operator")

    def scoped_queryset(self, user: User, queryset: QuerySet[SimCard]) -> QuerySet[SimCard]:
        return queryset.filter(line__in=line_policy.visible(user).values("pk"))

    def scoped_lists(self, user: User) -> bool:
        return True

    def can_reveal(self, user: AnyUser | None) -> bool:
        return is_admin(user)


class ForwardingPolicy(Policy[Forwarding]):
    """A forwarding is seen by whoever sees its line or extension; managers change it."""

    model = Forwarding

    def base_queryset(self) -> QuerySet[Forwarding]:
        return Forwarding.objects.select_related("line", "extension", "extension__person", "by")

    def scoped_queryset(self, user: User, queryset: QuerySet[Forwarding]) -> QuerySet[Forwarding]:
        return queryset.filter(
            Q(line__in=line_policy.visible(user).values("pk"))
            | Q(extension__in=extension_policy.visible(user).values("pk"))
        )

    def scoped_lists(self, user: User) -> bool:
        return True


operator_policy = register(OperatorPolicy())
operator_contract_policy = register(OperatorContractPolicy())
line_policy = register(LinePolicy())
extension_policy = register(ExtensionPolicy())
sim_card_policy = SimCardPolicy()
register(sim_card_policy)
forwarding_policy = register(ForwardingPolicy())
continuity_plan_policy = register(ContinuityPlanPolicy())
copper_cutoff_policy = register(CopperCutoffPolicy())
site_fallback_policy = register(SiteFallbackPolicy())
department_on_call_policy = register(DepartmentOnCallPolicy())
