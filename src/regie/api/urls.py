"""``/api/v1/``: every app's endpoints on one router, the OpenAPI schema and its browser."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path, re_path
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from regie.assets import api as assets_api
from regie.core.rest.errors import not_found
from regie.directory import api as directory_api
from regie.inventory import api as inventory_api
from regie.operations.checks import api as checks_api

app_name = "api"

router = DefaultRouter()
router.include_format_suffixes = False
for prefix, viewset in [
    *directory_api.routes,
    *assets_api.routes,
    *inventory_api.routes,
    *checks_api.routes,
]:
    router.register(prefix, viewset)  # URL names from the model: api:asset-list, api:person-detail

urlpatterns: list[URLPattern | URLResolver] = [
    path("openapi.json", SpectacularJSONAPIView.as_view(), name="openapi"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:openapi"), name="docs"),
    *router.urls,
    re_path(r"^(?P<path>.*/)$", not_found),
]
