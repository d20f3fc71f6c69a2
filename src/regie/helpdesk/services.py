"""Every write on tickets: create, update, assign, change status, follow up, attach, rate.

Web pages, the portal, the API and the periodic job all call these functions, so the rules
(allowed transitions, who may do what, SLA clocks, notifications) hold whatever the door.
Each function checks its rules before writing anything: a refusal changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from regie.assets.models import Asset
from regie.assets.permissions import asset_policy
from regie.core.history import record_link_changes, save_with_history
from regie.core.models import ChangeSource, Role, User
from regie.core.permissions import manages
from regie.directory.models import Person, Site
from regie.helpdesk import attachments, notifications
from regie.helpdesk.choices import EventKind, TicketSource, TicketStatus, WaitingFor
from regie.helpdesk.models import Attachment, Category, FollowUp, Ticket, TicketEvent
from regie.helpdesk.permissions import ticket_policy
from regie.helpdesk.priority import priority_for
from regie.helpdesk.sla import end_pause, set_deadlines

S = TicketStatus

#: The status workflow: from each status, where a ticket may go.
TRANSITIONS: dict[str, frozenset[str]] = {
    S.NEW: frozenset({S.ASSIGNED, S.IN_PROGRESS, S.WAITING, S.RESOLVED}),
    S.ASSIGNED: frozenset({S.NEW, S.IN_PROGRESS, S.WAITING, S.RESOLVED}),
    S.IN_PROGRESS: frozenset({S.WAITING, S.RESOLVED}),
    S.WAITING: frozenset({S.IN_PROGRESS, S.RESOLVED}),
    S.RESOLVED: frozenset({S.CLOSED, S.REOPENED}),
    S.CLOSED: frozenset(),
    S.REOPENED: frozenset({S.ASSIGNED, S.IN_PROGRESS, S.WAITING, S.RESOLVED}),
}
# What the requester may do themselves: accept the solution (close) or reopen.
REQUESTER_TRANSITIONS = frozenset({(S.RESOLVED, S.CLOSED), (S.RESOLVED, S.REOPENED)})
# The clock stops in these statuses (see regie.helpdesk.sla).
PAUSED_STATUSES = frozenset({S.WAITING, S.RESOLVED, S.CLOSED})


class TicketConflict(Exception):
    """A change the ticket's current state does not allow (answered 409 by the API)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _status_label(value: str) -> str:
    return str(TicketStatus(value).label)


def _event(ticket: Ticket, kind: str, by: User | None, old: Any = "", new: Any = "") -> None:
    TicketEvent.objects.create(
        ticket=ticket, kind=kind, actor=by, old_value=str(old)[:200], new_value=str(new)[:200]
    )


def _locked(ticket: Ticket) -> Ticket:
    return Ticket.objects.select_for_update().select_related("requester").get(pk=ticket.pk)


def _clean(instance: Any) -> None:
    instance.full_clean()


# --- creation and edition ----------------------------------------------------------------------


def create_ticket(
    *,
    requester: Person,
    title: str,
    description: str,
    by: User,
    source: str = TicketSource.PORTAL,
    category: Category | None = None,
    urgency: int = 3,
    impact: int = 3,
    site: Site | None = None,
    assets: Iterable[Asset] = (),
    needs_visit: bool = False,
    files: Iterable[UploadedFile] = (),
    change_source: str = ChangeSource.WEB,
) -> Ticket:
    """Open a ticket for ``requester``; the requester's site is the default site."""
    if not ticket_policy.can_create_for(by, requester):
        raise PermissionDenied(_("You may only report tickets for yourself."))
    assets = list(assets)
    _check_assets_visible(by, assets)
    files = list(files)
    checked = [attachments.check_upload(upload) for upload in files]
    ticket = Ticket(
        requester=requester,
        created_by=by,
        source=source,
        title=title,
        description=description,
        category=category,
        urgency=urgency,
        impact=impact,
        site=site if site is not None else requester.site,
        needs_visit=needs_visit,
    )
    _clean(ticket)
    ticket.priority = priority_for(urgency=urgency, impact=impact)
    stored: list[str] = []
    try:
        with transaction.atomic():
            save_with_history(instance=ticket, by=by, source=change_source)
            set_deadlines(ticket, opened_at=ticket.created_at)
            ticket.save(
                update_fields=[
                    "first_response_due",
                    "first_response_warn_at",
                    "resolution_due",
                    "resolution_warn_at",
                ]
            )
            if assets:
                ticket.assets.set(assets)
            _event(ticket, EventKind.CREATED, by, new=ticket.get_source_display())
            for upload, check in zip(files, checked, strict=True):
                stored.append(attachments.store(upload))
                _attachment_row(ticket, None, check, stored[-1], by)
            notifications.queue("created", ticket.pk)
    except BaseException:
        for name in stored:
            attachments.discard(name)
        raise
    return ticket


