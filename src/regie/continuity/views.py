"""The continuity page, the declaration with its confirmation, the end, the kit, the message."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from regie.continuity.forms import DeclareForm, MessageTemplateForm
from regie.continuity.kit import kit_context
from regie.continuity.models import PLACEHOLDERS, MessageTemplate
from regie.continuity.permissions import can_declare, can_download_kit, can_see_page
from regie.continuity.services import (
    AlreadyDeclared,
    NotDeclared,
    active_activation,
    build_page,
    declare_plan,
    default_ends_on,
    end_plan,
)
from regie.core.history import save_with_history
from regie.core.models import User
from regie.field.continuity import plan_tomorrow


def _user(request: HttpRequest, allowed: Any) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101  # login_required ran first
    if not allowed(user):
        raise PermissionDenied
    return user


def _page_context(request: HttpRequest, user: User) -> dict[str, Any]:
    return {
        "page": build_page(user, fresh="fresh" in request.GET),
        "can_declare": can_declare(user),
        "can_download_kit": can_download_kit(user),
        "can_plan_round": can_download_kit(user),
    }


@require_GET
@login_required
def page(request: HttpRequest) -> HttpResponse:
    """The four sections with their numbers: who can work from home, the lines to forward,
    last night's jobs, the visits; printable."""
    user = _user(request, can_see_page)
    return TemplateResponse(request, "continuity/page.html", _page_context(request, user))


def _declare_page(
    request: HttpRequest, form: DeclareForm, status: int = 200, error: str = ""
) -> TemplateResponse:
    user = request.user
    assert isinstance(user, User)  # noqa: S101
    context = {**_page_context(request, user), "form": form, "error": error}
    return TemplateResponse(request, "continuity/declare.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def declare(request: HttpRequest) -> HttpResponse:
    """Confirm with an end date, then declare the plan (administrators only)."""
    user = _user(request, can_declare)
    if active_activation() is not None:
        return _declare_page(
            request,
            DeclareForm(),
            status=409,
            error=_("The continuity plan is already declared: end it before declaring it again."),
        )
    if request.method == "GET":
        return _declare_page(request, DeclareForm(initial={"ends_on": default_ends_on()}))
    form = DeclareForm(request.POST)
    if not form.is_valid():
        return _declare_page(request, form)
    try:
        activation = declare_plan(ends_on=form.cleaned_data["ends_on"], by=user)
    except ValidationError as exc:
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        return _declare_page(request, form)
    except AlreadyDeclared:
        return _declare_page(
            request,
            form,
            status=409,
            error=_("The continuity plan is already declared: end it before declaring it again."),
        )
    messages.success(
        request,
        _("The continuity plan is declared until %(date)s; %(count)d messages are queued.")
        % {"date": activation.ends_on.strftime("%d/%m/%Y"), "count": activation.messages_queued},
    )
    return HttpResponseRedirect(reverse("continuity:page"))


@require_POST
@login_required
def end(request: HttpRequest) -> HttpResponse:
    """End the plan: the forwardings it set are turned off; the record stays."""
    user = _user(request, can_declare)
    try:
        activation = end_plan(by=user)
    except NotDeclared:
        return TemplateResponse(
            request,
            "continuity/page.html",
            {**_page_context(request, user), "error": _("No continuity plan is in force.")},
            status=409,
        )
    ended = activation.results.get("ended", {}).get("telephony", {}).get("forwardings_ended", 0)
    messages.success(
        request,
        _("The continuity plan has ended; %(count)d forwardings have been turned off.")
        % {"count": ended},
    )
    return HttpResponseRedirect(reverse("continuity:page"))


@require_POST
@login_required
def plan_round(request: HttpRequest) -> HttpResponse:
    """Plan tomorrow's round in one click with every intervention waiting."""
    user = _user(request, can_download_kit)
    try:
        plan = plan_tomorrow(by=user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return HttpResponseRedirect(reverse("continuity:page") + "#section-field")
    messages.success(request, _("Tomorrow's round is planned."))
    return HttpResponseRedirect(plan.get_absolute_url())


@require_GET
@login_required
def kit(request: HttpRequest) -> HttpResponse:
    """The page, the contacts, the forwardings and the sites' access notes in one HTML file
    that opens without Régie (inline CSS, no script, no link to the server)."""
    user = _user(request, can_download_kit)
    html = render_to_string("continuity/kit.html", kit_context(user), request=None)
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    day = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="regie-continuite-{day}.html"'
    return response


@require_http_methods(["GET", "POST"])
@login_required
def message(request: HttpRequest) -> HttpResponse:
    """Edit the message sent to every staff member when the plan is declared."""
    user = _user(request, can_declare)
    template = MessageTemplate.current()
    form = MessageTemplateForm(request.POST or None, instance=template)
    if request.method == "POST" and form.is_valid():
        save_with_history(instance=form.save(commit=False), by=user)
        messages.success(request, _("The message has been saved."))
        return HttpResponseRedirect(reverse("continuity:page"))
    context = {"form": form, "placeholders": PLACEHOLDERS.items()}
    return TemplateResponse(request, "continuity/message.html", context)
