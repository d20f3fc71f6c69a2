from django.urls import URLPattern, path

from regie.helpdesk import portal, views

app_name = "helpdesk"
urlpatterns: list[URLPattern] = [
    path("tickets/", views.TicketListView.as_view(), name="ticket-list"),
    path("tickets/new/", views.ticket_create, name="ticket-create"),
    path("tickets/<int:pk>/", views.ticket_detail, name="ticket-detail"),
    path("tickets/<int:pk>/edit/", views.ticket_edit, name="ticket-update"),
    path("tickets/<int:pk>/assign/", views.ticket_assign, name="ticket-assign"),
    path("tickets/<int:pk>/status/", views.ticket_status, name="ticket-status"),
    path("tickets/<int:pk>/follow-up/", views.ticket_followup, name="ticket-followup"),
    path("tickets/<int:pk>/equipment/", views.ticket_assets, name="ticket-assets"),
    path("tickets/<int:pk>/satisfaction/", views.ticket_satisfaction, name="ticket-satisfaction"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment-download"),
    path("priorities/", views.priority_matrix, name="priority-matrix"),
    path("portal/", portal.portal, name="portal"),
    path("portal/new/", portal.portal_new, name="portal-new"),
]
