"""API of telework: reservations, loans (check-out and check-in as verbs) and readiness.

``POST /reservations/`` books through ``book_equipment`` (an overlap answers 409);
``POST /loans/`` lends through ``check_out_equipment`` (the borrower's typed name accepts the
charter); ``POST /loans/{id}/check-in/`` takes equipment back.
``GET /people/{id}/readiness`` gives each readiness criterion with its colour and reason.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import SAFE_METHODS, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from regie.assets.models import Asset
from regie.core.models import ChangeSource, User
from regie.core.permissions import Action, Policy
from regie.core.readiness import Colour, readiness_for
from regie.core.rest.errors import Conflict
from regie.core.rest.permissions import PolicyPermission
from regie.core.rest.schema import AutoSchema
from regie.core.rest.serializers import ModelSerializer, UtcDateTimeField, as_serializer_errors
from regie.directory.models import Person
from regie.directory.permissions import person_policy
from regie.telework.filters import LoanFilterSet, ReservationFilterSet
from regie.telework.models import Loan, Reservation, ReservationStatus, ReturnCondition
from regie.telework.permissions import loan_policy, reservation_policy
from regie.telework.services import (
    book_equipment,
    cancel_reservation,
    change_reservation,
    check_in_equipment,
    check_out_equipment,
)


def _brief(obj: Asset | Person) -> dict[str, Any]:
    return {"id": obj.pk, "name": str(obj)}


class ReservationSerializer(ModelSerializer):
    brief_fields = ("id", "asset", "person", "start", "end", "status")
    start = UtcDateTimeField()
    end = UtcDateTimeField()
    asset_brief = serializers.SerializerMethodField()
    person_brief = serializers.SerializerMethodField()

    class Meta(ModelSerializer.Meta):
        model = Reservation
        fields = (
            "id",
            "asset",
            "asset_brief",
            "person",
            "person_brief",
            "start",
            "end",
            "status",
            "notes",
            "created_at",
        )
        read_only_fields = ("status", "created_at")

    def get_asset_brief(self, reservation: Reservation) -> dict[str, Any]:
        return _brief(reservation.asset)

    def get_person_brief(self, reservation: Reservation) -> dict[str, Any]:
        return _brief(reservation.person)


class ReservationChangeSerializer(serializers.Serializer[Any]):
    """New dates or notes of a booked reservation; what is left out stays as it is."""

    start = UtcDateTimeField(required=False)
    end = UtcDateTimeField(required=False)
    notes = serializers.CharField(required=False, allow_blank=True)


class LoanSerializer(ModelSerializer):
    brief_fields = ("id", "asset", "person", "due_date", "returned_at")
    charter_version = serializers.CharField(source="acceptance.charter.version", read_only=True)
    accepted_at = UtcDateTimeField(source="acceptance.accepted_at", read_only=True)
    checked_out_at = UtcDateTimeField(read_only=True)
    returned_at = UtcDateTimeField(read_only=True, allow_null=True)  # null until returned
    overdue = serializers.SerializerMethodField()
    asset_brief = serializers.SerializerMethodField()
    person_brief = serializers.SerializerMethodField()

    class Meta(ModelSerializer.Meta):
        model = Loan
        fields = (
            "id",
            "asset",
            "asset_brief",
            "person",
            "person_brief",
            "reservation",
            "due_date",
            "charter_version",
            "accepted_at",
            "checked_out_at",
            "returned_at",
            "return_condition",
            "return_note",
            "overdue",
        )
        read_only_fields = ("return_condition", "return_note")

    def get_overdue(self, loan: Loan) -> bool:
        return loan.is_overdue()

    def get_asset_brief(self, loan: Loan) -> dict[str, Any]:
        return _brief(loan.asset)

    def get_person_brief(self, loan: Loan) -> dict[str, Any]:
        return _brief(loan.person)


class CheckOutSerializer(serializers.Serializer[Any]):
    """What lending takes: the charter is accepted by the borrower's typed full name."""

    asset = serializers.PrimaryKeyRelatedField(queryset=Asset.objects.all())
    person = serializers.PrimaryKeyRelatedField(queryset=Person.objects.all())
    reservation = serializers.PrimaryKeyRelatedField(
        queryset=Reservation.objects.all(), required=False, allow_null=True
    )
    due_date = serializers.DateField()
    typed_name = serializers.CharField(max_length=201)


class CheckInSerializer(serializers.Serializer[Any]):
    return_condition = serializers.ChoiceField(choices=ReturnCondition.choices)
    return_note = serializers.CharField(required=False, allow_blank=True, default="")


def _fail(exc: DjangoValidationError) -> Exception:
    """Field errors are bad input (400); a refusal of the whole request is a conflict (409)."""
    if hasattr(exc, "error_dict"):
        return serializers.ValidationError(as_serializer_errors(exc))
    return Conflict(" ".join(exc.messages))


