from django.urls import URLPattern, path

from regie.assets import views
from regie.core.crud import crud_urls

app_name = "assets"
urlpatterns: list[URLPattern] = [
    *crud_urls(
        "asset",
        list_view=views.AssetListView,
        detail_view=views.AssetDetailView,
        form_view=views.AssetFormView,
        delete_view=views.AssetDeleteView,
    ),
    path("assets/<int:pk>/unlock/", views.asset_unlock, name="asset-unlock"),
    path("catalogue/software/", views.SoftwareListView.as_view(), name="software-list"),
    path(
        "catalogue/software/<int:pk>/",
        views.SoftwareDetailView.as_view(),
        name="software-detail",
    ),
    *crud_urls(
        "assettype",
        list_view=views.AssetTypeListView,
        detail_view=views.AssetTypeDetailView,
        form_view=views.AssetTypeFormView,
        delete_view=views.AssetTypeDeleteView,
        prefix="catalogue/types/",
    ),
    *crud_urls(
        "manufacturer",
        list_view=views.ManufacturerListView,
        detail_view=views.ManufacturerDetailView,
        form_view=views.ManufacturerFormView,
        delete_view=views.ManufacturerDeleteView,
        prefix="catalogue/manufacturers/",
    ),
    *crud_urls(
        "model",
        list_view=views.AssetModelListView,
        detail_view=views.AssetModelDetailView,
        form_view=views.AssetModelFormView,
        delete_view=views.AssetModelDeleteView,
        prefix="catalogue/models/",
    ),
    *crud_urls(
        "supplier",
        list_view=views.SupplierListView,
        detail_view=views.SupplierDetailView,
        form_view=views.SupplierFormView,
        delete_view=views.SupplierDeleteView,
    ),
    *crud_urls(
        "contract",
        list_view=views.ContractListView,
        detail_view=views.ContractDetailView,
        form_view=views.ContractFormView,
        delete_view=views.ContractDeleteView,
    ),
]
