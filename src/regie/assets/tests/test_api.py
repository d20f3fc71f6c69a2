"""The fleet endpoints: CRUD, access per role, validation, history, query counts."""

import pytest
from django.utils import translation

from regie.assets.models import Asset, AssetStatus, Contract, Manufacturer, Supplier
from regie.assets.tests.factories import (
    AssetFactory,
    AssetModelFactory,
    AssetTypeFactory,
    ContractFactory,
    ManufacturerFactory,
    SupplierFactory,
)
from regie.core.history import history_of
from regie.core.models import ChangeAction, ChangeRecord, ChangeSource
from regie.core.testing import bearer_client
from regie.directory.tests.factories import SiteFactory

ASSET_KEYS = {
    "id",
    "inventory_number",
    "name",
    "asset_type",
    "asset_type_brief",
    "manufacturer",
    "manufacturer_brief",
    "model",
    "model_brief",
    "serial_number",
    "hardware_uuid",
    "status",
    "site",
    "site_brief",
    "room",
    "room_brief",
    "assigned_to",
    "assigned_to_brief",
    "department",
    "department_brief",
    "purchase_date",
    "purchase_price",
    "supplier",
    "supplier_brief",
    "order_reference",
    "warranty_end",
    "contract",
    "contract_brief",
    "notes",
    "locked_fields",  # read-only: inventory never overwrites these fields
    "created_at",
    "updated_at",
}


def url(pk=None):
    return "/api/v1/assets/" if pk is None else f"/api/v1/assets/{pk}/"


def new_asset_payload(on_site, **extra):
    return {
        "name": "POSTE-COMPTA-01",
        "asset_type": AssetTypeFactory().pk,
        "site": on_site.pk,
    } | extra


def model_message(model, constraint_name):
    constraint = next(c for c in model._meta.constraints if c.name == constraint_name)
    with translation.override("fr"):
        return str(constraint.violation_error_message)


# --- CRUD as a technician ----------------------------------------------------------------


def test_technician_creates_asset_numbered_with_history(technician, site):
    response = bearer_client(technician).post(
        url(), new_asset_payload(site, purchase_price="799.90"), format="json"
    )
    assert response.status_code == 201
    asset = Asset.objects.get()
    body = response.json()
    assert set(body) == ASSET_KEYS
    assert body["id"] == asset.pk
    assert body["inventory_number"] == f"PC-{asset.pk:06d}"
    assert body["site"] == site.pk
    assert body["site_brief"] == {"id": site.pk, "name": "École de Melle"}
    assert body["asset_type_brief"] == {
        "id": asset.asset_type_id,
        "name": "Poste fixe",
        "kind": "desktop",
        "prefix": "PC",
    }
    assert body["purchase_price"] == "799.90"
    assert body["status"] == AssetStatus.STOCK
    assert body["created_at"].endswith("Z")
    assert (asset.name, asset.site, str(asset.purchase_price)) == (
        "POSTE-COMPTA-01",
        site,
        "799.90",
    )
    assert [(r.action, r.source, r.actor) for r in history_of(asset)] == [
        (ChangeAction.CREATE, ChangeSource.API, technician)
    ]


def test_technician_lists_filters_searches_and_orders(
    technician, owned_asset, colleague_asset, outside_asset
):
    client = bearer_client(technician)
    response = client.get(url(), {"ordering": "-name"})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 3
    assert [a["name"] for a in body["results"]] == [
        "POSTE-PISCINE",
        "POSTE-ACCUEIL",
        "PORTABLE-AGNES",
    ]
    assert [
        a["name"] for a in client.get(url(), {"site": outside_asset.site_id}).json()["results"]
    ] == ["POSTE-PISCINE"]
    assert [a["name"] for a in client.get(url(), {"q": "durand"}).json()["results"]] == [
        "PORTABLE-AGNES"
    ]
    page = client.get(url(), {"page_size": 2, "ordering": "name"}).json()
    assert len(page["results"]) == 2
    assert page["next"].endswith("page=2&page_size=2&ordering=name") or "page=2" in page["next"]
    assert page["previous"] is None


def test_technician_retrieves_asset(technician, owned_asset):
    response = bearer_client(technician).get(url(owned_asset.pk))
    assert response.status_code == 200
    body = response.json()
    assert set(body) == ASSET_KEYS
    assert body["name"] == "PORTABLE-AGNES"
    assert body["assigned_to_brief"] == {
        "id": owned_asset.assigned_to_id,
        "full_name": "Agnès Durand",
        "email": owned_asset.assigned_to.email,
    }


