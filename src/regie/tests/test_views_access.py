"""Every model's pages answer each role as its policy says (403 forbidden, 404 invisible)."""

import pytest
from django.urls import reverse

from regie.assets.tests.factories import (
    AssetModelFactory,
    AssetTypeFactory,
    ContractFactory,
    ManufacturerFactory,
    SupplierFactory,
)
from regie.core.models import ChangeRecord
from regie.directory.models import Room
from regie.directory.tests.factories import DepartmentFactory, OrganisationFactory, RoomFactory

pytestmark = pytest.mark.django_db

REFERENCE = {
    "directory:organisation": OrganisationFactory,
    "directory:department": DepartmentFactory,
    "assets:supplier": SupplierFactory,
    "assets:contract": ContractFactory,
}
CATALOGUE = {
    "assets:assettype": AssetTypeFactory,
    "assets:manufacturer": ManufacturerFactory,
    "assets:model": AssetModelFactory,
}


def urls(prefix, obj):
    return {
        "list": reverse(f"{prefix}-list"),
        "create": reverse(f"{prefix}-create"),
        "detail": reverse(f"{prefix}-detail", args=[obj.pk]),
        "update": reverse(f"{prefix}-update", args=[obj.pk]),
        "delete": reverse(f"{prefix}-delete", args=[obj.pk]),
    }


def statuses(client, prefix, obj):
    return {action: client.get(url).status_code for action, url in urls(prefix, obj).items()}


@pytest.mark.parametrize("prefix", [*REFERENCE, *CATALOGUE])
def test_technician_opens_every_page(client, technician, prefix):
    obj = {**REFERENCE, **CATALOGUE}[prefix]()
    client.force_login(technician)
    assert statuses(client, prefix, obj) == dict.fromkeys(
        ["list", "create", "detail", "update", "delete"], 200
    )


@pytest.mark.parametrize("prefix", [*REFERENCE, *CATALOGUE])
def test_reader_reads_but_may_not_change(client, reader, prefix):
    obj = {**REFERENCE, **CATALOGUE}[prefix]()
    client.force_login(reader)
    assert statuses(client, prefix, obj) == {
        "list": 200,
        "create": 403,
        "detail": 200,
        "update": 403,
        "delete": 403,
    }
    assert client.post(urls(prefix, obj)["delete"]).status_code == 403
    assert type(obj).objects.filter(pk=obj.pk).exists()


@pytest.mark.parametrize("prefix", list(REFERENCE))
@pytest.mark.parametrize("persona", ["correspondent", "staff_user"])
def test_correspondents_and_staff_see_no_reference_data(client, request, persona, prefix):
    obj = REFERENCE[prefix]()
    client.force_login(request.getfixturevalue(persona))
    assert statuses(client, prefix, obj) == {
        "list": 403,
        "create": 403,
        "detail": 404,
        "update": 404,
        "delete": 404,
    }


@pytest.mark.parametrize("prefix", list(CATALOGUE))
def test_correspondent_reads_the_catalogue_without_changing_it(client, correspondent, prefix):
    obj = CATALOGUE[prefix]()
    client.force_login(correspondent)
    assert statuses(client, prefix, obj) == {
        "list": 403,
        "create": 403,
        "detail": 200,
        "update": 403,
        "delete": 403,
    }


def test_correspondent_adds_a_room_from_their_site_page(client, correspondent, site, other_site):
    client.force_login(correspondent)
    site_page = client.get(reverse("directory:site-detail", args=[site.pk])).content.decode()
    create_url = reverse("directory:room-create") + f"?site={site.pk}"
    assert f'href="{create_url}"' in site_page
    form = client.get(create_url).context["form"]
    assert form.initial == {"site": str(site.pk)}
    assert list(form.fields["site"].queryset) == [site]
    response = client.post(create_url, {"site": site.pk, "name": "Salle des maîtres"})
    room = Room.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("directory:room-detail", args=[room.pk])
    assert (room.site, room.name) == (site, "Salle des maîtres")
    assert ChangeRecord.objects.get().object_id == room.pk
    other_room = RoomFactory(site=other_site)
    assert client.get(reverse("directory:room-detail", args=[other_room.pk])).status_code == 404
    response = client.post(create_url, {"site": other_site.pk, "name": "Local technique"})
    assert response.status_code == 200
    assert Room.objects.count() == 2


def test_asset_list_keeps_hidden_filters_when_refining(client, technician, staff_user):
    person = staff_user.person
    client.force_login(technician)
    content = client.get(reverse("assets:asset-list"), {"assigned_to": person.pk}).content.decode()
    assert f'<input type="hidden" name="assigned_to" value="{person.pk}">' in content
