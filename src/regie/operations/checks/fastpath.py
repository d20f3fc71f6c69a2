"""The ping endpoint's hot path: :func:`services.record_ping` in three fixed SQL statements.

A job pinging is the one request Régie must answer by the thousand per second. The ORM
path spends most of its time building its three queries (about 5 ms a ping on SQLite),
far more than the database takes to run them. Here the same work is three constant
statements with bound parameters — one SELECT of the columns the decision needs by ping
code, one INSERT of the ping, one UPDATE of the check conditional on the status read —
written once per database vendor from the models' metadata (names quoted by the backend,
never a value spliced in). Values go through each field's ``get_db_prep_save`` and come
back through the backend's and the fields' converters, as the ORM does them.

Decisions are the ORM path's own (:func:`services._outcome`, ``Check.deadlines``…), so
both store exactly the same rows; the tests run the state machine through both. A change
of status (first ping, failure, recovery) or a status changed by someone else since the
read is rare and takes the ORM path: :func:`services.flip_check` records the one flip.
"""

from __future__ import annotations

import contextlib
import threading
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Field
from django.utils import timezone

from regie.operations.checks.models import Check, Ping, PingKind
from regie.operations.checks.services import (
    PING_FIELDS,
    PingRequest,
    RateLimited,
    _move_after_ping,
    _outcome,
    _ping_changes,
    _target_status,
)

# Ping columns in INSERT order (the ORM's ``Ping.objects.create`` of ``record_ping``).
PING_COLUMNS = (
    "check_obj",
    "at",
    "kind",
    "reason",
    "exit_status",
    "duration",
    "size",
    "remote_addr",
    "method",
    "user_agent",
    "body",
    "body_truncated",
)
# Check columns a ping sets: a start, or the end of a run (success or failure).
START_COLUMNS = ("last_start_at", "late_at", "down_at")
RUN_COLUMNS = ("last_ping_at", "last_duration", "late_at", "down_at")

Converter = Callable[[Any, Any, Any], Any]


@dataclass(frozen=True)
class _Statements:
    select: str
    insert: str
    update_start: str
    update_run: str
    attnames: tuple[str, ...]  # of the selected columns
    uuid_field: Field[Any, Any]
    insert_fields: list[Field[Any, Any]]
    start_fields: list[Field[Any, Any]]
    run_fields: list[Field[Any, Any]]
    # Per selected column: the converters the ORM would apply, and the expression they take.
    converters: tuple[tuple[tuple[Converter, ...], Any], ...]


# Built once per vendor, by whichever thread comes first (the same whichever it is); the
# converters belong to that thread's connection and only read settings.
_statements: dict[str, _Statements] = {}


def _fields(model: type[Any], names: Sequence[str]) -> list[Field[Any, Any]]:
    fields = [model._meta.get_field(name) for name in names]
    assert all(isinstance(f, Field) and f.concrete for f in fields)  # noqa: S101  # constants
    return fields


def _build() -> _Statements:
    quote = connection.ops.quote_name
    check_table = quote(Check._meta.db_table)
    # In the model's order: ``Model.from_db`` matches values to fields that way.
    selected = [field for field in Check._meta.concrete_fields if field.name in PING_FIELDS]
    columns = ", ".join(quote(field.column) for field in selected)
    uuid_field = _fields(Check, ["ping_uuid"])[0]
    select = f"SELECT {columns} FROM {check_table} WHERE {quote(uuid_field.column)} = %s"  # noqa: S608  # names from the models, values bound

    inserted = _fields(Ping, PING_COLUMNS)
    names = ", ".join(quote(field.column) for field in inserted)
    placeholders = ", ".join(["%s"] * len(inserted))
    insert = f"INSERT INTO {quote(Ping._meta.db_table)} ({names}) VALUES ({placeholders})"  # noqa: S608  # idem

    minute, count = (quote(f.column) for f in _fields(Check, ["rate_minute", "rate_count"]))
    pk, status = (quote(f.column) for f in _fields(Check, ["id", "status"]))

    def update(set_columns: Sequence[str]) -> str:
        assignments = ", ".join(f"{quote(f.column)} = %s" for f in _fields(Check, set_columns))
        return (
            f"UPDATE {check_table} SET {assignments}, "  # noqa: S608  # idem
            f"{count} = CASE WHEN {minute} = %s THEN {count} + 1 ELSE 1 END, {minute} = %s "
            f"WHERE {pk} = %s AND {status} = %s"
        )

    converters = []
    for field in selected:
        column = field.get_col(Check._meta.db_table)
        found = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
        converters.append((tuple(found), column))
    return _Statements(
        select=select,
        insert=insert,
        update_start=update(START_COLUMNS),
        update_run=update(RUN_COLUMNS),
        converters=tuple(converters),
        attnames=tuple(field.attname for field in selected),
        uuid_field=uuid_field,
        insert_fields=inserted,
        start_fields=_fields(Check, START_COLUMNS),
        run_fields=_fields(Check, RUN_COLUMNS),
    )


