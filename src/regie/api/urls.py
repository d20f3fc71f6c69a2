"""``/api/v1/``: every app's endpoints on one router, the OpenAPI schema and its browser."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path, re_path
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from regie.assets import api as assets_api
from regie.continuity import api as continuity_api
from regie.core.rest.errors import not_found
from regie.directory import api as directory_api
from regie.field import api as field_api
from regie.helpdesk import api as helpdesk_api
from regie.inventory import api as inventory_api
from regie.operations.alerts import api as alerts_api
from regie.operations.checks import api as checks_api
from regie.operations.compliance import api as compliance_api
from regie.operations.daily import api as daily_api
from regie.telephony import api as telephony_api
from regie.telework import api as telework_api

app_name = "api"

router = DefaultRouter()
router.include_format_suffixes = False
for prefix, viewset in [
    *directory_api.routes,
    *assets_api.routes,
    *inventory_api.routes,
    *daily_api.routes,
    *compliance_api.routes,
    *alerts_api.routes,
    *field_api.routes,
    *helpdesk_api.routes,
    *telephony_api.routes,
    *checks_api.routes,
    *telework_api.routes,
]:
    router.register(prefix, viewset)  # URL names from the model: api:asset-list, api:person-detail

urlpatterns: list[URLPattern | URLResolver] = [
    path("openapi.json", SpectacularJSONAPIView.as_view(), name="openapi"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:openapi"), name="docs"),
    path("round/", daily_api.RoundView.as_view(), name="round"),
    path("continuity/", continuity_api.ContinuityView.as_view(), name="continuity"),
    path(
        "continuity/activate/",
        continuity_api.ActivateView.as_view(),
        name="continuity-activate",
    ),
    path("continuity/end/", continuity_api.EndView.as_view(), name="continuity-end"),
    path(
        "people/<int:pk>/readiness",
        telework_api.PersonReadinessView.as_view(),
        name="person-readiness",
    ),
    *router.urls,
    re_path(r"^(?P<path>.*/)$", not_found),
]