def _user(request: Request) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101  # PolicyPermission let only users through
    return user


class _PolicyViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Any]
):
    policy: ClassVar[Policy[Any]]
    permission_classes = [PolicyPermission]
    schema = AutoSchema()

    def get_queryset(self) -> Any:
        return self.policy.visible(self.request.user, self.queryset.all())  # type: ignore[union-attr]  # queryset is set on every subclass

    def get_object(self) -> Any:
        action_ = Action.VIEW if self.request.method in SAFE_METHODS else Action.CHANGE
        return self.policy.get_for_user(self.request.user, self.kwargs[self.lookup_field], action_)

    def _check_create(self) -> None:
        if not self.policy.can_create(self.request.user):
            raise PermissionDenied


class ReservationViewSet(_PolicyViewSet):
    policy = reservation_policy
    queryset = Reservation.objects.for_list()
    serializer_class = ReservationSerializer
    filterset_class = ReservationFilterSet

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        self._check_create()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            reservation = book_equipment(
                asset=data["asset"],
                person=data["person"],
                start=data["start"],
                end=data["end"],
                notes=data.get("notes", ""),
                by=_user(request),
                source=ChangeSource.API,
            )
        except DjangoValidationError as exc:
            raise _fail(exc) from None
        return Response(self.get_serializer(reservation).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ReservationChangeSerializer, responses=ReservationSerializer)
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        reservation = self.get_object()
        serializer = ReservationChangeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            reservation = change_reservation(
                reservation=reservation,
                start=data.get("start", reservation.start),
                end=data.get("end", reservation.end),
                notes=data.get("notes", reservation.notes),
                by=_user(request),
                source=ChangeSource.API,
            )
        except DjangoValidationError as exc:
            raise _fail(exc) from None
        return Response(self.get_serializer(reservation).data)

    @extend_schema(request=None, responses=ReservationSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        reservation = self.get_object()
        if reservation.status != ReservationStatus.BOOKED:
            raise Conflict(gettext("Only a booked reservation can be cancelled."))
        reservation = cancel_reservation(
            reservation=reservation, by=_user(request), source=ChangeSource.API
        )
        return Response(self.get_serializer(reservation).data)


class LoanViewSet(_PolicyViewSet):
    policy = loan_policy
    queryset = Loan.objects.for_list().select_related("acceptance__charter")
    serializer_class = LoanSerializer
    filterset_class = LoanFilterSet

    @extend_schema(request=CheckOutSerializer, responses={201: LoanSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        self._check_create()
        serializer = CheckOutSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            loan = check_out_equipment(
                asset=data["asset"],
                person=data["person"],
                due_date=data["due_date"],
                typed_name=data["typed_name"],
                reservation=data.get("reservation"),
                by=_user(request),
                source=ChangeSource.API,
            )
        except DjangoValidationError as exc:
            raise _fail(exc) from None
        return Response(self.get_serializer(loan).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=CheckInSerializer, responses=LoanSerializer)
    @action(detail=True, methods=["post"], url_path="check-in")
    def check_in(self, request: Request, pk: str | None = None) -> Response:
        loan = self.get_object()
        serializer = CheckInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            loan = check_in_equipment(
                loan=loan,
                condition=serializer.validated_data["return_condition"],
                note=serializer.validated_data["return_note"],
                by=_user(request),
                source=ChangeSource.API,
            )
        except DjangoValidationError as exc:
            raise _fail(exc) from None
        return Response(self.get_serializer(loan).data)


READINESS_SCHEMA = inline_serializer(
    "Readiness",
    {
        "person": serializers.IntegerField(),
        "name": serializers.CharField(),
        "colour": serializers.ChoiceField(choices=Colour.choices),
        "criteria": inline_serializer(
            "ReadinessCriterion",
            {
                "key": serializers.CharField(),
                "label": serializers.CharField(),
                "colour": serializers.ChoiceField(choices=Colour.choices),
                "reason": serializers.CharField(),
            },
            many=True,
        ),
    },
)


class PersonReadinessView(APIView):
    """One person's remote-work readiness: each criterion green, amber, red or unknown (no
    evidence either way, never counted as ready), with why."""

    permission_classes = [IsAuthenticated]
    schema = AutoSchema()

    @extend_schema(responses=READINESS_SCHEMA)
    def get(self, request: Request, pk: str) -> Response:
        person = person_policy.get_for_user(request.user, pk)
        readiness = readiness_for(person)
        return Response(
            {
                "person": person.pk,
                "name": person.full_name,
                "colour": readiness.colour.value,
                "criteria": [
                    {
                        "key": c.key,
                        "label": c.label,
                        "colour": c.colour.value,
                        "reason": c.reason,
                    }
                    for c in readiness.criteria
                ],
            }
        )


routes = [("reservations", ReservationViewSet), ("loans", LoanViewSet)]
