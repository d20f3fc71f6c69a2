"""``/ping/…``: mounted at the URL root by ``regie.urls`` (the addresses jobs call)."""

from django.urls import URLPattern, path

from regie.operations.checks.ping import ping

urlpatterns: list[URLPattern] = [
    path("ping/<str:code>", ping, name="ping"),
    path("ping/<str:code>/<str:action>", ping, name="ping-action"),
]
