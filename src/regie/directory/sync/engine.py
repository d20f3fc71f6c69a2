"""Syncing people, departments and accounts from a directory source.

:func:`sync` reads the source (or the ``entries`` given), loads what Régie holds in a few
queries, compares in memory and writes only the differences: bulk inserts and grouped
updates, each with its history rows (source "directory"), in one transaction. A dry run
computes the same change list and writes nothing but its run log.

People are matched on the directory's permanent id only. A person the directory no longer
returns is never deleted: they become inactive, and so does their account. Accounts created
here get an unusable password: they sign in through the directory.
"""

from __future__ import annotations

import datetime
import logging
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from regie.core.history import (
    bulk_create_with_history,
    bulk_update_with_history,
    display_value,
)
from regie.core.models import ChangeSource, User
from regie.directory.models import (
    LDAP_KINDS,
    Department,
    DirectorySource,
    DirectorySyncRun,
    Organisation,
    OrganisationKind,
    Person,
    Site,
    SourceKind,
    SyncStatus,
)
from regie.directory.sync.cloud import save_cloud_accounts
from regie.directory.sync.entries import DirectoryEntry

logger = logging.getLogger(__name__)

SOURCE = ChangeSource.DIRECTORY
# Account fields the directory writes, beside the person's.
USER_FIELDS = ("username", "first_name", "last_name", "email", "is_active", "role")


class Action:
    CREATE = "create"
    UPDATE = "update"
    DISABLE = "disable"
    GONE = "not_in_directory"


Reader = Callable[..., Iterator[DirectoryEntry]]


def reader(module: str, function: str) -> Reader:
    """A directory reader of ``regie.directory.sync``, imported when first needed: the LDAP
    and Graph client libraries load only for the sources that use them."""
    found: Reader = getattr(import_module(f"regie.directory.sync.{module}"), function)
    return found


def fetch_entries(
    source: DirectorySource, *, warnings: list[str] | None = None
) -> Iterator[DirectoryEntry]:
    """Read the source's directory (the readers are imported only when a source is read).
    ``warnings`` receives what Entra ID would not say (a missing permission)."""
    if source.kind in LDAP_KINDS:
        fetch_ldap: Reader = reader("ldap", "fetch_ldap")
        return fetch_ldap(source.ldap_settings())
    if source.kind == SourceKind.ENTRA:
        fetch_graph: Reader = reader("graph", "fetch_graph")
        return fetch_graph(source.graph_settings(), warnings=warnings)
    raise ValidationError(_("Unknown directory kind: %(kind)s.") % {"kind": source.kind})


def normalised(name: str) -> str:
    """A name compared without case, accents or repeated spaces ("Médiathèque  d'Oc")."""
    decomposed = unicodedata.normalize("NFKD", name)
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(bare.casefold().split())


@dataclass
class FieldChange:
    field: str
    label: str
    old: str
    new: str

    def as_json(self) -> dict[str, str]:
        return {"field": self.field, "label": self.label, "old": self.old, "new": self.new}


@dataclass
class PersonPlan:
    """What the sync does to one person: their desired values and what differs."""

    entry: DirectoryEntry | None
    person: Person
    action: str = ""
    person_fields: list[str] = field(default_factory=list)
    user_fields: list[str] = field(default_factory=list)
    changes: list[FieldChange] = field(default_factory=list)
    new_user: User | None = None
    manager: Person | None = None
    was_active: bool = True

    def as_json(self) -> dict[str, Any]:
        return {
            "action": self.action,
            "directory_id": self.person.directory_id,
            "person": self.person.full_name,
            "person_id": self.person.pk,
            "fields": [change.as_json() for change in self.changes],
        }


@dataclass
class Plan:
    source: DirectorySource
    people: list[PersonPlan] = field(default_factory=list)
    new_departments: dict[str, Department] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    unchanged: int = 0
    not_in_directory: int = 0

    def count(self, action: str) -> int:
        return sum(1 for plan in self.people if plan.action == action)


class _World:
    """Everything the sync compares against, read in a handful of queries."""

    def __init__(self, source: DirectorySource, entries: list[DirectoryEntry]) -> None:
        self.source = source
        synced = Person.objects.filter(directory_id__isnull=False).select_related("user")
        self.by_directory_id: dict[str, Person] = {p.directory_id or "": p for p in synced}
        emails = {entry.email.casefold() for entry in entries if entry.email}
        # A person typed by hand before the directory was connected is taken over through
        # their e-mail address (unique in Régie), not duplicated.
        self.unsynced_by_email: dict[str, Person] = {
            person.email.casefold(): person
            for person in Person.objects.filter(directory_id__isnull=True)
            .exclude(email="")
            .select_related("user")
            if person.email.casefold() in emails
        }
        self.departments = {normalised(d.name): d for d in Department.objects.all()}
        self.sites = {normalised(s.name): s for s in Site.objects.only("id", "name")}
        usernames = {entry.username.casefold() for entry in entries if entry.username}
        self.users_by_name: dict[str, User] = {
            user.username.casefold(): user
            for user in User.objects.filter(
                username__in=[entry.username for entry in entries if entry.username]
            )
            if user.username.casefold() in usernames
        }