def test_technician_replaces_asset_with_put(technician, owned_asset, other_site):
    payload = {
        "name": "PORTABLE-AGNES-2",
        "asset_type": owned_asset.asset_type_id,
        "site": other_site.pk,
        "status": AssetStatus.IN_REPAIR,
        "inventory_number": owned_asset.inventory_number,
    }
    response = bearer_client(technician).put(url(owned_asset.pk), payload, format="json")
    assert response.status_code == 200
    owned_asset.refresh_from_db()
    assert owned_asset.locked_fields == ["name"]
    assert (owned_asset.name, owned_asset.site, owned_asset.status) == (
        "PORTABLE-AGNES-2",
        other_site,
        AssetStatus.IN_REPAIR,
    )
    assert response.json()["site_brief"] == {"id": other_site.pk, "name": other_site.name}
    changes = {r.field: (r.source, r.actor) for r in history_of(owned_asset)}
    assert changes == {
        "locked_fields": ("api", technician),  # the name was edited by hand: now locked
        "name": ("api", technician),
        "site": ("api", technician),
        "status": ("api", technician),
    }


def test_technician_patches_one_field(technician, owned_asset):
    response = bearer_client(technician).patch(
        url(owned_asset.pk), {"notes": "Écran fissuré"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["notes"] == "Écran fissuré"
    owned_asset.refresh_from_db()
    assert owned_asset.notes == "Écran fissuré"
    assert [(r.field, r.new_value, r.source) for r in history_of(owned_asset)] == [
        ("notes", "Écran fissuré", "api")
    ]


def test_technician_deletes_asset_with_history(technician, owned_asset):
    pk = owned_asset.pk
    response = bearer_client(technician).delete(url(pk))
    assert response.status_code == 204
    assert not Asset.objects.filter(pk=pk).exists()
    record = ChangeRecord.objects.get(object_id=pk, action=ChangeAction.DELETE)
    assert (record.source, record.actor) == (ChangeSource.API, technician)


# --- access per role -----------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["admin_user", "technician"])
def test_managers_read_and_write_every_asset(request, persona, outside_asset):
    client = bearer_client(request.getfixturevalue(persona))
    assert client.get(url()).json()["count"] == 1
    response = client.patch(url(outside_asset.pk), {"name": "RENOMME"}, format="json")
    assert response.status_code == 200
    outside_asset.refresh_from_db()
    assert outside_asset.name == "RENOMME"


def test_reader_reads_but_cannot_write(reader, outside_asset, site):
    client = bearer_client(reader)
    assert client.get(url(outside_asset.pk)).status_code == 200
    for response in [
        client.patch(url(outside_asset.pk), {"name": "X"}, format="json"),
        client.put(url(outside_asset.pk), new_asset_payload(site), format="json"),
        client.delete(url(outside_asset.pk)),
        client.post(url(), new_asset_payload(site), format="json"),
    ]:
        assert response.status_code == 403
        assert set(response.json()) == {"detail", "errors"}
    outside_asset.refresh_from_db()
    assert outside_asset.name == "POSTE-PISCINE"
    assert Asset.objects.count() == 1


def test_correspondent_sees_and_edits_own_site_only(correspondent, colleague_asset, outside_asset):
    client = bearer_client(correspondent)
    assert [a["name"] for a in client.get(url()).json()["results"]] == ["POSTE-ACCUEIL"]
    assert client.get(url(outside_asset.pk)).status_code == 404
    assert client.patch(url(outside_asset.pk), {"name": "X"}, format="json").status_code == 404
    response = client.patch(url(colleague_asset.pk), {"status": "in_repair"}, format="json")
    assert response.status_code == 200
    colleague_asset.refresh_from_db()
    assert colleague_asset.status == AssetStatus.IN_REPAIR
    assert client.delete(url(colleague_asset.pk)).status_code == 403
    assert Asset.objects.filter(pk=colleague_asset.pk).exists()


def test_correspondent_creates_on_own_site_not_on_another(correspondent, site, other_site):
    client = bearer_client(correspondent)
    refused = client.post(url(), new_asset_payload(other_site), format="json")
    assert refused.status_code == 400
    assert list(refused.json()["errors"]) == ["site"]
    assert not Asset.objects.exists()
    created = client.post(url(), new_asset_payload(site), format="json")
    assert created.status_code == 201
    assert Asset.objects.get().site == site


def test_correspondent_cannot_move_asset_off_their_sites(
    correspondent, colleague_asset, other_site
):
    client = bearer_client(correspondent)
    moved = client.patch(url(colleague_asset.pk), {"site": other_site.pk}, format="json")
    assert moved.status_code == 400
    assert list(moved.json()["errors"]) == ["site"]
    unassigned = client.patch(url(colleague_asset.pk), {"site": None}, format="json")
    assert unassigned.status_code == 400
    assert list(unassigned.json()["errors"]) == ["non_field_errors"]
    colleague_asset.refresh_from_db()
    assert colleague_asset.site_id is not None
    assert history_of(colleague_asset).count() == 0


def test_staff_sees_own_asset_only_and_cannot_write(staff_user, owned_asset, colleague_asset, site):
    client = bearer_client(staff_user)
    assert [a["name"] for a in client.get(url()).json()["results"]] == ["PORTABLE-AGNES"]
    assert client.get(url(owned_asset.pk)).status_code == 200
    assert client.get(url(colleague_asset.pk)).status_code == 404
    assert client.patch(url(owned_asset.pk), {"name": "X"}, format="json").status_code == 403
    assert client.post(url(), new_asset_payload(site), format="json").status_code == 403
    owned_asset.refresh_from_db()
    assert owned_asset.name == "PORTABLE-AGNES"
    assert Asset.objects.count() == 2


def test_no_token_is_401(owned_asset):
    from rest_framework.test import APIClient

    response = APIClient().get(url(owned_asset.pk))
    assert response.status_code == 401


def test_revoked_token_is_401(technician, owned_asset):
    from regie.core.models import ApiToken
    from regie.core.tokens import revoke_api_token

    client = bearer_client(technician)
    revoke_api_token(token=ApiToken.objects.get(), by=technician)
    assert client.get(url(owned_asset.pk)).status_code == 401
    assert client.patch(url(owned_asset.pk), {"name": "X"}, format="json").status_code == 401
    owned_asset.refresh_from_db()
    assert owned_asset.name == "PORTABLE-AGNES"


# --- bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"purchase_price": "abc"}, "purchase_price"),
        ({"site": "x"}, "site"),
        ({"site": 999999}, "site"),
        ({"asset_type": None}, "asset_type"),
        ({"status": "broken"}, "status"),
        ({"purchase_date": "31/12/2024"}, "purchase_date"),
        ({"purchase_price": "-1"}, "purchase_price"),
    ],
)
def test_bad_values_are_400_with_field_error_and_nothing_created(technician, site, extra, field):
    response = bearer_client(technician).post(
        url(), new_asset_payload(site, **extra), format="json"
    )
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"detail", "errors"}
    assert list(body["errors"]) == [field]
    assert not Asset.objects.exists()
    assert (
        not ChangeRecord.objects.filter(source=ChangeSource.API, action="create")
        .exclude(content_type__model="apitoken")
        .exists()
    )


