"""API serializers and endpoints of telephony.

SIM cards never carry their PIN and PUK in the API: they can be written (``pin``, ``puk``,
write-only) and an administrator can ask for them with ``POST sim-cards/{id}/reveal/``,
which is logged like a display in the web interface.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from regie.core.models import ChangeSource, User
from regie.core.permissions import Action
from regie.core.rest.permissions import PolicyPermission
from regie.core.rest.schema import AutoSchema
from regie.core.rest.serializers import ModelSerializer, UtcDateTimeField, as_serializer_errors
from regie.core.rest.viewsets import PolicyModelViewSet
from regie.directory.api import PersonSerializer, SiteSerializer
from regie.telephony.filters import (
    DepartmentOnCallFilterSet,
    ExtensionFilterSet,
    ForwardingFilterSet,
    LineFilterSet,
    OperatorContractFilterSet,
    OperatorFilterSet,
    SimCardFilterSet,
)
from regie.telephony.models import (
    DepartmentOnCall,
    Extension,
    Forwarding,
    Line,
    Operator,
    OperatorContract,
    SimCard,
)
from regie.telephony.numbers import normalise_number
from regie.telephony.permissions import (
    department_on_call_policy,
    extension_policy,
    forwarding_policy,
    line_policy,
    operator_contract_policy,
    operator_policy,
    sim_card_policy,
)
from regie.telephony.services import reveal_sim_codes, save_sim_card, set_forwarding


class OperatorSerializer(ModelSerializer):
    brief_fields = ("id", "name")

    class Meta(ModelSerializer.Meta):
        model = Operator
        fields = "__all__"


class OperatorContractSerializer(ModelSerializer):
    brief_fields = ("id", "reference")
    operator_brief = OperatorSerializer.Brief(source="operator", read_only=True)
    notice_deadline = serializers.DateField(
        read_only=True,
        allow_null=True,  # a contract without an end date has no deadline
        help_text="Last day to give notice (end date − notice period).",
    )
    notice_is_near = serializers.SerializerMethodField()

    class Meta(ModelSerializer.Meta):
        model = OperatorContract
        fields = "__all__"

    def get_notice_is_near(self, contract: OperatorContract) -> bool:
        return contract.notice_is_near()


class LineSerializer(ModelSerializer):
    brief_fields = ("id", "number", "kind")
    number_display = serializers.CharField(read_only=True, help_text="National format.")
    operator_brief = OperatorSerializer.Brief(source="operator", read_only=True)
    contract_brief = OperatorContractSerializer.Brief(source="contract", read_only=True)
    person_brief = PersonSerializer.Brief(source="person", read_only=True)
    site_brief = SiteSerializer.Brief(source="site", read_only=True)

    class Meta(ModelSerializer.Meta):
        model = Line
        fields = "__all__"


class SimCardSerializer(ModelSerializer):
    """A SIM card without its codes; ``pin``/``puk`` may be written, never read."""

    brief_fields = ("id", "iccid")
    line_brief = LineSerializer.Brief(source="line", read_only=True)
    operator_brief = OperatorSerializer.Brief(source="operator", read_only=True)
    pin = serializers.RegexField(
        r"^\d{4,8}$", write_only=True, required=False, allow_blank=True, max_length=8
    )
    puk = serializers.RegexField(
        r"^\d{8,16}$", write_only=True, required=False, allow_blank=True, max_length=16
    )
    has_codes = serializers.BooleanField(read_only=True)

    class Meta(ModelSerializer.Meta):
        model = SimCard
        exclude = ("pin_encrypted", "puk_encrypted")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        pin = attrs.pop("pin", None)
        puk = attrs.pop("puk", None)
        attrs = super().validate(attrs)
        sim_card = self._cleaned_instance
        assert isinstance(sim_card, SimCard)  # noqa: S101  # this serializer's model
        sim_card.set_codes(pin=pin or None, puk=puk or None)
        return attrs

    def save_instance(self, instance: Any) -> Any:
        return save_sim_card(sim_card=instance, by=self.user, source=ChangeSource.API)


class ExtensionSerializer(ModelSerializer):
    brief_fields = ("id", "number")
    line_brief = LineSerializer.Brief(source="line", read_only=True)
    person_brief = PersonSerializer.Brief(source="person", read_only=True)
    site_brief = SiteSerializer.Brief(source="site", read_only=True)

    class Meta(ModelSerializer.Meta):
        model = Extension
        fields = "__all__"


class ForwardingSerializer(ModelSerializer):
    """The forwarding state of one line or extension. Writing it (POST creates or updates
    the state of the given line or extension; PATCH changes it) records who and when."""

    line_brief = LineSerializer.Brief(source="line", read_only=True)
    extension_brief = ExtensionSerializer.Brief(source="extension", read_only=True)
    since = UtcDateTimeField(read_only=True)

    class Meta(ModelSerializer.Meta):
        model = Forwarding
        fields = (
            "id",
            "line",
            "line_brief",
            "extension",
            "extension_brief",
            "active",
            "target",
            "since",
            "by",
            "note",
            "created_at",
            "updated_at",
        )
        read_only_fields = ("by",)


class DepartmentOnCallSerializer(ModelSerializer):
    """The number that answers for a department as a last resort (E.164 on the way in)."""

    brief_fields = ("id", "number")
    number_display = serializers.CharField(read_only=True, help_text="National format.")

    class Meta(ModelSerializer.Meta):
        model = DepartmentOnCall
        fields = "__all__"


class DepartmentOnCallViewSet(PolicyModelViewSet):
    policy = department_on_call_policy
    queryset = DepartmentOnCall.objects.select_related("department")
    serializer_class = DepartmentOnCallSerializer
    filterset_class = DepartmentOnCallFilterSet


class OperatorViewSet(PolicyModelViewSet):
    policy = operator_policy
    queryset = Operator.objects.all()
    serializer_class = OperatorSerializer
    filterset_class = OperatorFilterSet


class OperatorContractViewSet(PolicyModelViewSet):
    policy = operator_contract_policy
    queryset = OperatorContract.objects.select_related("operator")
    serializer_class = OperatorContractSerializer
    filterset_class = OperatorContractFilterSet


class LineViewSet(PolicyModelViewSet):
    policy = line_policy
    queryset = Line.objects.select_related("operator", "contract", "person", "site")
    serializer_class = LineSerializer
    filterset_class = LineFilterSet


class SimCardViewSet(PolicyModelViewSet):
    policy = sim_card_policy
    queryset = SimCard.objects.select_related("line", "operator")
    serializer_class = SimCardSerializer
    filterset_class = SimCardFilterSet

    @extend_schema(
        request=None,
        responses=inline_serializer(
            "SimCodes", {"pin": serializers.CharField(), "puk": serializers.CharField()}
        ),
    )
    @action(detail=True, methods=["post"])
    def reveal(self, request: Request, pk: str) -> Response:
        """The PIN and PUK codes, for administrators only; each call is logged."""
        sim_card = sim_card_policy.get_for_user(request.user, pk, Action.VIEW)
        if not sim_card_policy.can_reveal(request.user):
            raise PermissionDenied
        assert isinstance(request.user, User)  # noqa: S101  # PolicyPermission authenticated
        codes = reveal_sim_codes(sim_card=sim_card, by=request.user, source=ChangeSource.API)
        return Response({"pin": codes.pin, "puk": codes.puk}, headers={"Cache-Control": "no-store"})


class ExtensionViewSet(PolicyModelViewSet):
    policy = extension_policy
    queryset = Extension.objects.select_related("line", "person", "site")
    serializer_class = ExtensionSerializer
    filterset_class = ExtensionFilterSet


class ForwardingViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet[Any],
):
    """Forwarding states. POST sets the state of a line or an extension (created if it has
    none, updated otherwise); PATCH/PUT change one state. Every change is in its history."""

    policy = forwarding_policy
    queryset = Forwarding.objects.select_related("line", "extension")
    serializer_class = ForwardingSerializer
    filterset_class = ForwardingFilterSet
    permission_classes = [PolicyPermission]
    schema = AutoSchema()

    def get_queryset(self) -> Any:
        return self.policy.visible(self.request.user, self.queryset.all())

    def get_object(self) -> Any:
        action_ = Action.CHANGE if self.request.method in {"PUT", "PATCH"} else Action.VIEW
        return self.policy.get_for_user(self.request.user, self.kwargs[self.lookup_field], action_)

    def _apply(self, request: Request, current: Forwarding | None) -> Response:
        raw: Any = request.data  # a JSON array or scalar is no state
        data = raw if isinstance(raw, dict) else {}
        errors: dict[str, list[str]] = {}
        if current is None:
            subject = self._subject(data, errors)
            if subject is not None:
                # POST on a line or extension that has a state updates that state.
                lookup = {"line": subject} if isinstance(subject, Line) else {"extension": subject}
                current = Forwarding.objects.filter(**lookup).first()
        else:
            subject = current.line if current.line_id else current.extension
        active = data.get("active", current.active if current else False)
        if not isinstance(active, bool):
            errors["active"] = ["Must be true or false."]
        target = data.get("target", current.target if current else "")
        note = data.get("note", current.note if current else "")
        if not isinstance(target, str):
            errors["target"] = ["Must be a string."]
        elif target:
            try:
                target = normalise_number(target)
            except DjangoValidationError as exc:
                errors["target"] = list(exc.messages)
        if not isinstance(note, str) or len(str(note)) > 255:
            errors["note"] = ["Must be a string of at most 255 characters."]
        if errors:
            raise serializers.ValidationError(errors)
        assert subject is not None  # noqa: S101  # _subject raised otherwise
        lookup = {"line": subject} if isinstance(subject, Line) else {"extension": subject}
        existed = Forwarding.objects.filter(**lookup).exists()
        user = request.user if isinstance(request.user, User) else None
        try:
            forwarding = set_forwarding(
                subject=subject,
                active=active,
                target=target,
                note=note,
                by=user,
                source=ChangeSource.API,
            )
        except DjangoValidationError as exc:
            raise serializers.ValidationError(as_serializer_errors(exc)) from None
        return Response(
            self.get_serializer(forwarding).data,
            status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED,
        )

    def _subject(self, data: Any, errors: dict[str, list[str]]) -> Line | Extension | None:
        line_id, extension_id = data.get("line"), data.get("extension")
        if (line_id is None) == (extension_id is None):
            errors["non_field_errors"] = ["Give either a line or an extension."]
            return None
        policy, pk, field = (
            (line_policy, line_id, "line")
            if line_id is not None
            else (extension_policy, extension_id, "extension")
        )
        if not isinstance(pk, int) or not policy.visible(self.request.user).filter(pk=pk).exists():
            errors[field] = [f'Invalid pk "{pk}" - object does not exist.']
            return None
        subject: Line | Extension = policy.visible(self.request.user).get(pk=pk)
        return subject

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._apply(request, None)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._apply(request, self.get_object())


routes = [
    ("operators", OperatorViewSet),
    ("operator-contracts", OperatorContractViewSet),
    ("phone-lines", LineViewSet),
    ("sim-cards", SimCardViewSet),
    ("extensions", ExtensionViewSet),
    ("forwardings", ForwardingViewSet),
    ("department-on-call-numbers", DepartmentOnCallViewSet),
]
