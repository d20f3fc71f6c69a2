"""The daily round's pages, under ``/today/``."""

from django.urls import path

from regie.operations.daily import views

app_name = "daily"

urlpatterns = [
    path("", views.today, name="today"),
    path("acknowledge/", views.acknowledge, name="acknowledge"),
    path("hand-over/", views.write_hand_over, name="hand-over"),
    path("log/", views.LogView.as_view(), name="log"),
    path("log/new/", views.add_note, name="note-create"),
]
