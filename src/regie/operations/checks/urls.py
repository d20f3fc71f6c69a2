from django.urls import URLPattern, path

from regie.core.crud import crud_urls
from regie.operations.checks import views

app_name = "checks"
urlpatterns: list[URLPattern] = [
    *crud_urls(
        "check",
        list_view=views.CheckListView,
        detail_view=views.CheckDetailView,
        form_view=views.CheckFormView,
        delete_view=views.CheckDeleteView,
    ),
    path("checks/<int:pk>/pause/", views.check_pause, name="check-pause"),
    path("checks/<int:pk>/resume/", views.check_resume, name="check-resume"),
]