def test_duplicate_serial_per_manufacturer_is_400_on_serial(technician, site):
    maker = ManufacturerFactory()
    AssetFactory(manufacturer=maker, serial_number="SN-1")
    response = bearer_client(technician).post(
        url(), new_asset_payload(site, manufacturer=maker.pk, serial_number="SN-1"), format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "serial_number": [model_message(Asset, "asset_unique_serial_per_manufacturer")]
    }
    assert Asset.objects.count() == 1


def test_same_serial_of_another_manufacturer_is_fine(technician, site):
    AssetFactory(manufacturer=ManufacturerFactory(), serial_number="SN-1")
    response = bearer_client(technician).post(
        url(),
        new_asset_payload(site, manufacturer=ManufacturerFactory().pk, serial_number="SN-1"),
        format="json",
    )
    assert response.status_code == 201
    assert Asset.objects.filter(serial_number="SN-1").count() == 2


def test_duplicate_inventory_number_is_400_and_changes_nothing(
    technician, owned_asset, outside_asset
):
    response = bearer_client(technician).patch(
        url(outside_asset.pk),
        {"inventory_number": owned_asset.inventory_number, "name": "N"},
        format="json",
    )
    assert response.status_code == 400
    with translation.override("fr"):
        expected = str(Asset._meta.get_field("inventory_number").error_messages["unique"])
    assert response.json()["errors"] == {"inventory_number": [expected]}
    outside_asset.refresh_from_db()
    assert outside_asset.name == "POSTE-PISCINE"
    assert history_of(outside_asset).count() == 0


