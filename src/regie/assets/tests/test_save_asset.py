import pytest

from regie.assets.models import Asset, AssetStatus
from regie.assets.services import save_asset
from regie.assets.tests.factories import AssetTypeFactory
from regie.core.history import history_of
from regie.core.models import ChangeAction, ChangeSource


@pytest.mark.django_db
def test_new_asset_gets_number_from_its_type_and_a_creation_record(technician, site):
    asset = save_asset(
        asset=Asset(name="POSTE-COMPTA-01", asset_type=AssetTypeFactory(), site=site),
        by=technician,
    )
    asset.refresh_from_db()
    assert asset.inventory_number == f"PC-{asset.pk:06d}"
    records = list(history_of(asset))
    assert [(r.action, r.actor, r.object_repr) for r in records] == [
        (ChangeAction.CREATE, technician, f"PC-{asset.pk:06d} POSTE-COMPTA-01")
    ]


def test_update_records_each_changed_field_with_labels(technician, colleague_asset, other_site):
    colleague_asset.status = AssetStatus.IN_REPAIR
    colleague_asset.site = other_site
    save_asset(asset=colleague_asset, by=technician, source=ChangeSource.API)
    rows = {
        r.field: (r.old_value, r.new_value, r.source, r.actor) for r in history_of(colleague_asset)
    }
    assert rows == {
        "status": ("En service", "En réparation", "api", technician),
        "site": ("École de Melle", "Piscine de Chef-Boutonne", "api", technician),
    }


def test_saving_unchanged_asset_records_nothing(technician, colleague_asset):
    save_asset(asset=colleague_asset, by=technician)
    assert history_of(colleague_asset).count() == 0


def test_explicit_inventory_number_is_kept(technician):
    asset = save_asset(
        asset=Asset(inventory_number="ANCIEN-42", name="X", asset_type=AssetTypeFactory()),
        by=technician,
    )
    asset.refresh_from_db()
    assert asset.inventory_number == "ANCIEN-42"
