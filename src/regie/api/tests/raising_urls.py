"""A URLconf with a view that fails, to see what a client gets from an unhandled error."""

from django.urls import include, path
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from regie.urls import handler400, handler404, handler500  # noqa: F401  # the site's error pages


@api_view(["GET"])
@permission_classes([AllowAny])
def broken(request: Request) -> Response:
    raise RuntimeError("a bug")


urlpatterns = [
    path("api/v1/broken/", broken),
    path("broken/", broken),
    path("", include("regie.urls")),
]
