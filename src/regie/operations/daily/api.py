"""The daily round in the API: the current items, acknowledgements, the log, hand-overs.

``GET /round/`` asks every registered source, as the "Aujourd'hui" page does. The other
resources are lists of what was written; creating goes through the services (log entries
are never changed nor deleted: ``PUT``, ``PATCH`` and ``DELETE`` answer 405).
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from regie.core.models import User
from regie.core.permissions import Action, Policy
from regie.core.rest.errors import Conflict
from regie.core.rest.permissions import PolicyPermission
from regie.core.rest.schema import AutoSchema
from regie.core.rest.serializers import ModelSerializer, UtcDateTimeField
from regie.operations.daily.filters import LogEntryFilterSet
from regie.operations.daily.models import (
    COMMENT_MAX_LENGTH,
    ITEM_KEY_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    SOURCE_KEY_MAX_LENGTH,
    Acknowledgement,
    HandOverNote,
    LogEntry,
    LogKind,
)
from regie.operations.daily.permissions import (
    acknowledgement_policy,
    hand_over_policy,
    log_entry_policy,
)
from regie.operations.daily.rounds import current_round
from regie.operations.daily.services import (
    AlreadyAcknowledged,
    acknowledge_item,
    add_log_entry,
    hand_over,
)


def _author(user: User | None) -> dict[str, Any] | None:
    return None if user is None else {"id": user.pk, "username": user.username, "name": str(user)}


class AcknowledgementSerializer(ModelSerializer):
    brief_fields = (
        "id",
        "comment",
        "acknowledged_by",
        "acknowledged_by_brief",
        "acknowledged_at",
    )
    acknowledged_by_brief = serializers.SerializerMethodField()

    class Meta(ModelSerializer.Meta):
        model = Acknowledgement
        fields = (
            "id",
            "source_key",
            "item_key",
            "title",
            "url",
            "severity",
            "site",
            "comment",
            "acknowledged_by",
            "acknowledged_by_brief",
            "acknowledged_at",
        )
        read_only_fields = fields

    def get_acknowledged_by_brief(self, obj: Acknowledgement) -> dict[str, Any] | None:
        return _author(obj.acknowledged_by)


class AcknowledgeInputSerializer(serializers.Serializer[Any]):
    item_key = serializers.CharField(max_length=ITEM_KEY_MAX_LENGTH)
    source_key = serializers.CharField(
        max_length=SOURCE_KEY_MAX_LENGTH, required=False, allow_blank=True, default=""
    )
    comment = serializers.CharField(
        max_length=COMMENT_MAX_LENGTH, required=False, allow_blank=True, default=""
    )


class LogEntrySerializer(ModelSerializer):
    author_brief = serializers.SerializerMethodField()
    acknowledgement_brief = AcknowledgementSerializer.Brief(
        source="acknowledgement", read_only=True, allow_null=True
    )

    class Meta(ModelSerializer.Meta):
        model = LogEntry
        fields = (
            "id",
            "kind",
            "at",
            "author",
            "author_brief",
            "text",
            "acknowledgement",
            "acknowledgement_brief",
            "site",
        )
        read_only_fields = fields

    def get_author_brief(self, obj: LogEntry) -> dict[str, Any] | None:
        return _author(obj.author)


class HandOverNoteSerializer(LogEntrySerializer):
    class Meta(LogEntrySerializer.Meta):
        model = HandOverNote


class TextInputSerializer(serializers.Serializer[Any]):
    text = serializers.CharField(max_length=NOTE_MAX_LENGTH)


class RoundItemSerializer(serializers.Serializer[Any]):
    """One item of the round as a source reports it, and whether it was acknowledged."""

    key = serializers.CharField(source="item.key")
    title = serializers.CharField(source="item.title")
    detail = serializers.CharField(source="item.detail")
    url = serializers.CharField(source="item.url")
    severity = serializers.CharField(source="item.severity")
    since = UtcDateTimeField(source="item.since")
    site = serializers.IntegerField(source="item.site_id", allow_null=True)
    new = serializers.BooleanField()
    acknowledgement = AcknowledgementSerializer.Brief(read_only=True, allow_null=True)


class RoundSectionSerializer(serializers.Serializer[Any]):
    key = serializers.CharField()
    order = serializers.IntegerField(source="source.order")
    failed = serializers.BooleanField()
    items = RoundItemSerializer(source="entries", many=True)

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        # ``label`` names an attribute of every serializer field, so it cannot be declared.
        fields = super().get_fields()
        label = serializers.CharField(source="source.label")
        return {"key": fields.pop("key"), "label": label, **fields}


class RoundSerializer(serializers.Serializer[Any]):
    since = UtcDateTimeField(allow_null=True)
    hand_over = HandOverNoteSerializer(allow_null=True)
    open_count = serializers.IntegerField()
    sections = RoundSectionSerializer(many=True)


class CanOpenRound(IsAuthenticated):
    """Whoever opens the "Aujourd'hui" page: the IT team, readers, correspondents."""

    def has_permission(self, request: Request, view: Any) -> bool:
        return super().has_permission(request, view) and log_entry_policy.can_list(request.user)


class RoundView(APIView):
    """The current round: one section per source (in order), open items first, each by
    severity then age, with its acknowledgement (``null`` while open)."""

    permission_classes = [CanOpenRound]
    schema = AutoSchema()

    @extend_schema(responses=RoundSerializer)
    def get(self, request: Request) -> Response:
        user = request.user
        assert isinstance(user, User)  # noqa: S101  # PolicyPermission let only users through
        return Response(RoundSerializer(current_round(user)).data)


class RoundRecordViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet[Any],
):
    policy: ClassVar[Policy[Any]]
    queryset: QuerySet[Any]
    permission_classes = [PolicyPermission]
    schema = AutoSchema()

    def get_queryset(self) -> QuerySet[Any]:
        return self.policy.visible(self.request.user, self.queryset.all())  # type: ignore[no-any-return]  # Policy.visible is typed Any for its subclasses

    def get_object(self) -> Any:
        return self.policy.get_for_user(
            self.request.user, self.kwargs[self.lookup_field], Action.VIEW
        )

    @property
    def user(self) -> User:
        user = self.request.user
        assert isinstance(user, User)  # noqa: S101  # PolicyPermission let only users through
        return user

    def answer(self, obj: Any) -> Response:
        obj = self.get_queryset().get(pk=obj.pk)
        return Response(self.get_serializer(obj).data, status=status.HTTP_201_CREATED)


class AcknowledgementViewSet(RoundRecordViewSet):
    """Acknowledgements of round items, newest first. Create one by the item's key."""

    policy = acknowledgement_policy
    queryset = Acknowledgement.objects.select_related("acknowledged_by")
    serializer_class = AcknowledgementSerializer

    @extend_schema(
        request=AcknowledgeInputSerializer,
        responses={
            201: AcknowledgementSerializer,
            400: OpenApiResponse(description="unknown or stale item key, comment too long"),
            409: OpenApiResponse(description="already acknowledged"),
        },
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = AcknowledgeInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            acknowledgement = acknowledge_item(user=self.user, **data.validated_data)
        except AlreadyAcknowledged as exc:
            raise Conflict(" ".join(exc.messages)) from None
        return self.answer(acknowledgement)


class LogEntryViewSet(RoundRecordViewSet):
    """The main courante, newest first; ``POST`` adds a free note."""

    policy = log_entry_policy
    queryset = LogEntry.objects.select_related("author", "acknowledgement__acknowledged_by")
    serializer_class = LogEntrySerializer
    filterset_class = LogEntryFilterSet

    @extend_schema(request=TextInputSerializer, responses={201: LogEntrySerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = TextInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self.answer(add_log_entry(user=self.user, text=data.validated_data["text"]))


class HandOverNoteViewSet(RoundRecordViewSet):
    """Hand-over notes, newest first; ``POST`` hands over (the round's ``since`` moves)."""

    policy = hand_over_policy
    queryset = HandOverNote.objects.filter(kind=LogKind.HAND_OVER).select_related("author")
    serializer_class = HandOverNoteSerializer

    @extend_schema(request=TextInputSerializer, responses={201: HandOverNoteSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = TextInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        if not log_entry_policy.can_create(self.user):
            raise PermissionDenied
        return self.answer(hand_over(user=self.user, text=data.validated_data["text"]))


routes = [
    ("round/acknowledgements", AcknowledgementViewSet),
    ("round/log", LogEntryViewSet),
    ("round/hand-overs", HandOverNoteViewSet),
]
