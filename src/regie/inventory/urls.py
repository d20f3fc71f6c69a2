"""The paths agents post to (protocols.md §3.1; ``/`` is routed in ``regie.home``), and the
inventory pages under ``/inventory/`` (lower case: the agents' GLPI 11 path is ``/Inventory``,
and Django matches paths case-sensitively)."""

from django.urls import path, re_path

from regie.inventory.views import pages, receive, setup

app_name = "inventory"

urlpatterns = [
    re_path(
        r"^(?:ocsinventory|Inventory|front/inventory\.php|marketplace/glpiinventory"
        r"|plugins/glpiinventory|plugins/fusioninventory)/?$",
        receive,
        name="receive",
    ),
    path("inventory/", pages.ActivityView.as_view(), name="activity"),
    path("inventory/reports/<int:pk>/", pages.ReportDetailView.as_view(), name="report-detail"),
    path("inventory/reports/<int:pk>/replay/", pages.replay_report, name="report-replay"),
    path("inventory/reports/<int:pk>/accept/", pages.accept_report, name="report-accept"),
    path("inventory/reports/<int:pk>/reject/", pages.reject_report, name="report-reject"),
    path("inventory/agents/", pages.AgentListView.as_view(), name="agent-list"),
    path("inventory/agents/<int:pk>/", pages.AgentDetailView.as_view(), name="agent-detail"),
    path("inventory/agents/<int:pk>/approve/", pages.approve_agent, name="agent-approve"),
    path("inventory/setup/", setup.agent_setup, name="setup"),
]
