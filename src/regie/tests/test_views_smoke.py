"""Every page of the interface renders for an administrator, with no external asset URL."""

import re

import pytest
from django.urls import reverse

from regie.assets.tests.factories import (
    AssetFactory,
    AssetModelFactory,
    AssetTypeFactory,
    ContractFactory,
    ManufacturerFactory,
)
from regie.directory.tests.factories import (
    DepartmentFactory,
    OrganisationFactory,
    PersonFactory,
    RoomFactory,
    SiteFactory,
)

EXTERNAL_ASSET = re.compile(r"""(?:src|href)=["']https?://""")


@pytest.fixture
def every_kind(db):
    site = SiteFactory(hours_mon="08:30-12:00, 13:30-17:00")
    person = PersonFactory(site=site, department=DepartmentFactory())
    contract = ContractFactory()
    asset = AssetFactory(
        site=site, assigned_to=person, supplier=contract.supplier, contract=contract
    )
    return {
        "directory:organisation": OrganisationFactory().pk,
        "directory:site": site.pk,
        "directory:room": RoomFactory(site=site).pk,
        "directory:department": person.department.pk,
        "directory:person": person.pk,
        "assets:asset": asset.pk,
        "assets:assettype": AssetTypeFactory().pk,
        "assets:manufacturer": ManufacturerFactory().pk,
        "assets:model": AssetModelFactory().pk,
        "assets:supplier": contract.supplier.pk,
        "assets:contract": contract.pk,
    }


def test_every_page_renders_for_admin_without_external_assets(client, admin_user, every_kind):
    client.force_login(admin_user)
    urls = [reverse("home"), reverse("login")]
    for prefix, pk in every_kind.items():
        urls += [reverse(f"{prefix}-list"), reverse(f"{prefix}-create")]
        urls += [
            reverse(f"{prefix}-{action}", args=[pk]) for action in ("detail", "update", "delete")
        ]
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 302), url
        if response.status_code == 200:
            content = response.content.decode()
            assert not EXTERNAL_ASSET.search(content), url
            assert "<html" in content, url
