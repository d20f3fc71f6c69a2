"""Writes on the fleet."""

from __future__ import annotations

import uuid

from regie.assets.models import Asset
from regie.core.history import save_with_history
from regie.core.models import ChangeSource, User

_PLACEHOLDER = "~"


def _hold_number(asset: Asset) -> None:
    # The inventory number is unique, so a new asset holds a unique placeholder until its
    # primary key, from which the real number derives, is known.
    if asset.inventory_number:
        return
    if asset._state.adding:
        asset.inventory_number = _PLACEHOLDER + uuid.uuid4().hex[:24]
    else:
        asset.inventory_number = f"{asset.asset_type.prefix}-{asset.pk:06d}"


def _number_new_asset(asset: Asset) -> None:
    if asset.inventory_number.startswith(_PLACEHOLDER):
        asset.inventory_number = f"{asset.asset_type.prefix}-{asset.pk:06d}"
        asset.save(update_fields=["inventory_number"])


def save_asset(*, asset: Asset, by: User | None, source: str = ChangeSource.WEB) -> Asset:
    """Create or update an asset, numbering it when new and recording every change."""
    return save_with_history(
        instance=asset,
        by=by,
        source=source,
        before_save=_hold_number,
        after_insert=_number_new_asset,
    )
