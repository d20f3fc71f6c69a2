"""insert_rows: the fast path writes exactly what the ORM would have written."""

import datetime as dt

import pytest
import time_machine

from regie.assets.models import Software, SoftwareInstallation, SoftwareVersion
from regie.assets.tests.factories import AssetFactory
from regie.core.database import insert_rows
from regie.directory.models import Site


@pytest.mark.django_db
def test_rows_read_back_as_the_orm_would_store_them():
    asset = AssetFactory()
    program = Software.objects.create(name="Firefox", normalized_name="firefox")
    versions = [SoftwareVersion.objects.create(software=program, version=v) for v in ("1", "2")]
    moment = dt.datetime(2026, 11, 30, 9, 15, 30, 123456, tzinfo=dt.UTC)

    with time_machine.travel(moment, tick=False):
        count = insert_rows(
            SoftwareInstallation,
            ("asset", "version", "install_date"),
            [(asset.pk, versions[0].pk, dt.date(2024, 2, 29)), (asset.pk, versions[1].pk, None)],
        )

    assert count == 2
    rows = list(SoftwareInstallation.objects.order_by("version__version"))
    assert [(r.asset, r.version, r.install_date) for r in rows] == [
        (asset, versions[0], dt.date(2024, 2, 29)),
        (asset, versions[1], None),
    ]
    assert {(r.created_at, r.updated_at) for r in rows} == {(moment, moment)}
    # Read back through the ORM's own filters: the stored format is the ORM's.
    assert SoftwareInstallation.objects.filter(created_at=moment).count() == 2
    assert SoftwareInstallation.objects.filter(install_date__year=2024).count() == 1


@pytest.mark.django_db
def test_nothing_to_insert_runs_nothing():
    assert insert_rows(SoftwareInstallation, ("asset", "version"), []) == 0


@pytest.mark.django_db
def test_text_is_bound_not_spliced():
    program = Software.objects.create(name="Firefox", normalized_name="firefox")
    hostile = "x'); DROP TABLE directory_site; --"
    insert_rows(
        SoftwareVersion, ("software", "version", "architecture"), [(program.pk, hostile, "")]
    )
    assert SoftwareVersion.objects.get().version == hostile
    assert Site.objects.count() == 0  # the table is still there


@pytest.mark.django_db
def test_wrong_shapes_are_refused():
    with pytest.raises(ValueError, match="values for"):
        insert_rows(SoftwareInstallation, ("asset", "version"), [(1,)])
    with pytest.raises(ValueError, match="not all columns"):
        insert_rows(SoftwareVersion, ("software", "installations"), [(1, 2)])