def _check_assets_visible(by: User, assets: list[Asset]) -> None:
    visible = set(
        asset_policy.visible(by).filter(pk__in=[a.pk for a in assets]).values_list("pk", flat=True)
    )
    hidden = [asset for asset in assets if asset.pk not in visible]
    if hidden:
        raise ValidationError({"assets": _("You cannot link equipment you do not see.")})


#: Fields the IT team may edit directly (status and assignee have their own services).
EDITABLE_FIELDS = ("title", "description", "category", "urgency", "impact", "site", "needs_visit")


def update_ticket(
    *, ticket: Ticket, changes: dict[str, Any], by: User, source: str = ChangeSource.WEB
) -> Ticket:
    """Change the descriptive fields of a ticket; a new urgency or impact moves the SLA."""
    if not manages(by):
        raise PermissionDenied
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in unknown})
    with transaction.atomic():
        ticket = _locked(ticket)
        old_priority = ticket.priority
        for name, value in changes.items():
            setattr(ticket, name, value)
        _clean(ticket)
        ticket.priority = priority_for(urgency=ticket.urgency, impact=ticket.impact)
        if ticket.priority != old_priority:
            set_deadlines(ticket, opened_at=ticket.created_at)
            _event(
                ticket,
                EventKind.PRIORITY,
                by,
                f"P{old_priority}",
                f"P{ticket.priority}",
            )
        save_with_history(instance=ticket, by=by, source=source)
    return ticket


def link_assets(
    *, ticket: Ticket, assets: Iterable[Asset], by: User, source: str = ChangeSource.WEB
) -> Ticket:
    """Set the equipment a ticket is about."""
    if not manages(by):
        raise PermissionDenied
    assets = list(assets)
    _check_assets_visible(by, assets)
    with transaction.atomic():
        ticket = _locked(ticket)
        before = {"assets": {str(asset) for asset in ticket.assets.all()}}
        ticket.assets.set(assets)
        record_link_changes(instance=ticket, before=before, by=by, source=source)
        _event(ticket, EventKind.ASSETS, by, new=", ".join(sorted(str(a) for a in assets)))
    return ticket


# --- assignment and status ---------------------------------------------------------------------


def technicians() -> Any:
    """Who tickets can be assigned to: active administrators and technicians."""
    return User.objects.filter(is_active=True, role__in=[Role.ADMIN, Role.TECHNICIAN])


def assign_ticket(
    *, ticket: Ticket, assignee: User | None, by: User, source: str = ChangeSource.WEB
) -> Ticket:
    """Give the ticket to a technician (``None`` takes it back); a new ticket becomes
    "assigned", an assigned one without assignee becomes "new" again."""
    if not manages(by):
        raise PermissionDenied
    if assignee is not None and not technicians().filter(pk=assignee.pk).exists():
        raise ValidationError({"assignee": _("Tickets can only be assigned to technicians.")})
    with transaction.atomic():
        ticket = _locked(ticket)
        if not ticket.is_open:
            raise TicketConflict(
                _("A ticket that is “%(status)s” cannot be assigned.")
                % {"status": ticket.get_status_display()}
            )
        if ticket.assignee_id == (assignee.pk if assignee else None):
            return ticket
        old = ticket.assignee
        ticket.assignee = assignee
        old_status = ticket.status
        if assignee is not None and ticket.status in {S.NEW, S.REOPENED}:
            ticket.status = S.ASSIGNED
        elif assignee is None and ticket.status == S.ASSIGNED:
            ticket.status = S.NEW
        save_with_history(instance=ticket, by=by, source=source)
        _event(ticket, EventKind.ASSIGNED, by, old or "", assignee or "")
        if ticket.status != old_status:
            _event(
                ticket,
                EventKind.STATUS,
                by,
                _status_label(old_status),
                _status_label(ticket.status),
            )
        if assignee is not None and assignee != by:
            notifications.queue("assigned", ticket.pk)
    return ticket


