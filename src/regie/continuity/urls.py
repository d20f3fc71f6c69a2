from django.urls import path

from regie.continuity import views

app_name = "continuity"

urlpatterns = [
    path("", views.page, name="page"),
    path("declare/", views.declare, name="declare"),
    path("end/", views.end, name="end"),
    path("kit/", views.kit, name="kit"),
    path("round/", views.plan_round, name="round"),
    path("message/", views.message, name="message"),
]
