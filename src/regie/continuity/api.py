"""``/api/v1/continuity/``: the four sections' numbers and rows; declaring and ending the plan.

``GET`` answers those who see the page (administrators, technicians, readers). ``POST
activate/`` (body ``{"ends_on": "YYYY-MM-DD"}``) and ``POST end/`` are for administrators;
a plan already in force answers 409 to ``activate``, none in force answers 409 to ``end``;
bad input answers 400 and changes nothing.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from regie.continuity.models import Activation
from regie.continuity.permissions import can_declare, can_see_page
from regie.continuity.services import (
    AlreadyDeclared,
    NotDeclared,
    Page,
    build_page,
    declare_plan,
    end_plan,
)
from regie.core.continuity import Table
from regie.core.models import ChangeSource, User
from regie.core.rest.errors import Conflict
from regie.core.rest.permissions import TokenScopePermission
from regie.core.rest.schema import AutoSchema
from regie.core.rest.serializers import UtcDateTimeField


def _user(request: Request, allowed: Any) -> User:
    user = request.user
    if not isinstance(user, User) or not allowed(user):
        raise PermissionDenied
    return user


def _table(table: Table) -> dict[str, Any]:
    return {
        "key": table.key,
        "title": str(table.title),
        "columns": [str(column) for column in table.columns],
        "rows": [[str(cell.text) for cell in row] for row in table.cell_rows],
        "total": table.total,
    }


def _activation(activation: Activation | None) -> dict[str, Any] | None:
    if activation is None:
        return None
    at = UtcDateTimeField()
    return {
        "id": activation.pk,
        "active": activation.active,
        "started_at": at.to_representation(activation.started_at),
        "ends_on": activation.ends_on.isoformat(),
        "ended_at": at.to_representation(activation.ended_at) if activation.ended_at else None,
        "messages_queued": activation.messages_queued,
        "results": activation.results,
    }


def page_data(page: Page) -> dict[str, Any]:
    coverage = page.coverage
    return {
        "ends_on": page.ends_on.isoformat(),
        "activation": _activation(page.activation),
        "coverage": {
            "computers": coverage.computers,
            "reporting": coverage.reporting,
            "recent": coverage.recent,
        },
        "sections": [
            {
                "key": view.key,
                "label": str(view.label),
                "figures": [
                    {"label": figure.caption, "value": figure.value, "tone": figure.tone}
                    for figure in view.result.figures
                ],
                "tables": [_table(table) for table in view.result.tables],
            }
            for view in page.sections
        ],
    }


class ActivateSerializer(serializers.Serializer[Any]):
    ends_on = serializers.DateField(help_text="The last day the offices are closed.")


class ContinuityView(APIView):
    """The continuity page as data: the four sections' figures and every row."""

    permission_classes = [IsAuthenticated]
    schema = AutoSchema()

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request: Request) -> Response:
        user = _user(request, can_see_page)
        return Response(page_data(build_page(user, limit=None)))


class ActivateView(APIView):
    """Declare the plan until ``ends_on`` (administrators; 409 when already declared)."""

    permission_classes = [IsAuthenticated, TokenScopePermission]
    schema = AutoSchema()

    @extend_schema(request=ActivateSerializer, responses={201: OpenApiTypes.OBJECT})
    def post(self, request: Request) -> Response:
        user = _user(request, can_declare)
        serializer = ActivateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            activation = declare_plan(
                ends_on=serializer.validated_data["ends_on"], by=user, source=ChangeSource.API
            )
        except AlreadyDeclared:
            raise Conflict(_("The continuity plan is already declared.")) from None
        return Response(_activation(activation), status=201)


class EndView(APIView):
    """End the plan in force (administrators; 409 when none is)."""

    permission_classes = [IsAuthenticated, TokenScopePermission]
    schema = AutoSchema()

    @extend_schema(request=None, responses=OpenApiTypes.OBJECT)
    def post(self, request: Request) -> Response:
        user = _user(request, can_declare)
        try:
            activation = end_plan(by=user, source=ChangeSource.API)
        except NotDeclared:
            raise Conflict(_("No continuity plan is in force.")) from None
        return Response(_activation(activation))
