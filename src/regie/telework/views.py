"""Pages of telework: the pool calendar, reservations, loans (check-out with the charter,
check-in, receipt), the charter, remote-access records and their import, readiness."""

from __future__ import annotations

import calendar
import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from regie.core.crud import (
    Column,
    CrudDeleteView,
    CrudDetailView,
    CrudFormView,
    CrudListView,
    CrudView,
)
from regie.core.forms import add_service_errors
from regie.core.links import opens_for
from regie.core.models import Role, User
from regie.core.permissions import Action, manages, reads_everything
from regie.core.readiness import (
    Colour,
    colour_counts,
    readiness_for,
    readiness_for_people,
    roll_up,
)
from regie.directory.models import Person
from regie.directory.permissions import person_policy
from regie.telework.filters import (
    CharterFilterSet,
    LoanFilterSet,
    RemoteAccessFilterSet,
    ReservationFilterSet,
)
from regie.telework.forms import (
    CharterForm,
    CheckInForm,
    CheckOutForm,
    ImportForm,
    RemoteAccessForm,
    ReservationChangeForm,
    ReservationForm,
)
from regie.telework.importing import import_remote_access
from regie.telework.models import Charter, Loan, RemoteAccess, Reservation, ReservationStatus
from regie.telework.permissions import (
    charter_policy,
    loan_policy,
    remote_access_policy,
    reservation_policy,
)
from regie.telework.pool import lendable_assets
from regie.telework.services import (
    book_equipment,
    cancel_reservation,
    change_reservation,
    check_in_equipment,
    check_out_equipment,
)

LIST_TEMPLATE = "telework/object_list.html"


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101  # login_required ran first
    return user


def _errors(error: ValidationError) -> list[str]:
    return list(error.messages)


class TeleworkView(CrudView):
    namespace = "telework"


# --- charter ---------------------------------------------------------------------------------


class CharterMixin(TeleworkView):
    model = Charter
    policy = charter_policy
    slug = "charter"


class CharterListView(CharterMixin, CrudListView):
    template_name = LIST_TEMPLATE
    filterset_class = CharterFilterSet
    columns = (
        Column("version", _("Version"), link=True),
        Column("effective_date", _("Effective date"), "effective_date"),
    )


class CharterDetailView(CharterMixin, CrudDetailView):
    template_name = "telework/charter_detail.html"
    detail_fields = (
        "version",
        "effective_date",
        "text",
    )


class CharterFormView(CharterMixin, CrudFormView):
    form_class = CharterForm


class CharterDeleteView(CharterMixin, CrudDeleteView):
    pass


# --- remote access ---------------------------------------------------------------------------


class RemoteAccessMixin(TeleworkView):
    model = RemoteAccess
    policy = remote_access_policy
    slug = "remoteaccess"


class RemoteAccessListView(RemoteAccessMixin, CrudListView):
    template_name = "telework/remoteaccess_list.html"
    filterset_class = RemoteAccessFilterSet
    columns = (
        Column("person", _("Person"), link=True),
        Column("mfa_enrolled", _("MFA enrolled")),
        Column("office365_licence", _("Office 365 licence")),
        Column("recorded_on", _("Recorded on")),
        Column("source", _("Source")),
    )


class RemoteAccessDetailView(RemoteAccessMixin, CrudDetailView):
    detail_fields = (
        "person",
        "mfa_enrolled",
        "office365_licence",
        "recorded_on",
        "source",
    )


class RemoteAccessFormView(RemoteAccessMixin, CrudFormView):
    form_class = RemoteAccessForm


class RemoteAccessDeleteView(RemoteAccessMixin, CrudDeleteView):
    pass


