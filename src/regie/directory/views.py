"""Pages of the directory: organisations, sites and rooms, departments, people."""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import suppress
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_POST

from regie.core import formatting
from regie.core.crud import (
    Cell,
    Column,
    CrudDeleteView,
    CrudDetailView,
    CrudFormView,
    CrudListView,
    CrudView,
    DetailField,
    Row,
    model_fields,
)
from regie.core.models import Role, User
from regie.core.permissions import Action
from regie.directory.filters import (
    DepartmentFilterSet,
    DirectorySourceFilterSet,
    OrganisationFilterSet,
    PersonFilterSet,
    RoomFilterSet,
    SiteFilterSet,
)
from regie.directory.forms import (
    DepartmentForm,
    DirectorySourceForm,
    OrganisationForm,
    PersonForm,
    RoomForm,
    SiteForm,
)
from regie.directory.hours import WEEKDAYS, format_periods, parse_periods
from regie.directory.models import (
    Department,
    DirectorySource,
    DirectorySyncRun,
    Organisation,
    Person,
    Room,
    Site,
    SyncStatus,
)
from regie.directory.permissions import (
    department_policy,
    directory_source_policy,
    organisation_policy,
    person_policy,
    room_policy,
    site_policy,
    sync_run_policy,
)
from regie.directory.sync.engine import sync


class DirectoryView(CrudView):
    namespace = "directory"


# --- organisations ---------------------------------------------------------------------------


class OrganisationMixin(DirectoryView):
    model = Organisation
    policy = organisation_policy
    slug = "organisation"


class OrganisationListView(OrganisationMixin, CrudListView):
    template_name = "directory/organisation_list.html"
    filterset_class = OrganisationFilterSet
    select_related = ("parent",)
    columns = (
        Column("name", _("Name"), "name", link=True),
        Column("get_kind_display", _("Kind")),
        Column("insee_code", _("INSEE code"), "insee_code"),
        Column("population", _("Population"), "population"),
        Column("parent", _("Parent organisation")),
    )


class OrganisationDetailView(OrganisationMixin, CrudDetailView):
    template_name = "directory/organisation_detail.html"
    detail_fields = (
        "name",
        "kind",
        "parent",
        "siren",
        "insee_code",
        "postcode",
        "population",
    )

    def related(self, obj: Organisation) -> dict[str, Any]:
        return {
            "children": organisation_policy.visible(self.user, obj.children.all()),
            "sites": site_policy.visible(self.user, obj.sites.all()),
        }


class OrganisationFormView(OrganisationMixin, CrudFormView):
    form_class = OrganisationForm


class OrganisationDeleteView(OrganisationMixin, CrudDeleteView):
    pass


# --- sites -----------------------------------------------------------------------------------


class SiteMixin(DirectoryView):
    model = Site
    policy = site_policy
    slug = "site"


class SiteListView(SiteMixin, CrudListView):
    template_name = "directory/site_list.html"
    filterset_class = SiteFilterSet
    select_related = ("organisation",)
    columns = (
        Column("name", _("Name"), "name", link=True),
        Column("get_kind_display", _("Kind"), "kind"),
        Column("organisation", _("Commune")),
        Column("city", _("City"), "city"),
        Column("phone", _("Phone")),
    )


class SiteDetailView(SiteMixin, CrudDetailView):
    template_name = "directory/site_detail.html"
    detail_fields = (
        "name",
        "kind",
        "organisation",
        "address",
        "postcode",
        "city",
        "phone",
        "contact_name",
        "contact_phone",
        "contact_email",
        "access_notes",
    )

    def related(self, obj: Site) -> dict[str, Any]:
        return {
            "opening_hours": weekly_hours(obj),
            "correspondents": obj.correspondents.all(),
            "rooms": room_policy.visible(self.user, obj.rooms.all()),
            "can_add_room": room_policy.can_create(self.user),
            "room_create_url": reverse("directory:room-create") + f"?site={obj.pk}",
            "people": person_policy.visible(self.user, obj.people.select_related("department")),
        }


def weekly_hours(site: Site) -> list[tuple[str, str]]:
    """(weekday, "08:30-12:00, 13:30-17:00") for the seven days; empty text when closed."""
    rows = []
    for code, label in WEEKDAYS:
        text = getattr(site, f"hours_{code}")
        # Rows imported before validation existed are shown as written.
        with suppress(ValidationError):
            text = format_periods(parse_periods(text))
        rows.append((str(label), text))
    return rows


class SiteFormView(SiteMixin, CrudFormView):
    form_class = SiteForm


class SiteDeleteView(SiteMixin, CrudDeleteView):
    pass


