"""The base of every model serializer of the API.

A :class:`ModelSerializer` validates a write the way the HTML forms do: DRF checks the JSON
types, then the model's own ``full_clean()`` runs (field validators, ``clean()``, unique
fields and database constraints), so the API and the UI give the same messages. Relation
fields are written as ids and only accept the rows the user may see (``restrict_choices``);
every save goes through ``save_with_history`` with the source "api".

Each serializer also declares ``brief_fields``: the subset used when another resource nests
it (``SiteSerializer.Brief``), generated once per class rather than copied.
"""

from __future__ import annotations

from datetime import UTC
from typing import Any, ClassVar

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models, router
from rest_framework import serializers
from rest_framework.fields import empty
from rest_framework.settings import api_settings
from rest_framework.validators import UniqueValidator

from regie.core.history import save_with_history
from regie.core.models import ChangeSource, User
from regie.core.permissions import restrict_choices


def _referenced_field_names(expression: Any) -> list[str]:
    """Names of the model fields an index expression or a Q object refers to, in order."""
    if isinstance(expression, str):
        return [expression.split("__")[0]]
    if isinstance(expression, models.Q):
        names: list[str] = []
        for child in expression.children:
            if isinstance(child, tuple):
                names.append(child[0].split("__")[0])
                names.extend(_referenced_field_names(child[1]))
            else:
                names.extend(_referenced_field_names(child))
        return names
    if isinstance(expression, models.F):
        return [expression.name.split("__")[0]]
    if hasattr(expression, "get_source_expressions"):
        return [
            name
            for source in expression.get_source_expressions()
            for name in _referenced_field_names(source)
        ]
    return []


def constraint_field(model: type[models.Model], constraint: models.BaseConstraint) -> str:
    """The field a constraint's message belongs to: the first plain field it refers to.

    ``UniqueConstraint(fields=["manufacturer", "serial_number"])`` is about the serial
    number, ``CheckConstraint(Q(end_date__gte=F("start_date")))`` about the end date.
    """
    names: list[str] = []
    if isinstance(constraint, models.UniqueConstraint):
        names = list(constraint.fields)
        for expression in constraint.expressions:
            names.extend(_referenced_field_names(expression))
    elif isinstance(constraint, models.CheckConstraint):
        names = _referenced_field_names(constraint.condition)
    concrete = {field.name: field for field in model._meta.concrete_fields}
    known = [name for name in names if name in concrete]
    plain = [name for name in known if not concrete[name].is_relation]
    if plain:
        return plain[0]
    return known[0] if known else NON_FIELD_ERRORS


def clean_instance(instance: models.Model) -> None:
    """``full_clean()`` with each constraint's message attached to its field.

    Django reports the violation of a multi-field or expression constraint under
    ``__all__``; an API client needs to know which field to correct.
    """
    errors: dict[str, list[str]] = {}
    try:
        instance.full_clean(validate_constraints=False)
    except DjangoValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    exclude = {name for name in errors if name != NON_FIELD_ERRORS}
    using = router.db_for_write(type(instance), instance=instance)
    for model_class, constraints in instance.get_constraints():
        for constraint in constraints:
            # django-stubs declare validate() on the concrete constraints only.
            checker: Any = constraint
            try:
                checker.validate(model_class, instance, exclude=exclude, using=using)
            except DjangoValidationError as exc:
                field = constraint_field(model_class, constraint)
                errors.setdefault(field, []).extend(exc.messages)
    if errors:
        raise DjangoValidationError(errors)


def as_serializer_errors(exc: DjangoValidationError) -> dict[str, list[str]]:
    """A Django ValidationError as DRF field errors (``__all__`` → ``non_field_errors``)."""
    if not hasattr(exc, "error_dict"):
        return {api_settings.NON_FIELD_ERRORS_KEY: list(exc.messages)}
    return {
        (api_settings.NON_FIELD_ERRORS_KEY if field == NON_FIELD_ERRORS else field): messages
        for field, messages in exc.message_dict.items()
    }