def plan_sync(source: DirectorySource, entries: Iterable[DirectoryEntry]) -> Plan:
    """Compare the directory with Régie: the change list, nothing written."""
    plan = Plan(source=source)
    valid: list[DirectoryEntry] = []
    seen: set[str] = set()
    for entry in entries:
        if not entry.directory_id:
            plan.warnings.append(
                _("Account %(name)s has no permanent id: skipped.") % {"name": entry.username}
            )
        elif entry.directory_id in seen:
            raise ValidationError(
                _("The directory returned the id %(id)s twice.") % {"id": entry.directory_id}
            )
        else:
            seen.add(entry.directory_id)
            valid.append(entry)
    world = _World(source, valid)
    synced = source.synced_fields()
    unknown_sites: dict[str, int] = defaultdict(int)
    taken_usernames: set[str] = set()
    plans_by_id: dict[str, PersonPlan] = {}
    for entry in valid:
        person = world.by_directory_id.get(entry.directory_id)
        adopted = False
        if person is None:
            person = world.unsynced_by_email.get(entry.email.casefold()) if entry.email else None
            adopted = person is not None
        if person is None:
            person = Person(directory_id=entry.directory_id, directory_source=source)
            item = PersonPlan(entry=entry, person=person, action=Action.CREATE)
        else:
            item = PersonPlan(entry=entry, person=person, was_active=person.active)
            if adopted or person.directory_source_id != source.pk:
                item.person_fields += ["directory_id", "directory_source"]
                item.changes.append(
                    FieldChange("directory_id", _("directory id"), "", entry.directory_id)
                )
                person.directory_id = entry.directory_id
                person.directory_source = source
        wanted = _person_values(entry, world, plan, unknown_sites, synced)
        for name, value in wanted.items():
            _compare(item, person, name, value)
        _plan_account(item, entry, world, plan, taken_usernames)
        plans_by_id[entry.directory_id] = item
    # Managers: resolved once every person (old or new) of this run is known.
    for entry in valid:
        item = plans_by_id[entry.directory_id]
        if "manager" not in synced:
            continue
        manager_plan = plans_by_id.get(entry.manager_id) if entry.manager_id else None
        manager = manager_plan.person if manager_plan is not None else None
        if manager is None and entry.manager_id:
            manager = world.by_directory_id.get(entry.manager_id)
        _compare_manager(item, manager)
    for item in plans_by_id.values():
        if item.action == Action.CREATE:
            plan.people.append(item)
        elif item.person_fields or item.user_fields:
            disabled = "active" in item.person_fields and item.was_active and not item.person.active
            item.action = Action.DISABLE if disabled else Action.UPDATE
            plan.people.append(item)
        else:
            plan.unchanged += 1
    _plan_gone(plan, world, seen)
    for name, count in sorted(unknown_sites.items()):
        plan.warnings.append(
            ngettext(
                "Site “%(site)s” is unknown to Régie (%(count)s person): add it or rename it.",
                "Site “%(site)s” is unknown to Régie (%(count)s people): add it or rename it.",
                count,
            )
            % {"site": name, "count": count}
        )
    return plan


def _person_values(
    entry: DirectoryEntry,
    world: _World,
    plan: Plan,
    unknown_sites: dict[str, int],
    synced: frozenset[str],
) -> dict[str, Any]:
    first, last = entry.first_name, entry.last_name
    if not first and not last:
        last = entry.display_name or entry.username
    values: dict[str, Any] = {
        "first_name": first[:100],
        "last_name": last[:100],
        "email": entry.email[:254],
        "phone": entry.phone[:30],
        "mobile": entry.mobile[:30],
        "job_title": entry.job_title[:150],
        "active": entry.active,
    }
    if entry.department:
        key = normalised(entry.department)
        department = world.departments.get(key) or plan.new_departments.get(key)
        if department is None:
            department = Department(name=entry.department[:150])
            plan.new_departments[key] = department
        values["department"] = department
    else:
        values["department"] = None
    if entry.site:
        site = world.sites.get(normalised(entry.site))
        if site is None:
            unknown_sites[entry.site] += 1  # reported; the person's site stays as it is
        else:
            values["site"] = site
    else:
        values["site"] = None
    return {name: value for name, value in values.items() if name in synced}


