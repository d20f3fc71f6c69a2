"""Reusable reads for the fleet."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import connections, models
from django.db.models import Q
from django.db.models.expressions import RawSQL

if TYPE_CHECKING:
    from regie.assets.models import Asset  # noqa: F401  # named in QuerySet["Asset"]

# The trigram index (migration 0004, SQLite) answers substring questions of 3+ characters.
_TRIGRAM_MIN_LENGTH = 3
_INDEXED_SEARCH = "SELECT rowid FROM assets_asset_search WHERE assets_asset_search MATCH %s"  # noqa: S608  # constant text; the word is a parameter


def _phrase(word: str) -> str:
    """An FTS5 string literal matching ``word`` as a substring, quotes escaped."""
    return '"' + word.replace('"', '""') + '"'


class AssetQuerySet(models.QuerySet["Asset"]):
    def for_list(self) -> AssetQuerySet:
        """Everything a list row shows, in one query."""
        return self.select_related(
            "asset_type", "manufacturer", "model", "site", "assigned_to", "department"
        )

    def search(self, term: str) -> AssetQuerySet:
        """Free text: every word must match the number, name, serial, UUID or the user."""
        from regie.directory.models import Person

        indexed = connections[self.db].vendor == "sqlite"
        query = Q()
        for word in term.split():
            holder = Q(
                assigned_to__in=Person.objects.filter(
                    Q(last_name__icontains=word) | Q(first_name__icontains=word)
                )
            )
            if indexed and len(word) >= _TRIGRAM_MIN_LENGTH:
                query &= Q(id__in=RawSQL(_INDEXED_SEARCH, (_phrase(word),))) | holder  # noqa: S611  # constant SQL, word passed as a parameter
            else:
                query &= (
                    Q(inventory_number__icontains=word)
                    | Q(name__icontains=word)
                    | Q(serial_number__icontains=word)
                    | Q(hardware_uuid__icontains=word)
                    | holder
                )
        return self.filter(query)
