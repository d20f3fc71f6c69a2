"""Pages of the directory: organisations, sites and rooms, departments, people."""

from __future__ import annotations

from contextlib import suppress
from typing import Any

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from regie.core.crud import (
    Column,
    CrudDeleteView,
    CrudDetailView,
    CrudFormView,
    CrudListView,
    CrudView,
)
from regie.directory.filters import (
    DepartmentFilterSet,
    OrganisationFilterSet,
    PersonFilterSet,
    RoomFilterSet,
    SiteFilterSet,
)
from regie.directory.forms import DepartmentForm, OrganisationForm, PersonForm, RoomForm, SiteForm
from regie.directory.hours import WEEKDAYS, format_periods, parse_periods
from regie.directory.models import Department, Organisation, Person, Room, Site
from regie.directory.permissions import (
    department_policy,
    organisation_policy,
    person_policy,
    room_policy,
    site_policy,
)


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
    detail_fields = (
        "first_name",
        "last_name",
        "email",
        "phone",
        "mobile",
        "department",
        "site",
        "job_title",
        "active",
        "arrival_date",
        "departure_date",
        "user",
    )


class PersonFormView(PersonMixin, CrudFormView):
    form_class = PersonForm


class PersonDeleteView(PersonMixin, CrudDeleteView):
    pass
