"""OpenAPI: Régie's bearer authentication (loaded by the api app's ``ready``), the error shape
and every status an operation can answer, so that the schema describes what the API does."""

from __future__ import annotations

from typing import Any, Literal

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from drf_spectacular import openapi
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


class BearerTokenScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]  # drf-spectacular ships no type hints
    target_class = "regie.core.rest.authentication.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        definition: dict[str, Any] = build_bearer_security_scheme_object(
            header_name="Authorization",
            token_prefix="Bearer",  # noqa: S106  # the scheme's name, not a secret
        )
        definition["description"] = (
            "A personal token from /account/tokens/ or `regie token create USERNAME`."
        )
        return definition


@extend_schema_field(
    {
        "type": "object",
        "additionalProperties": {
            "anyOf": [
                {"type": "array", "items": {}},
                {"type": "object", "additionalProperties": {}},
            ]
        },
    }
)
class FieldErrors(serializers.DictField):
    """The ``errors`` of an error: field name → messages (or, nested, more of the same)."""


class ErrorSerializer(serializers.Serializer[Any]):
    """Every error of the API has this shape."""

    detail = serializers.CharField(help_text="A sentence for people.")
    # DRF's metaclass moves declared fields off the class, so this does not hide .errors.
    errors = FieldErrors(  # type: ignore[assignment]  # the JSON key is "errors"
        help_text=(
            "Messages per field (or non_field_errors); empty when not about the input. A list "
            "or nested field has its messages per index or per sub-field."
        ),
    )


def _source_fields(field: serializers.Field[Any, Any, Any, Any]) -> list[Any]:
    """The model fields a serializer field's source goes through (``intervention.site``)."""
    model: type[models.Model] | None = getattr(getattr(field.parent, "Meta", None), "model", None)
    found: list[Any] = []
    for attr in getattr(field, "source_attrs", ()):
        if model is None:
            return found
        try:
            model_field = model._meta.get_field(attr)
        except FieldDoesNotExist:
            return found
        found.append(model_field)
        model = model_field.related_model if model_field.is_relation else None  # type: ignore[assignment]  # "self" is resolved by then
    return found


def _source_can_be_null(field: serializers.Field[Any, Any, Any, Any]) -> bool:
    """Whether a nested serializer's source (``site``, ``intervention.site``) may be null."""
    return any(getattr(model_field, "null", False) for model_field in _source_fields(field))


def _source_can_be_blank(field: serializers.Field[Any, Any, Any, Any]) -> bool:
    """Whether a read-only choice is "" in some rows (DRF drops allow_blank when read-only)."""
    sources = _source_fields(field)
    return bool(sources) and getattr(sources[-1], "blank", False)


class AutoSchema(openapi.AutoSchema):
    """Documents the error responses each model endpoint can give, in the one error shape."""

    def _map_serializer_field(
        self, field: Any, direction: Any, bypass_extensions: bool = False
    ) -> dict[str, Any]:
        # A nested object (``site_brief``) is null when its relation is: say so.
        if (
            isinstance(field, serializers.Serializer)
            and not field.allow_null
            and _source_can_be_null(field)
        ):
            field.allow_null = True
        if (
            isinstance(field, serializers.ChoiceField)
            and field.read_only
            and not field.allow_blank
            and _source_can_be_blank(field)
        ):
            field.allow_blank = True
        schema: dict[str, Any] = super()._map_serializer_field(  # type: ignore[no-untyped-call]  # drf-spectacular ships no type hints
            field, direction, bypass_extensions
        )
        return schema

    def _get_response_bodies(
        self, direction: Literal["request", "response"] = "response"
    ) -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        codes = ["401", "403"]
        if self.method in {"POST", "PUT", "PATCH"}:
            codes.append("400")
            if self.get_request_serializer() is not None:
                codes += ["413", "415"]  # a body too large, or not JSON
        if self._is_list_view():
            codes += ["400", "404"]  # a bad filter or page; a page past the last one
        if "{" in self.path:
            codes.append("404")
        if self.method in {"POST", "PUT", "PATCH", "DELETE"}:
            codes.append("409")
        for code in codes:
            # drf-spectacular leaves this helper untyped.
            body = self._get_response_for_code(ErrorSerializer, code)  # type: ignore[no-untyped-call]
            responses.setdefault(code, body)
        return responses


# JSON Schema's "time" format is RFC 3339's full-time, offset included; DRF writes and reads
# "08:00:00" and "08:00". The pattern says what the API does.
TIME_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?$"


def _retype_times(node: Any) -> None:
    if isinstance(node, dict):
        if node.get("type") == "string" and node.get("format") == "time":
            del node["format"]
            node["pattern"] = TIME_PATTERN
            node.setdefault("example", "08:30:00")
        for value in node.values():
            _retype_times(value)
    elif isinstance(node, list):
        for value in node:
            _retype_times(value)


def postprocess_schema(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """A drf-spectacular postprocessing hook: times as the API writes them."""
    _retype_times(result)
    return result
