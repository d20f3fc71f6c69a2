"""API of the alerts: channels (administrators write, the IT team and readers read) and the
delivery log (read-only), with the actions ``test`` and ``retry``.

The signing secret is write-only (``has_secret`` tells whether one is set); the webhook URL,
which often holds a token, is shown in full to administrators only.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from regie.core.models import ChangeSource
from regie.core.permissions import Action
from regie.core.rest.errors import Conflict
from regie.core.rest.serializers import ModelSerializer
from regie.core.rest.viewsets import PolicyModelViewSet, PolicyReadOnlyViewSet
from regie.operations.alerts.filters import ChannelFilterSet, DeliveryFilterSet
from regie.operations.alerts.models import Channel, Delivery, masked_url, split_list
from regie.operations.alerts.permissions import channel_policy, delivery_policy
from regie.operations.alerts.services import retry_now, save_channel, send_test_alert


class RecipientsField(serializers.ListField):
    """A list of addresses in JSON, stored one per line."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(child=serializers.CharField(max_length=254), **kwargs)

    def to_internal_value(self, data: Any) -> str:  # type: ignore[override]  # the model stores text
        return "\n".join(super().to_internal_value(data))

    def to_representation(self, data: Any) -> list[str]:
        return split_list(data)


class ChannelSerializer(ModelSerializer):
    brief_fields = ("id", "name", "kind")
    recipients = RecipientsField(required=False, allow_empty=True)
    secret = serializers.CharField(
        write_only=True, required=False, allow_blank=True, max_length=200, trim_whitespace=False
    )
    has_secret = serializers.SerializerMethodField()

    class Meta(ModelSerializer.Meta):
        model = Channel
        fields = (
            "id",
            "name",
            "kind",
            "recipients",
            "url",
            "format",
            "secret",
            "has_secret",
            "event_kinds",
            "min_severity",
            "enabled",
            "created_at",
            "updated_at",
        )

    def get_has_secret(self, obj: Channel) -> bool:
        return bool(obj.secret)

    def to_representation(self, instance: Channel) -> dict[str, Any]:
        data: dict[str, Any] = super().to_representation(instance)
        if instance.url and not channel_policy.sees_secrets(self.user):
            data["url"] = masked_url(instance.url)
        return data

    def save_instance(self, instance: Any) -> Any:
        return save_channel(channel=instance, by=self.user, source=ChangeSource.API)


class DeliverySerializer(ModelSerializer):
    brief_fields = ("id", "status")
    channel_brief = ChannelSerializer.Brief(source="channel", read_only=True, allow_null=True)

    class Meta(ModelSerializer.Meta):
        model = Delivery
        fields = (
            "id",
            "channel",
            "channel_brief",
            "channel_name",
            "kind",
            "severity",
            "title",
            "text",
            "url",
            "data",
            "occurred_at",
            "status",
            "attempts",
            "last_error",
            "next_attempt_at",
            "sent_at",
            "response_status",
            "created_at",
            "updated_at",
        )
        read_only_fields = fields


class ChannelViewSet(PolicyModelViewSet):
    """Where alerts go: e-mail recipients or a webhook, with their filters."""

    policy = channel_policy
    queryset = Channel.objects.all()
    serializer_class = ChannelSerializer
    filterset_class = ChannelFilterSet

    @extend_schema(request=None, responses=DeliverySerializer)
    @action(detail=True, methods=["post"])
    def test(self, request: Request, pk: str | None = None) -> Response:
        """Send a test alert to this channel now; answers the resulting delivery."""
        channel = self.policy.get_for_user(request.user, pk, Action.VIEW)
        if not channel_policy.can_test(request.user):
            raise PermissionDenied
        delivery = send_test_alert(channel=channel, by=request.user)  # type: ignore[arg-type]  # PolicyPermission let only users in
        return Response(DeliverySerializer(delivery, context=self.get_serializer_context()).data)


class DeliveryViewSet(PolicyReadOnlyViewSet):
    """The delivery log: every alert sent, being sent, or failed, per channel."""

    policy = delivery_policy
    queryset = Delivery.objects.select_related("channel")
    serializer_class = DeliverySerializer
    filterset_class = DeliveryFilterSet

    @extend_schema(request=None, responses=DeliverySerializer)
    @action(detail=True, methods=["post"])
    def retry(self, request: Request, pk: str | None = None) -> Response:
        """Send a failed or given-up delivery once more, now (``409`` for any other status)."""
        delivery = self.policy.get_for_user(request.user, pk, Action.CHANGE)
        if not delivery.can_retry:
            raise Conflict(
                _("This delivery is “%(status)s”: there is nothing to retry.")
                % {"status": delivery.get_status_display()}
            )
        delivery = retry_now(delivery=delivery)
        return Response(self.get_serializer(delivery).data)


routes = [
    ("alerts/channels", ChannelViewSet),
    ("alerts/deliveries", DeliveryViewSet),
]
