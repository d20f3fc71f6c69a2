"""The technicians' pages: ticket lists, a ticket's page and its actions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from regie.core.crud import Column, CrudListView, FieldSpec, model_fields
from regie.core.forms import add_service_errors
from regie.core.models import User
from regie.core.panels import panels_for
from regie.core.permissions import Action, manages
from regie.helpdesk import attachments, services
from regie.helpdesk.choices import Level
from regie.helpdesk.filters import VIEWS, TicketFilterSet
from regie.helpdesk.forms import (
    AssignForm,
    FollowUpForm,
    LinkAssetsForm,
    SatisfactionForm,
    StatusForm,
    TicketEditForm,
    TicketForm,
)
from regie.helpdesk.models import Ticket
from regie.helpdesk.permissions import attachment_policy, sees_private, ticket_policy
from regie.helpdesk.priority import PRIORITY_MATRIX


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101  # login_required ran first
    return user


class TicketListView(CrudListView):
    namespace = "helpdesk"
    slug = "ticket"
    model = Ticket
    policy = ticket_policy
    template_name = "helpdesk/ticket_list.html"
    filterset_class = TicketFilterSet
    filter_fields = ("q", "view", "status", "priority", "site", "assignee")
    columns = (
        Column("pk", gettext_lazy("No."), "id", link=True),
        Column("title", gettext_lazy("Title"), "title", link=True),
        Column("get_priority_display", gettext_lazy("Priority"), "priority", badge="priority"),
        Column("get_status_display", gettext_lazy("Status"), "status", badge="status"),
        Column("get_sla_state_display", gettext_lazy("SLA"), badge="sla_state"),
        Column("requester", gettext_lazy("Requester"), "requester"),
        Column("site", gettext_lazy("Site"), "site"),
        Column("assignee", gettext_lazy("Assigned to")),
        Column("created_at", gettext_lazy("Opened"), "created_at"),
    )

    def model_context(self) -> dict[str, Any]:
        context = super().model_context()
        context["views"] = [(value, str(label)) for value, label in VIEWS]
        context["current_view"] = self.request.GET.get("view", "")
        return context


def _refuse(request: HttpRequest, error: Exception) -> None:
    if isinstance(error, ValidationError):
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.error(request, str(getattr(error, "message", error)))


def _act(request: HttpRequest, ticket: Ticket, action: Callable[[], object]) -> HttpResponse:
    """Run one service; a refusal becomes a message on the ticket's page."""
    try:
        action()
    except (ValidationError, services.TicketConflict) as error:
        _refuse(request, error)
    else:
        messages.success(request, _("The ticket has been updated."))
    return HttpResponseRedirect(ticket.get_absolute_url())


def timeline(ticket: Ticket, user: User) -> list[dict[str, Any]]:
    """Follow-ups and events of a ticket in time order; private ones only for the IT team."""
    followups = ticket.followups.select_related("author").prefetch_related("attachments")
    if not sees_private(user):
        followups = followups.filter(private=False)
    entries = [{"at": followup.created_at, "followup": followup} for followup in followups] + [
        {"at": event.at, "event": event} for event in ticket.events.select_related("actor")
    ]
    return sorted(entries, key=lambda entry: entry["at"])


# What everyone who may see the ticket reads about it (title and description head the page).
TICKET_FIELDS: tuple[FieldSpec, ...] = (
    "requester",
    "source",
    "category",
    "urgency",
    "impact",
    "priority",
    "status",
    "waiting_for",
    "assignee",
    "site",
    "needs_visit",
    "first_response_due",
    "first_response_at",
    "resolution_due",
    "resolved_at",
    "closed_at",
    "satisfaction",
    "satisfaction_comment",
    "created_by",
)
# The SLA's working parts, for the IT team only: when each deadline turns "at risk".
SLA_FIELDS: tuple[FieldSpec, ...] = (
    ("first_response_warn_at", gettext_lazy("First response at risk from")),
    ("resolution_warn_at", gettext_lazy("Resolution at risk from")),
    "paused_since",
)


@require_GET
@login_required
def ticket_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    ticket = ticket_policy.get_for_user(user, pk, Action.VIEW)
    is_manager = manages(user)
    is_requester = ticket_policy.is_requester(user, ticket)
    context = {
        "object": ticket,
        "ticket": ticket,
        "fields": model_fields(
            ticket, TICKET_FIELDS + (SLA_FIELDS if is_manager else ()), user=user
        ),
        "timeline": timeline(ticket, user),
        "assets": ticket.assets.all(),
        "is_manager": is_manager,
        "is_requester": is_requester,
        "first_response_state": ticket.first_response_state(),
        "resolution_state": ticket.resolution_state(),
        "followup_form": (
            FollowUpForm(may_be_private=is_manager)
            if ticket.is_open and ticket_policy.can_follow_up(user, ticket)
            else None
        ),
        "back_url": reverse("helpdesk:ticket-list") if is_manager else reverse("helpdesk:portal"),
        "panels": panels_for(user, ticket),
    }
    if is_manager:
        context.update(
            assign_form=AssignForm(initial={"assignee": ticket.assignee_id}),
            status_form=StatusForm(ticket=ticket) if services.TRANSITIONS[ticket.status] else None,
            assets_form=LinkAssetsForm(user=user, ticket=ticket),
        )
    context["can_reopen"] = is_requester and ticket.status == "resolved"
    context["can_rate"] = (
        is_requester and ticket.status in {"resolved", "closed"} and ticket.satisfaction is None
    )
    return render(request, "helpdesk/ticket_detail.html", context)