def _get_statements() -> _Statements:
    statements = _statements.get(connection.vendor)
    if statements is None:
        statements = _statements[connection.vendor] = _build()
    return statements


def _prepared(fields: Sequence[Field[Any, Any]], values: Sequence[Any]) -> list[Any]:
    """``values`` as the ORM sends them for ``fields`` (ints and None as they are)."""
    return [
        value if value is None or type(value) is int else field.get_db_prep_save(value, connection)
        for field, value in zip(fields, values, strict=True)
    ]


_thread_lock = threading.Lock()


@contextlib.contextmanager
def _one_writer() -> Iterator[None]:
    """On SQLite, one ping transaction at a time in this process.

    SQLite lets one connection write at a time; the others (a thread each in the web
    server) wait in its busy handler, which sleeps and polls (1 ms, then 2, 5, 10… up to
    100 ms) however soon the lock is free. Queuing the process's threads on a Python lock
    instead wakes the next one as soon as the previous commits; only the other web
    processes and the worker still meet in the busy handler.
    """
    if connection.vendor != "sqlite":
        yield
        return
    with _thread_lock:
        yield


def record_ping(*, code: uuid.UUID, ping: PingRequest, now: datetime | None = None) -> bool:
    """What :func:`services.record_ping` does, faster; ``False`` for an unknown code.

    Raises :class:`RateLimited` when the check has had too many pings this minute (nothing
    is stored then).
    """
    now = now or timezone.now()
    minute = int(now.timestamp() // 60)
    sql = _get_statements()
    with _one_writer(), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql.select, [sql.uuid_field.get_db_prep_value(code, connection)])
        row = cursor.fetchone()
        if row is None:
            return False
        values = []
        for value, (converters, expression) in zip(row, sql.converters, strict=True):
            for convert in converters:
                value = convert(value, expression, connection)
            values.append(value)
        check = Check.from_db(connection.alias, sql.attnames, values)
        if check.rate_minute == minute and check.rate_count >= settings.PING_RATE_LIMIT:
            raise RateLimited
        duration = None
        if check.is_running and ping.kind != PingKind.START:
            assert check.last_start_at is not None  # noqa: S101  # is_running says so
            duration = (now - check.last_start_at).total_seconds()
        kind, reason = _outcome(check, ping, duration)
        cursor.execute(
            sql.insert,
            _prepared(
                sql.insert_fields,
                [
                    check.pk,
                    now,
                    kind,
                    reason,
                    ping.exit_status,
                    duration,
                    ping.size,
                    ping.remote_addr,
                    ping.method,
                    ping.user_agent[:300],
                    ping.body,
                    ping.body_truncated,
                ],
            ),
        )
        changes = _ping_changes(check, kind=kind, now=now, duration=duration, minute=minute)
        if _target_status(check.status, kind) == check.status:
            if kind == PingKind.START:
                statement, fields = sql.update_start, sql.start_fields
            else:
                statement, fields = sql.update_run, sql.run_fields
            params = _prepared(fields, [changes[field.name] for field in fields])
            cursor.execute(statement, [*params, minute, minute, check.pk, check.status])
            if cursor.rowcount:
                return True
            check.refresh_from_db(fields=["status"])  # changed meanwhile: decide again
        _move_after_ping(check, kind=kind, reason=reason, now=now, changes=changes)
    return True
