"""Saving and deleting with a change history: every write of a user goes through here.

``save_with_history`` compares the stored row with the object about to be saved and writes
one :class:`ChangeRecord` per changed field, in the same transaction as the change.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from regie.core.models import ChangeAction, ChangeRecord, ChangeSource, User

M = TypeVar("M", bound=models.Model)

_NOT_TRACKED = {"created_at", "updated_at"}


def _tracked_fields(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return [
        field
        for field in model._meta.concrete_fields
        if not field.primary_key and field.name not in _NOT_TRACKED
    ]


def display_value(instance: models.Model, field: models.Field[Any, Any]) -> str:
    """How a value reads in the history: the related object's name, the choice's label."""
    value = field.value_from_object(instance)
    if value is None or value == "":
        return ""
    if field.is_relation:
        return str(getattr(instance, field.name))
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, list):  # a JSON list (licence names): its items, not its repr
        return ", ".join(str(item) for item in value)
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        # The same instant reads the same whoever saved it (a form in Paris, the API in UTC).
        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
    return str(value)


def _record(
    instance: models.Model, *, action: str, by: User | None, source: str, **values: str
) -> ChangeRecord:
    return ChangeRecord(
        content_type=ContentType.objects.get_for_model(type(instance)),
        object_id=instance.pk,
        object_repr=str(instance)[:200],
        action=action,
        actor=by,
        source=source,
        **values,
    )


def changed_fields(old: models.Model, new: models.Model) -> Iterable[models.Field[Any, Any]]:
    for field in _tracked_fields(type(new)):
        if field.value_from_object(old) != field.value_from_object(new):
            yield field


def save_with_history(
    *,
    instance: M,
    by: User | None,
    source: str = ChangeSource.WEB,
    before_save: Callable[[M], None] | None = None,
    after_insert: Callable[[M], None] | None = None,
) -> M:
    """Validate-free save of ``instance`` plus its history rows, in one transaction.

    Validation belongs to the caller (a form or a serializer ran ``full_clean``).
    ``before_save`` and ``after_insert`` let a model's service fill derived values (an
    inventory number) inside the same transaction.
    """
    model = type(instance)
    with transaction.atomic():
        if before_save is not None:
            before_save(instance)
        if instance.pk is None or instance._state.adding:
            instance.save()
            if after_insert is not None:
                after_insert(instance)
            _record(instance, action=ChangeAction.CREATE, by=by, source=source).save()
            return instance
        old = model._base_manager.select_for_update().get(pk=instance.pk)
        records = _update_records(old, instance, by=by, source=source)
        instance.save()
        ChangeRecord.objects.bulk_create(records)
    return instance


def _update_records(
    old: models.Model, instance: models.Model, *, by: User | None, source: str
) -> list[ChangeRecord]:
    """One unsaved "updated" history row per field that differs between ``old`` and
    ``instance`` (the stored row and the one about to be saved)."""
    return [
        _record(
            instance,
            action=ChangeAction.UPDATE,
            by=by,
            source=source,
            field=field.name,
            field_label=str(field.verbose_name)[:200],
            old_value=display_value(old, field),
            new_value=display_value(instance, field),
        )
        for field in changed_fields(old, instance)
    ]


def bulk_create_with_history(
    *, instances: list[M], by: User | None, source: str = ChangeSource.WEB
) -> list[M]:
    """Insert many new rows at once, one "created" history row each, in one transaction.

    For the writes of a whole territory at once (the continuity plan): a fixed number of
    queries instead of several per row. Validation belongs to the caller, as for
    :func:`save_with_history`; relations used by ``__str__`` should be set as objects.
    """
    if not instances:
        return []
    model = type(instances[0])
    with transaction.atomic():
        created = model._default_manager.bulk_create(instances)
        ChangeRecord.objects.bulk_create(
            _record(instance, action=ChangeAction.CREATE, by=by, source=source)
            for instance in created
        )
    return created


def bulk_update_with_history(
    *, instances: list[M], fields: list[str], by: User | None, source: str = ChangeSource.WEB
) -> list[M]:
    """Update ``fields`` of many rows at once with one history row per changed field."""
    if not instances:
        return []
    model = type(instances[0])
    by_name = {field.name: field for field in model._meta.concrete_fields}
    concrete = [by_name[name] for name in fields]
    with transaction.atomic():
        olds = model._base_manager.select_for_update().in_bulk([i.pk for i in instances])
        records = [
            record
            for instance in instances
            for record in _update_records(olds[instance.pk], instance, by=by, source=source)
        ]
        # One UPDATE per distinct set of new values (a plan sets the same "forwarded, since,
        # by" on a thousand lines): much faster than bulk_update's CASE per row.
        groups: dict[tuple[Any, ...], list[Any]] = defaultdict(list)
        for instance in instances:
            # A JSON list is not hashable: group on it as a tuple (stored as the same list).
            key = tuple(_hashable(getattr(instance, field.attname)) for field in concrete)
            groups[key].append(instance.pk)
        stamped = {"updated_at": timezone.now()} if "updated_at" in _field_names(model) else {}
        for key, pks in groups.items():
            values = {field.attname: value for field, value in zip(concrete, key, strict=True)}
            model._base_manager.filter(pk__in=pks).update(**values, **stamped)
        ChangeRecord.objects.bulk_create(records)
    return instances


def _hashable(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def _field_names(model: type[models.Model]) -> set[str]:
    return {field.name for field in model._meta.concrete_fields}


def many_to_many_names(model: type[models.Model]) -> set[str]:
    return {field.name for field in model._meta.many_to_many}


def linked_names(instance: models.Model, fields: Iterable[str]) -> dict[str, set[str]]:
    """The names currently linked through each of the many-to-many ``fields``."""
    return {name: {str(related) for related in getattr(instance, name).all()} for name in fields}


def record_link_changes(
    *,
    instance: models.Model,
    before: dict[str, set[str]],
    by: User | None,
    source: str = ChangeSource.WEB,
) -> None:
    """History rows for many-to-many links that changed since ``before`` (``linked_names``).

    ``save_with_history`` compares columns only; links (site correspondents, which are access
    rights) live in their own table, so the caller snapshots them before saving.
    """
    after = linked_names(instance, before)
    labels = {field.name: str(field.verbose_name) for field in instance._meta.many_to_many}
    ChangeRecord.objects.bulk_create(
        _record(
            instance,
            action=ChangeAction.UPDATE,
            by=by,
            source=source,
            field=name,
            field_label=labels[name][:200],
            old_value=", ".join(sorted(before[name])),
            new_value=", ".join(sorted(after[name])),
        )
        for name in before
        if before[name] != after[name]
    )


def delete_with_history(
    *, instance: models.Model, by: User | None, source: str = ChangeSource.WEB
) -> None:
    """Delete ``instance`` and record who did it; protected relations raise ProtectedError."""
    with transaction.atomic():
        record = _record(instance, action=ChangeAction.DELETE, by=by, source=source)
        instance.delete()
        record.save()


def history_of(instance: models.Model) -> models.QuerySet[ChangeRecord]:
    """The changes of one object, newest first, with their authors."""
    return ChangeRecord.objects.filter(
        content_type=ContentType.objects.get_for_model(type(instance)), object_id=instance.pk
    ).select_related("actor")
