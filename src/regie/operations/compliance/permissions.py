"""Access to findings and to the compliance settings (see ``regie.core.permissions``).

The IT team and readers see every finding; a site correspondent sees the findings of the
assets on their sites; staff see none (the compliance view is the IT team's tool, not
self-service). Nobody writes findings by hand: the sweep does. Only administrators change the
settings; everyone who may list findings reads them.
"""

from __future__ import annotations

from django.db.models import QuerySet

from regie.core.models import Role, User
from regie.core.permissions import AnyUser, Policy, is_admin, register
from regie.directory.models import Site
from regie.operations.compliance.models import ComplianceSettings, Finding


class FindingPolicy(Policy[Finding]):
    model = Finding

    def base_queryset(self) -> QuerySet[Finding]:
        return Finding.objects.for_list()

    def scoped_queryset(self, user: User, queryset: QuerySet[Finding]) -> QuerySet[Finding]:
        if user.role == Role.CORRESPONDENT:
            return queryset.filter(asset__site__in=Site.objects.filter(correspondents=user))
        return queryset.none()

    def scoped_lists(self, user: User) -> bool:
        return user.role == Role.CORRESPONDENT

    def can_create(self, user: AnyUser | None) -> bool:
        return False

    def can_change(self, user: AnyUser | None, obj: Finding) -> bool:
        return False

    def can_delete(self, user: AnyUser | None, obj: Finding) -> bool:
        return False


class ComplianceSettingsPolicy(Policy[ComplianceSettings]):
    model = ComplianceSettings

    def scoped_queryset(
        self, user: User, queryset: QuerySet[ComplianceSettings]
    ) -> QuerySet[ComplianceSettings]:
        return queryset if user.role == Role.CORRESPONDENT else queryset.none()

    def scoped_lists(self, user: User) -> bool:
        return user.role == Role.CORRESPONDENT

    def can_create(self, user: AnyUser | None) -> bool:
        return False

    def can_change(self, user: AnyUser | None, obj: ComplianceSettings | None) -> bool:
        return is_admin(user)

    def can_delete(self, user: AnyUser | None, obj: ComplianceSettings) -> bool:
        return False


finding_policy = register(FindingPolicy())
compliance_settings_policy = register(ComplianceSettingsPolicy())