def change_ticket_status(
    *,
    ticket: Ticket,
    status: str,
    by: User | None,
    waiting_for: str = "",
    source: str = ChangeSource.WEB,
    now: datetime | None = None,
) -> Ticket:
    """Move a ticket along the workflow (``TRANSITIONS``); ``by=None`` is the system.

    Refuses, changing nothing: a status the ticket cannot go to from its current one
    (``TicketConflict``), a user who may not make this move (``PermissionDenied``), missing
    details (``ValidationError``: whom a waiting ticket waits for, an assignee).
    """
    if status not in TicketStatus.values:
        raise ValidationError({"status": _("“%(value)s” is not a status.") % {"value": status}})
    with transaction.atomic():
        ticket = _locked(ticket)
        old = ticket.status
        if status not in TRANSITIONS[old]:
            raise TicketConflict(
                _("A ticket cannot go from “%(old)s” to “%(new)s”.")
                % {"old": _status_label(old), "new": _status_label(status)}
            )
        _check_may_move(ticket, old, status, by)
        if status == S.WAITING and waiting_for not in WaitingFor.values:
            raise ValidationError({"waiting_for": _("Say whom the ticket is waiting for.")})
        if status == S.ASSIGNED and ticket.assignee_id is None:
            raise ValidationError({"status": _("Assign the ticket to a technician first.")})
        now = now or timezone.now()
        _apply_status(ticket, old, status, by, now)
        ticket.waiting_for = waiting_for if status == S.WAITING else ""
        save_with_history(
            instance=ticket, by=by, source=source if by is not None else ChangeSource.SYSTEM
        )
        _event(ticket, EventKind.STATUS, by, _status_label(old), _status_label(status))
        if status == S.RESOLVED:
            notifications.queue("resolved", ticket.pk)
        elif status == S.REOPENED and ticket.assignee_id is not None:
            notifications.queue("reopened", ticket.pk)
    return ticket


def _check_may_move(ticket: Ticket, old: str, new: str, by: User | None) -> None:
    if by is None:
        if (old, new) != (S.RESOLVED, S.CLOSED):
            raise PermissionDenied
        return
    if manages(by):
        return
    if (old, new) in REQUESTER_TRANSITIONS and ticket_policy.is_requester(by, ticket):
        return
    raise PermissionDenied(_("You may not change the status of this ticket."))


def _apply_status(ticket: Ticket, old: str, new: str, by: User | None, now: datetime) -> None:
    ticket.status = new
    if old in PAUSED_STATUSES and new not in PAUSED_STATUSES:
        end_pause(ticket, now=now)
    if new in PAUSED_STATUSES and ticket.paused_since is None:
        ticket.paused_since = now
    if new == S.RESOLVED:
        ticket.resolved_at = now
    elif new == S.REOPENED:
        ticket.resolved_at = None
    elif new == S.CLOSED:
        ticket.closed_at = now
    if manages(by) and ticket.first_response_at is None and new != S.NEW:
        ticket.first_response_at = now


def close_resolved_tickets(*, now: datetime | None = None) -> list[int]:
    """Close the tickets resolved more than ``HELPDESK_AUTO_CLOSE_DAYS`` days ago."""
    now = now or timezone.now()
    limit = now - timedelta(days=settings.HELPDESK_AUTO_CLOSE_DAYS)
    closed = []
    for ticket in Ticket.objects.filter(status=S.RESOLVED, resolved_at__lte=limit):
        try:
            change_ticket_status(ticket=ticket, status=S.CLOSED, by=None, now=now)
        except TicketConflict:
            continue  # reopened meanwhile
        closed.append(ticket.pk)
    return closed


