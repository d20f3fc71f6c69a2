"""Régie's URLs plus one view that fails, to see what a real error writes to the log."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from regie.urls import handler404
from regie.urls import urlpatterns as regie_urlpatterns


def broken_view(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("the disk is full")


urlpatterns = [path("broken/", broken_view), *regie_urlpatterns]
__all__ = ["handler404", "urlpatterns"]
