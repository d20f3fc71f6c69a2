"""API serializers and endpoints of the inventory inbox: agents and received reports.

Both are read-only (agents write them); the actions are ``replay``, which runs the
processing pipeline on a report again, as ``regie inventory replay ID`` does, and ``accept``
/ ``reject`` for a report held as a conflict (``regie.inventory.trust``).
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from regie.assets.api import AssetSerializer
from regie.core.models import ChangeSource, User
from regie.core.permissions import Action
from regie.core.rest.errors import Conflict
from regie.core.rest.schema import ErrorSerializer
from regie.core.rest.serializers import ModelSerializer
from regie.core.rest.viewsets import PolicyReadOnlyViewSet
from regie.inventory.filters import AgentFilterSet, ReceivedReportFilterSet
from regie.inventory.models import Agent, ReceivedReport
from regie.inventory.permissions import agent_policy, received_report_policy
from regie.inventory.pipeline import process_report
from regie.inventory.trust import NotHeld, accept_held_report, reject_held_report


class AgentSerializer(ModelSerializer):
    brief_fields = ("id", "device_id", "name")
    asset_brief = AssetSerializer.Brief(source="asset", read_only=True, allow_null=True)

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
            "asset",
            "asset_brief",
            "bound_at",
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
            "conflict",
            "decided_by",
            "decided_at",
        )
        read_only_fields = fields


class AgentViewSet(PolicyReadOnlyViewSet):
    """Inventory agents as they introduced themselves; the IT team and readers only."""

    policy = agent_policy
    queryset = Agent.objects.select_related("asset")
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

    def _decide(self, request: Request, pk: str | None, decide: Callable[..., object]) -> Response:
        report = self.policy.get_for_user(request.user, pk, Action.CHANGE)
        try:
            decide(report)
        except NotHeld as error:
            raise Conflict(
                _("This report is not held (it is %(status)s): nothing to decide.")
                % {"status": error}
            ) from error
        report = self.get_queryset().get(pk=report.pk)
        return Response(self.get_serializer(report).data)

    @extend_schema(request=None, responses={200: ReceivedReportSerializer, 409: ErrorSerializer})
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str | None = None) -> Response:
        """Accept a held report: bind its asset to the report's agent, then apply it."""
        user = request.user
        assert isinstance(user, User)  # noqa: S101  # the viewset requires authentication
        return self._decide(
            request,
            pk,
            lambda report: accept_held_report(report=report, by=user, source=ChangeSource.API),
        )

    @extend_schema(request=None, responses={200: ReceivedReportSerializer, 409: ErrorSerializer})
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str | None = None) -> Response:
        """Reject a held report: it is kept, marked rejected; the asset is left as it is."""
        user = request.user
        assert isinstance(user, User)  # noqa: S101  # the viewset requires authentication
        return self._decide(request, pk, lambda report: reject_held_report(report=report, by=user))


routes = [
    ("inventory/agents", AgentViewSet),
    ("inventory/reports", ReceivedReportViewSet),
]
