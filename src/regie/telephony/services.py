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

from regie.core.encryption import decrypt
from regie.core.history import (
    bulk_create_with_history,
    bulk_update_with_history,
    history_of,
    save_with_history,
)
from regie.core.models import ChangeSource, User
from regie.directory.models import Person, Site
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


class TargetFinder:
    """``_target_for`` for many lines at once: every number a forwarding may go to, read in
    five queries (a plan for a whole territory lists a thousand lines). Same rules: an active
    forwarding wins, then the holder's mobile line, their mobile number, the site's fallback
    number, the department's on-call number."""

    def __init__(self) -> None:
        self.mobile_lines: dict[int, str] = {}
        for person_id, number in (
            Line.objects.filter(
                kind=LineKind.MOBILE, status=LineStatus.ACTIVE, person__isnull=False
            )
            .order_by("-pk")
            .values_list("person_id", "number")
        ):
            self.mobile_lines[person_id] = number  # the lowest id wins, as in mobile_target
        self.fallbacks = dict(SiteFallback.objects.values_list("site_id", "number"))
        self.on_call = dict(DepartmentOnCall.objects.values_list("department_id", "number"))
        active = Forwarding.objects.filter(active=True).exclude(target="")
        self.forwarded_lines = dict(active.filter(line__isnull=False).values_list("line", "target"))
        self.forwarded_extensions = dict(
            active.filter(extension__isnull=False).values_list("extension", "target")
        )
        self._mobiles: dict[str, str] = {}

    def _mobile(self, typed: str) -> str:
        """A directory mobile in E.164, "" when badly typed (normalised once per number)."""
        if typed not in self._mobiles:
            self._mobiles[typed] = ""
            with suppress(ValidationError):
                self._mobiles[typed] = normalise_number(typed)
        return self._mobiles[typed]

    def forwarded(self, kind: str, pk: int) -> str:
        forwarded = self.forwarded_lines if kind == "line" else self.forwarded_extensions
        return forwarded.get(pk, "")

    def for_holder(
        self,
        *,
        person_id: int | None,
        mobile: str,
        site_id: int | None,
        department_id: int | None,
    ) -> tuple[str, str]:
        """Where the calls of a line held by this person at this site go, if not forwarded."""
        if person_id is not None:
            if number := self.mobile_lines.get(person_id):
                return number, TargetSource.MOBILE_LINE
            if mobile and (number := self._mobile(mobile)):
                return number, TargetSource.PERSON_MOBILE
        if site_id is not None and (number := self.fallbacks.get(site_id)):
            return number, TargetSource.SITE_FALLBACK
        if person_id is not None and (number := self.on_call.get(department_id or 0)):
            return number, TargetSource.DEPARTMENT_ON_CALL
        return "", TargetSource.NONE

    def for_subject(
        self, person: Person | None, site: Site | None, subject: Line | Extension
    ) -> tuple[str, str]:
        kind = "line" if isinstance(subject, Line) else "extension"
        if forwarded := self.forwarded(kind, subject.pk):
            return forwarded, TargetSource.MANUAL
        if person is not None:
            site = site or person.site
        return self.for_holder(
            person_id=person.pk if person else None,
            mobile=person.mobile if person else "",
            site_id=site.pk if site else None,
            department_id=person.department_id if person else None,
        )


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
    targets = TargetFinder()
    with transaction.atomic():
        plan.items.filter(done_at__isnull=True).delete()
        kept_lines = set(plan.items.values_list("line", flat=True))
        kept_extensions = set(plan.items.values_list("extension", flat=True))
        items = []
        for line in office_lines(people=people, sites=sites).order_by("number"):
            if line.pk in kept_lines:
                continue
            target, origin = targets.for_subject(line.person, line.site, line)
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
            target, origin = targets.for_subject(extension.person, extension.site, extension)
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


def mark_items_done(
    *, plan: ContinuityPlan, by: User, source: str = ChangeSource.WEB
) -> list[ContinuityItem]:
    """Set, at once, the forwarding of every item of ``plan`` not done yet that has a target
    and whose line is not forwarded now (by hand or otherwise: that one is left alone and not
    marked done, so ending the plan never turns it off). A fixed number of queries, with the
    same history rows as :func:`set_forwarding`; returns the items marked done."""
    now = timezone.now()
    note = str(plan)[:255]
    with transaction.atomic():
        items = list(
            plan.items.select_for_update(of=("self",))
            .filter(done_at__isnull=True)
            .exclude(target="")
            # An extension's name holds its holder's (the history's "Forwarding of 1234
            # (Claire Martin)"): read with it, not once per extension.
            .select_related("line", "extension__person")
        )
        subjects = Forwarding.objects.select_for_update(of=("self",)).filter(
            Q(line__in=[item.line_id for item in items if item.line_id])
            | Q(extension__in=[item.extension_id for item in items if item.extension_id])
        )
        existing = {
            ("line", f.line_id) if f.line_id else ("extension", f.extension_id): f
            for f in subjects.select_related("line", "extension__person")
        }
        created, updated, done = [], [], []
        for item in items:
            key = ("line", item.line_id) if item.line_id else ("extension", item.extension_id)
            forwarding = existing.get(key)
            if forwarding is not None and forwarding.active and forwarding.target:
                continue
            if forwarding is None:
                forwarding = Forwarding(line=item.line, extension=item.extension)
                created.append(forwarding)
            else:
                updated.append(forwarding)
            forwarding.active, forwarding.target, forwarding.note = True, item.target, note
            forwarding.since, forwarding.by = now, by
            item.done_at, item.done_by = now, by
            done.append(item)
        bulk_create_with_history(instances=created, by=by, source=source)
        fields = ["active", "target", "note", "since", "by"]
        bulk_update_with_history(instances=updated, fields=fields, by=by, source=source)
        # The same moment and author for all: one UPDATE.
        ContinuityItem.objects.filter(pk__in=[item.pk for item in done]).update(
            done_at=now, done_by=by
        )
    return done


def end_plan_forwardings(*, plan: ContinuityPlan, by: User, source: str = ChangeSource.WEB) -> int:
    """The offices reopen: turn off the forwardings the plan set. Returns how many.

    Only what the plan set: a forwarding changed by hand since then (another target, or
    turned off and on again elsewhere) is left alone. One pass for the whole plan."""
    now = timezone.now()
    with transaction.atomic():
        items = plan.items.filter(done_at__isnull=False).select_related(
            "line__forwarding", "extension__forwarding", "extension__person"
        )
        ending = []
        for item in items:
            forwarding = item.current_forwarding
            if forwarding is not None and forwarding.target == item.target:
                forwarding.active, forwarding.note = False, str(plan)[:255]
                forwarding.since, forwarding.by = now, by
                ending.append(forwarding)
        fields = ["active", "note", "since", "by"]
        bulk_update_with_history(instances=ending, fields=fields, by=by, source=source)
    return len(ending)


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
