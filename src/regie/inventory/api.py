"""API serializers and endpoints of the inventory inbox: agents and received reports.

Both are read-only (agents write them); the one action is ``replay``, which runs the
processing pipeline on a report again, as ``regie inventory replay ID`` does.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from regie.assets.api import AssetSerializer
from regie.core.permissions import Action
from regie.core.rest.serializers import ModelSerializer
from regie.core.rest.viewsets import PolicyReadOnlyViewSet
from regie.inventory.filters import AgentFilterSet, ReceivedReportFilterSet
from regie.inventory.models import Agent, ReceivedReport
from regie.inventory.permissions import agent_policy, received_report_policy
from regie.inventory.pipeline import process_report


class AgentSerializer(ModelSerializer):
    brief_fields = ("id", "device_id", "name")

    class Meta(ModelSerializer.Meta):
        model = Agent
        fields = (
            "id",
            "device_id",
            "protocol",
            "name",
            "version",
            "last_address",
            "first_seen",
            "last_seen",
            "report_count",
            "approved",
        )
        read_only_fields = fields


class ReceivedReportSerializer(ModelSerializer):
    brief_fields = ("id", "received_at", "status")
    agent_brief = AgentSerializer.Brief(source="agent", read_only=True)
    asset_brief = AssetSerializer.Brief(source="asset", read_only=True, allow_null=True)

    class Meta(ModelSerializer.Meta):
        model = ReceivedReport
        fields = (
            "id",
            "agent",
            "agent_brief",
            "protocol",
            "body_size",
            "partial",
            "remote_address",
            "received_at",
            "status",
            "error",
            "processed_at",
            "processing_ms",
            "matched_rule",
            "asset",
            "asset_brief",
        )
        read_only_fields = fields


class AgentViewSet(PolicyReadOnlyViewSet):
    """Inventory agents as they introduced themselves; the IT team and readers only."""

    policy = agent_policy
    queryset = Agent.objects.all()
    serializer_class = AgentSerializer
    filterset_class = AgentFilterSet


class ReceivedReportViewSet(PolicyReadOnlyViewSet):
    """Received inventory reports and what processing made of them."""

    policy = received_report_policy
    queryset = ReceivedReport.objects.select_related("agent", "asset").defer("body")
    serializer_class = ReceivedReportSerializer
    filterset_class = ReceivedReportFilterSet

    @extend_schema(request=None, responses=ReceivedReportSerializer)
    @action(detail=True, methods=["post"])
    def replay(self, request: Request, pk: str | None = None) -> Response:
        """Process the report again now; a processed one is left as it is.

        A report of an agent awaiting approval keeps waiting (status ``received``).
        """
        report = self.policy.get_for_user(request.user, pk, Action.CHANGE)
        process_report(report_id=report.pk)
        report = self.get_queryset().get(pk=report.pk)
        return Response(self.get_serializer(report).data)


routes = [
    ("inventory/agents", AgentViewSet),
    ("inventory/reports", ReceivedReportViewSet),
]
