from django.urls import URLPattern, path

from regie.directory.sso import views

app_name = "sso"

urlpatterns: list[URLPattern] = [
    path("login/", views.start, name="login"),
    path("callback/", views.callback, name="callback"),
]
