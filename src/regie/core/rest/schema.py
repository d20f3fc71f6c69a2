"""OpenAPI: Régie's bearer authentication (loaded by the api app's ``ready``) and error shape."""

from __future__ import annotations

from typing import Any, Literal

from drf_spectacular import openapi
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
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


class ErrorSerializer(serializers.Serializer[Any]):
    """Every error of the API has this shape."""

    detail = serializers.CharField(help_text="A sentence for people.")
    # DRF's metaclass moves declared fields off the class, so this does not hide .errors.
    errors = serializers.DictField(  # type: ignore[assignment]  # the JSON key is "errors"
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Messages per field (or non_field_errors); empty when not about the input.",
    )


class AutoSchema(openapi.AutoSchema):
    """Documents the error responses each model endpoint can give, in the one error shape."""

    def _get_response_bodies(
        self, direction: Literal["request", "response"] = "response"
    ) -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        codes = ["401", "403"]
        if self.method in {"POST", "PUT", "PATCH"} or self._is_list_view():
            codes.append("400")
        if "{" in self.path:
            codes.append("404")
        if self.method == "DELETE":
            codes.append("409")
        for code in codes:
            # drf-spectacular leaves this helper untyped.
            body = self._get_response_for_code(ErrorSerializer, code)  # type: ignore[no-untyped-call]
            responses.setdefault(code, body)
        return responses