def test_model_of_another_manufacturer_is_400_on_model(technician, site):
    model = AssetModelFactory()
    response = bearer_client(technician).post(
        url(),
        new_asset_payload(site, model=model.pk, manufacturer=ManufacturerFactory().pk),
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["model"]
    assert not Asset.objects.exists()


def test_unknown_fields_are_ignored(technician, site):
    response = bearer_client(technician).post(
        url(), new_asset_payload(site, colour="blue", id=12345), format="json"
    )
    assert response.status_code == 201
    assert response.json()["id"] != 12345
    assert Asset.objects.get().name == "POSTE-COMPTA-01"


# --- query counts -----------------------------------------------------------------------------


@pytest.mark.parametrize("page_size", [5, 100])
def test_asset_list_runs_a_fixed_number_of_queries(
    technician, django_assert_max_num_queries, page_size
):
    site = SiteFactory()
    contract = ContractFactory()
    model = AssetModelFactory()
    for _ in range(page_size):
        AssetFactory(
            site=site,
            contract=contract,
            supplier=contract.supplier,
            model=model,
            manufacturer=model.manufacturer,
        )
    client = bearer_client(technician)
    client.get(url())  # the first request records the token's last use
    # token, count, page
    with django_assert_max_num_queries(3):
        response = client.get(url(), {"page_size": page_size})
    assert len(response.json()["results"]) == page_size


# --- the catalogue ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "model", "factory", "payload", "change"),
    [
        ("manufacturers", Manufacturer, ManufacturerFactory, {"name": "Dell"}, {"name": "DELL"}),
        ("suppliers", Supplier, SupplierFactory, {"name": "UGAP"}, {"siret": "12345678901234"}),
        (
            "contracts",
            Contract,
            ContractFactory,
            {"name": "Maintenance copieurs", "kind": "maintenance", "start_date": "2025-01-01"},
            {"reference": "M-2025-01"},
        ),
    ],
)
def test_catalogue_crud_as_technician(technician, path, model, factory, payload, change):
    client = bearer_client(technician)
    if model is Contract:
        payload = {**payload, "supplier": SupplierFactory().pk}
    created = client.post(f"/api/v1/{path}/", payload, format="json")
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    obj = model.objects.get(pk=pk)
    assert client.get(f"/api/v1/{path}/{pk}/").json()["name"] == payload["name"]
    updated = client.patch(f"/api/v1/{path}/{pk}/", change, format="json")
    assert updated.status_code == 200
    obj.refresh_from_db()
    for field, value in change.items():
        assert getattr(obj, field) == value
    assert client.get(f"/api/v1/{path}/").json()["count"] == 1
    assert client.delete(f"/api/v1/{path}/{pk}/").status_code == 204
    assert not model.objects.filter(pk=pk).exists()
    sources = set(
        ChangeRecord.objects.filter(content_type__model=model._meta.model_name).values_list(
            "action", "source"
        )
    )
    assert sources == {("create", "api"), ("update", "api"), ("delete", "api")}


def test_asset_types_and_models_crud_as_technician(technician):
    client = bearer_client(technician)
    created = client.post(
        "/api/v1/asset-types/", {"name": "Borne", "kind": "other", "prefix": "BORNE"}, format="json"
    )
    assert created.status_code == 201
    type_id = created.json()["id"]
    maker = ManufacturerFactory(name="Yealink")
    model = client.post(
        "/api/v1/asset-models/",
        {"name": "T54W", "manufacturer": maker.pk, "asset_type": type_id},
        format="json",
    )
    assert model.status_code == 201
    assert model.json()["manufacturer_brief"] == {"id": maker.pk, "name": "Yealink"}
    bad_prefix = client.patch(f"/api/v1/asset-types/{type_id}/", {"prefix": "pc"}, format="json")
    assert bad_prefix.status_code == 400
    assert list(bad_prefix.json()["errors"]) == ["prefix"]
    blocked = client.delete(f"/api/v1/asset-types/{type_id}/")
    assert blocked.status_code == 409
    assert client.delete(f"/api/v1/asset-models/{model.json()['id']}/").status_code == 204
    assert client.delete(f"/api/v1/asset-types/{type_id}/").status_code == 204


def test_correspondent_reads_catalogue_entries_but_not_suppliers(correspondent):
    maker = ManufacturerFactory()
    supplier = SupplierFactory()
    client = bearer_client(correspondent)
    assert client.get(f"/api/v1/manufacturers/{maker.pk}/").json()["name"] == maker.name
    assert client.get(f"/api/v1/suppliers/{supplier.pk}/").status_code == 404
    # Like the HTML interface, correspondents have no catalogue list pages.
    assert client.get("/api/v1/manufacturers/").status_code == 403
    assert client.post("/api/v1/manufacturers/", {"name": "X"}, format="json").status_code == 403
    assert client.get("/api/v1/suppliers/").status_code == 403
    assert Manufacturer.objects.count() == 1
