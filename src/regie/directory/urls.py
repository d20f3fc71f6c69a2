from django.urls import URLPattern, path

from regie.core.crud import crud_urls
from regie.directory import views

app_name = "directory"
urlpatterns: list[URLPattern] = [
    *crud_urls(
        "organisation",
        list_view=views.OrganisationListView,
        detail_view=views.OrganisationDetailView,
        form_view=views.OrganisationFormView,
        delete_view=views.OrganisationDeleteView,
    ),
    *crud_urls(
        "site",
        list_view=views.SiteListView,
        detail_view=views.SiteDetailView,
        form_view=views.SiteFormView,
        delete_view=views.SiteDeleteView,
    ),
    *crud_urls(
        "room",
        list_view=views.RoomListView,
        detail_view=views.RoomDetailView,
        form_view=views.RoomFormView,
        delete_view=views.RoomDeleteView,
    ),
    *crud_urls(
        "department",
        list_view=views.DepartmentListView,
        detail_view=views.DepartmentDetailView,
        form_view=views.DepartmentFormView,
        delete_view=views.DepartmentDeleteView,
    ),
    *crud_urls(
        "person",
        list_view=views.PersonListView,
        detail_view=views.PersonDetailView,
        form_view=views.PersonFormView,
        delete_view=views.PersonDeleteView,
        prefix="people/",
    ),
    *crud_urls(
        "source",
        list_view=views.DirectorySourceListView,
        detail_view=views.DirectorySourceDetailView,
        form_view=views.DirectorySourceFormView,
        delete_view=views.DirectorySourceDeleteView,
        prefix="sources/",
    ),
    path("sources/<int:pk>/preview/", views.preview_sync, name="source-preview"),
    path("sources/<int:pk>/apply/", views.apply_sync, name="source-apply"),
    path("sources/runs/<int:pk>/", views.sync_run_detail, name="sync-run-detail"),
]