@login_required
@require_http_methods(["GET", "POST"])
def remote_access_import(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not manages(user):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        result = import_remote_access(
            data=upload.read(),
            by=user,
            default_source=gettext("Import of %(name)s") % {"name": upload.name[:60]},
        )
        if result.ok:
            messages.success(
                request,
                gettext("%(created)d records created, %(updated)d updated.")
                % {"created": result.created, "updated": result.updated},
            )
            return HttpResponseRedirect(reverse("telework:remoteaccess-list"))
    return TemplateResponse(request, "telework/import.html", {"form": form, "result": result})


# --- reservations ----------------------------------------------------------------------------


class ReservationMixin(TeleworkView):
    model = Reservation
    policy = reservation_policy
    slug = "reservation"


class ReservationListView(ReservationMixin, CrudListView):
    template_name = "telework/reservation_list.html"
    filterset_class = ReservationFilterSet
    columns = (
        Column("asset", _("Equipment"), link=True),
        Column("person", _("Person")),
        Column("start", _("Start"), "start"),
        Column("end", _("End"), "end"),
        Column("get_status_display", _("Status")),
    )


class ReservationDetailView(ReservationMixin, CrudDetailView):
    template_name = "telework/reservation_detail.html"
    detail_fields = (
        "asset",
        "person",
        "start",
        "end",
        "status",
        "notes",
        "booked_by",
    )
    # A reservation is changed (dates, notes) or cancelled, never deleted: its history stays.
    has_delete_page = False

    def related(self, obj: Reservation) -> dict[str, Any]:
        booked = obj.status == ReservationStatus.BOOKED and manages(self.user)
        return {"can_act": booked}


@login_required
@require_http_methods(["GET", "POST"])
def reservation_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not reservation_policy.can_create(user):
        raise PermissionDenied
    form = ReservationForm(request.POST or None, initial=request.GET.dict())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            reservation = book_equipment(
                asset=data["asset"],
                person=data["person"],
                start=data["start"],
                end=data["end"],
                notes=data["notes"],
                by=user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, gettext("The equipment is booked."))
            return HttpResponseRedirect(reservation.get_absolute_url())
    return TemplateResponse(
        request, "telework/form.html", {"form": form, "title": gettext("Book equipment")}
    )


@login_required
@require_http_methods(["GET", "POST"])
def reservation_update(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    reservation = reservation_policy.get_for_user(user, pk, Action.CHANGE)
    initial = {
        "start": timezone.localtime(reservation.start),
        "end": timezone.localtime(reservation.end),
        "notes": reservation.notes,
    }
    form = ReservationChangeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            change_reservation(reservation=reservation, by=user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, gettext("The reservation is changed."))
            return HttpResponseRedirect(reservation.get_absolute_url())
    title = gettext("Change %(reservation)s") % {"reservation": reservation}
    return TemplateResponse(
        request, "telework/form.html", {"form": form, "title": title, "cancel": reservation}
    )


@login_required
@require_POST
def reservation_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    reservation = reservation_policy.get_for_user(user, pk, Action.CHANGE)
    try:
        cancel_reservation(reservation=reservation, by=user)
    except ValidationError as error:
        messages.error(request, " ".join(_errors(error)))
    else:
        messages.success(request, gettext("The reservation is cancelled."))
    return HttpResponseRedirect(reservation.get_absolute_url())


# --- loans -----------------------------------------------------------------------------------


class LoanMixin(TeleworkView):
    model = Loan
    policy = loan_policy
    slug = "loan"


class LoanListView(LoanMixin, CrudListView):
    template_name = "telework/loan_list.html"
    filterset_class = LoanFilterSet
    columns = (
        Column("asset", _("Equipment"), link=True),
        Column("person", _("Person")),
        Column("checked_out_at", _("Checked out"), "checked_out_at"),
        Column("due_date", _("Due date"), "due_date"),
        Column("returned_at", _("Returned")),
        Column("get_return_condition_display", _("Condition")),
    )


@login_required
@require_GET
def loan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    loan = loan_policy.get_for_user(user, pk)
    context = {
        "object": loan,
        "can_check_in": loan.is_open and manages(user),
        "overdue": loan.is_overdue(),
        "reminders": loan.reminders.all(),
    }
    return TemplateResponse(request, "telework/loan_detail.html", context)


@login_required
@require_GET
def loan_receipt(request: HttpRequest, pk: int) -> HttpResponse:
    loan = loan_policy.get_for_user(_user(request), pk)
    return TemplateResponse(request, "telework/loan_receipt.html", {"loan": loan})


@login_required
@require_http_methods(["GET", "POST"])
def loan_check_out(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not loan_policy.can_create(user):
        raise PermissionDenied
    charter = Charter.current()
    if charter is None:
        # Without a charter in force the service refuses every loan: say so before the
        # borrower fills in a form that cannot succeed, and point to who can publish one.
        context: dict[str, Any] = {
            "can_publish": charter_policy.can_create(user),
            "upcoming": Charter.objects.filter(effective_date__gt=timezone.localdate())
            .order_by("effective_date")
            .first(),
        }
        return TemplateResponse(request, "telework/check_out_no_charter.html", context)
    initial: dict[str, Any] = {}
    reservation_id = request.GET.get("reservation", "")
    if reservation_id.isdigit():
        reservation = reservation_policy.get_for_user(user, int(reservation_id))
        initial = {
            "asset": reservation.asset_id,
            "person": reservation.person_id,
            "reservation": reservation.pk,
            "due_date": timezone.localdate(reservation.end),
        }
    form = CheckOutForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            loan = check_out_equipment(
                asset=data["asset"],
                person=data["person"],
                due_date=data["due_date"],
                typed_name=data["typed_name"],
                reservation=data["reservation"],
                by=user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, gettext("The equipment is lent; print the receipt."))
            return HttpResponseRedirect(reverse("telework:loan-receipt", args=[loan.pk]))
    context = {"form": form, "charter": charter}
    return TemplateResponse(request, "telework/check_out.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def loan_check_in(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    loan = loan_policy.get_for_user(user, pk, Action.CHANGE)
    form = CheckInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            check_in_equipment(
                loan=loan,
                condition=form.cleaned_data["return_condition"],
                note=form.cleaned_data["return_note"],
                by=user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, gettext("The equipment is back in stock."))
            return HttpResponseRedirect(loan.get_absolute_url())
    return TemplateResponse(
        request,
        "telework/form.html",
        {"form": form, "title": gettext("Return of %(loan)s") % {"loan": loan}, "cancel": loan},
    )


# --- the pool calendar -----------------------------------------------------------------------


def _period(params: Any) -> tuple[str, datetime.date, list[datetime.date]]:
    view = "month" if params.get("view") == "month" else "week"
    try:
        day = datetime.date.fromisoformat(params.get("start", ""))
    except ValueError:
        day = timezone.localdate()
    if view == "month":
        first = day.replace(day=1)
        count = calendar.monthrange(first.year, first.month)[1]
    else:
        first = day - datetime.timedelta(days=day.weekday())
        count = 7
    return view, first, [first + datetime.timedelta(days=n) for n in range(count)]


def _sees_calendar(user: User) -> bool:
    return reads_everything(user) or user.role == Role.CORRESPONDENT


@opens_for(_sees_calendar)
@login_required
@require_GET
def pool_calendar(request: HttpRequest) -> HttpResponse:
    """The pool, one row per piece of equipment, one column per day: booked or on loan."""
    user = _user(request)
    if not _sees_calendar(user):
        raise PermissionDenied
    view, first, days = _period(request.GET)
    start = timezone.make_aware(datetime.datetime.combine(first, datetime.time.min))
    end = start + datetime.timedelta(days=len(days))
    assets = list(lendable_assets())
    cells: dict[tuple[int, datetime.date], tuple[str, str]] = {}
    bookings = reservation_policy.visible(user).booked().overlapping(start, end)
    for reservation in bookings:
        for day in days:
            day_start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
            if (
                reservation.start < day_start + datetime.timedelta(days=1)
                and reservation.end > day_start
            ):
                cells[(reservation.asset_id, day)] = ("busy", str(reservation.person))
    today = timezone.localdate()
    for loan in loan_policy.visible(user).open().filter(checked_out_at__lt=end):
        last = max(loan.due_date, today)
        for day in days:
            if timezone.localdate(loan.checked_out_at) <= day <= last:
                cells[(loan.asset_id, day)] = ("on-loan", str(loan.person))
    rows = [(asset, [cells.get((asset.pk, day), ("", "")) for day in days]) for asset in assets]
    if view == "week":
        previous, following = first - datetime.timedelta(days=7), days[-1] + datetime.timedelta(1)
    else:
        previous = (first - datetime.timedelta(days=1)).replace(day=1)
        following = days[-1] + datetime.timedelta(days=1)
    context = {
        "view": view,
        "days": days,
        "rows": rows,
        "title_date": first,
        "previous_url": f"?view={view}&start={previous.isoformat()}",
        "next_url": f"?view={view}&start={following.isoformat()}",
        "week_url": f"?view=week&start={first.isoformat()}",
        "month_url": f"?view=month&start={first.isoformat()}",
        "can_manage": manages(user),
    }
    return TemplateResponse(request, "telework/calendar.html", context)


# --- readiness -------------------------------------------------------------------------------


@login_required
@require_GET
def readiness_person(request: HttpRequest, pk: int) -> HttpResponse:
    person = person_policy.get_for_user(_user(request), pk)
    readiness = readiness_for(person)
    return TemplateResponse(request, "telework/readiness_person.html", {"readiness": readiness})


def _threshold(value: str | None) -> int:
    try:
        return max(0, min(100, int(value or 80)))
    except ValueError:
        return 80


@opens_for(person_policy.can_list)
@login_required
@require_GET
def readiness_overview(request: HttpRequest) -> HttpResponse:
    """Who can work from home tomorrow: per department and per site, and who has no managed
    laptop. Staff only see their own readiness page."""
    user = _user(request)
    if not person_policy.can_list(user):
        raise PermissionDenied
    people = person_policy.visible(
        user, Person.objects.filter(active=True).select_related("department", "site")
    )
    readinesses = readiness_for_people(people)
    threshold = _threshold(request.GET.get("threshold"))
    below_only = request.GET.get("below") == "1"
    departments = roll_up(readinesses, by="department")
    sites = roll_up(readinesses, by="site")
    if below_only:
        departments = [row for row in departments if row.able_percent < threshold]
        sites = [row for row in sites if row.able_percent < threshold]
    context = {
        "threshold": threshold,
        "below_only": below_only,
        "departments": departments,
        "sites": sites,
        "total": len(readinesses),
        "counts": colour_counts(readinesses),
        "unknown": [r for r in readinesses if r.colour == Colour.UNKNOWN],
        "without_laptop": [r for r in readinesses if not r.has_managed_laptop],
        "not_ready": [r for r in readinesses if r.colour == Colour.RED and r.has_managed_laptop],
    }
    return TemplateResponse(request, "telework/readiness_overview.html", context)