def _compare(item: PersonPlan, person: Person, name: str, value: Any) -> None:
    model_field = Person._meta.get_field(name)
    assert isinstance(model_field, models.Field)  # noqa: S101  # a column of Person
    if model_field.is_relation:
        current = getattr(person, model_field.attname)
        same = value is not None and not value._state.adding and value.pk == current
        if same or (value is None and current is None):
            return
        old = display_value(person, model_field) if current is not None else ""
        new = str(value) if value is not None else ""
    else:
        if getattr(person, name) == value:
            return
        old = "" if person._state.adding else display_value(person, model_field)
        new = (_("yes") if value else _("no")) if isinstance(value, bool) else str(value)
    item.person_fields.append(name)
    item.changes.append(FieldChange(name, str(model_field.verbose_name), old, new))
    setattr(person, name, value)


def _compare_manager(item: PersonPlan, manager: Person | None) -> None:
    person = item.person
    item.manager = manager
    current = person.manager_id
    if manager is None and current is None:
        return
    if manager is not None and not manager._state.adding and manager.pk == current:
        return
    old = str(person.manager) if current is not None else ""
    item.changes.append(
        FieldChange("manager", _("manager"), old, manager.full_name if manager else "")
    )
    item.person_fields.append("manager")


def _plan_account(
    item: PersonPlan, entry: DirectoryEntry, world: _World, plan: Plan, taken: set[str]
) -> None:
    person = item.person
    role = plan.source.role_for(entry.groups)
    user = None if person._state.adding else person.user
    if user is None:
        if not entry.username:
            return
        key = entry.username.casefold()
        if key in world.users_by_name or key in taken:
            plan.warnings.append(
                _(
                    "The account name %(name)s is already used by another account: %(person)s is "
                    "synced without an account."
                )
                % {"name": entry.username, "person": person.full_name or entry.username}
            )
            return
        taken.add(key)
        item.new_user = User(
            username=entry.username[:150],
            first_name=entry.first_name[:150],
            last_name=entry.last_name[:150],
            email=entry.email,
            is_active=entry.active,
            role=role,
            password=make_password(None),  # unusable: these accounts sign in through the directory
        )
        item.changes.append(FieldChange("user", _("user account"), "", entry.username))
        return
    wanted: dict[str, Any] = {
        "first_name": entry.first_name[:150],
        "last_name": entry.last_name[:150],
        "email": entry.email,
        "is_active": entry.active,
    }
    if entry.username and entry.username != user.username:
        key = entry.username.casefold()
        other = world.users_by_name.get(key)
        if (other is None or other.pk == user.pk) and key not in taken:
            wanted["username"] = entry.username[:150]
            taken.add(key)
    # Without a group mapping the roles stay as set in Régie; a superuser keeps its powers
    # whatever the directory's groups say (the break-glass account).
    if plan.source.role_mapping and not user.is_superuser:
        wanted["role"] = role
    for name, value in wanted.items():
        if getattr(user, name) == value:
            continue
        model_field = User._meta.get_field(name)
        assert isinstance(model_field, models.Field)  # noqa: S101  # a column of User
        old = display_value(user, model_field)
        setattr(user, name, value)
        new = display_value(user, model_field)
        item.user_fields.append(name)
        label = _("account: %(field)s") % {"field": model_field.verbose_name}
        item.changes.append(FieldChange(f"user.{name}", label, old, new))


def _plan_gone(plan: Plan, world: _World, seen: set[str]) -> None:
    """The source's people the directory no longer returns: inactive, never deleted."""
    for directory_id, person in world.by_directory_id.items():
        if person.directory_source_id != plan.source.pk or directory_id in seen:
            continue
        plan.not_in_directory += 1
        user = person.user
        if not person.active and (user is None or not user.is_active):
            continue
        item = PersonPlan(entry=None, person=person, action=Action.GONE)
        if person.active:
            item.changes.append(FieldChange("active", _("active"), _("yes"), _("no")))
            person.active = False
            item.person_fields.append("active")
        if user is not None and user.is_active:
            item.changes.append(
                FieldChange("user.is_active", _("account: active"), _("yes"), _("no"))
            )
            user.is_active = False
            item.user_fields.append("is_active")
        plan.people.append(item)


