from django.urls import URLPattern, path

from regie.core.crud import crud_urls
from regie.field import views

app_name = "field"
urlpatterns: list[URLPattern] = [
    *crud_urls(
        "intervention",
        list_view=views.InterventionListView,
        detail_view=views.InterventionDetailView,
        form_view=views.InterventionFormView,
        delete_view=views.InterventionDeleteView,
    ),
    path("map/", views.SiteMapView.as_view(), name="site-map"),
    path("rounds/", views.RoutePlanListView.as_view(), name="routeplan-list"),
    path("rounds/new/", views.RoutePlanCreateView.as_view(), name="routeplan-create"),
    path("rounds/<int:pk>/", views.RoutePlanDetailView.as_view(), name="routeplan-detail"),
    path("rounds/<int:pk>/sheet/", views.RoutePlanSheetView.as_view(), name="routeplan-sheet"),
    path("rounds/<int:pk>/add/", views.RoutePlanReplanView.as_view(), name="routeplan-replan"),
    path("rounds/<int:pk>/record/", views.RoutePlanRecordView.as_view(), name="routeplan-record"),
]
