"""One error format for the whole API: ``{"detail": "...", "errors": {"field": ["..."]}}``.

``detail`` is a sentence for people; ``errors`` maps each field (or ``non_field_errors``) to
its messages and is ``{}`` when the error is not about the input.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404, HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from regie.core.rest.parsers import RequestTooLarge
from regie.core.rest.serializers import as_serializer_errors


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = gettext_lazy("This change conflicts with the current state of the data.")
    default_code = "conflict"


def _protected_detail(exc: ProtectedError | RestrictedError) -> str:
    blocking = sorted({str(obj._meta.verbose_name_plural) for obj in exc.args[1]})
    return _("This object cannot be deleted because other records depend on it: %(kinds)s.") % {
        "kinds": ", ".join(blocking)
    }


def _as_api_exception(exc: Exception) -> Exception:
    if isinstance(exc, RequestDataTooBig):
        return RequestTooLarge()
    if isinstance(exc, Http404):
        # Http404's own message names the model and id for debugging; not for clients.
        return exceptions.NotFound()
    if isinstance(exc, DjangoValidationError):
        return exceptions.ValidationError(as_serializer_errors(exc))
    if isinstance(exc, ProtectedError | RestrictedError):
        return Conflict(_protected_detail(exc))
    if isinstance(exc, IntegrityError):
        # full_clean() checked the constraints; a concurrent write got there first.
        return Conflict()
    return exc


def _field_errors(data: Any) -> dict[str, Any]:
    if isinstance(data, dict):
        return {
            field: messages if isinstance(messages, list | dict) else [messages]
            for field, messages in data.items()
        }
    messages = data if isinstance(data, list) else [data]
    return {api_settings.NON_FIELD_ERRORS_KEY: messages}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    exc = _as_api_exception(exc)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        detail = str(exceptions.ValidationError.default_detail)
        errors = _field_errors(response.data)
    else:
        data = response.data
        detail = str(data.get("detail", "")) if isinstance(data, dict) else str(data)
        errors = {}
    response.data = {"detail": detail, "errors": errors}
    return response


def not_found(request: HttpRequest, path: str = "") -> JsonResponse:
    """Unknown API paths answer in the API's format rather than with an HTML page."""
    return JsonResponse(
        {"detail": str(exceptions.NotFound.default_detail), "errors": {}}, status=404
    )
