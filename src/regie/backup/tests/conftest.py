"""Régie instances for backup tests: a data directory and a database each, run as ``regie``
subprocesses, on the database the tests are configured with (SQLite or PostgreSQL).

A source instance starts as a clone of the migrated test database (the SQLite backup API,
or PostgreSQL's CREATE DATABASE … TEMPLATE), which saves a migration per test.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from django.db import connection, connections

from regie.backup.databases import sqlite_row_counts


@dataclass
class Instance:
    data_dir: Path
    database: str | None  # PostgreSQL database name; None on SQLite

    @property
    def env(self) -> dict[str, str]:
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DATABASE_URL", "REGIE_SECRET_KEY", "REGIE_FIELD_ENCRYPTION"))
        }
        env |= {"REGIE_DATA_DIR": str(self.data_dir), "DJANGO_SETTINGS_MODULE": "regie.settings"}
        if self.database is not None:
            env["DATABASE_URL"] = postgresql_url(self.database)
        return env

    def regie(self, *arguments: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "regie.cli", *arguments],
            env=self.env,
            capture_output=True,
            text=True,
            check=False,
        )

    def table_rows(self) -> dict[str, list[str]]:
        """Every table's rows, each as its repr, sorted: two equal results are equal data."""
        if self.database is None:
            file = sqlite3.connect(self.data_dir / "regie.sqlite3")
            try:
                return {
                    table: sorted(map(repr, file.execute(f'SELECT * FROM "{table}"')))  # noqa: S608  # names from the schema
                    for table in sqlite_row_counts(file)
                }
            finally:
                file.close()
        with open_postgresql(self.database) as database:
            tables = database.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            ).fetchall()
            return {
                table: sorted(map(repr, database.execute(f'SELECT * FROM "{table}"').fetchall()))  # noqa: S608  # names from the schema
                for (table,) in tables
            }

    def table_count(self) -> int:
        if self.database is None:
            path = self.data_dir / "regie.sqlite3"
            if not path.exists():
                return 0
            file = sqlite3.connect(path)
            try:
                return len(sqlite_row_counts(file))
            finally:
                file.close()
        with open_postgresql(self.database) as database:
            (count,) = database.execute(
                "SELECT COUNT(*) FROM pg_tables WHERE schemaname = 'public'"
            ).fetchone()
            return int(count)


def postgresql_url(name: str) -> str:
    settings_dict = connection.settings_dict
    user = quote(settings_dict.get("USER") or "")
    password = settings_dict.get("PASSWORD")
    credentials = f"{user}:{quote(password)}@" if password else f"{user}@"
    port = settings_dict.get("PORT") or 5432
    return f"postgresql://{credentials}{settings_dict.get('HOST') or '127.0.0.1'}:{port}/{name}"


def open_postgresql(name: str) -> psycopg.Connection:
    settings_dict = connection.settings_dict
    return psycopg.connect(
        dbname=name,
        user=settings_dict.get("USER") or None,
        password=settings_dict.get("PASSWORD") or None,
        host=settings_dict.get("HOST") or None,
        port=settings_dict.get("PORT") or None,
        autocommit=True,
    )


@pytest.fixture
def instances(tmp_path, transactional_db, django_db_blocker):
    """``make(name, blank=False)``: a new instance; blank ones have an empty database."""
    created: list[str] = []
    vendor = connection.vendor
    test_database = connection.settings_dict["NAME"]

    def make(name: str, *, blank: bool = False) -> Instance:
        data_dir = tmp_path / name
        if vendor == "sqlite":
            if not blank:
                data_dir.mkdir(mode=0o700)
                with django_db_blocker.unblock():
                    connection.ensure_connection()
                    copy = sqlite3.connect(data_dir / "regie.sqlite3")
                    connection.connection.backup(copy)
                    copy.close()
            return Instance(data_dir=data_dir, database=None)
        database = f"{test_database}_{name}"
        with django_db_blocker.unblock():
            connections.close_all()  # a template database must have no session
            with open_postgresql("postgres") as server:
                server.execute(f'DROP DATABASE IF EXISTS "{database}"')
                template = "template0" if blank else test_database
                server.execute(f'CREATE DATABASE "{database}" TEMPLATE "{template}"')
        created.append(database)
        return Instance(data_dir=data_dir, database=database)

    yield make
    if created:
        with django_db_blocker.unblock(), open_postgresql("postgres") as server:
            for database in created:
                server.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
