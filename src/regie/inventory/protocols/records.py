"""A uniform, read-only view of one agent record (a JSON object or an XML element).

GLPI Agent JSON and FusionInventory XML carry the same data, JSON in lower case and XML in
upper case; OCS XML is similar with other names. Reading both through ``Record`` with
lower-case keys lets the section builders say "field ``ssn``" once.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Mapping
from typing import Any, TypeVar

T = TypeVar("T")

_EMPTY: Mapping[str, Any] = {}


class Record:
    __slots__ = ("_fields",)

    def __init__(self, fields: Mapping[str, Any]) -> None:
        self._fields = fields

    def get(self, *keys: str) -> object:
        """The first present, non-empty value among ``keys`` (aliases), else None."""
        for key in keys:
            value = self._fields.get(key)
            if value is not None and value != "":
                return value
        return None

    def child(self, key: str) -> Record:
        value = self._fields.get(key)
        return Record(value) if isinstance(value, Mapping) else Record(_EMPTY)

    def __contains__(self, key: str) -> bool:
        return key in self._fields


def records(value: object) -> Iterator[Record]:
    """The records of a section: agents send one object or a list of them."""
    if isinstance(value, Mapping):
        yield Record(value)
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, Mapping):
                yield Record(item)


def first_record(value: object) -> Record:
    return next(records(value), Record(_EMPTY))


def build_each(value: object, build: Callable[[Record], T | None]) -> tuple[T, ...]:
    """``build`` applied to each record of a section, the records it rejects left out."""
    built = (build(record) for record in records(value))
    return tuple(item for item in built if item is not None)


def element_fields(element: Any) -> dict[str, Any]:
    """An lxml element's children as a lower-case dict; repeated children become lists.

    Leaves map to their text, elements with children to a nested dict (e.g. TIMEZONE).
    Recursion is bounded by libxml2's depth limit (``huge_tree=False``).
    """
    fields: dict[str, Any] = {}
    for child in element:
        tag = child.tag
        if not isinstance(tag, str):  # an entity reference or other non-element node
            continue
        key = _lower_tag(tag)
        value: Any = element_fields(child) if len(child) else (child.text or "")
        previous = fields.get(key)
        if previous is None:
            fields[key] = value
        elif isinstance(previous, list):
            previous.append(value)
        else:
            fields[key] = [previous, value]
    return fields


@functools.lru_cache(maxsize=1024)
def _lower_tag(tag: str) -> str:
    return tag.lower()