# --- rooms -----------------------------------------------------------------------------------


class RoomMixin(DirectoryView):
    model = Room
    policy = room_policy
    slug = "room"


class RoomListView(RoomMixin, CrudListView):
    template_name = "directory/room_list.html"
    filterset_class = RoomFilterSet
    select_related = ("site",)
    columns = (
        Column("name", _("Name"), link=True),
        Column("site", _("Site")),
        Column("floor", _("Floor")),
    )


class RoomDetailView(RoomMixin, CrudDetailView):
    detail_fields = (
        "site",
        "name",
        "floor",
        "notes",
    )


class RoomFormView(RoomMixin, CrudFormView):
    form_class = RoomForm


class RoomDeleteView(RoomMixin, CrudDeleteView):
    pass


# --- departments -----------------------------------------------------------------------------


class DepartmentMixin(DirectoryView):
    model = Department
    policy = department_policy
    slug = "department"


class DepartmentListView(DepartmentMixin, CrudListView):
    template_name = "directory/department_list.html"
    filterset_class = DepartmentFilterSet
    select_related = ("organisation", "parent", "head")
    columns = (
        Column("name", _("Name"), "name", link=True),
        Column("code", _("Code"), "code"),
        Column("organisation", _("Organisation")),
        Column("head", _("Head of department")),
    )


class DepartmentDetailView(DepartmentMixin, CrudDetailView):
    template_name = "directory/department_detail.html"
    detail_fields = (
        "name",
        "code",
        "organisation",
        "parent",
        "head",
    )

    def related(self, obj: Department) -> dict[str, Any]:
        return {
            "children": department_policy.visible(self.user, obj.children.all()),
            "people": person_policy.visible(self.user, obj.people.select_related("site")),
        }


class DepartmentFormView(DepartmentMixin, CrudFormView):
    form_class = DepartmentForm


class DepartmentDeleteView(DepartmentMixin, CrudDeleteView):
    pass


# --- people ----------------------------------------------------------------------------------


class PersonMixin(DirectoryView):
    model = Person
    policy = person_policy
    slug = "person"


class PersonListView(PersonMixin, CrudListView):
    template_name = "directory/person_list.html"
    filterset_class = PersonFilterSet
    select_related = ("department", "site")
    columns = (
        Column("last_name", _("Last name"), "last_name", link=True),
        Column("first_name", _("First name"), "first_name"),
        Column("job_title", _("Job title")),
        Column("department", _("Department"), "department"),
        Column("site", _("Site"), "site"),
        Column("email", _("E-mail")),
    )


class PersonDetailView(PersonMixin, CrudDetailView):
    template_name = "directory/person_detail.html"
    detail_fields = (
        "first_name",
        "last_name",
        "email",
        "phone",
        "mobile",
        "department",
        "site",
        "job_title",
        "manager",
        "active",
        "arrival_date",
        "departure_date",
        "user",
    )

    def related(self, obj: Person) -> dict[str, Any]:
        locked = obj.directory_fields
        return {
            "locked_labels": {
                capfirst(str(getattr(Person._meta.get_field(name), "verbose_name", name)))
                for name in locked
            },
            "directory_source": obj.directory_source if locked else None,
            # A synced person the directory disabled or dropped: what they hold is to recover
            # (the equipment and lines panels below list it).
            "to_recover": bool(locked) and not obj.active,
        }


class PersonFormView(PersonMixin, CrudFormView):
    form_class = PersonForm


class PersonDeleteView(PersonMixin, CrudDeleteView):
    pass


# --- directory sources and their syncs (administrators) --------------------------------------


RECENT_RUNS = 20
SHOWN_CHANGES = 500  # people; a first sync of thousands lists the first ones


class DirectorySourceMixin(DirectoryView):
    model = DirectorySource
    policy = directory_source_policy
    slug = "source"


class DirectorySourceListView(DirectorySourceMixin, CrudListView):
    template_name = "directory/source_list.html"
    filterset_class = DirectorySourceFilterSet
    columns = (
        Column("name", _("Name"), "name", link=True),
        Column("get_kind_display", _("Kind"), "kind"),
        Column("enabled", _("Periodic sync")),
        Column("last_run", _("Last sync")),
    )

    def get_queryset(self) -> QuerySet[DirectorySource]:
        return DirectorySource.objects.all()

    def rows(self, objects: Iterable[Any]) -> list[Row]:
        sources = list(objects)
        last = {run.source_id: run for run in latest_runs(sources)}
        rows: list[Row] = []
        for source in sources:
            run = last.get(source.pk)
            cells = [
                Cell(source.name, source.get_absolute_url()),
                Cell(source.get_kind_display()),
                Cell(
                    pgettext("sync", "On") if source.enabled else pgettext("sync", "Off"),
                    badge="approved" if source.enabled else "retired",
                ),
                Cell(run_summary(run), run.get_absolute_url() if run else ""),
            ]
            rows.append(Row(source, cells))
        return rows


