"""Writes to the daily round's log: acknowledge an item, note something, hand over.

Each runs in one transaction, validates with ``full_clean()`` and checks the user's right to
write first (``PermissionDenied`` otherwise). Nothing here edits or deletes an entry: the
log is its own history.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from regie.core.models import User
from regie.operations.daily.models import Acknowledgement, HandOverNote, LogEntry, LogKind
from regie.operations.daily.permissions import acknowledgement_policy, log_entry_policy
from regie.operations.daily.rounds import find_item


class AlreadyAcknowledged(ValidationError):
    """Someone acknowledged this item first (the API answers 409)."""


def acknowledge_item(
    *, user: User, item_key: str, comment: str = "", source_key: str = ""
) -> Acknowledgement:
    """Mark the round item ``item_key`` as seen by ``user``, with an optional comment, and
    write it in the log.

    The item must be in the user's round right now (a stale or unknown key, or an item of
    another site for a correspondent, is a ``ValidationError`` on ``item_key``, and nothing
    is written). The comment may be empty: acknowledging a known situation needs no words.
    """
    if not acknowledgement_policy.can_create(user):
        raise PermissionDenied
    entry = find_item(user, item_key=item_key, source_key=source_key)
    if entry is None:
        raise ValidationError(
            {"item_key": _("This item is not in your round (any more). Reload the page.")}
        )
    item = entry.item
    with transaction.atomic():
        if Acknowledgement.objects.filter(source_key=entry.source.key, item_key=item.key).exists():
            raise AlreadyAcknowledged(
                {"item_key": _("This item has already been acknowledged.")}, code="conflict"
            )
        now = timezone.now()
        acknowledgement = Acknowledgement(
            source_key=entry.source.key,
            item_key=item.key,
            title=item.title[:300],
            url=item.url[:500],
            severity=item.severity,
            site_id=item.site_id,
            comment=comment.strip(),
            acknowledged_by=user,
            acknowledged_at=now,
        )
        acknowledgement.full_clean()
        acknowledgement.save()
        log = LogEntry(
            kind=LogKind.ACKNOWLEDGEMENT,
            at=now,
            author=user,
            text=acknowledgement.comment,
            acknowledgement=acknowledgement,
            site_id=item.site_id,
        )
        log.full_clean()
        log.save()
    return acknowledgement


def add_log_entry(*, user: User, text: str) -> LogEntry:
    """A free note in the main courante: "Appelé le prestataire pour le NAS de Melle"."""
    if not log_entry_policy.can_create(user):
        raise PermissionDenied
    with transaction.atomic():
        entry = LogEntry(kind=LogKind.NOTE, author=user, text=text.strip())
        entry.full_clean()
        entry.save()
    return entry


def hand_over(*, user: User, text: str) -> HandOverNote:
    """The hand-over note for the next person on duty. From now on the round's sources are
    asked for what is new since this note."""
    if not log_entry_policy.can_create(user):
        raise PermissionDenied
    with transaction.atomic():
        note = HandOverNote(kind=LogKind.HAND_OVER, author=user, text=text.strip())
        note.full_clean()
        note.save()
    return note
