"""Links a user can follow: a page offers a link only when its target opens for them.

A link to an object is made only when the object's :class:`~regie.core.permissions.Policy`
lets the user view it (:func:`object_url`); a link to a page without parameters only when the
page would let the user in (:func:`may_open`). A CRUD list page opens for those its policy
lets list; a function view states who it opens for with :func:`opens_for`, next to the check
it makes. Sub-menus (:func:`register_subnav`) show only the entries that open, like the main
menu. Elsewhere the same words are plain text.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, TypeVar

from django.db import models
from django.urls import resolve, reverse
from django.utils.functional import Promise

from regie.core.permissions import AnyUser, policy_for

PageCheck = Callable[[Any], bool]
V = TypeVar("V", bound=Callable[..., Any])


def opens_for(check: PageCheck) -> Callable[[V], V]:
    """Declare who a function view opens for (the view still checks it itself)."""

    def decorate(view: V) -> V:
        view.opens_for = check  # type: ignore[attr-defined]
        return view

    return decorate


@cache
def _page_check(url_name: str) -> PageCheck | None:
    func = resolve(reverse(url_name)).func
    check: PageCheck | None = getattr(func, "opens_for", None)
    if check is not None:
        return check
    from regie.core.crud import CrudListView  # noqa: PLC0415  # crud links through this module

    view_class = getattr(func, "view_class", None)
    if isinstance(view_class, type) and issubclass(view_class, CrudListView):
        return view_class.policy.can_list
    return None


def may_open(user: AnyUser | None, url_name: str) -> bool:
    """Whether the page ``url_name`` (no parameters) lets ``user`` in."""
    if user is None or not user.is_authenticated:
        return False
    check = _page_check(url_name)
    return True if check is None else check(user)


def object_url(user: AnyUser | None, obj: models.Model | None) -> str:
    """``obj``'s page if it has one and its policy lets ``user`` view it, else ""."""
    get_url: Callable[[], str] | None = getattr(obj, "get_absolute_url", None)
    if obj is None or get_url is None:
        return ""
    policy = policy_for(type(obj))
    if policy is not None and not policy.can_view(user, obj):
        return ""
    return get_url()


@dataclass(frozen=True)
class SubnavEntry:
    label: str | Promise
    url_name: str


@dataclass(frozen=True)
class Subnav:
    label: str | Promise
    entries: tuple[SubnavEntry, ...]


@dataclass(frozen=True)
class ShownEntry:
    label: str
    url: str
    current: bool


_SUBNAVS: dict[str, Subnav] = {}


def register_subnav(name: str, label: str | Promise, entries: Sequence[SubnavEntry]) -> None:
    """The sub-menu ``{% subnav name %}`` draws: an app's pages, in order."""
    _SUBNAVS[name] = Subnav(label, tuple(entries))


def subnav_entries(user: AnyUser | None, name: str, path: str) -> tuple[str, list[ShownEntry]]:
    """The label of the sub-menu ``name`` and its entries ``user`` may open."""
    subnav = _SUBNAVS[name]
    urls = [
        (str(entry.label), reverse(entry.url_name))
        for entry in subnav.entries
        if may_open(user, entry.url_name)
    ]
    # The current entry: the one whose address is the longest start of the page's.
    current = max((url for _, url in urls if path.startswith(url)), key=len, default="")
    return str(subnav.label), [ShownEntry(label, url, url == current) for label, url in urls]
