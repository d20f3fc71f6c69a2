"""Writes of telephony that touch several rows or leave a trace: forwarding, continuity
plans, SIM codes; and the one read other apps use, ``line_continuity_for``."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from contextlib import suppress
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from regie.core.history import history_of, save_with_history
from regie.core.models import ChangeSource, User
from regie.directory.models import Person, Site
from regie.telephony.encryption import decrypt
from regie.telephony.models import (
    OFFICE_KINDS,
    ContinuityItem,
    ContinuityPlan,
    DepartmentOnCall,
    Extension,
    Forwarding,
    Line,
    LineKind,
    LineStatus,
    SecretReveal,
    SimCard,
    SiteFallback,
    TargetSource,
)
from regie.telephony.numbers import normalise_number
from regie.telephony.querysets import LineQuerySet


def _subject_lookup(subject: Line | Extension) -> dict[str, Line | Extension]:
    return {"line": subject} if isinstance(subject, Line) else {"extension": subject}


def set_forwarding(
    *,
    subject: Line | Extension,
    active: bool,
    target: str = "",
    note: str = "",
    by: User | None,
    source: str = ChangeSource.WEB,
) -> Forwarding:
    """Record that ``subject`` is (or no longer is) forwarded to ``target``.

    ``target`` is normalised to E.164 (ValidationError if it is not a number); turning the
    forwarding off keeps the last target for the record. Each changed field is a history row.
    """
    target = normalise_number(target) if target else ""
    with transaction.atomic():
        lookup = _subject_lookup(subject)
        forwarding = Forwarding.objects.select_for_update().filter(**lookup).first()
        if forwarding is None:
            forwarding = Forwarding(**lookup)
        changed = forwarding.active != active or (active and forwarding.target != target)
        forwarding.active = active
        if target:
            forwarding.target = target
        forwarding.note = note
        if changed or forwarding.pk is None:
            forwarding.since = timezone.now()
            forwarding.by = by
        forwarding.full_clean()
        return save_with_history(instance=forwarding, by=by, source=source)


# --- continuity plans ----------------------------------------------------------------------


def mobile_target(person: Person) -> tuple[str, str]:
    """The number a person's office calls go to: their mobile line, else their mobile."""
    mobile = (
        Line.objects.filter(person=person, kind=LineKind.MOBILE, status=LineStatus.ACTIVE)
        .order_by("pk")
        .values_list("number", flat=True)
        .first()
    )
    if mobile:
        return mobile, TargetSource.MOBILE_LINE
    if person.mobile:
        # A badly typed directory mobile is no target.
        with suppress(ValidationError):
            return normalise_number(person.mobile), TargetSource.PERSON_MOBILE
    return "", TargetSource.NONE


def _site_target(site: Site | None) -> tuple[str, str]:
    if site is None:
        return "", TargetSource.NONE
    fallback = SiteFallback.objects.filter(site=site).values_list("number", flat=True).first()
    return (fallback, TargetSource.SITE_FALLBACK) if fallback else ("", TargetSource.NONE)


def _department_target(person: Person | None) -> tuple[str, str]:
    if person is None or person.department_id is None:
        return "", TargetSource.NONE
    number = (
        DepartmentOnCall.objects.filter(department=person.department_id)
        .values_list("number", flat=True)
        .first()
    )
    return (number, TargetSource.DEPARTMENT_ON_CALL) if number else ("", TargetSource.NONE)


def _target_for(
    person: Person | None, site: Site | None, subject: Line | Extension
) -> tuple[str, str]:
    """The holder's mobile line, else the site's fallback number, else the department's
    on-call number; an active forwarding wins over all three (calls already go there)."""
    forwarding = Forwarding.objects.filter(**_subject_lookup(subject), active=True).first()
    if forwarding is not None and forwarding.target:
        # Already forwarded (by hand or by an earlier plan): that is where calls go.
        return forwarding.target, TargetSource.MANUAL
    if person is not None:
        number, origin = mobile_target(person)
        if number:
            return number, origin
        site = site or person.site
    number, origin = _site_target(site)
    if number:
        return number, origin
    return _department_target(person)


def office_lines(*, people: Iterable[Person], sites: Iterable[Site]) -> LineQuerySet:
    person_ids = [person.pk for person in people]
    site_ids = [site.pk for site in sites]
    return Line.objects.filter(
        Q(person__in=person_ids) | Q(site__in=site_ids),
        kind__in=OFFICE_KINDS,
        status=LineStatus.ACTIVE,
    ).select_related("person", "site")


def generate_plan_items(*, plan: ContinuityPlan) -> list[ContinuityItem]:
    """(Re)build the plan's items: every office line and extension of its people and sites,
    each to the person's mobile, else the site's fallback number, else the department's on-call
    number, else flagged "no target".
    Items already done are kept; lines already in the plan are not added twice."""
    people = list(plan.people.all())
    sites = list(plan.sites.all())
    with transaction.atomic():
        plan.items.filter(done_at__isnull=True).delete()
        kept_lines = set(plan.items.values_list("line", flat=True))
        kept_extensions = set(plan.items.values_list("extension", flat=True))
        items = []
        for line in office_lines(people=people, sites=sites).order_by("number"):
            if line.pk in kept_lines:
                continue
            target, origin = _target_for(line.person, line.site, line)
            items.append(
                ContinuityItem(
                    plan=plan,
                    line=line,
                    person=line.person,
                    site=line.site,
                    target=target,
                    target_source=origin,
                )
            )
        extensions = Extension.objects.filter(
            Q(person__in=[p.pk for p in people])
            | Q(site__in=[s.pk for s in sites])
            | Q(person__site__in=[s.pk for s in sites])
        ).select_related("person", "person__site", "site")
        for extension in extensions.order_by("number").distinct():
            if extension.pk in kept_extensions:
                continue
            target, origin = _target_for(extension.person, extension.site, extension)
            items.append(
                ContinuityItem(
                    plan=plan,
                    extension=extension,
                    person=extension.person,
                    site=extension.site or (extension.person.site if extension.person else None),
                    target=target,
                    target_source=origin,
                )
            )
        return ContinuityItem.objects.bulk_create(items)


