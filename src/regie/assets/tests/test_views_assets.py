"""The asset pages: who sees and changes what, validation, history, htmx, query counts."""

import pytest
from django.urls import reverse

from regie.assets.models import Asset, AssetStatus, AssetType
from regie.assets.tests.factories import (
    AssetFactory,
    AssetTypeFactory,
    ManufacturerFactory,
    asset_form_data,
)
from regie.core.history import history_of
from regie.core.models import ChangeAction, ChangeRecord

pytestmark = pytest.mark.django_db


def url(action, asset=None):
    args = [asset.pk] if asset is not None else []
    return reverse(f"assets:asset-{action}", args=args)


# --- anonymous -------------------------------------------------------------------------------


@pytest.mark.parametrize("action", ["list", "create", "detail", "update", "delete"])
def test_anonymous_is_sent_to_login(client, colleague_asset, action):
    target = url(action, None if action in {"list", "create"} else colleague_asset)
    response = client.get(target)
    assert response.status_code == 302
    assert response["Location"] == f"/login/?next={target}"


# --- the list --------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["admin_user", "technician", "reader"])
def test_wide_readers_list_every_asset(
    client, request, persona, owned_asset, colleague_asset, outside_asset
):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(url("list"))
    assert response.status_code == 200
    names = [row.obj.name for row in response.context["rows"]]
    assert names == list(Asset.objects.order_by("inventory_number").values_list("name", flat=True))
    assert set(names) == {"PORTABLE-AGNES", "POSTE-ACCUEIL", "POSTE-PISCINE"}
    assert response.context["page_obj"].paginator.count == 3


def test_correspondent_lists_only_assets_of_their_sites(
    client, correspondent, owned_asset, colleague_asset, outside_asset
):
    client.force_login(correspondent)
    response = client.get(url("list"))
    assert response.status_code == 200
    assert {row.obj.name for row in response.context["rows"]} == {"PORTABLE-AGNES", "POSTE-ACCUEIL"}
    assert "POSTE-PISCINE" not in response.content.decode()


def test_staff_lists_only_their_own_assets(
    client, staff_user, owned_asset, colleague_asset, outside_asset
):
    client.force_login(staff_user)
    response = client.get(url("list"))
    assert response.status_code == 200
    assert [row.obj.name for row in response.context["rows"]] == ["PORTABLE-AGNES"]
    assert "POSTE-ACCUEIL" not in response.content.decode()


def test_list_searches_filters_and_sorts(client, technician, site, other_site):
    AssetFactory(name="POSTE-ALPHA", site=site, status=AssetStatus.IN_SERVICE)
    AssetFactory(name="POSTE-BETA", site=site, status=AssetStatus.IN_REPAIR)
    AssetFactory(name="POSTE-GAMMA", site=other_site, status=AssetStatus.IN_SERVICE)
    client.force_login(technician)

    response = client.get(url("list"), {"q": "poste", "site": site.pk, "ordering": "-name"})

    assert [row.obj.name for row in response.context["rows"]] == ["POSTE-BETA", "POSTE-ALPHA"]
    content = response.content.decode()
    assert "2 résultats" in content
    # The sort header keeps the other parameters and flips the direction.
    assert f'href="?q=poste&amp;site={site.pk}&amp;ordering=name"' in content
    response = client.get(url("list"), {"status": AssetStatus.IN_REPAIR})
    assert [row.obj.name for row in response.context["rows"]] == ["POSTE-BETA"]
    assert '<span class="badge badge-in_repair">En réparation</span>' in response.content.decode()


def test_list_paginates_with_a_bounded_page_size(client, technician):
    AssetFactory.create_batch(7)
    client.force_login(technician)
    response = client.get(url("list"), {"page_size": 5, "page": 2})
    assert len(response.context["rows"]) == 2
    assert "Page 2 sur 2" in response.content.decode()
    response = client.get(url("list"), {"page_size": 5000})
    assert response.context["page_obj"].paginator.per_page == 100


