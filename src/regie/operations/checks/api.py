"""API of the checks: checks (CRUD, with their ping URL), pings and flips (read-only).

The ping code and URL let anyone who holds them report a run, so they are write secrets:
only a user who may change the check gets them; for the others they are ``null``.
"""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from regie.core.models import ChangeSource
from regie.core.rest.serializers import ModelSerializer, UtcDateTimeField
from regie.core.rest.viewsets import PolicyModelViewSet, PolicyReadOnlyViewSet
from regie.operations.checks.filters import CheckFilterSet, FlipFilterSet, PingFilterSet
from regie.operations.checks.models import Check, Flip, Ping
from regie.operations.checks.permissions import check_policy, flip_policy, ping_policy
from regie.operations.checks.services import save_check
from regie.operations.checks.snippets import ping_url

STATE_FIELDS = (
    "ping_uuid",
    "status",
    "last_ping_at",
    "last_start_at",
    "last_duration",
    "late_at",
    "down_at",
)


class CheckSerializer(ModelSerializer):
    brief_fields = ("id", "name", "status")
    ping_uuid = serializers.UUIDField(read_only=True, allow_null=True)
    ping_url = serializers.SerializerMethodField()

    class Meta(ModelSerializer.Meta):
        model = Check
        exclude = ("outage_flip", "rate_minute", "rate_count")
        read_only_fields = STATE_FIELDS

    def holds_write_secrets(self, obj: Check) -> bool:
        return check_policy.can_change(self.user, obj)

    def get_ping_url(self, obj: Check) -> str | None:
        if not self.holds_write_secrets(obj):
            return None
        return ping_url(obj, self.context.get("request"))

    def to_representation(self, instance: Check) -> dict[str, Any]:
        data: dict[str, Any] = super().to_representation(instance)
        if "ping_uuid" in data and not self.holds_write_secrets(instance):
            data["ping_uuid"] = None
        return data

    def save_instance(self, instance: Any) -> Any:
        return save_check(check=instance, by=self.user, source=ChangeSource.API)


class PingSerializer(ModelSerializer):
    check = serializers.PrimaryKeyRelatedField[Check](source="check_obj", read_only=True)
    at = UtcDateTimeField(read_only=True)

    class Meta(ModelSerializer.Meta):
        model = Ping
        exclude = ("check_obj",)


class FlipSerializer(ModelSerializer):
    check = serializers.PrimaryKeyRelatedField[Check](source="check_obj", read_only=True)
    at = UtcDateTimeField(read_only=True)

    class Meta(ModelSerializer.Meta):
        model = Flip
        exclude = ("check_obj",)


class CheckViewSet(PolicyModelViewSet):
    policy = check_policy
    queryset = Check.objects.select_related("site", "owner").prefetch_related("assets")
    serializer_class = CheckSerializer
    filterset_class = CheckFilterSet


class PingViewSet(PolicyReadOnlyViewSet):
    policy = ping_policy
    queryset = Ping.objects.all()
    serializer_class = PingSerializer
    filterset_class = PingFilterSet


class FlipViewSet(PolicyReadOnlyViewSet):
    policy = flip_policy
    queryset = Flip.objects.all()
    serializer_class = FlipSerializer
    filterset_class = FlipFilterSet


routes = [
    ("checks", CheckViewSet),
    ("pings", PingViewSet),
    ("flips", FlipViewSet),
]