class UtcDateTimeField(serializers.DateTimeField):
    """Datetimes in UTC (``2025-03-01T08:30:00Z``), whatever the server's time zone."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("default_timezone", UTC)
        super().__init__(**kwargs)


class CharField(serializers.CharField):
    """Text as the schema states it: a JSON string (DRF alone turns 12 into "12"), whose
    length is checked as sent, before the spaces around it are trimmed (101 characters are
    refused even when trimming would bring them down to 100).
    """

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)

    def run_validation(self, data: Any = empty) -> Any:
        if isinstance(data, str) and self.max_length is not None and len(data) > self.max_length:
            self.fail("max_length", max_length=self.max_length)
        return super().run_validation(data)


class ModelSerializer(serializers.ModelSerializer[Any]):
    """Reads and writes one model; see the module docstring."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DateTimeField: UtcDateTimeField,
        models.CharField: CharField,
        models.TextField: CharField,
    }

    brief_fields: ClassVar[tuple[str, ...]] = ("id",)
    Brief: ClassVar[type[ModelSerializer]]
    _is_brief: ClassVar[bool] = False

    class Meta:
        model: type[models.Model]
        # Uniqueness is checked by the model's full_clean(), with the model's messages.
        validators: list[Any] = []

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.__dict__.get("_is_brief"):
            return
        meta = type(
            "Meta",
            (cls.Meta,),
            {"fields": cls.brief_fields, "exclude": None, "read_only_fields": cls.brief_fields},
        )
        name = cls.__name__.removesuffix("Serializer") + "BriefSerializer"
        cls.Brief = type(
            name,
            (cls,),
            {"Meta": meta, "_is_brief": True, "__module__": cls.__module__, "__doc__": None},
        )

    # --- fields ---------------------------------------------------------------------------
    def get_field_names(self, declared_fields: Any, info: Any) -> list[str]:
        """Model order, each relation followed by its ``<name>_brief``, timestamps last."""
        names: list[str] = list(super().get_field_names(declared_fields, info))
        model = self.Meta.model
        fields = [*model._meta.concrete_fields, *model._meta.many_to_many]
        position = {field.name: float(index) for index, field in enumerate(fields)}
        for name in ("created_at", "updated_at"):
            if name in position:
                position[name] += 10_000
        position["id"] = -1

        def rank(name: str) -> float:
            base = name.removesuffix("_brief")
            if base != name and base in position:
                return position[base] + 0.5
            return position.get(name, 5_000)

        return sorted(names, key=rank)

    def build_standard_field(
        self, field_name: str, model_field: models.Field[Any, Any]
    ) -> tuple[type[serializers.Field[Any, Any, Any, Any]], dict[str, Any]]:
        field_class, kwargs = super().build_standard_field(field_name, model_field)
        validators = kwargs.get("validators")
        if validators:
            kwargs["validators"] = [v for v in validators if not isinstance(v, UniqueValidator)]
        return field_class, kwargs

    @property
    def user(self) -> User | None:
        request = self.context.get("request")
        user = getattr(request, "user", None)
        return user if isinstance(user, User) else None

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        fields = super().get_fields()
        for field in fields.values():
            relation = getattr(field, "child_relation", field)
            if isinstance(relation, serializers.RelatedField) and not field.read_only:
                queryset = relation.get_queryset()
                if queryset is not None:
                    relation.queryset = restrict_choices(queryset, self.user)
        return fields

    # --- validation -----------------------------------------------------------------------
    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        instance = self.instance if self.instance is not None else self.Meta.model()
        many_to_many = {field.name for field in instance._meta.many_to_many}
        for name, value in attrs.items():
            if name not in many_to_many:
                setattr(instance, name, value)
        try:
            clean_instance(instance)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(as_serializer_errors(exc)) from None
        self._cleaned_instance = instance
        return attrs

    # --- writes ---------------------------------------------------------------------------
    def save_instance(self, instance: Any) -> Any:
        """Store a validated instance; a model with its own service overrides this."""
        return save_with_history(instance=instance, by=self.user, source=ChangeSource.API)

    def create(self, validated_data: dict[str, Any]) -> Any:
        return self.save_instance(self._cleaned_instance)

    def update(self, instance: Any, validated_data: dict[str, Any]) -> Any:
        return self.save_instance(self._cleaned_instance)