def latest_runs(sources: list[DirectorySource]) -> list[DirectorySyncRun]:
    """The latest run of each source, in one query."""
    latest = (
        DirectorySyncRun.objects.filter(source=OuterRef("source"))
        .order_by("-started_at", "-id")
        .values("pk")[:1]
    )
    return list(
        DirectorySyncRun.objects.filter(source__in=sources, pk=Subquery(latest)).defer(
            "changes", "warnings"
        )
    )


def run_summary(run: DirectorySyncRun | None) -> str:
    if run is None:
        return str(_("Never"))
    when = formatting.format_datetime(run.started_at)
    if run.status == SyncStatus.FAILED:
        return str(_("%(when)s: failed")) % {"when": when}
    return str(_("%(when)s: %(created)s created, %(updated)s updated, %(disabled)s disabled")) % {
        "when": when,
        "created": run.created,
        "updated": run.updated,
        "disabled": run.disabled,
    }


class DirectorySourceDetailView(DirectorySourceMixin, CrudDetailView):
    template_name = "directory/source_detail.html"
    detail_fields = ("name", "kind", "enabled", "organisation")

    def related(self, obj: DirectorySource) -> dict[str, Any]:
        fields = model_fields(obj, self.detail_fields, user=self.user)
        if obj.is_ldap:
            fields += model_fields(obj, ("url", "bind_dn", "base_dn", "start_tls"), user=self.user)
            fields.append(DetailField(str(_("User filter")), obj.effective_user_filter))
            fields.append(
                DetailField(
                    str(_("Bind password")),
                    _("set (encrypted)") if obj.bind_password_encrypted else _("none"),
                )
            )
        else:
            fields += model_fields(obj, ("tenant_id", "client_id"), user=self.user)
            fields.append(
                DetailField(
                    str(_("Client secret")),
                    _("set (encrypted)") if obj.client_secret_encrypted else _("none"),
                )
            )
        mapping = obj.effective_attributes() if obj.is_ldap else {}
        return {
            "fields": fields,
            "attribute_rows": [(key, value or "—") for key, value in mapping.items()],
            "role_rows": [
                (group, Role(role).label if role in Role.values else role)
                for group, role in obj.role_mapping or []
            ],
            "runs": obj.runs.defer("changes")[:RECENT_RUNS],
            "preview_url": reverse("directory:source-preview", args=[obj.pk]),
        }


class DirectorySourceFormView(DirectorySourceMixin, CrudFormView):
    form_class = DirectorySourceForm
    template_name = "directory/source_form.html"


class DirectorySourceDeleteView(DirectorySourceMixin, CrudDeleteView):
    pass


def _admin(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101  # login_required ran first
    return user


@require_POST
@login_required
def preview_sync(request: HttpRequest, pk: int) -> HttpResponse:
    """Simulate a sync: read the directory, list what would change, write nothing."""
    user = _admin(request)
    source = directory_source_policy.get_for_user(user, pk, Action.CHANGE)
    run = sync(source, dry_run=True, by=user)
    return HttpResponseRedirect(run.get_absolute_url())


@require_POST
@login_required
def apply_sync(request: HttpRequest, pk: int) -> HttpResponse:
    """Sync now: read the directory again and apply what differs."""
    user = _admin(request)
    source = directory_source_policy.get_for_user(user, pk, Action.CHANGE)
    run = sync(source, dry_run=False, by=user)
    if run.status == SyncStatus.OK:
        messages.success(request, _("Sync applied."))
    else:
        messages.error(request, _("The sync failed: nothing was changed."))
    return HttpResponseRedirect(run.get_absolute_url())


@require_GET
@login_required
def sync_run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One run: its counts, its warnings and the changes, field by field."""
    run = sync_run_policy.get_for_user(_admin(request), pk, Action.VIEW)
    latest = run.source.runs.only("pk").first()
    return TemplateResponse(
        request,
        "directory/sync_run_detail.html",
        {
            "run": run,
            "source": run.source,
            "changes": run.changes[:SHOWN_CHANGES],
            "hidden_changes": max(0, len(run.changes) - SHOWN_CHANGES),
            # Applying a simulation makes sense while it is the source's latest run.
            "can_apply": run.dry_run and run.status == SyncStatus.OK and latest == run,
            "apply_url": reverse("directory:source-apply", args=[run.source_id]),
        },
    )
