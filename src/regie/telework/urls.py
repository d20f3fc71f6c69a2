from django.urls import URLPattern, path

from regie.core.crud import crud_urls
from regie.telework import views

app_name = "telework"
urlpatterns: list[URLPattern] = [
    path("", views.pool_calendar, name="calendar"),
    path("loans/", views.LoanListView.as_view(), name="loan-list"),
    path("loans/new/", views.loan_check_out, name="loan-create"),
    path("loans/<int:pk>/", views.loan_detail, name="loan-detail"),
    path("loans/<int:pk>/return/", views.loan_check_in, name="loan-checkin"),
    path("loans/<int:pk>/receipt/", views.loan_receipt, name="loan-receipt"),
    path("reservations/", views.ReservationListView.as_view(), name="reservation-list"),
    path("reservations/new/", views.reservation_create, name="reservation-create"),
    path(
        "reservations/<int:pk>/", views.ReservationDetailView.as_view(), name="reservation-detail"
    ),
    path("reservations/<int:pk>/edit/", views.reservation_update, name="reservation-update"),
    path("reservations/<int:pk>/cancel/", views.reservation_cancel, name="reservation-cancel"),
    *crud_urls(
        "charter",
        list_view=views.CharterListView,
        detail_view=views.CharterDetailView,
        form_view=views.CharterFormView,
        delete_view=views.CharterDeleteView,
        prefix="charters/",
    ),
    *crud_urls(
        "remoteaccess",
        list_view=views.RemoteAccessListView,
        detail_view=views.RemoteAccessDetailView,
        form_view=views.RemoteAccessFormView,
        delete_view=views.RemoteAccessDeleteView,
        prefix="remote-access/",
    ),
    path("remote-access/import/", views.remote_access_import, name="remoteaccess-import"),
    path("readiness/", views.readiness_overview, name="readiness"),
    path("readiness/people/<int:pk>/", views.readiness_person, name="readiness-person"),
]
