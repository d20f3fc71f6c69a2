import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from regie.assets.models import Asset
from regie.assets.permissions import asset_policy
from regie.core.permissions import Action


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("admin_user", {"PORTABLE-AGNES", "POSTE-ACCUEIL", "POSTE-PISCINE"}),
        ("technician", {"PORTABLE-AGNES", "POSTE-ACCUEIL", "POSTE-PISCINE"}),
        ("reader", {"PORTABLE-AGNES", "POSTE-ACCUEIL", "POSTE-PISCINE"}),
        ("correspondent", {"PORTABLE-AGNES", "POSTE-ACCUEIL"}),
        ("staff_user", {"PORTABLE-AGNES"}),
    ],
)
def test_visible_assets_follow_the_role(
    request, persona, expected, owned_asset, colleague_asset, outside_asset
):
    user = request.getfixturevalue(persona)
    names = set(asset_policy.visible(user).values_list("name", flat=True))
    assert names == expected


def test_anonymous_sees_no_asset(owned_asset):
    from django.contrib.auth.models import AnonymousUser

    assert asset_policy.visible(AnonymousUser()).count() == 0
    assert Asset.objects.count() == 1


def test_staff_cannot_change_own_asset_and_cannot_see_colleagues(
    staff_user, owned_asset, colleague_asset
):
    assert asset_policy.get_for_user(staff_user, owned_asset.pk) == owned_asset
    with pytest.raises(PermissionDenied):
        asset_policy.get_for_user(staff_user, owned_asset.pk, Action.CHANGE)
    with pytest.raises(Http404):
        asset_policy.get_for_user(staff_user, colleague_asset.pk)


def test_correspondent_changes_own_site_assets_only(correspondent, colleague_asset, outside_asset):
    assert asset_policy.get_for_user(correspondent, colleague_asset.pk, Action.CHANGE)
    with pytest.raises(Http404):
        asset_policy.get_for_user(correspondent, outside_asset.pk, Action.VIEW)
    with pytest.raises(PermissionDenied):
        asset_policy.get_for_user(correspondent, colleague_asset.pk, Action.DELETE)


def test_reader_cannot_change(reader, outside_asset):
    with pytest.raises(PermissionDenied):
        asset_policy.get_for_user(reader, outside_asset.pk, Action.CHANGE)


@pytest.mark.parametrize("bad_pk", ["abc", None, 10**12])
def test_unknown_or_malformed_id_is_404(technician, bad_pk):
    with pytest.raises(Http404):
        asset_policy.get_for_user(technician, bad_pk)