@login_required
def ticket_create(request: HttpRequest) -> HttpResponse:
    """A technician opens a ticket for someone (phone call, e-mail, visit)."""
    user = _user(request)
    if not manages(user):
        raise PermissionDenied
    form = TicketForm(request.POST or None, request.FILES or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ticket = services.create_ticket(
                requester=data["requester"],
                title=data["title"],
                description=data["description"],
                by=user,
                source=data["source"],
                category=data["category"],
                urgency=data["urgency"],
                impact=data["impact"],
                site=data["site"],
                assets=data["assets"],
                needs_visit=data["needs_visit"],
                files=[data["file"]] if data.get("file") else [],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Ticket #%(number)s created.") % {"number": ticket.pk})
            return HttpResponseRedirect(ticket.get_absolute_url())
    return render(request, "helpdesk/ticket_form.html", {"form": form, "object": None})


@login_required
def ticket_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    ticket = ticket_policy.get_for_user(user, pk, Action.CHANGE)
    form = TicketEditForm(
        request.POST or None, instance=Ticket.objects.get(pk=ticket.pk), user=user
    )
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.fields}
        try:
            services.update_ticket(ticket=ticket, changes=changes, by=user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The ticket has been updated."))
            return HttpResponseRedirect(ticket.get_absolute_url())
    return render(request, "helpdesk/ticket_form.html", {"form": form, "object": ticket})


@require_POST
@login_required
def ticket_assign(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    ticket = ticket_policy.get_for_user(user, pk, Action.CHANGE)
    if "take" in request.POST:
        return _act(
            request, ticket, lambda: services.assign_ticket(ticket=ticket, assignee=user, by=user)
        )
    form = AssignForm(request.POST)
    if not form.is_valid():
        _refuse(request, ValidationError(list(form.errors["assignee"])))
        return HttpResponseRedirect(ticket.get_absolute_url())
    assignee = form.cleaned_data["assignee"]
    return _act(
        request, ticket, lambda: services.assign_ticket(ticket=ticket, assignee=assignee, by=user)
    )


@require_POST
@login_required
def ticket_status(request: HttpRequest, pk: int) -> HttpResponse:
    """Status changes: the IT team's, and the requester's own (reopen, accept)."""
    user = _user(request)
    ticket = ticket_policy.get_for_user(user, pk, Action.VIEW)
    status = request.POST.get("status", "")
    waiting_for = request.POST.get("waiting_for", "")
    return _act(
        request,
        ticket,
        lambda: services.change_ticket_status(
            ticket=ticket, status=status, by=user, waiting_for=waiting_for
        ),
    )


@require_POST
@login_required
def ticket_followup(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    ticket = ticket_policy.get_for_user(user, pk, Action.VIEW)
    form = FollowUpForm(request.POST, request.FILES, may_be_private=manages(user))
    if not form.is_valid():
        for errors in form.errors.values():
            _refuse(request, ValidationError(list(errors)))
        return HttpResponseRedirect(ticket.get_absolute_url())
    data = form.cleaned_data
    return _act(
        request,
        ticket,
        lambda: services.add_followup(
            ticket=ticket,
            text=data["text"],
            by=user,
            private=data.get("private", False),
            files=[data["file"]] if data.get("file") else [],
        ),
    )


@require_POST
@login_required
def ticket_assets(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    ticket = ticket_policy.get_for_user(user, pk, Action.CHANGE)
    form = LinkAssetsForm(request.POST, user=user, ticket=ticket)
    if not form.is_valid():
        _refuse(request, ValidationError(list(form.errors["assets"])))
        return HttpResponseRedirect(ticket.get_absolute_url())
    assets = form.cleaned_data["assets"]
    return _act(
        request, ticket, lambda: services.link_assets(ticket=ticket, assets=assets, by=user)
    )


@login_required
def ticket_satisfaction(request: HttpRequest, pk: int) -> HttpResponse:
    """The satisfaction question, asked to the requester once the ticket is resolved."""
    user = _user(request)
    ticket = ticket_policy.get_for_user(user, pk, Action.VIEW)
    if not ticket_policy.is_requester(user, ticket):
        raise PermissionDenied
    form = SatisfactionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        return _act(
            request,
            ticket,
            lambda: services.record_satisfaction(
                ticket=ticket, rating=data["rating"], comment=data["comment"], by=user
            ),
        )
    return render(request, "helpdesk/satisfaction.html", {"ticket": ticket, "form": form})


@require_GET
@login_required
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    """A ticket's file, to those who may see it (else 404), never shown inline."""
    attachment = attachment_policy.get_for_user(request.user, pk, Action.VIEW)
    path = attachments.stored_path(attachment.stored_name)
    if not path.is_file():
        raise Http404("attachment file missing")
    response = FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@require_GET
@login_required
def priority_matrix(request: HttpRequest) -> HttpResponse:
    """The urgency × impact table, for everyone to see how priorities are set."""
    levels = list(Level.choices)
    rows = [(label, PRIORITY_MATRIX[value - 1]) for value, label in levels]
    return render(request, "helpdesk/priority_matrix.html", {"levels": levels, "rows": rows})
