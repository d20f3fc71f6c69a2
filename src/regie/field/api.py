"""API serializers and endpoints of the round: interventions and route plans."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from regie.core.history import linked_names, record_link_changes
from regie.core.models import ChangeSource, User
from regie.core.permissions import Action, restrict_choices
from regie.core.rest.errors import Conflict
from regie.core.rest.serializers import ModelSerializer
from regie.core.rest.viewsets import PolicyModelViewSet, PolicyReadOnlyViewSet
from regie.directory.api import SiteSerializer
from regie.directory.models import Site
from regie.field.filters import InterventionFilterSet, RoutePlanFilterSet
from regie.field.forms import technicians
from regie.field.models import (
    Intervention,
    RoutePlan,
    RouteStop,
    TechnicianRoute,
    UnplannedIntervention,
)
from regie.field.permissions import intervention_policy, route_plan_policy
from regie.field.planning import check_open, plan_day, record_round, replan_with


class InterventionSerializer(ModelSerializer):
    brief_fields = ("id", "title", "kind", "status")
    site_brief = SiteSerializer.Brief(source="site", read_only=True)

    class Meta(ModelSerializer.Meta):
        model = Intervention
        exclude = ("origin_type", "origin_id")

    def save_instance(self, instance: Any) -> Any:
        with transaction.atomic():
            before = linked_names(instance, ["assets"]) if instance.pk else {}
            instance = super().save_instance(instance)
            if "assets" in self.validated_data:
                instance.assets.set(self.validated_data["assets"])
                if before:
                    record_link_changes(
                        instance=instance, before=before, by=self.user, source=ChangeSource.API
                    )
        return instance


class InterventionViewSet(PolicyModelViewSet):
    policy = intervention_policy
    queryset = Intervention.objects.select_related("site").prefetch_related("assets")
    serializer_class = InterventionSerializer
    filterset_class = InterventionFilterSet


# --- route plans -----------------------------------------------------------------------------


class TechnicianSerializer(serializers.ModelSerializer[User]):
    name = serializers.CharField(source="__str__", read_only=True)

    class Meta:
        model = User
        fields = ("id", "username", "name")


class RouteStopSerializer(serializers.ModelSerializer[RouteStop]):
    intervention_brief = InterventionSerializer.Brief(source="intervention", read_only=True)
    site_brief = SiteSerializer.Brief(source="intervention.site", read_only=True)

    class Meta:
        model = RouteStop
        fields = (
            "id",
            "sequence",
            "intervention",
            "intervention_brief",
            "site_brief",
            "arrival",
            "start",
            "departure",
            "distance_m",
            "travel_s",
            "done",
        )


class TechnicianRouteSerializer(serializers.ModelSerializer[TechnicianRoute]):
    technician_brief = TechnicianSerializer(source="technician", read_only=True)
    stops = RouteStopSerializer(many=True, read_only=True)

    class Meta:
        model = TechnicianRoute
        fields = (
            "id",
            "technician",
            "technician_brief",
            "leave_at",
            "back_at",
            "distance_m",
            "driving_s",
            "actual_km",
            "stops",
        )


class UnplannedSerializer(serializers.ModelSerializer[UnplannedIntervention]):
    intervention_brief = InterventionSerializer.Brief(source="intervention", read_only=True)
    reason_label = serializers.CharField(source="get_reason_display", read_only=True)

    class Meta:
        model = UnplannedIntervention
        fields = ("intervention", "intervention_brief", "reason", "reason_label")


class RoutePlanSerializer(ModelSerializer):
    base_brief = SiteSerializer.Brief(source="base", read_only=True)
    routes = TechnicianRouteSerializer(many=True, read_only=True)
    unplanned = UnplannedSerializer(many=True, read_only=True)
    saved_m = serializers.SerializerMethodField()

    class Meta(ModelSerializer.Meta):
        model = RoutePlan
        fields = (
            "id",
            "date",
            "status",
            "base",
            "base_brief",
            "day_start",
            "day_end",
            "distance_m",
            "driving_s",
            "baseline_distance_m",
            "saved_m",
            "method",
            "solve_ms",
            "road_factor",
            "speed_kmh",
            "replaced_by",
            "routes",
            "unplanned",
            "created_at",
            "updated_at",
        )
        read_only_fields = fields

    def get_saved_m(self, plan: RoutePlan) -> int:
        return max(0, plan.baseline_distance_m - plan.distance_m)


class PlanRequestSerializer(serializers.Serializer[Any]):
    """What to plan: the day, who, and optionally the base, the hours and the interventions."""

    date = serializers.DateField()
    technicians = serializers.PrimaryKeyRelatedField(
        many=True, queryset=User.objects.none(), allow_empty=False
    )
    base = serializers.PrimaryKeyRelatedField(
        queryset=Site.objects.none(), required=False, allow_null=True
    )
    interventions = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Intervention.objects.none(), required=False, allow_empty=False
    )
    day_start = serializers.TimeField(required=False)
    day_end = serializers.TimeField(required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = getattr(self.context.get("request"), "user", None)
        self.fields["technicians"].child_relation.queryset = technicians()  # type: ignore[attr-defined]  # a ManyRelatedField
        self.fields["base"].queryset = restrict_choices(Site.objects.all(), user)  # type: ignore[attr-defined]  # a RelatedField
        self.fields["interventions"].child_relation.queryset = (  # type: ignore[attr-defined]  # a ManyRelatedField
            intervention_policy.visible(user).select_related("site")
        )


class AddRequestSerializer(serializers.Serializer[Any]):
    """The interventions to add to a plan."""

    interventions = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Intervention.objects.none(), allow_empty=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = getattr(self.context.get("request"), "user", None)
        self.fields["interventions"].child_relation.queryset = (  # type: ignore[attr-defined]  # a ManyRelatedField
            intervention_policy.visible(user).select_related("site")
        )


class RecordRequestSerializer(serializers.Serializer[Any]):
    done_stops = serializers.ListField(child=serializers.IntegerField(min_value=1))
    kilometres = serializers.DictField(
        child=serializers.DecimalField(
            max_digits=6,
            decimal_places=1,
            min_value=0,
            allow_null=True,
        ),
        required=False,
    )

    def validate_kilometres(self, value: dict[str, Any]) -> dict[int, Any]:
        if not all(str(key).isdigit() for key in value):
            raise serializers.ValidationError(_("The keys must be the ids of the plan's routes."))
        return {int(key): km for key, km in value.items()}


class RoutePlanViewSet(mixins.CreateModelMixin, PolicyReadOnlyViewSet):
    """Route plans: POST plans a day (and answers the plan); GET reads them."""

    policy = route_plan_policy
    queryset = RoutePlan.objects.select_related("base").prefetch_related(
        Prefetch(
            "routes",
            TechnicianRoute.objects.select_related("technician").prefetch_related(
                Prefetch("stops", RouteStop.objects.select_related("intervention__site"))
            ),
        ),
        Prefetch("unplanned", UnplannedIntervention.objects.select_related("intervention")),
    )
    serializer_class = RoutePlanSerializer
    filterset_class = RoutePlanFilterSet

    def _open_plan(self, request: Request, pk: str) -> RoutePlan:
        """The plan to change; a plan already done or replaced is a conflict (409)."""
        plan: RoutePlan = self.policy.get_for_user(request.user, pk, Action.CHANGE)
        try:
            check_open(plan)
        except DjangoValidationError as error:
            raise Conflict(" ".join(error.messages)) from None
        return plan

    def _answer(self, plan: RoutePlan, code: int) -> Response:
        plan = self.get_queryset().get(pk=plan.pk)
        return Response(RoutePlanSerializer(plan, context={"request": self.request}).data, code)

    @extend_schema(request=PlanRequestSerializer, responses={201: RoutePlanSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        payload = PlanRequestSerializer(data=request.data, context={"request": request})
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        plan = plan_day(
            day=data["date"],
            technicians=data["technicians"],
            base=data.get("base"),
            interventions=data.get("interventions"),
            day_start=data.get("day_start"),
            day_end=data.get("day_end"),
            by=request.user if isinstance(request.user, User) else None,
            source=ChangeSource.API,
        )
        return self._answer(plan, status.HTTP_201_CREATED)

    @extend_schema(request=AddRequestSerializer, responses={201: RoutePlanSerializer})
    @action(detail=True, methods=["post"], url_path="add")
    def add(self, request: Request, pk: str) -> Response:
        """Plan the day again with more interventions; the answer is the new plan."""
        plan = self._open_plan(request, pk)
        payload = AddRequestSerializer(data=request.data, context={"request": request})
        payload.is_valid(raise_exception=True)
        new_plan = replan_with(
            plan=plan,
            add=payload.validated_data["interventions"],
            by=request.user if isinstance(request.user, User) else None,
            source=ChangeSource.API,
        )
        return self._answer(new_plan, status.HTTP_201_CREATED)

    @extend_schema(request=RecordRequestSerializer, responses={200: RoutePlanSerializer})
    @action(detail=True, methods=["post"], url_path="record")
    def record(self, request: Request, pk: str) -> Response:
        """Close the round: the stops done and the kilometres driven per route."""
        plan = self._open_plan(request, pk)
        payload = RecordRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        record_round(
            plan=plan,
            done_stops=payload.validated_data["done_stops"],
            kilometres=payload.validated_data.get("kilometres", {}),
            by=request.user if isinstance(request.user, User) else None,
            source=ChangeSource.API,
        )
        return self._answer(plan, status.HTTP_200_OK)


routes = [
    ("interventions", InterventionViewSet),
    ("route-plans", RoutePlanViewSet),
]
