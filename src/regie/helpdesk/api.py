"""API of the helpdesk: tickets (with status, assignment and satisfaction actions),
follow-ups and categories. Every write goes through ``regie.helpdesk.services``."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from regie.assets.api import AssetSerializer
from regie.core.models import ChangeSource, User
from regie.core.permissions import Action, manages
from regie.core.rest.errors import Conflict
from regie.core.rest.permissions import PolicyPermission
from regie.core.rest.schema import AutoSchema
from regie.core.rest.serializers import ModelSerializer, as_serializer_errors
from regie.core.rest.viewsets import PolicyModelViewSet, PolicyReadOnlyViewSet
from regie.directory.api import PersonSerializer, SiteSerializer
from regie.directory.models import Person
from regie.helpdesk import services
from regie.helpdesk.choices import TicketSource, TicketStatus, WaitingFor
from regie.helpdesk.filters import FollowUpFilterSet, TicketFilterSet
from regie.helpdesk.models import Attachment, Category, FollowUp, Ticket
from regie.helpdesk.permissions import (
    category_policy,
    followup_policy,
    ticket_policy,
)


class CategorySerializer(ModelSerializer):
    brief_fields = ("id", "name")

    class Meta(ModelSerializer.Meta):
        model = Category
        fields = ("id", "name", "parent", "active")


class TicketSerializer(ModelSerializer):
    """Created and edited like the web forms; status and assignee change through actions."""

    brief_fields = ("id", "title", "status", "priority")
    requester = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.all(),
        required=False,
        help_text="Defaults to the caller's own person record.",
    )
    requester_brief = PersonSerializer.Brief(source="requester", read_only=True)
    site_brief = SiteSerializer.Brief(source="site", read_only=True)
    category_brief = CategorySerializer.Brief(source="category", read_only=True)
    assets_brief = AssetSerializer.Brief(source="assets", many=True, read_only=True)
    sla_state = serializers.CharField(read_only=True, allow_null=True)

    class Meta(ModelSerializer.Meta):
        model = Ticket
        fields = (
            "id",
            "requester",
            "requester_brief",
            "source",
            "title",
            "description",
            "category",
            "category_brief",
            "urgency",
            "impact",
            "priority",
            "status",
            "waiting_for",
            "assignee",
            "site",
            "site_brief",
            "assets",
            "assets_brief",
            "needs_visit",
            "first_response_due",
            "resolution_due",
            "first_response_at",
            "resolved_at",
            "closed_at",
            "sla_state",
            "satisfaction",
            "satisfaction_comment",
            "created_at",
            "updated_at",
        )
        read_only_fields = (
            "priority",
            "status",
            "waiting_for",
            "assignee",
            "first_response_due",
            "resolution_due",
            "first_response_at",
            "resolved_at",
            "closed_at",
            "satisfaction",
            "satisfaction_comment",
        )

    _ACTION_FIELDS = {"status": "status", "assignee": "assign", "satisfaction": "satisfaction"}

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        moved = [name for name in self._ACTION_FIELDS if name in self.initial_data]
        if moved:
            raise serializers.ValidationError(
                {
                    name: [
                        f"Change it with POST /api/v1/tickets/{{id}}/{self._ACTION_FIELDS[name]}/."
                    ]
                    for name in moved
                }
            )
        if self.instance is None:
            if "requester" not in attrs:
                person = Person.objects.filter(user=self.user).first()
                if person is None:
                    raise serializers.ValidationError({"requester": ["This field is required."]})
                attrs["requester"] = person
            if not ticket_policy.can_create_for(self.user, attrs["requester"]):
                raise serializers.ValidationError(
                    {"requester": ["You may only report tickets for yourself."]}
                )
        elif "requester" in attrs and attrs["requester"] != self.instance.requester:
            raise serializers.ValidationError({"requester": ["The requester cannot change."]})
        if not manages(self.user):
            # Staff describe their problem; the IT team sets source, impact, site, visits.
            for name in ("source", "impact", "site", "needs_visit"):
                attrs.pop(name, None)
        return super().validate(attrs)

    def create(self, validated_data: dict[str, Any]) -> Ticket:
        user = self.user
        assert user is not None  # noqa: S101  # PolicyPermission requires a user
        data = dict(validated_data)
        return _service(  # type: ignore[no-any-return]  # create_ticket returns a Ticket
            lambda: services.create_ticket(
                requester=data["requester"],
                title=data["title"],
                description=data["description"],
                by=user,
                source=data.get("source", TicketSource.PORTAL),
                category=data.get("category"),
                urgency=data.get("urgency", 3),
                impact=data.get("impact", 3),
                site=data.get("site"),
                assets=data.get("assets", []),
                needs_visit=data.get("needs_visit", False),
                change_source=ChangeSource.API,
            )
        )

    def update(self, instance: Ticket, validated_data: dict[str, Any]) -> Ticket:
        user = self.user
        assert user is not None  # noqa: S101  # PolicyPermission requires a user
        data = dict(validated_data)
        data.pop("requester", None)
        assets = data.pop("assets", None)
        if data:
            _service(
                lambda: services.update_ticket(
                    ticket=instance, changes=data, by=user, source=ChangeSource.API
                )
            )
        if assets is not None:
            _service(
                lambda: services.link_assets(
                    ticket=instance, assets=assets, by=user, source=ChangeSource.API
                )
            )
        updated: Ticket = Ticket.objects.get(pk=instance.pk)
        return updated


def _service(call: Any) -> Any:
    """Run a service; its refusals become API errors (400, 403 or 409)."""
    try:
        return call()
    except services.TicketConflict as error:
        raise Conflict(error.message) from None
    except DjangoValidationError as error:
        raise serializers.ValidationError(as_serializer_errors(error)) from None


class AttachmentSerializer(serializers.ModelSerializer[Attachment]):
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Attachment
        fields = ("id", "original_name", "size", "content_type", "url")
        read_only_fields = fields


class FollowUpSerializer(ModelSerializer):
    """Written by ``services.add_followup``; private ones are for the IT team only."""

    author_name = serializers.CharField(source="author", read_only=True, allow_null=True)
    attachments = AttachmentSerializer(many=True, read_only=True)

    class Meta(ModelSerializer.Meta):
        model = FollowUp
        fields = (
            "id",
            "ticket",
            "author",
            "author_name",
            "text",
            "private",
            "attachments",
            "created_at",
        )
        read_only_fields = ("author",)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        return attrs  # add_followup validates, with the same rules as the pages

    def create(self, validated_data: dict[str, Any]) -> FollowUp:
        user = self.user
        assert user is not None  # noqa: S101  # PolicyPermission requires a user
        return _service(  # type: ignore[no-any-return]  # add_followup returns a FollowUp
            lambda: services.add_followup(
                ticket=validated_data["ticket"],
                text=validated_data["text"],
                private=validated_data.get("private", False),
                by=user,
                source=ChangeSource.API,
            )
        )


class StatusInput(serializers.Serializer[Any]):
    status = serializers.ChoiceField(choices=TicketStatus.choices)
    waiting_for = serializers.ChoiceField(
        choices=WaitingFor.choices, required=False, allow_blank=True, default=""
    )


class AssignInput(serializers.Serializer[Any]):
    assignee = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(), allow_null=True, help_text="A technician's user id, or null."
    )


class SatisfactionInput(serializers.Serializer[Any]):
    satisfaction = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class TicketViewSet(PolicyModelViewSet):
    policy = ticket_policy
    queryset = Ticket.objects.for_list().prefetch_related("assets__asset_type")
    serializer_class = TicketSerializer
    filterset_class = TicketFilterSet
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def _respond(self, ticket: Ticket) -> Response:
        return Response(self.get_serializer(self.get_queryset().get(pk=ticket.pk)).data)

    def _input(self, serializer_class: type[serializers.Serializer[Any]]) -> dict[str, Any]:
        data = serializer_class(data=self.request.data)
        data.is_valid(raise_exception=True)
        return dict(data.validated_data)

    @extend_schema(request=StatusInput, responses=TicketSerializer)
    @action(detail=True, methods=["post"])
    def status(self, request: Request, pk: str | None = None) -> Response:
        """Move the ticket along the workflow (409 when the move is not allowed)."""
        ticket = self.policy.get_for_user(request.user, pk, Action.VIEW)
        # Who may move a ticket at all is known before its input is read: a reader gets 403,
        # not a 400 about a body they may not send.
        if not (manages(request.user) or ticket_policy.is_requester(request.user, ticket)):
            raise PermissionDenied
        data = self._input(StatusInput)
        user = request.user
        assert isinstance(user, User)  # noqa: S101  # authenticated
        _service(
            lambda: services.change_ticket_status(
                ticket=ticket,
                status=data["status"],
                waiting_for=data["waiting_for"],
                by=user,
                source=ChangeSource.API,
            )
        )
        return self._respond(ticket)

    @extend_schema(request=AssignInput, responses=TicketSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request: Request, pk: str | None = None) -> Response:
        """Assign the ticket to a technician (``null`` un-assigns it)."""
        ticket = self.policy.get_for_user(request.user, pk, Action.CHANGE)
        data = self._input(AssignInput)
        user = request.user
        assert isinstance(user, User)  # noqa: S101  # authenticated
        _service(
            lambda: services.assign_ticket(
                ticket=ticket, assignee=data["assignee"], by=user, source=ChangeSource.API
            )
        )
        return self._respond(ticket)

    @extend_schema(request=SatisfactionInput, responses=TicketSerializer)
    @action(detail=True, methods=["post"])
    def satisfaction(self, request: Request, pk: str | None = None) -> Response:
        """The requester's mark (1–5) and comment on a resolved ticket; closes it."""
        ticket = self.policy.get_for_user(request.user, pk, Action.VIEW)
        if not ticket_policy.is_requester(request.user, ticket):
            raise PermissionDenied
        data = self._input(SatisfactionInput)
        user = request.user
        assert isinstance(user, User)  # noqa: S101  # authenticated
        _service(
            lambda: services.record_satisfaction(
                ticket=ticket, rating=data["satisfaction"], comment=data["comment"], by=user
            )
        )
        return self._respond(ticket)


class FollowUpViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[FollowUp],
):
    """Follow-ups of the tickets the caller sees; private ones only for the IT team."""

    policy = followup_policy
    queryset = FollowUp.objects.select_related("author").prefetch_related(
        Prefetch("attachments", queryset=Attachment.objects.order_by("id"))
    )
    serializer_class = FollowUpSerializer
    filterset_class = FollowUpFilterSet
    permission_classes = [PolicyPermission]
    schema = AutoSchema()

    def get_queryset(self) -> Any:
        return self.policy.visible(self.request.user, self.queryset.all())

    def get_object(self) -> FollowUp:
        obj: FollowUp = self.policy.get_for_user(
            self.request.user, self.kwargs[self.lookup_field], Action.VIEW
        )
        return obj

    def perform_create(self, serializer: serializers.BaseSerializer[Any]) -> None:
        serializer.save()


class CategoryViewSet(PolicyReadOnlyViewSet):
    policy = category_policy
    queryset = Category.objects.select_related("parent")
    serializer_class = CategorySerializer


routes = [
    ("tickets", TicketViewSet),
    ("ticket-follow-ups", FollowUpViewSet),
    ("ticket-categories", CategoryViewSet),
]
