from django.urls import path  # noqa: F401

app_name = "tokens"
urlpatterns: list = []  # type: ignore[type-arg]
