"""Every reference resource of the API answers each role as its policy says."""

import pytest
from rest_framework.test import APIClient

from regie.api.tests.clients import bearer_client
from regie.assets.tests.factories import (
    AssetModelFactory,
    AssetTypeFactory,
    ContractFactory,
    ManufacturerFactory,
    SupplierFactory,
)
from regie.core.history import history_of
from regie.directory.tests.factories import DepartmentFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

# resource path → (factory, whether correspondents may read single entries)
RESOURCES = {
    "organisations": (OrganisationFactory, False),
    "departments": (DepartmentFactory, False),
    "suppliers": (SupplierFactory, False),
    "contracts": (ContractFactory, False),
    "asset-types": (AssetTypeFactory, True),
    "manufacturers": (ManufacturerFactory, True),
    "asset-models": (AssetModelFactory, True),
}


def answers(client, resource, obj):
    base = f"/api/v1/{resource}/"
    item = f"{base}{obj.pk}/"
    return {
        "list": client.get(base).status_code,
        "read": client.get(item).status_code,
        "create": client.post(base, {}, format="json").status_code,
        "change": client.patch(item, {}, format="json").status_code,
        "delete": client.delete(item).status_code,
    }


@pytest.mark.parametrize("resource", RESOURCES)
def test_reader_reads_and_changes_nothing(reader, resource):
    factory, _ = RESOURCES[resource]
    obj = factory()
    assert answers(bearer_client(reader), resource, obj) == {
        "list": 200,
        "read": 200,
        "create": 403,
        "change": 403,
        "delete": 403,
    }
    assert type(obj).objects.filter(pk=obj.pk).exists()
    assert history_of(obj).count() == 0


@pytest.mark.parametrize("resource", RESOURCES)
@pytest.mark.parametrize("persona", ["correspondent", "staff_user"])
def test_correspondents_and_staff_get_no_reference_lists(request, persona, resource):
    factory, correspondents_read = RESOURCES[resource]
    obj = factory()
    reads = persona == "correspondent" and correspondents_read
    assert answers(bearer_client(request.getfixturevalue(persona)), resource, obj) == {
        "list": 403,
        "read": 200 if reads else 404,
        "create": 403,
        "change": 403 if reads else 404,
        "delete": 403 if reads else 404,
    }
    assert type(obj).objects.filter(pk=obj.pk).exists()


@pytest.mark.parametrize("resource", RESOURCES)
def test_without_a_token_everything_is_401(resource):
    factory, _ = RESOURCES[resource]
    obj = factory()
    assert set(answers(APIClient(), resource, obj).values()) == {401}
    assert type(obj).objects.filter(pk=obj.pk).exists()