# --- follow-ups, files, satisfaction -----------------------------------------------------------


def add_followup(
    *,
    ticket: Ticket,
    text: str,
    by: User,
    private: bool = False,
    files: Iterable[UploadedFile] = (),
    source: str = ChangeSource.WEB,
) -> FollowUp:
    """Add a message (and files) to a ticket. Private ones are for the IT team only."""
    if not ticket_policy.can_follow_up(by, ticket):
        raise PermissionDenied(_("You may not follow up on this ticket."))
    if private and not manages(by):
        raise PermissionDenied(_("Only the IT team writes private follow-ups."))
    files = list(files)
    checked = [attachments.check_upload(upload) for upload in files]
    followup = FollowUp(ticket=ticket, author=by, text=text, private=private)
    _clean(followup)
    stored: list[str] = []
    try:
        with transaction.atomic():
            ticket = _locked(ticket)
            if ticket.status == S.CLOSED:
                raise TicketConflict(_("This ticket is closed; report a new one if needed."))
            followup.ticket = ticket
            followup.save()
            if manages(by) and not private and ticket.first_response_at is None:
                ticket.first_response_at = timezone.now()
                ticket.save(update_fields=["first_response_at", "updated_at"])
            for upload, check in zip(files, checked, strict=True):
                stored.append(attachments.store(upload))
                _attachment_row(ticket, followup, check, stored[-1], by)
            # A private note is never mailed.
            if not private and not ticket_policy.is_requester(by, ticket):
                notifications.queue("followup", ticket.pk, followup.pk)
            elif not private and ticket.assignee_id is not None:
                notifications.queue("requester_followup", ticket.pk, followup.pk)
    except BaseException:
        for name in stored:
            attachments.discard(name)
        raise
    return followup


def add_attachment(
    *, ticket: Ticket, upload: UploadedFile, by: User, private: bool = False
) -> Attachment:
    """Attach one file to a ticket, on a short follow-up naming it."""
    followup = add_followup(
        ticket=ticket,
        text=_("File attached: %(name)s") % {"name": upload.name},
        by=by,
        private=private,
        files=[upload],
    )
    return followup.attachments.get()


def _attachment_row(
    ticket: Ticket,
    followup: FollowUp | None,
    check: attachments.CheckedFile,
    stored_name: str,
    by: User,
) -> Attachment:
    return Attachment.objects.create(
        ticket=ticket,
        followup=followup,
        original_name=check.name,
        stored_name=stored_name,
        size=check.size,
        content_type=check.content_type,
        uploaded_by=by,
    )


def record_satisfaction(*, ticket: Ticket, rating: int, comment: str, by: User) -> Ticket:
    """The requester's mark (1–5) on a resolved or closed ticket; closes a resolved one."""
    if not ticket_policy.is_requester(by, ticket):
        raise PermissionDenied(_("Only the requester rates the handling of a ticket."))
    if isinstance(rating, bool) or not 1 <= rating <= 5:
        raise ValidationError({"satisfaction": _("Satisfaction is a mark from 1 to 5.")})
    with transaction.atomic():
        ticket = _locked(ticket)
        if ticket.status not in {S.RESOLVED, S.CLOSED}:
            raise TicketConflict(_("Only a resolved ticket can be rated."))
        if ticket.satisfaction is not None:
            raise TicketConflict(_("This ticket has already been rated."))
        if ticket.status == S.RESOLVED:
            change_ticket_status(ticket=ticket, status=S.CLOSED, by=by)
            ticket.refresh_from_db()
        ticket.satisfaction = rating
        ticket.satisfaction_comment = comment.strip()
        ticket.satisfaction_at = timezone.now()
        save_with_history(instance=ticket, by=by)
        _event(ticket, EventKind.SATISFACTION, by, new=f"{rating}/5")
    return ticket
