"""The database part of a backup: a consistent snapshot while Régie runs, and its restore.

SQLite: the online backup API copies the database in one step, inside one read transaction,
so the copy is the database as of one commit while writers go on (WAL). PostgreSQL:
``pg_dump --format=custom`` with the snapshot of a repeatable-read transaction in which the
rows are also counted, so the manifest's counts describe exactly what the dump holds.
"""

from __future__ import annotations

import glob
import os
import re
import shutil
import sqlite3
import subprocess  # noqa: S404  # pg_dump and pg_restore, fixed argument lists, no shell
from pathlib import Path
from typing import Any

from django.db import connection

from regie.backup.errors import BackupError

SQLITE_PART = "database/regie.sqlite3"
POSTGRESQL_PART = "database/regie.pgdump"
_SYSTEM_SCHEMAS = ("pg_catalog", "information_schema", "pg_toast")


def vendor() -> str:
    return str(connection.vendor)


def part_name() -> str:
    if vendor() == "sqlite":
        return SQLITE_PART
    if vendor() == "postgresql":
        return POSTGRESQL_PART
    raise BackupError(f"Backups support SQLite and PostgreSQL, not {vendor()}.")


def snapshot(target: Path) -> dict[str, int]:
    """Write a consistent copy of the database to ``target``; its row count per table."""
    if vendor() == "sqlite":
        return _sqlite_snapshot(target)
    return _postgresql_snapshot(target)


# --- SQLite ----------------------------------------------------------------------------------


def _sqlite_snapshot(target: Path) -> dict[str, int]:
    # A connection of its own, outside any transaction of Django's: Python's backup() waits
    # forever for a source its own connection has locked. Only an in-memory database (the
    # tests) is reachable through Django's connection alone.
    if connection.is_in_memory_db():  # type: ignore[attr-defined]  # SQLite wrapper's own
        connection.ensure_connection()
        source: sqlite3.Connection = connection.connection
    else:
        source = sqlite3.connect(sqlite_path(), timeout=20)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)  # every page in one step: one read transaction, one commit's state
        return sqlite_row_counts(copy)
    finally:
        copy.close()
        if source is not connection.connection:
            source.close()


def sqlite_row_counts(database: sqlite3.Connection) -> dict[str, int]:
    tables = [
        name
        for (name,) in database.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
    ]
    return {
        table: database.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]  # noqa: S608  # names from sqlite_master
        for table in tables
    }


def sqlite_path() -> Path:
    """The file of the configured SQLite database (never an in-memory one)."""
    if connection.is_in_memory_db():  # type: ignore[attr-defined]  # SQLite wrapper's own
        raise BackupError("Cannot restore into an in-memory SQLite database.")
    return Path(str(connection.settings_dict["NAME"]))


def check_sqlite_copy(path: Path, expected: dict[str, int]) -> None:
    """Refuse a restored file that is not a sound database with the manifest's row counts."""
    try:
        database = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            (verdict,) = database.execute("PRAGMA quick_check").fetchone()
            counts = sqlite_row_counts(database)
        finally:
            database.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"The archived database cannot be read: {exc}.") from None
    if verdict != "ok":
        raise BackupError(f"The archived database fails SQLite's check: {verdict}.")
    compare_counts(counts, expected)


def sqlite_target_state(path: Path) -> str | None:
    """Why ``path`` cannot receive a restore, or ``None`` when it holds nothing."""
    for candidate in (path, Path(f"{path}-wal")):
        if candidate.exists() and candidate.stat().st_size > 0:
            return f"{candidate} already exists"
    return None


# --- PostgreSQL ------------------------------------------------------------------------------


def _connection_parameters() -> dict[str, Any]:
    settings_dict = connection.settings_dict
    parameters: dict[str, Any] = {
        key: value
        for key, value in settings_dict.get("OPTIONS", {}).items()
        if isinstance(value, str | int) and not isinstance(value, bool)
    }
    for option in ("isolation_level", "assume_role", "server_side_binding", "pool"):
        parameters.pop(option, None)
    parameters |= {
        "dbname": settings_dict["NAME"],
        "user": settings_dict.get("USER") or None,
        "password": settings_dict.get("PASSWORD") or None,
        "host": settings_dict.get("HOST") or None,
        "port": settings_dict.get("PORT") or None,
    }
    return {key: value for key, value in parameters.items() if value is not None}


