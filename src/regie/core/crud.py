"""Plain list / detail / create / update / delete pages, declared per model.

Each app's ``views.py`` subclasses these views and only states the model, its policy, its
FilterSet, its form, the list columns and the templates. Access always goes through the
model's :class:`~regie.core.permissions.Policy`; writes always go through
``save_with_history`` / ``delete_with_history`` (or a model's own service) so the change
history is complete whichever page made the change.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, ClassVar

import django_filters
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db import models, transaction
from django.db.models import ProtectedError
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.cache import patch_vary_headers
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views import View

from regie.core import formatting
from regie.core.history import (
    delete_with_history,
    display_value,
    linked_names,
    many_to_many_names,
    record_link_changes,
    save_with_history,
)
from regie.core.links import object_url
from regie.core.models import User
from regie.core.panels import panels_for
from regie.core.permissions import Action, AnyUser, Policy

DEFAULT_PAGE_SIZE = 25
MAX_PAGE_SIZE = 100
PAGE_SIZES = (25, 50, 100)
_PHONE_FIELDS = {"phone", "mobile", "contact_phone"}
# Query parameters that page or sort a list without narrowing it.
_LIST_PARAMETERS = {"ordering", "page", "page_size"}


@dataclass(frozen=True)
class Column:
    """One column of a list: where its value comes from and how it sorts."""

    attr: str
    label: str | Promise
    order: str = ""
    link: bool = False
    badge: str = ""  # attribute giving the badge's CSS modifier (e.g. the raw status)
    # How the value reads (formatting.format_money, …); None leaves it to the template.
    display: Callable[[Any], str] | None = None


@dataclass(frozen=True)
class Header:
    label: str
    url: str
    sort: str  # "ascending", "descending" or "" (for aria-sort)


@dataclass(frozen=True)
class Cell:
    value: Any
    url: str = ""
    badge: str = ""


@dataclass
class Row:
    obj: models.Model
    cells: list[Cell] = field(default_factory=list)


@dataclass(frozen=True)
class DetailField:
    label: str
    value: Any
    url: str = ""


def resolve(obj: Any, path: str) -> Any:
    """Follow ``a.b.c`` through attributes, calling a final method; ``None`` stops early."""
    value = obj
    for part in path.split("."):
        if value is None:
            return None
        value = getattr(value, part)
    return value() if callable(value) else value


def _cell_value(obj: Any, column: Column) -> Any:
    value = resolve(obj, column.attr)
    if column.display is not None and value is not None:
        return column.display(value)
    if isinstance(value, bool):
        # The template would print Python's True/False: every yes/no column reads as words.
        return formatting.format_yes_no(value)
    return value


def url_with(params: QueryDict, **changes: Any) -> str:
    """``?query`` equal to ``params`` with ``changes`` applied (``None`` removes a key)."""
    query = params.copy()
    for key, value in changes.items():
        if value is None:
            query.pop(key, None)
        else:
            query[key] = str(value)
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


def detail_url(obj: models.Model, namespace: str, slug: str) -> str:
    get_url: Callable[[], str] | None = getattr(obj, "get_absolute_url", None)
    if get_url is not None:
        return get_url()
    return reverse(f"{namespace}:{slug}-detail", args=[obj.pk])


FieldSpec = str | tuple[str, str | Promise]
"""A field shown on a detail page: its name, or (name, label) to word it for the page."""

# Decimal columns that hold euros (their labels say "(€)"): shown as "728,00 €".
_MONEY_SUFFIXES = ("_price", "_cost", "_amount")


def field_display(obj: models.Model, model_field: models.Field[Any, Any]) -> str:
    """A field's value as a person reads it: a name, a choice's label, a date in words, a
    local time, an amount in euros; never a repr, an ISO timestamp or a UTC offset."""
    value = model_field.value_from_object(obj)
    if value is None or value == "" or model_field.is_relation or model_field.choices:
        return display_value(obj, model_field)
    if isinstance(value, bool):
        return capfirst(display_value(obj, model_field))  # "Oui" / "Non", like a sentence
    if isinstance(value, datetime.datetime):
        return formatting.format_datetime(value)
    if isinstance(value, datetime.date):
        return formatting.format_date(value)
    if isinstance(value, datetime.timedelta):
        return formatting.format_duration(value)
    if isinstance(value, Decimal | float):
        if model_field.name.endswith(_MONEY_SUFFIXES):
            return formatting.format_money(value)
        return formatting.format_number(value)
    return str(value)


def model_fields(
    obj: models.Model, fields: Iterable[FieldSpec], *, user: AnyUser | None
) -> list[DetailField]:
    """Label and display value of the chosen fields, in order, with links to the related
    pages ``user`` may open (the others' names are plain text).

    Pages choose what they show (never every column of the model: counters, secrets and
    internal timestamps are not for people) and may word a label for the page.
    """
    rows = []
    for spec in fields:
        name, label = spec if isinstance(spec, tuple) else (spec, None)
        model_field = obj._meta.get_field(name)
        assert isinstance(model_field, models.Field)  # noqa: S101  # pages name columns
        url = ""
        raw = getattr(obj, model_field.attname)
        if model_field.is_relation and raw is not None:
            url = object_url(user, getattr(obj, model_field.name))
        elif raw and isinstance(model_field, models.EmailField):
            url = f"mailto:{raw}"
        elif raw and model_field.name in _PHONE_FIELDS:
            # One tap to call from the phone of a technician on site.
            url = f"tel:{''.join(raw.split())}"
        rows.append(
            DetailField(
                label=capfirst(str(label if label is not None else model_field.verbose_name)),
                value=field_display(obj, model_field),
                url=url,
            )
        )
    return rows


class CrudView(LoginRequiredMixin, View):
    """What every page of one model knows: the model, its policy and its URL names."""

    model: ClassVar[type[models.Model]]
    policy: ClassVar[Policy[Any]]
    namespace: ClassVar[str]
    slug: ClassVar[str]
    template_name: ClassVar[str]
    request: HttpRequest

    @property
    def user(self) -> User:
        user = self.request.user
        assert isinstance(user, User)  # noqa: S101  # LoginRequiredMixin ran first
        return user

    def url_name(self, action: str) -> str:
        return f"{self.namespace}:{self.slug}-{action}"

    def model_context(self) -> dict[str, Any]:
        meta = self.model._meta
        return {
            "verbose_name": meta.verbose_name,
            "verbose_name_plural": meta.verbose_name_plural,
            # "Back to the list" only for those the list lets in.
            "list_url": reverse(self.url_name("list")) if self.policy.can_list(self.user) else "",
            "create_url": (
                reverse(self.url_name("create")) if self.policy.can_create(self.user) else ""
            ),
        }

    def render(self, context: dict[str, Any], template: str | None = None) -> TemplateResponse:
        return TemplateResponse(
            self.request, template or self.template_name, {**self.model_context(), **context}
        )


class CrudListView(CrudView):
    """Filtered, searchable, sortable, paginated list; htmx gets the ``results`` partial."""

    filterset_class: ClassVar[type[django_filters.FilterSet]]
    columns: ClassVar[Sequence[Column]]
    select_related: ClassVar[Sequence[str]] = ()
    # The filters shown above the list (all when empty); the others still work from the URL
    # and are carried along as hidden fields. Each shown relation filter costs one query.
    filter_fields: ClassVar[Sequence[str]] = ()

    def get_queryset(self) -> models.QuerySet[Any]:
        queryset = self.policy.base_queryset()
        return queryset.select_related(*self.select_related) if self.select_related else queryset

    def page_size(self) -> int:
        try:
            size = int(self.request.GET.get("page_size", DEFAULT_PAGE_SIZE))
        except ValueError:
            return DEFAULT_PAGE_SIZE
        return max(1, min(size, MAX_PAGE_SIZE))

    def headers(self, current: str) -> list[Header]:
        headers = []
        for column in self.columns:
            if not column.order:
                headers.append(Header(str(column.label), "", ""))
                continue
            ascending = current == column.order
            descending = current == f"-{column.order}"
            new_order = f"-{column.order}" if ascending else column.order
            headers.append(
                Header(
                    str(column.label),
                    url_with(self.request.GET, ordering=new_order, page=None),
                    "ascending" if ascending else "descending" if descending else "",
                )
            )
        return headers

    def rows(self, objects: Iterable[models.Model]) -> list[Row]:
        return [
            Row(
                obj,
                [
                    Cell(
                        _cell_value(obj, column),
                        detail_url(obj, self.namespace, self.slug) if column.link else "",
                        str(resolve(obj, column.badge)) if column.badge else "",
                    )
                    for column in self.columns
                ],
            )
            for obj in objects
        ]

    def filter_context(self, filterset: django_filters.FilterSet) -> dict[str, Any]:
        """The filter fields to show, and the active hidden ones to carry along."""
        form = filterset.form
        if "q" in form.fields:
            # A search box (role "searchbox", a clear button on phones) rather than plain text.
            form.fields["q"].widget.input_type = "search"
        shown = [
            field
            for field in form
            if field.name != "ordering"
            and (not self.filter_fields or field.name in self.filter_fields)
        ]
        not_carried = {field.name for field in shown} | {"ordering"}
        carried = [
            (name, value)
            for name in form.fields
            if name not in not_carried
            for value in self.request.GET.getlist(name)
        ]
        return {"filterset": filterset, "filter_fields": shown, "carried_filters": carried}

    def page_context(self, page: Page[Any]) -> dict[str, Any]:
        params = self.request.GET
        ordering = params.get("ordering", "")
        return {
            "page_obj": page,
            "ordering": ordering,
            "headers": self.headers(ordering),
            "rows": self.rows(page.object_list),
            "page_sizes": PAGE_SIZES,
            "current_page_size": self.page_size(),
            "previous_url": (
                url_with(params, page=page.previous_page_number()) if page.has_previous() else ""
            ),
            "next_url": url_with(params, page=page.next_page_number()) if page.has_next() else "",
            # An empty list says what to do next: widen a search, or add the first row.
            "filtered": any(
                value.strip()
                for name, values in params.lists()
                if name not in _LIST_PARAMETERS
                for value in values
            ),
        }

    def get(self, request: HttpRequest) -> HttpResponse:
        if not self.policy.can_list(self.user):
            raise PermissionDenied
        queryset = self.policy.visible(self.user, self.get_queryset())
        filterset = self.filterset_class(request.GET or None, queryset=queryset, request=request)
        # One COUNT (cached by the paginator) and one page query, whatever the page size.
        page = Paginator(filterset.qs, self.page_size()).get_page(request.GET.get("page"))
        context = {**self.filter_context(filterset), **self.page_context(page)}
        partial = bool(request.htmx and not request.htmx.history_restore_request)  # type: ignore[attr-defined]  # set by HtmxMiddleware
        template = f"{self.template_name}#results" if partial else self.template_name
        response = self.render(context, template)
        # The same URL answers a full page or a fragment: caches must keep them apart.
        patch_vary_headers(response, ["HX-Request"])
        return response


class CrudDetailView(CrudView):
    """One object, its fields, and whatever related lists the subclass adds."""

    template_name = "crud/object_detail.html"
    # The fields the page lists, in order: each detail view chooses them (see model_fields).
    detail_fields: ClassVar[Sequence[FieldSpec]]
    # False for a model changed only through its own actions (no ``-update``/``-delete`` page).
    has_update_page: ClassVar[bool] = True
    has_delete_page: ClassVar[bool] = True

    def related(self, obj: Any) -> dict[str, Any]:
        """Extra context for the page: related objects, history…"""
        return {}

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self.policy.get_for_user(self.user, pk, Action.VIEW)
        can_change = self.has_update_page and self.policy.can_change(self.user, obj)
        can_delete = self.has_delete_page and self.policy.can_delete(self.user, obj)
        context = {
            "object": obj,
            "fields": model_fields(obj, self.detail_fields, user=self.user),
            "update_url": reverse(self.url_name("update"), args=[obj.pk]) if can_change else "",
            "delete_url": reverse(self.url_name("delete"), args=[obj.pk]) if can_delete else "",
            "panels": panels_for(self.user, obj),
            **self.related(obj),
        }
        return self.render(context)


class CrudFormView(CrudView):
    """Create (no ``pk``) or update (``pk``) through a policy-aware ModelForm."""

    form_class: ClassVar[type[ModelForm[Any]]]
    template_name = "crud/object_form.html"

    def get_object(self, pk: int | None) -> models.Model | None:
        if pk is None:
            if not self.policy.can_create(self.user):
                raise PermissionDenied
            return None
        obj: models.Model = self.policy.get_for_user(self.user, pk, Action.CHANGE)
        return obj

    def initial(self) -> dict[str, Any]:
        """Prefill a new object from the query string (``?site=3`` from a site page)."""
        return {key: value for key, value in self.request.GET.items() if key in self.form_fields()}

    def form_fields(self) -> list[str]:
        return list(self.form_class.base_fields)

    def make_form(self, obj: models.Model | None) -> ModelForm[Any]:
        data = self.request.POST if self.request.method == "POST" else None
        initial = self.initial() if obj is None else {}
        return self.form_class(data, instance=obj, initial=initial, user=self.user)  # type: ignore[call-arg]  # our forms take the user to restrict choices

    def save(self, instance: models.Model) -> models.Model:
        """Write through the history; models with their own service override this."""
        return save_with_history(instance=instance, by=self.user)

    def get(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        obj = self.get_object(pk)
        return self.render({"form": self.make_form(obj), "object": obj})

    def post(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        obj = self.get_object(pk)
        form = self.make_form(obj)
        if not form.is_valid():
            return self.render({"form": form, "object": obj})
        with transaction.atomic():
            links = [name for name in form.fields if name in many_to_many_names(self.model)]
            before = linked_names(obj, links) if obj is not None else {}
            instance = self.save(form.save(commit=False))
            form.save_m2m()
            record_link_changes(instance=instance, before=before, by=self.user)
        messages.success(request, _("“%(object)s” has been saved.") % {"object": instance})
        return HttpResponseRedirect(detail_url(instance, self.namespace, self.slug))


class CrudDeleteView(CrudView):
    """Confirmation page, then deletion with history; protected rows stay, with a message."""

    template_name = "crud/object_confirm_delete.html"
    success_url_name: ClassVar[str] = ""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self.policy.get_for_user(self.user, pk, Action.DELETE)
        return self.render(
            {"object": obj, "cancel_url": detail_url(obj, self.namespace, self.slug)}
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self.policy.get_for_user(self.user, pk, Action.DELETE)
        try:
            delete_with_history(instance=obj, by=self.user)
        except ProtectedError as error:
            blockers = sorted({str(blocker) for blocker in error.protected_objects})
            messages.error(
                request,
                _("“%(object)s” cannot be deleted because other records depend on it: %(list)s.")
                % {"object": obj, "list": ", ".join(blockers[:10])},
            )
            return HttpResponseRedirect(detail_url(obj, self.namespace, self.slug))
        messages.success(request, _("“%(object)s” has been deleted.") % {"object": obj})
        return HttpResponseRedirect(reverse(self.success_url_name or self.url_name("list")))


def crud_urls(
    slug: str,
    *,
    list_view: type[View],
    detail_view: type[View],
    form_view: type[View],
    delete_view: type[View],
    prefix: str = "",
) -> list[URLPattern]:
    """The five URL patterns ``<slug>-list/detail/create/update/delete`` of one model."""
    base = prefix or f"{slug}s/"
    return [
        path(base, list_view.as_view(), name=f"{slug}-list"),
        path(f"{base}new/", form_view.as_view(), name=f"{slug}-create"),
        path(f"{base}<int:pk>/", detail_view.as_view(), name=f"{slug}-detail"),
        path(f"{base}<int:pk>/edit/", form_view.as_view(), name=f"{slug}-update"),
        path(f"{base}<int:pk>/delete/", delete_view.as_view(), name=f"{slug}-delete"),
    ]
