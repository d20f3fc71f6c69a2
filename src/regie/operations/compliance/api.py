"""API of compliance: findings (read-only; the sweep writes them) and the rules with their
thresholds."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from regie.assets.api import AssetSerializer
from regie.core.rest.permissions import PolicyPermission
from regie.core.rest.schema import AutoSchema
from regie.core.rest.serializers import ModelSerializer
from regie.core.rest.viewsets import PolicyReadOnlyViewSet
from regie.operations.compliance.evidence import evaluated_assets, unknown_counts
from regie.operations.compliance.filters import FindingFilterSet
from regie.operations.compliance.models import ComplianceSettings, Finding
from regie.operations.compliance.permissions import compliance_settings_policy, finding_policy
from regie.operations.compliance.rules import RULES


class FindingSerializer(ModelSerializer):
    brief_fields = ("id", "rule", "severity")
    asset_brief = AssetSerializer.Brief(source="asset", read_only=True)
    is_open = serializers.BooleanField(read_only=True)

    class Meta(ModelSerializer.Meta):
        model = Finding
        fields = (
            "id",
            "asset",
            "asset_brief",
            "rule",
            "severity",
            "reason",
            "details",
            "first_seen",
            "last_seen",
            "resolved_at",
            "is_open",
        )
        read_only_fields = fields


class FindingViewSet(PolicyReadOnlyViewSet):
    """Compliance findings: one rule failing on one asset. ``open=true`` for current ones."""

    policy = finding_policy
    queryset = Finding.objects.for_list()
    serializer_class = FindingSerializer
    filterset_class = FindingFilterSet


_RULE_SCHEMA = inline_serializer(
    "ComplianceRule",
    {
        "code": serializers.CharField(),
        "label": serializers.CharField(),
        "severity": serializers.CharField(),
        "enabled": serializers.BooleanField(),
        "threshold_days": serializers.IntegerField(allow_null=True),
        "announced": serializers.ListField(child=serializers.CharField()),
        "unknown": serializers.IntegerField(
            help_text="Assets in use you may see whose state this rule cannot tell: never "
            "inventoried, or the agent does not report what the rule reads."
        ),
    },
)


class ComplianceRuleViewSet(viewsets.GenericViewSet[ComplianceSettings]):
    """The rules the sweep evaluates, with their current switch and threshold."""

    permission_classes = [PolicyPermission]
    schema = AutoSchema()
    policy = compliance_settings_policy
    # Names the routes (api:compliancesettings-list); the rules come from code, not rows.
    queryset = ComplianceSettings.objects.none()
    pagination_class = None  # a handful of rules, answered as one list

    @extend_schema(responses=_RULE_SCHEMA)
    def list(self, request: Request) -> Response:
        config = ComplianceSettings.load()
        unknown = unknown_counts(evaluated_assets(request.user))
        rules: list[dict[str, Any]] = [
            {
                "code": rule.code.value,
                "label": rule.label,
                "severity": rule.severity.value,
                "enabled": rule.enabled(config),
                "threshold_days": getattr(config, rule.threshold) if rule.threshold else None,
                "announced": [s for s in ("warning", "critical") if rule.announced(s)],
                "unknown": unknown[rule.code.value],
            }
            for rule in RULES
        ]
        return Response(rules)


routes = [
    ("findings", FindingViewSet),
    ("compliance/rules", ComplianceRuleViewSet),
]
