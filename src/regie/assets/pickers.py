"""The fleet's searchable picker: assets (see core.pickers)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from regie.assets.models import Asset
from regie.assets.querysets import AssetQuerySet
from regie.core.pickers import PickerKind, register_picker


def _search(rows: QuerySet[Any], term: str) -> QuerySet[Any]:
    assert isinstance(rows, AssetQuerySet)  # noqa: S101  # the assets' manager's
    return rows.search(term)


def register() -> None:
    register_picker(
        PickerKind(
            name="assets",
            model=Asset,
            queryset=lambda: Asset.objects.order_by("inventory_number"),
            # The fleet list's search: number, name, serial, holder, site, make and model.
            search=_search,
            # In a form with a site (an intervention, a ticket), the site's equipment.
            depends_on={"site": "site"},
        )
    )
