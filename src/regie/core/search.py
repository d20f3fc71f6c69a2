"""Search that ignores accents and case, identically on SQLite and PostgreSQL.

``Q(last_name__fcontains="helene")`` finds « Hélène », and ``"Sauzé"`` finds « SAUZE ».
Both sides are *folded*: accented Latin letters become their base letter, then everything
is lower-cased. The typed text is folded in Python (``fold``); the column in SQL, by the
same table: on PostgreSQL ``lower(translate(column, 'ÀÁ…', 'aa…'))``, which needs no
extension (``unaccent`` needs a superuser), on SQLite a deterministic Python function
``regie_fold`` registered on every new connection, like the ``regie_fr`` collation.

Only one-letter-for-one-letter foldings of Latin-1's letters exist, so that ``translate``
can do them quickly: « œ » and « æ » stay as they are (typed as such, they still match).
"""

from __future__ import annotations

import unicodedata
from typing import Any

from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Q
from django.db.models.lookups import Contains
from django.db.models.sql.compiler import SQLCompiler

FUNCTION = "regie_fold"

# Letters without a decomposition that people still type without their stroke.
_EXTRA = {"ø": "o", "Ø": "o"}


def _table() -> dict[str, str]:
    table: dict[str, str] = {}
    # Latin-1's letters (French, and the other Western European languages' names) only:
    # PostgreSQL's translate() takes time in proportion to the table's length.
    for code in range(0x00C0, 0x0100):
        char = chr(code)
        decomposed = unicodedata.normalize("NFKD", char)
        base, rest = decomposed[0], decomposed[1:]
        if base.isascii() and base.isalpha() and rest and all(map(unicodedata.combining, rest)):
            table[char] = base.lower()
    for char, base in _EXTRA.items():
        table[char] = base
    return table


_FOLDS = _table()
FOLD_FROM = "".join(_FOLDS)
FOLD_TO = "".join(_FOLDS.values())
_TRANSLATION = str.maketrans(FOLD_FROM, FOLD_TO)


def fold(text: str) -> str:
    """``text`` without accents and in lower case, as the databases fold their columns."""
    return text.translate(_TRANSLATION).lower()


def _fold_or_none(text: str | None) -> str | None:
    return None if text is None else fold(str(text))


def register_sqlite_fold(sender: Any, connection: Any, **kwargs: Any) -> None:
    """``connection_created`` receiver: teach each new SQLite connection ``regie_fold``."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(FUNCTION, 1, _fold_or_none, deterministic=True)


class Fold(models.Func):
    """A text expression folded (no accents, lower case) in the database."""

    function = FUNCTION
    arity = 1
    output_field = models.TextField()

    def as_postgresql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any
    ) -> tuple[str, list[Any]]:
        sql, params = compiler.compile(self.source_expressions[0])
        text = f"({sql})::text"
        # translate() compares each letter with the whole table (~30 µs a name): text
        # that is pure ASCII (as many bytes as letters, most serials and host names) only
        # needs lower(), which keeps a 10,000-row scan near a plain ILIKE's speed.
        return (
            f"CASE WHEN octet_length({text}) = length({text}) THEN lower({text}) "
            f"ELSE lower(translate({text}, %s, %s)) END",
            [*params, *params, *params, *params, FOLD_FROM, FOLD_TO],
        )


class FoldedContains(Contains):
    """``field__fcontains=text``: ``text`` appears in the field, accents and case ignored.

    A ``contains`` of the folded column and the folded text: it keeps ``contains``'s name,
    which the backends use to pick the SQL operator and escape ``%`` and ``_``.
    """

    def __init__(self, lhs: Any, rhs: Any) -> None:
        if isinstance(rhs, str):
            rhs = fold(rhs)
        super().__init__(Fold(lhs), rhs)


models.CharField.register_lookup(FoldedContains, lookup_name="fcontains")
models.TextField.register_lookup(FoldedContains, lookup_name="fcontains")


def words(term: str, *, limit: int = 10, length: int = 100) -> list[str]:
    """The words of a typed search, bounded so that a pasted page cannot make a huge query."""
    return [word[:length] for word in term.split()[:limit]]


def any_field(fields: list[str], word: str) -> Q:
    """``word`` appears in one of ``fields`` (accents and case ignored)."""
    query = Q()
    for field in fields:
        query |= Q(**{f"{field}__fcontains": word})
    return query


def search_all_words(fields: list[str], term: str) -> Q:
    """Every word of ``term`` appears in one of ``fields``: the list searches' rule."""
    query = Q()
    for word in words(term):
        query &= any_field(fields, word)
    return query
