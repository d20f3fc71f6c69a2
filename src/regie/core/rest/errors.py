"""One error format for the whole API: ``{"detail": "...", "errors": {"field": ["..."]}}``.

``detail`` is a sentence for people; ``errors`` maps each field (or ``non_field_errors``) to
its messages and is ``{}`` when the error is not about the input.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import defaults
from django.views.decorators.csrf import csrf_exempt
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


API_PREFIX = "/api/"


def invalid_input(errors: Mapping[str, Iterable[Any]]) -> JsonResponse:
    """A 400 in the API's format for input checked outside the API (a form's ``errors``)."""
    return JsonResponse(
        {
            "detail": str(exceptions.ValidationError.default_detail),
            "errors": {field: [str(m) for m in messages] for field, messages in errors.items()},
        },
        status=status.HTTP_400_BAD_REQUEST,
    )


def _error(exc: type[exceptions.APIException], status_code: int) -> JsonResponse:
    return JsonResponse({"detail": str(exc.default_detail), "errors": {}}, status=status_code)


@csrf_exempt  # any method: a POST to an unknown path is a 404, not a CSRF page
def not_found(request: HttpRequest, path: str = "") -> JsonResponse:
    """Unknown API paths answer in the API's format rather than with an HTML page."""
    return _error(exceptions.NotFound, status.HTTP_404_NOT_FOUND)


def is_api_request(request: HttpRequest) -> bool:
    return request.path_info.startswith(API_PREFIX)


# Django's error handlers (``handler400``… in the root URLconf): the API's JSON format under
# /api/, Django's pages elsewhere. They answer what no view answered: a path that matches
# nothing, a request refused before the view, an exception no view handled.


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api_request(request):
        return _error(exceptions.ParseError, status.HTTP_400_BAD_REQUEST)
    return defaults.bad_request(request, exception)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api_request(request):
        return not_found(request)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    """A 500 of the API is JSON too; Django has already logged the exception."""
    if is_api_request(request):
        return _error(exceptions.APIException, status.HTTP_500_INTERNAL_SERVER_ERROR)
    return defaults.server_error(request)
