from django.contrib.auth import views as auth_views
from django.urls import URLPattern, path

from regie.core import views
from regie.core.pickers import picker_kinds

urlpatterns: list[URLPattern] = [
    path(
        "login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # One route per picker kind (registered by the apps at start-up): /choices/people/…
    *(
        path(f"choices/{kind}/", views.choices, {"kind": kind}, name=f"choices-{kind}")
        for kind in picker_kinds()
    ),
]
