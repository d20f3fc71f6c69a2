"""The staff portal: my tickets, report a problem, my equipment. Simple and phone-friendly."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _

from regie.assets.permissions import asset_policy
from regie.core.forms import add_service_errors
from regie.directory.models import Person
from regie.helpdesk import services
from regie.helpdesk.choices import TicketSource
from regie.helpdesk.forms import PortalTicketForm
from regie.helpdesk.permissions import ticket_policy
from regie.helpdesk.views import _user


@login_required
def portal(request: HttpRequest) -> HttpResponse:
    """The tickets I asked for and the equipment assigned to me."""
    user = _user(request)
    return render(
        request,
        "helpdesk/portal.html",
        {
            "tickets": ticket_policy.visible(user).filter(requester__user=user)[:100],
            "site_tickets": (
                ticket_policy.visible(user).exclude(requester__user=user).open()[:100]
                if user.role == "correspondent"
                else []
            ),
            "equipment": asset_policy.visible(user).filter(assigned_to__user=user),
            "can_report": ticket_policy.can_create(user),
        },
    )


@login_required
def portal_new(request: HttpRequest) -> HttpResponse:
    """Report a problem, for myself (not for a reader: they change nothing)."""
    user = _user(request)
    if not ticket_policy.can_create(user):
        raise PermissionDenied
    person = Person.objects.filter(user=user).select_related("site").first()
    if person is None:
        raise PermissionDenied(_("Your account is not linked to a person of the directory."))
    form = PortalTicketForm(request.POST or None, request.FILES or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ticket = services.create_ticket(
                requester=person,
                title=data["title"],
                description=data["description"],
                by=user,
                source=TicketSource.PORTAL,
                category=data["category"],
                urgency=data["urgency"],
                assets=data["assets"],
                files=[data["file"]] if data.get("file") else [],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Your request has been registered as ticket #%(number)s.")
                % {"number": ticket.pk},
            )
            return HttpResponseRedirect(ticket.get_absolute_url())
    return render(request, "helpdesk/portal_new.html", {"form": form})