def test_htmx_list_request_renders_only_the_results_partial(client, technician, colleague_asset):
    client.force_login(technician)
    response = client.get(url("list"), {"q": "ACCUEIL"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.template_name == "assets/asset_list.html#results"
    content = response.content.decode()
    assert "<html" not in content
    assert content.lstrip().startswith('<div id="results"')
    assert "POSTE-ACCUEIL" in content
    assert "HX-Request" in response["Vary"]


def test_full_list_page_wires_htmx_with_working_form(client, technician):
    client.force_login(technician)
    content = client.get(url("list")).content.decode()
    assert 'action="/fleet/assets/"' in content
    assert 'hx-get="/fleet/assets/" hx-target="#results"' in content
    assert 'hx-push-url="true"' in content
    assert 'type="search" name="q"' in content


@pytest.mark.parametrize("page_size", [5, 100])
def test_list_runs_a_fixed_number_of_queries(
    client, technician, site, django_assert_max_num_queries, page_size
):
    from regie.directory.tests.factories import DepartmentFactory, PersonFactory

    for number in range(120):
        AssetFactory(
            site=site,
            assigned_to=PersonFactory(site=site),
            department=DepartmentFactory() if number % 10 == 0 else None,
            manufacturer=ManufacturerFactory() if number % 10 == 0 else None,
        )
    client.force_login(technician)
    # session, user, count, page, and the choices of the type, site and department filters
    with django_assert_max_num_queries(7):
        response = client.get(url("list"), {"page_size": page_size})
    assert len(response.context["rows"]) == page_size


# --- the detail page -------------------------------------------------------------------------


def test_staff_sees_own_asset_but_not_a_colleagues(
    client, staff_user, owned_asset, colleague_asset
):
    client.force_login(staff_user)
    response = client.get(url("detail", owned_asset))
    assert response.status_code == 200
    content = response.content.decode()
    assert "PORTABLE-AGNES" in content
    assert url("update", owned_asset) not in content
    assert client.get(url("detail", colleague_asset)).status_code == 404


def test_correspondent_sees_own_site_asset_and_not_outside(
    client, correspondent, colleague_asset, outside_asset
):
    client.force_login(correspondent)
    response = client.get(url("detail", colleague_asset))
    assert response.status_code == 200
    assert url("update", colleague_asset) in response.content.decode()
    assert url("delete", colleague_asset) not in response.content.decode()
    response = client.get(url("detail", outside_asset))
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


def test_reader_sees_detail_without_edit_buttons(client, reader, outside_asset):
    client.force_login(reader)
    response = client.get(url("detail", outside_asset))
    assert response.status_code == 200
    content = response.content.decode()
    assert "POSTE-PISCINE" in content
    assert "Piscine de Chef-Boutonne" in content
    assert url("update", outside_asset) not in content
    assert url("delete", outside_asset) not in content
    assert ">Modifier<" not in content


@pytest.mark.parametrize("persona", ["admin_user", "technician"])
def test_managers_see_edit_and_delete_buttons(client, request, persona, outside_asset):
    client.force_login(request.getfixturevalue(persona))
    content = client.get(url("detail", outside_asset)).content.decode()
    assert f'href="{url("update", outside_asset)}"' in content
    assert f'href="{url("delete", outside_asset)}"' in content


# --- create and update -----------------------------------------------------------------------


def test_technician_creates_asset_numbered_with_history(client, technician, site):
    client.force_login(technician)
    asset_type = AssetTypeFactory()
    response = client.post(
        url("create"),
        asset_form_data(name="POSTE-COMPTA-02", asset_type=asset_type.pk, site=site.pk),
    )
    asset = Asset.objects.get(name="POSTE-COMPTA-02")
    assert response.status_code == 302
    assert response["Location"] == url("detail", asset)
    assert asset.inventory_number == f"PC-{asset.pk:06d}"
    assert asset.site == site
    assert [(r.action, r.actor) for r in history_of(asset)] == [(ChangeAction.CREATE, technician)]
    page = client.get(response["Location"]).content.decode()
    assert f"Enregistrement effectué : « PC-{asset.pk:06d} POSTE-COMPTA-02 »." in page


def test_edit_records_changes_shown_on_the_asset_page(
    client, technician, colleague_asset, other_site
):
    client.force_login(technician)
    response = client.post(
        url("update", colleague_asset),
        asset_form_data(colleague_asset, status=AssetStatus.IN_REPAIR, site=other_site.pk),
    )
    assert response.status_code == 302
    colleague_asset.refresh_from_db()
    assert colleague_asset.status == AssetStatus.IN_REPAIR
    assert colleague_asset.site == other_site
    rows = {
        r.field: (r.old_value, r.new_value, r.actor, r.source) for r in history_of(colleague_asset)
    }
    assert rows == {
        "status": ("En service", "En réparation", technician, "web"),
        "site": ("École de Melle", "Piscine de Chef-Boutonne", technician, "web"),
    }
    history = client.get(url("detail", colleague_asset) + "?tab=history").content.decode()
    history = history[history.index('id="history"') :]
    assert "Statut" in history
    assert "En service → En réparation" in history
    assert "École de Melle → Piscine de Chef-Boutonne" in history
    assert "Interface web" in history
    assert str(technician) in history


def test_correspondent_edits_own_site_asset(client, correspondent, colleague_asset):
    client.force_login(correspondent)
    assert client.get(url("update", colleague_asset)).status_code == 200
    response = client.post(
        url("update", colleague_asset), asset_form_data(colleague_asset, name="POSTE-ACCUEIL-2")
    )
    assert response.status_code == 302
    colleague_asset.refresh_from_db()
    assert colleague_asset.name == "POSTE-ACCUEIL-2"
    # A name edited by hand is locked against inventory, in the same save.
    assert colleague_asset.locked_fields == ["name"]
    assert sorted((r.field, r.actor) for r in history_of(colleague_asset)) == [
        ("locked_fields", correspondent),
        ("name", correspondent),
    ]


def test_correspondent_cannot_touch_other_site_asset(client, correspondent, outside_asset):
    client.force_login(correspondent)
    assert client.get(url("update", outside_asset)).status_code == 404
    response = client.post(url("update", outside_asset), asset_form_data(outside_asset, name="X"))
    assert response.status_code == 404
    assert client.post(url("delete", outside_asset)).status_code == 404
    outside_asset.refresh_from_db()
    assert outside_asset.name == "POSTE-PISCINE"
    assert ChangeRecord.objects.count() == 0


def test_correspondent_cannot_move_asset_to_a_site_they_do_not_manage(
    client, correspondent, colleague_asset, other_site
):
    client.force_login(correspondent)
    response = client.post(
        url("update", colleague_asset), asset_form_data(colleague_asset, site=other_site.pk)
    )
    assert response.status_code == 200
    assert response.context["form"].errors["site"] == [
        "Sélectionnez un choix valide. Ce choix ne fait pas partie de ceux disponibles."
    ]
    colleague_asset.refresh_from_db()
    assert colleague_asset.site.name == "École de Melle"


def test_correspondent_creates_asset_on_own_site_only(client, correspondent, site, other_site):
    client.force_login(correspondent)
    form = client.get(url("create")).context["form"]
    assert list(form.fields["site"].queryset) == [site]
    response = client.post(url("create"), asset_form_data(name="TBI-CM1", site=""))
    assert response.status_code == 200
    assert response.context["form"].errors["site"] == ["Ce champ est obligatoire."]
    response = client.post(url("create"), asset_form_data(name="TBI-CM1", site=site.pk))
    assert response.status_code == 302
    assert Asset.objects.get(name="TBI-CM1").site == site


def test_staff_may_not_edit_even_their_own_asset(client, staff_user, owned_asset):
    client.force_login(staff_user)
    assert client.get(url("update", owned_asset)).status_code == 403
    assert client.get(url("create")).status_code == 403
    assert client.post(url("delete", owned_asset)).status_code == 403
    assert Asset.objects.filter(pk=owned_asset.pk).exists()


@pytest.mark.parametrize("action", ["create", "update", "delete"])
def test_reader_gets_403_on_edit_pages(client, reader, outside_asset, action):
    client.force_login(reader)
    target = url(action, None if action == "create" else outside_asset)
    response = client.get(target)
    assert response.status_code == 403
    assert "Accès refusé" in response.content.decode()
    assert client.post(target, asset_form_data(outside_asset, name="X")).status_code == 403
    outside_asset.refresh_from_db()
    assert outside_asset.name == "POSTE-PISCINE"


def test_duplicate_serial_for_manufacturer_is_refused_in_french(client, technician):
    maker = ManufacturerFactory()
    AssetFactory(manufacturer=maker, serial_number="SN-123")
    other = AssetFactory(manufacturer=maker, serial_number="SN-999")
    client.force_login(technician)
    response = client.post(url("update", other), asset_form_data(other, serial_number="SN-123"))
    assert response.status_code == 200
    assert "Ce fabricant a déjà un équipement avec ce numéro de série." in response.content.decode()
    other.refresh_from_db()
    assert other.serial_number == "SN-999"
    assert ChangeRecord.objects.count() == 0


def test_duplicate_inventory_number_is_refused_in_french(client, technician):
    AssetFactory(inventory_number="PC-000001")
    client.force_login(technician)
    response = client.post(url("create"), asset_form_data(inventory_number="PC-000001", name="X"))
    assert response.status_code == 200
    assert response.context["form"].errors["inventory_number"] == [
        "Un autre équipement porte déjà ce numéro d'inventaire."
    ]
    assert (
        "Un autre équipement porte déjà ce numéro d&#x27;inventaire." in response.content.decode()
    )
    assert Asset.objects.count() == 1


# --- delete ----------------------------------------------------------------------------------


def test_technician_deletes_asset_after_confirmation(client, technician, outside_asset):
    client.force_login(technician)
    confirm = client.get(url("delete", outside_asset))
    assert confirm.status_code == 200
    assert "Voulez-vous vraiment supprimer" in confirm.content.decode()
    response = client.post(url("delete", outside_asset))
    assert response.status_code == 302
    assert response["Location"] == url("list")
    assert not Asset.objects.filter(pk=outside_asset.pk).exists()
    record = ChangeRecord.objects.get()
    assert (record.action, record.object_id, record.actor) == (
        ChangeAction.DELETE,
        outside_asset.pk,
        technician,
    )


def test_protected_asset_type_is_not_deleted_and_says_why(client, technician, outside_asset):
    client.force_login(technician)
    asset_type = outside_asset.asset_type
    response = client.post(reverse("assets:assettype-delete", args=[asset_type.pk]), follow=True)
    assert response.status_code == 200
    assert AssetType.objects.filter(pk=asset_type.pk).exists()
    assert ChangeRecord.objects.count() == 0
    assert [str(m) for m in response.context["messages"]] == [
        f"Impossible de supprimer « {asset_type} » : d'autres enregistrements en dépendent "
        f"({outside_asset})."
    ]


def test_status_filter_is_a_group_of_checkboxes_that_combine(client, technician, site):
    AssetFactory(name="EN-PANNE", status=AssetStatus.IN_REPAIR, site=site)
    AssetFactory(name="PERDU", status=AssetStatus.LOST, site=site)
    AssetFactory(name="EN-SERVICE", status=AssetStatus.IN_SERVICE, site=site)
    client.force_login(technician)
    response = client.get(reverse("assets:asset-list"), {"status": ["in_repair", "lost"]})
    content = response.content.decode()
    assert "<legend>Statut</legend>" in content
    assert 'type="checkbox" name="status" value="lost"' in content
    assert [row.obj.name for row in response.context["rows"]] == ["EN-PANNE", "PERDU"]
    assert '<option value="" selected>Tous</option>' in content
