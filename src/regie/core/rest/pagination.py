"""Page-number pagination for every API list.

``page`` and ``page_size`` are validated like any other input: a value that is not a whole
number in range is a 400 naming the parameter (DRF alone ignores a bad ``page_size`` and
answers a bad ``page`` with 404). A page past the last one is a 404.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from rest_framework import pagination, serializers
from rest_framework.request import Request

from regie.core.filters import ID_MAX

MAX_PAGE_SIZE = 500


class _Parameters(serializers.Serializer[Any]):
    page = serializers.IntegerField(min_value=1, max_value=ID_MAX, required=False)
    page_size = serializers.IntegerField(min_value=1, max_value=MAX_PAGE_SIZE, required=False)


class PageNumberPagination(pagination.PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def _parameters(self, request: Request) -> dict[str, Any]:
        if not hasattr(request, "_regie_page_parameters"):
            params = request.query_params
            given = {
                name: params[name]
                for name in (self.page_query_param, self.page_size_query_param)
                if name in params
            }
            if given.get(self.page_query_param) in self.last_page_strings:
                del given[self.page_query_param]
            parameters = _Parameters(data=given)
            parameters.is_valid(raise_exception=True)
            request._regie_page_parameters = parameters.validated_data  # type: ignore[attr-defined]  # a cache on the request
        return request._regie_page_parameters  # type: ignore[attr-defined,no-any-return]  # set above

    def get_page_size(self, request: Request) -> int | None:
        size: int | None = self._parameters(request).get("page_size", self.page_size)
        return size

    def get_page_number(self, request: Request, paginator: Paginator[Any]) -> int | str:
        if request.query_params.get(self.page_query_param) in self.last_page_strings:
            return paginator.num_pages
        number: int = self._parameters(request).get("page", 1)
        return number

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters: list[dict[str, Any]] = super().get_schema_operation_parameters(view)
        bounds = {
            self.page_query_param: {"minimum": 1, "maximum": ID_MAX},
            self.page_size_query_param: {"minimum": 1, "maximum": MAX_PAGE_SIZE},
        }
        for parameter in parameters:
            parameter["schema"].update(bounds.get(parameter["name"], {}))
        return parameters
