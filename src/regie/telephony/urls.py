from django.urls import URLPattern, path

from regie.core.crud import crud_urls
from regie.telephony import views

app_name = "telephony"
urlpatterns: list[URLPattern] = [
    *crud_urls(
        "line",
        list_view=views.LineListView,
        detail_view=views.LineDetailView,
        form_view=views.LineFormView,
        delete_view=views.LineDeleteView,
        prefix="lines/",
    ),
    path(
        "lines/<int:pk>/forwarding/",
        views.forwarding_edit,
        {"kind": "line"},
        name="line-forwarding",
    ),
    path("lines/import/", views.import_page, name="line-import"),
    *crud_urls(
        "simcard",
        list_view=views.SimCardListView,
        detail_view=views.SimCardDetailView,
        form_view=views.SimCardFormView,
        delete_view=views.SimCardDeleteView,
        prefix="sim-cards/",
    ),
    path("sim-cards/<int:pk>/reveal/", views.simcard_reveal, name="simcard-reveal"),
    *crud_urls(
        "extension",
        list_view=views.ExtensionListView,
        detail_view=views.ExtensionDetailView,
        form_view=views.ExtensionFormView,
        delete_view=views.ExtensionDeleteView,
        prefix="extensions/",
    ),
    path(
        "extensions/<int:pk>/forwarding/",
        views.forwarding_edit,
        {"kind": "extension"},
        name="extension-forwarding",
    ),
    *crud_urls(
        "operator",
        list_view=views.OperatorListView,
        detail_view=views.OperatorDetailView,
        form_view=views.OperatorFormView,
        delete_view=views.OperatorDeleteView,
        prefix="operators/",
    ),
    *crud_urls(
        "contract",
        list_view=views.ContractListView,
        detail_view=views.ContractDetailView,
        form_view=views.ContractFormView,
        delete_view=views.ContractDeleteView,
        prefix="contracts/",
    ),
    *crud_urls(
        "plan",
        list_view=views.PlanListView,
        detail_view=views.PlanDetailView,
        form_view=views.PlanFormView,
        delete_view=views.PlanDeleteView,
        prefix="continuity/",
    ),
    path("continuity/<int:pk>/refresh/", views.plan_refresh, name="plan-refresh"),
    path("continuity/<int:pk>/end/", views.plan_end, name="plan-end"),
    path(
        "continuity/<int:pk>/items/<int:item_pk>/done/",
        views.plan_item_done,
        name="plan-item-done",
    ),
    *crud_urls(
        "fallback",
        list_view=views.FallbackListView,
        detail_view=views.FallbackDetailView,
        form_view=views.FallbackFormView,
        delete_view=views.FallbackDeleteView,
        prefix="fallback-numbers/",
    ),
    *crud_urls(
        "oncall",
        list_view=views.OnCallListView,
        detail_view=views.OnCallDetailView,
        form_view=views.OnCallFormView,
        delete_view=views.OnCallDeleteView,
        prefix="on-call-numbers/",
    ),
    *crud_urls(
        "cutoff",
        list_view=views.CutoffListView,
        detail_view=views.CutoffDetailView,
        form_view=views.CutoffFormView,
        delete_view=views.CutoffDeleteView,
        prefix="copper/cut-offs/",
    ),
    path("copper/", views.copper_page, name="copper"),
]