def _tool_environment() -> dict[str, str]:
    """pg_dump/pg_restore's connection through libpq's variables: no password in ``ps``."""
    parameters = _connection_parameters()
    names = {
        "dbname": "PGDATABASE",
        "user": "PGUSER",
        "password": "PGPASSWORD",
        "host": "PGHOST",
        "port": "PGPORT",
        "sslmode": "PGSSLMODE",
        "sslrootcert": "PGSSLROOTCERT",
        "sslcert": "PGSSLCERT",
        "sslkey": "PGSSLKEY",
    }
    environment = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
    for key, value in parameters.items():
        if key in names:
            environment[names[key]] = str(value)
    return environment


def _open_postgresql() -> Any:
    import psycopg

    return psycopg.connect(**_connection_parameters(), autocommit=True)


def postgresql_tool(name: str, server_version: int) -> str:
    """The newest ``name`` (pg_dump, pg_restore) found, if not older than the server."""
    candidates = set(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if found := shutil.which(name):
        candidates.add(found)
    versions: dict[str, int] = {}
    for candidate in candidates:
        result = subprocess.run(  # noqa: S603  # a PostgreSQL client program, fixed arguments
            [candidate, "--version"], capture_output=True, text=True, check=False
        )
        if match := re.search(r"(\d+)(?:\.\d+)?", result.stdout):
            versions[candidate] = int(match.group(1))
    if not versions:
        raise BackupError(f"{name} is not installed (package postgresql-client).")
    best = max(versions, key=lambda candidate: versions[candidate])
    server_major = server_version // 10000
    if versions[best] < server_major:
        raise BackupError(
            f"{name} {versions[best]} is older than the PostgreSQL {server_major} server: "
            f"install postgresql-client-{server_major}."
        )
    return best


def _postgresql_snapshot(target: Path) -> dict[str, int]:
    with _open_postgresql() as database:
        server_version = database.info.server_version
        pg_dump = postgresql_tool("pg_dump", server_version)
        with database.transaction():
            database.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            (snapshot_id,) = database.execute("SELECT pg_export_snapshot()").fetchone()
            counts = _postgresql_row_counts(database)
            result = subprocess.run(  # noqa: S603  # pg_dump, fixed arguments
                [
                    pg_dump,
                    "--format=custom",
                    f"--snapshot={snapshot_id}",
                    "--no-password",
                    f"--file={target}",
                ],
                env=_tool_environment(),
                capture_output=True,
                text=True,
                check=False,
            )
    if result.returncode != 0:
        raise BackupError(f"pg_dump failed: {result.stderr.strip() or result.returncode}")
    return counts


def _postgresql_row_counts(database: Any) -> dict[str, int]:
    tables = database.execute(
        "SELECT schemaname, tablename FROM pg_tables WHERE schemaname <> ALL(%s) "
        "ORDER BY schemaname, tablename",
        (list(_SYSTEM_SCHEMAS),),
    ).fetchall()
    counts = {}
    for schema, table in tables:
        key = table if schema == "public" else f"{schema}.{table}"
        query = f'SELECT COUNT(*) FROM "{schema}"."{table}"'  # noqa: S608  # names from pg_tables
        counts[key] = database.execute(query).fetchone()[0]
    return counts


def postgresql_row_counts() -> dict[str, int]:
    with _open_postgresql() as database:
        return _postgresql_row_counts(database)


def postgresql_target_state() -> str | None:
    """Why the configured database cannot receive a restore, or ``None`` when it is empty."""
    with _open_postgresql() as database:
        (tables,) = database.execute(
            "SELECT COUNT(*) FROM pg_tables WHERE schemaname <> ALL(%s)", (list(_SYSTEM_SCHEMAS),)
        ).fetchone()
        name = database.info.dbname
    return f"the database {name} already has {tables} tables" if tables else None


def restore_postgresql(dump: Path) -> None:
    with _open_postgresql() as database:
        pg_restore = postgresql_tool("pg_restore", database.info.server_version)
    result = subprocess.run(  # noqa: S603  # pg_restore, fixed arguments
        [
            pg_restore,
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            "--no-password",
            f"--dbname={connection.settings_dict['NAME']}",
            str(dump),
        ],
        env=_tool_environment(),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed: {result.stderr.strip() or result.returncode}")


def compare_counts(found: dict[str, int], expected: dict[str, int]) -> None:
    if found != expected:
        different = sorted(
            table
            for table in found.keys() | expected.keys()
            if found.get(table) != expected.get(table)
        )
        details = ", ".join(
            f"{table} {found.get(table, 'missing')} instead of {expected.get(table, 'none')}"
            for table in different[:5]
        )
        raise BackupError(f"The restored rows differ from the manifest: {details}.")
