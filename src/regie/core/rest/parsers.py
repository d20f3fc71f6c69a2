"""The API's JSON parser: bounded in size and nesting, so hostile bodies get a clean 4xx.

DRF's own parser hands the whole stream to ``json.load``: a 100,000-deep array exhausts the
recursion limit (a 500), and the size check Django applies to ``request.body`` is skipped.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, parsers, status

MAX_DEPTH = 20


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("The request body is too large.")
    default_code = "too_large"


def _reject_constant(name: str) -> None:
    raise ValueError(f"{name} is not valid JSON")


def nesting_depth(value: Any) -> int:
    """How deeply lists and objects nest in ``value``, without recursion."""
    deepest = 0
    pending = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, depth)
            children = item.values() if isinstance(item, dict) else item
            pending.extend((child, depth + 1) for child in children)
    return deepest


class JSONParser(parsers.JSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        raw = stream.read(limit + 1) if stream is not None else b""
        if len(raw) > limit:
            raise RequestTooLarge
        try:
            data = json.loads(raw.decode("utf-8"), parse_constant=_reject_constant)
        except (ValueError, RecursionError) as exc:
            # UnicodeDecodeError and JSONDecodeError are ValueErrors.
            raise exceptions.ParseError(_("The body is not valid JSON.")) from exc
        if nesting_depth(data) > MAX_DEPTH:
            raise exceptions.ParseError(_("The JSON body is nested too deeply."))
        return data