def create_plan(
    *,
    title: str,
    starts_on: datetime.date,
    people: Iterable[Person],
    sites: Iterable[Site],
    notes: str = "",
    by: User | None,
) -> ContinuityPlan:
    with transaction.atomic():
        plan = ContinuityPlan(title=title, starts_on=starts_on, notes=notes, created_by=by)
        plan.full_clean()
        save_with_history(instance=plan, by=by)
        plan.people.set(list(people))
        plan.sites.set(list(sites))
        generate_plan_items(plan=plan)
    return plan


def mark_item_done(
    *, item: ContinuityItem, by: User, target: str = "", source: str = ChangeSource.WEB
) -> ContinuityItem:
    """Record that the forwarding of ``item`` is set, and set the line's forwarding state.

    A typed ``target`` replaces the proposed one (required when the plan had none)."""
    with transaction.atomic():
        item = ContinuityItem.objects.select_for_update().get(pk=item.pk)
        if target:
            item.target = normalise_number(target)
            item.target_source = TargetSource.MANUAL
        elif not item.target and (forwarding := item.current_forwarding) is not None:
            item.target = forwarding.target  # forwarded by hand since the plan was made
            item.target_source = TargetSource.MANUAL
        if not item.target:
            raise ValidationError({"target": _("Give the number to forward this line to.")})
        set_forwarding(
            subject=item.subject,
            active=True,
            target=item.target,
            note=str(item.plan),
            by=by,
            source=source,
        )
        item.done_at = timezone.now()
        item.done_by = by
        item.save(update_fields=["target", "target_source", "done_at", "done_by"])
    return item


def end_plan_forwardings(*, plan: ContinuityPlan, by: User) -> int:
    """The offices reopen: turn off the forwardings the plan set. Returns how many."""
    count = 0
    with transaction.atomic():
        for item in plan.items.filter(done_at__isnull=False).select_related("line", "extension"):
            forwarding = item.subject.forwarding
            # Only what the plan set: a forwarding changed by hand since then is left alone.
            if forwarding.active and forwarding.target == item.target:
                set_forwarding(subject=item.subject, active=False, note=str(plan), by=by)
                count += 1
    return count


# --- SIM codes -----------------------------------------------------------------------------

SECRET_FIELDS = ("pin_encrypted", "puk_encrypted")
# What the history shows for a changed code: never the code, never its ciphertext.
CHANGED_SECRET = "••••"  # noqa: S105  # a mask, not a password


def save_sim_card(*, sim_card: SimCard, by: User | None, source: str = ChangeSource.WEB) -> SimCard:
    """Save a SIM card with its history; a change of code is recorded without its value."""
    with transaction.atomic():
        save_with_history(instance=sim_card, by=by, source=source)
        history_of(sim_card).filter(field__in=SECRET_FIELDS).exclude(
            new_value=CHANGED_SECRET
        ).update(old_value="", new_value=CHANGED_SECRET)
    return sim_card


@dataclass(frozen=True)
class SimCodes:
    pin: str
    puk: str


def reveal_sim_codes(*, sim_card: SimCard, by: User, source: str = ChangeSource.WEB) -> SimCodes:
    """Decrypt a SIM card's codes for ``by`` and log the display (who, when, which card).

    The caller has checked ``sim_card_policy.can_reveal``."""
    codes = SimCodes(pin=decrypt(sim_card.pin_encrypted), puk=decrypt(sim_card.puk_encrypted))
    SecretReveal.objects.create(sim_card=sim_card, by=by, source=source)
    return codes


# --- what the remote-work readiness reads --------------------------------------------------


@dataclass(frozen=True)
class LineContinuity:
    """Whether a person's office calls reach them away from the office."""

    office_lines: int  # their active office lines and extensions
    forwarded: int  # how many of those are forwarded now
    softphone: bool  # an extension of theirs has a softphone

    @property
    def covered(self) -> bool:
        """A softphone, or every office line forwarded (nothing to forward counts too)."""
        return self.softphone or self.forwarded == self.office_lines


def line_continuity_for(person: Person) -> LineContinuity:
    """Is this person's office line forwarded, or do they have a softphone? (Two queries.)"""
    lines = Line.objects.filter(person=person, kind__in=OFFICE_KINDS, status=LineStatus.ACTIVE)
    line_states = list(lines.values_list("forwarding__active", flat=True))
    extensions = list(
        Extension.objects.filter(person=person).values_list("softphone", "forwarding__active")
    )
    return LineContinuity(
        office_lines=len(line_states) + len(extensions),
        forwarded=sum(1 for state in line_states if state)
        + sum(1 for _softphone, state in extensions if state),
        softphone=any(softphone for softphone, _state in extensions),
    )
