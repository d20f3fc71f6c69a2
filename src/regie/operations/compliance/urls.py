from django.urls import path

from regie.operations.compliance import views

app_name = "compliance"

urlpatterns = [
    path("", views.ComplianceView.as_view(), name="overview"),
    path("findings/<int:pk>/", views.FindingDetailView.as_view(), name="finding-detail"),
    path("settings/", views.settings_page, name="settings"),
    path("unknown/", views.unknown_page, name="unknown"),
    path("lifecycle/", views.lifecycle_page, name="lifecycle"),
    path("sweep/", views.run_sweep, name="sweep"),
]
