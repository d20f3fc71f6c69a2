from django.urls import path

from regie.api import views

app_name = "tokens"
urlpatterns = [
    path("", views.token_list, name="token-list"),
    path("<int:pk>/revoke/", views.token_revoke, name="token-revoke"),
]
