"""Reusable reads for the fleet."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import connections, models
from django.db.models import Q
from django.db.models.expressions import RawSQL

from regie.core.search import any_field, fold, words

if TYPE_CHECKING:
    from regie.assets.models import Asset  # noqa: F401  # named in QuerySet["Asset"]

# The trigram index (migrations 0004 and 0010, SQLite) answers substring questions of 3+
# characters; it holds the folded text (see core.search), so the typed word is folded too.
_TRIGRAM_MIN_LENGTH = 3
_INDEXED_SEARCH = "SELECT rowid FROM assets_asset_search WHERE assets_asset_search MATCH %s"  # noqa: S608  # constant text; the word is a parameter
_OWN_FIELDS = ["inventory_number", "name", "serial_number", "hardware_uuid"]


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
        """Free text, accents and case ignored: every word must match the number, name,
        serial or UUID, the person it is assigned to, its site (name, city or commune), its
        manufacturer or model (the type has its own filter).

        The related rows are few (people, sites, models): each is a small subquery, so the
        asset table is read once, through the trigram index on SQLite.
        """
        from regie.assets.models import AssetModel, Manufacturer
        from regie.directory.models import Organisation, Person, Site

        indexed = connections[self.db].vendor == "sqlite"
        query = Q()
        for word in words(term):
            if indexed and len(word) >= _TRIGRAM_MIN_LENGTH:
                own = Q(id__in=RawSQL(_INDEXED_SEARCH, (_phrase(fold(word)),)))  # noqa: S611  # constant SQL, word passed as a parameter
            else:
                own = any_field(_OWN_FIELDS, word)
            communes = Organisation.objects.filter(name__fcontains=word)
            sites = Site.objects.filter(
                any_field(["name", "city"], word) | Q(organisation__in=communes)
            )
            query &= (
                own
                | Q(
                    assigned_to__in=Person.objects.filter(
                        any_field(["first_name", "last_name"], word)
                    )
                )
                | Q(site__in=sites)
                | Q(manufacturer__in=Manufacturer.objects.filter(name__fcontains=word))
                | Q(model__in=AssetModel.objects.filter(name__fcontains=word))
            )
        return self.filter(query)
