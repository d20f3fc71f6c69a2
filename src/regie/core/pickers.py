"""Searchable pickers: a select of many rows (people, assets, rooms) that can be searched.

The form renders a plain ``<select>`` holding every choice the user may pick, so the form
works without JavaScript. ``regie/picker.js`` turns it into a combobox (a text input and a
list box) that asks ``/choices/<kind>/?q=…&page=…`` for the matching rows, twenty at a time, and
keeps the select in step. The endpoint offers what the model's ``Policy`` lets the user
see, as the form's own choices do, and searches like the lists (accents and case ignored).
Its query string is checked by :func:`choices_query_form`: a malformed one is a 400.

Each app registers the kinds of its models when it starts (``register_picker``); every
``PolicyModelForm`` then shows its relation fields to those models as pickers.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.db.models import Model, QuerySet
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _

from regie.core.permissions import AnyUser, restrict_choices
from regie.core.search import search_all_words

PAGE_SIZE = 20
# The endpoint pages through at most this many pages (20,000 rows): the picker asks for more
# letters long before.
MAX_PAGE = 1000
# Longer than anything a person types in a search box.
MAX_TERM_LENGTH = 200
# The largest id a database's big integer holds.
MAX_ID = 2**63 - 1


@dataclass(frozen=True)
class PickerKind:
    """The rows one picker offers, how they are searched and narrowed."""

    name: str
    model: type[Model]
    search_fields: tuple[str, ...] = ()
    queryset: Callable[[], QuerySet[Any]] | None = None
    # What a row's label reads (a room is named with its site): fetched with the rows.
    select_related: tuple[str, ...] = ()
    # A model whose QuerySet has its own search (the lists'): used instead of the fields.
    search: Callable[[QuerySet[Any], str], QuerySet[Any]] | None = None
    # A query parameter naming another field of the form → the lookup it narrows, e.g. the
    # rooms of the chosen site: {"site": "site"}.
    depends_on: Mapping[str, str] = field(default_factory=dict)

    def rows(self, user: AnyUser, term: str, narrow: Mapping[str, int | None]) -> QuerySet[Any]:
        """The rows ``user`` may choose matching ``term``, narrowed by the ids ``narrow``
        gives for the parameters of ``depends_on`` (``None``: not narrowed)."""
        base = self.queryset() if self.queryset else self.model._default_manager.all()
        base = base.select_related(*self.select_related) if self.select_related else base
        rows: QuerySet[Any] = restrict_choices(base, user)
        for parameter, lookup in self.depends_on.items():
            if narrow.get(parameter) is not None:
                rows = rows.filter(**{lookup: narrow[parameter]})
        if term and self.search is not None:
            rows = self.search(rows, term)
        elif term:
            rows = rows.filter(search_all_words(list(self.search_fields), term))
        return rows


_KINDS: dict[str, PickerKind] = {}


class ChoicesQueryForm(forms.Form):
    """The query string of ``/choices/<kind>/``: a search term and a page."""

    q = forms.CharField(required=False, max_length=MAX_TERM_LENGTH)
    page = forms.IntegerField(required=False, min_value=1, max_value=MAX_PAGE)


def choices_query_form(kind: PickerKind, data: Mapping[str, Any]) -> ChoicesQueryForm:
    """The form checking ``data`` for ``kind``, with an optional id field per parameter of
    its ``depends_on`` (``?site=12``)."""
    form = ChoicesQueryForm(data)
    for parameter in kind.depends_on:
        form.fields[parameter] = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    return form


def register_picker(kind: PickerKind) -> PickerKind:
    _KINDS[kind.name] = kind
    return kind


def picker_kind(name: str) -> PickerKind | None:
    return _KINDS.get(name)


def picker_kinds() -> list[str]:
    return sorted(_KINDS)


def kind_for_model(model: type[Model]) -> PickerKind | None:
    return next((kind for kind in _KINDS.values() if kind.model is model), None)


class PickerSelect(forms.Select):
    """A select marked for ``picker.js``, which it loads; its rows come from the ``kind``'s
    endpoint, narrowed by the form's fields ``depends_on``."""

    template_name = "core/widgets/picker.html"

    def __init__(
        self, *, kind: str, depends_on: tuple[str, ...] = (), attrs: dict[str, Any] | None = None
    ) -> None:
        super().__init__(attrs)
        self.kind = kind
        self.depends_on = depends_on

    def picker_attrs(self) -> dict[str, str]:
        attrs = {
            "data-picker": reverse(f"choices-{self.kind}"),
            "data-picker-placeholder": str(_("Type to search…")),
            "data-picker-empty": str(_("No match.")),
            "data-picker-more": str(_("More matches: type more letters.")),
            "data-picker-count": str(_("%s matches")),
            "data-picker-remove": str(_("Remove")),
        }
        if self.depends_on:
            attrs["data-picker-depends"] = " ".join(self.depends_on)
        return attrs

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, {**(attrs or {}), **self.picker_attrs()})
        context["widget"]["picker_script"] = static("regie/picker.js")
        return context


class PickerSelectMultiple(PickerSelect, forms.SelectMultiple):
    """The same picker for several rows (a ``<select multiple>``)."""


def use_pickers(form: forms.BaseForm, *, only: tuple[str, ...] = ()) -> None:
    """Show as pickers the plain selects of ``form`` (or of its fields ``only``) whose model
    has a picker kind.

    The picker offers every row of the kind the user may see (narrowed by ``depends_on``):
    a form whose field offers fewer rows must keep a plain select for it (pass ``only``).
    """
    for name, field_ in form.fields.items():
        if only and name not in only:
            continue
        if not isinstance(field_, forms.ModelChoiceField) or field_.queryset is None:
            continue
        kind = kind_for_model(field_.queryset.model)
        widget = field_.widget
        if kind is None or type(widget) not in (forms.Select, forms.SelectMultiple):
            continue
        depends_on = tuple(name for name in kind.depends_on if name in form.fields)
        picker_class = PickerSelectMultiple if widget.allow_multiple_selected else PickerSelect
        picker = picker_class(kind=kind.name, depends_on=depends_on, attrs=widget.attrs)
        picker.is_required = widget.is_required
        if kind.select_related:
            field_.queryset = field_.queryset.select_related(*kind.select_related)
        picker.choices = field_.choices  # type: ignore[assignment]  # a ModelChoiceIterator
        field_.widget = picker
