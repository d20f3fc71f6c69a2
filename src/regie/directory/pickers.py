"""The directory's searchable pickers: people, sites and rooms (see core.pickers)."""

from __future__ import annotations

from regie.core.pickers import PickerKind, register_picker
from regie.directory.models import Person, Room, Site


def register() -> None:
    register_picker(
        PickerKind(
            name="people",
            model=Person,
            search_fields=("first_name", "last_name", "email"),
            queryset=lambda: Person.objects.filter(active=True),
        )
    )
    register_picker(
        PickerKind(
            name="sites",
            model=Site,
            search_fields=("name", "city", "organisation__name"),
        )
    )
    register_picker(
        PickerKind(
            name="rooms",
            model=Room,
            search_fields=("name", "site__name"),
            select_related=("site",),
            depends_on={"site": "site"},
        )
    )
