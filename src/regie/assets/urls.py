from django.urls import path  # noqa: F401

app_name = "assets"
urlpatterns: list = []  # type: ignore[type-arg]
