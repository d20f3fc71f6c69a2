from django.contrib.auth import views as auth_views
from django.urls import URLPattern, path

from regie.core import views
from regie.core.pickers import picker_kinds

urlpatterns: list[URLPattern] = [
    # /login/ and its second step: regie.accounts.
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # One route per picker kind (registered by the apps at start-up): /choices/people/…
    *(
        path(f"choices/{kind}/", views.choices, {"kind": kind}, name=f"choices-{kind}")
        for kind in picker_kinds()
    ),
]
