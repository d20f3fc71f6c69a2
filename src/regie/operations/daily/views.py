"""The "Aujourd'hui" page, its actions, and the main courante (``/today/log/``).

Access follows the round's policies: the IT team acts, readers read, correspondents see and
acknowledge the items of their sites, staff get 403.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from regie.core.continuity import active_mode
from regie.core.crud import CrudListView
from regie.core.models import User
from regie.operations.daily.filters import LogEntryFilterSet
from regie.operations.daily.forms import AcknowledgeForm, HandOverForm, NoteForm
from regie.operations.daily.models import COMMENT_MAX_LENGTH, LogEntry
from regie.operations.daily.permissions import acknowledgement_policy, log_entry_policy
from regie.operations.daily.rounds import current_round
from regie.operations.daily.services import acknowledge_item, add_log_entry, hand_over

TEMPLATE = "daily/today.html"
MENU_LABEL = gettext_lazy("Today")  # the main menu's entry (translated in this app's catalogue)


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101  # login_required ran first
    if not log_entry_policy.can_list(user):
        raise PermissionDenied
    return user


def _page(request: HttpRequest, user: User, status: int = 200, **extra: Any) -> TemplateResponse:
    context = {
        "round": current_round(user),
        "continuity_mode": active_mode(),
        "can_acknowledge": acknowledgement_policy.can_create(user),
        "can_write": log_entry_policy.can_create(user),
        "note_form": NoteForm(),
        "hand_over_form": HandOverForm(),
        "comment_max_length": COMMENT_MAX_LENGTH,
        **extra,
    }
    return TemplateResponse(request, TEMPLATE, context, status=status)


@require_GET
@login_required
def today(request: HttpRequest) -> HttpResponse:
    """Every source's items for this user, open ones first, and the last hand-over note."""
    return _page(request, _user(request))


@require_POST
@login_required
def acknowledge(request: HttpRequest) -> HttpResponse:
    """Acknowledge one item; htmx gets its section back, re-rendered from the sources."""
    user = _user(request)
    if not acknowledgement_policy.can_create(user):
        raise PermissionDenied
    form = AcknowledgeForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            acknowledge_item(
                user=user,
                item_key=form.cleaned_data["key"],
                source_key=form.cleaned_data["source"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
    else:
        error = " ".join(str(message) for errors in form.errors.values() for message in errors)
    failed = {
        "ack_error": error,
        "failed_source": request.POST.get("source", ""),
        "failed_key": request.POST.get("key", ""),
        "failed_comment": request.POST.get("comment", "") if error else "",
    }
    if request.htmx:  # type: ignore[attr-defined]  # set by HtmxMiddleware
        round_ = current_round(user, only=request.POST.get("source", ""))
        if not round_.sections:
            return HttpResponseBadRequest(_("Unknown section."))
        # htmx swaps only 2xx answers: the section comes back with the error beside the item.
        context = {
            "round": round_,
            "section": round_.sections[0],
            "can_acknowledge": True,
            "comment_max_length": COMMENT_MAX_LENGTH,
            **failed,
        }
        response = TemplateResponse(request, f"{TEMPLATE}#section", context)
        patch_vary_headers(response, ["HX-Request"])
        return response
    if error:
        return _page(request, user, status=400, **failed)
    messages.success(request, _("Item acknowledged."))
    return HttpResponseRedirect(reverse("daily:today"))


@require_POST
@login_required
def add_note(request: HttpRequest) -> HttpResponse:
    """A free note in the main courante, then back to the log."""
    user = _user(request)
    if not log_entry_policy.can_create(user):
        raise PermissionDenied
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            add_log_entry(user=user, text=form.cleaned_data["text"])
        except ValidationError as exc:
            form.add_error("text", exc)
    if not form.is_valid():
        return _page(request, user, status=400, note_form=form)
    messages.success(request, _("Note added to the log."))
    return HttpResponseRedirect(reverse("daily:log"))


@require_POST
@login_required
def write_hand_over(request: HttpRequest) -> HttpResponse:
    """The hand-over note: the next round lists what is new from now on."""
    user = _user(request)
    if not log_entry_policy.can_create(user):
        raise PermissionDenied
    form = HandOverForm(request.POST)
    if form.is_valid():
        try:
            hand_over(user=user, text=form.cleaned_data["text"])
        except ValidationError as exc:
            form.add_error("text", exc)
    if not form.is_valid():
        return _page(request, user, status=400, hand_over_form=form)
    messages.success(request, _("Hand-over note saved. Thank you, and see you soon."))
    return HttpResponseRedirect(reverse("daily:today"))


class LogView(CrudListView):
    """The main courante: newest first, by day, person and kind, paginated."""

    model = LogEntry
    policy = log_entry_policy
    namespace = "daily"
    slug = "log"
    template_name = "daily/log.html"
    filterset_class = LogEntryFilterSet
    columns = ()
    select_related = ("author", "acknowledgement", "site")

    def url_name(self, action: str) -> str:
        return "daily:log"

    def model_context(self) -> dict[str, Any]:
        can_write = self.policy.can_create(self.user)
        return {"list_url": reverse("daily:log"), "can_write": can_write, "note_form": NoteForm()}
