"""French alphabetical order for names: « École » between « Déchèterie » and « Piscine ».

Both databases sort with a collation named ``regie_fr``: on PostgreSQL an ICU collation
created by a migration, on SQLite a Python function registered on every new connection
(SQLite's own order is by byte, which puts every accented capital after Z). Only
human-readable names use it; codes and numbers keep the plain, indexable order.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from django.db.models import F
from django.db.models.expressions import OrderBy
from django.db.models.functions import Collate

COLLATION = "regie_fr"


def french_key(text: str) -> tuple[str, str]:
    """Letters without accents and case first; the original text breaks ties."""
    decomposed = unicodedata.normalize("NFKD", text)
    base = "".join(char for char in decomposed if not unicodedata.combining(char))
    return base.casefold(), text


def _compare(left: str, right: str) -> int:
    a, b = french_key(left), french_key(right)
    return (a > b) - (a < b)


def register_sqlite_collation(sender: Any, connection: Any, **kwargs: Any) -> None:
    """``connection_created`` receiver: teach each new SQLite connection ``regie_fr``."""
    if connection.vendor == "sqlite":
        connection.connection.create_collation(COLLATION, _compare)


def collated(field: str, *, descending: bool = False) -> OrderBy:
    """An ``order_by`` term sorting ``field`` in French order."""
    expression = Collate(F(field), COLLATION)
    return expression.desc() if descending else expression.asc()
