"""Reusable reads for the fleet."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q

if TYPE_CHECKING:
    pass


class AssetQuerySet(models.QuerySet["Asset"]):
    def for_list(self) -> AssetQuerySet:
        """Everything a list row shows, in one query."""
        return self.select_related(
            "asset_type", "manufacturer", "model", "site", "assigned_to", "department"
        )

    def search(self, term: str) -> AssetQuerySet:
        """Free text: every word must match the number, name, serial, UUID or the user."""
        query = Q()
        for word in term.split():
            query &= (
                Q(inventory_number__icontains=word)
                | Q(name__icontains=word)
                | Q(serial_number__icontains=word)
                | Q(hardware_uuid__icontains=word)
                | Q(assigned_to__last_name__icontains=word)
                | Q(assigned_to__first_name__icontains=word)
            )
        return self.filter(query)
