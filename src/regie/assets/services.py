"""Writes on the fleet."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import transaction

from regie.assets.models import Asset
from regie.core.history import save_with_history
from regie.core.models import ChangeSource, User

_PLACEHOLDER = "~"

# The asset fields an inventory report writes (see ``regie.inventory.applying``): a person
# who changes one of them locks it, so the next report does not undo the correction.
INVENTORY_FIELDS = ("name", "serial_number", "hardware_uuid", "manufacturer", "model")
_COLUMNS = {name: name for name in INVENTORY_FIELDS} | {
    "manufacturer": "manufacturer_id",
    "model": "model_id",
}
# People write through the web pages and the API; agents and the system never lock.
_HAND_SOURCES = {ChangeSource.WEB, ChangeSource.API}


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


def _lock_hand_edits(asset: Asset) -> None:
    """Add to ``asset.locked_fields`` the inventory fields that differ from the stored row."""
    if asset._state.adding or asset.pk is None:
        return
    columns = [_COLUMNS[name] for name in INVENTORY_FIELDS]
    stored: dict[str, Any] | None = Asset._base_manager.filter(pk=asset.pk).values(*columns).first()
    if stored is None:
        return
    edited = [
        name
        for name, column in zip(INVENTORY_FIELDS, columns, strict=True)
        if stored[column] != getattr(asset, column)
    ]
    locked = list(asset.locked_fields)
    new = [name for name in edited if name not in locked]
    if new:
        asset.locked_fields = [*locked, *new]


def save_asset(*, asset: Asset, by: User | None, source: str = ChangeSource.WEB) -> Asset:
    """Create or update an asset, numbering it when new and recording every change.

    When a person (web or API) changes a field the inventory writes, that field is added to
    ``asset.locked_fields`` in the same save, so agents no longer overwrite it.
    """

    def before_save(instance: Asset) -> None:
        _hold_number(instance)
        if source in _HAND_SOURCES:
            _lock_hand_edits(instance)

    return save_with_history(
        instance=asset,
        by=by,
        source=source,
        before_save=before_save,
        after_insert=_number_new_asset,
    )


def unlock_asset_field(
    *, asset: Asset, field: str, by: User | None, source: str = ChangeSource.WEB
) -> Asset:
    """Let the inventory write ``field`` again; the history records the unlocking.

    Unlocking a field that is not locked changes nothing.
    """
    with transaction.atomic():
        if field not in asset.locked_fields:
            return asset
        asset.locked_fields = [name for name in asset.locked_fields if name != field]
        return save_with_history(instance=asset, by=by, source=source)
