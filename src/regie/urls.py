"""The one URL root."""

from django.urls import include, path

from regie.core import views as core_views
from regie.core.admin import admin_site
from regie.core.rest import errors as api_errors
from regie.home import root

urlpatterns = [
    path("health", core_views.health, name="health"),
    path("health/live", core_views.live, name="health-live"),
    path("", include("regie.operations.checks.ping_urls")),
    path("", root, name="home"),
    path("", include("regie.inventory.urls")),
    path("", include("regie.accounts.login_urls")),
    path("", include("regie.core.urls")),
    path("directory/", include("regie.directory.urls")),
    path("oidc/", include("regie.directory.sso.urls")),
    path("fleet/", include("regie.assets.urls")),
    path("today/", include("regie.operations.daily.urls")),
    path("compliance/", include("regie.operations.compliance.urls")),
    path("alerts/", include("regie.operations.alerts.urls")),
    path("field/", include("regie.field.urls")),
    path("helpdesk/", include("regie.helpdesk.urls")),
    path("telephony/", include("regie.telephony.urls")),
    path("", include("regie.operations.checks.urls")),
    path("telework/", include("regie.telework.urls")),
    path("continuity/", include("regie.continuity.urls")),
    path("api/v1/", include("regie.api.urls")),
    path("account/tokens/", include("regie.api.token_urls")),
    path("account/", include("regie.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin_site.urls),
]

# Django's error pages, except under /api/ where errors keep the API's JSON format.
handler400 = api_errors.bad_request
handler404 = api_errors.page_not_found
handler500 = api_errors.server_error