def apply_plan(plan: Plan, *, by: User | None) -> None:
    """Write the plan: departments, accounts, people, then the changed fields, with history."""
    if plan.new_departments:
        organisation = plan.source.organisation or _root_organisation()
        for department in plan.new_departments.values():
            department.organisation = organisation
        bulk_create_with_history(
            instances=list(plan.new_departments.values()), by=by, source=SOURCE
        )
    new_users = [item.new_user for item in plan.people if item.new_user is not None]
    if new_users:
        bulk_create_with_history(instances=new_users, by=by, source=SOURCE)
    created = [item for item in plan.people if item.action == Action.CREATE]
    for item in created:
        person = item.person
        person.department = person.department  # the department's id, now it has one
        person.user = item.new_user
    if created:
        bulk_create_with_history(instances=[item.person for item in created], by=by, source=SOURCE)
    # A new person's manager may be another new person: set once both have ids.
    by_manager: dict[int, list[int]] = defaultdict(list)
    for item in created:
        if item.manager is not None:
            item.person.manager = item.manager
            by_manager[item.manager.pk].append(item.person.pk)
    for manager_pk, pks in by_manager.items():
        Person.objects.filter(pk__in=pks).update(manager_id=manager_pk)
    updates = [item for item in plan.people if item.action != Action.CREATE]
    for item in updates:
        if "manager" in item.person_fields:
            item.person.manager = item.manager
        if "department" in item.person_fields:
            item.person.department = item.person.department
        if item.new_user is not None:
            item.person.user = item.new_user
            item.person_fields.append("user")
    _grouped_update([(i.person, i.person_fields) for i in updates], by=by)
    _grouped_update([(i.person.user, i.user_fields) for i in updates if i.person.user], by=by)


def _grouped_update(rows: list[tuple[Any, list[str]]], *, by: User | None) -> None:
    """One bulk update per set of changed fields (fifty people disabled: one UPDATE)."""
    groups: dict[tuple[str, ...], list[Any]] = defaultdict(list)
    for instance, fields in rows:
        if fields:
            groups[tuple(sorted(set(fields)))].append(instance)
    for names, instances in groups.items():
        bulk_update_with_history(instances=instances, fields=list(names), by=by, source=SOURCE)


def _root_organisation() -> Organisation:
    root = (
        Organisation.objects.filter(parent__isnull=True)
        .order_by(
            models.Case(models.When(kind=OrganisationKind.INTERCOMMUNALITY, then=0), default=1),
            "pk",
        )
        .first()
    )
    if root is None:
        raise ValidationError(
            _(
                "No organisation to attach the new departments to: create one, or choose it on "
                "the source."
            )
        )
    return root


def sync(
    source: DirectorySource,
    *,
    dry_run: bool,
    entries: Iterable[DirectoryEntry] | None = None,
    by: User | None = None,
) -> DirectorySyncRun:
    """Sync ``source`` (from ``entries`` when given, else read from its directory) and log
    the run. A failure (unreachable server, bad configuration, refused write) leaves nothing
    half-written and is recorded as a failed run with its error."""
    run = DirectorySyncRun(source=source, dry_run=dry_run, started_at=timezone.now(), by=by)
    read_warnings: list[str] = []
    try:
        source.full_clean(exclude=["name"])
        read = list(fetch_entries(source, warnings=read_warnings) if entries is None else entries)
        with transaction.atomic():
            plan = plan_sync(source, read)
            if not dry_run:
                apply_plan(plan, by=by)
                if source.kind == SourceKind.ENTRA:
                    save_entra_accounts(read)
    except ValidationError as error:
        run.status = SyncStatus.FAILED
        run.error = " ".join(error.messages)
    except Exception as error:  # noqa: BLE001  # any reader or database failure is logged on the run
        logger.exception("directory sync of %s failed", source)
        run.status = SyncStatus.FAILED
        run.error = f"{type(error).__name__}: {error}"
    else:
        run.created = plan.count(Action.CREATE)
        run.updated = plan.count(Action.UPDATE)
        run.disabled = plan.count(Action.DISABLE)
        run.unchanged = plan.unchanged
        run.not_in_directory = plan.not_in_directory
        run.changes = [item.as_json() for item in plan.people]
        run.warnings = plan.warnings + read_warnings
    run.finished_at = timezone.now()
    run.save()
    return run


def save_entra_accounts(entries: list[DirectoryEntry]) -> None:
    """What Entra ID says of each synced person's MFA registration and licences (telework
    readiness reads it before the records typed or imported by hand)."""
    people = Person.objects.in_bulk(
        [entry.directory_id for entry in entries], field_name="directory_id"
    )
    save_cloud_accounts(
        accounts=[
            (people[entry.directory_id], entry) for entry in entries if entry.directory_id in people
        ]
    )


KEEP_QUIET_RUNS = datetime.timedelta(days=90)


def sync_enabled_sources(*, dry_run: bool = False) -> list[DirectorySyncRun]:
    """The periodic job: every enabled source, one after the other. Runs that changed nothing
    are kept 90 days (an hourly job would otherwise log 8,760 of them a year)."""
    runs = [
        sync(source, dry_run=dry_run)
        for source in DirectorySource.objects.filter(enabled=True).select_related("organisation")
    ]
    DirectorySyncRun.objects.filter(
        started_at__lt=timezone.now() - KEEP_QUIET_RUNS,
        status=SyncStatus.OK,
        created=0,
        updated=0,
        disabled=0,
    ).delete()
    return runs
