"""Write transactions on a SQLite file take turns through one lock beside the database: a
waiting writer goes on as soon as the holder commits or rolls back, and gives up with
"database is locked" after the database's timeout, as SQLite itself would."""

import sqlite3
import threading
import time

import django.db.transaction
import pytest
from django.db import IntegrityError, OperationalError, transaction
from django.db.utils import ConnectionHandler

from regie.core.sqlite.base import WriterLock

ALIAS = "writers"


@pytest.fixture(autouse=True)
def own_databases(django_db_blocker):
    """These tests use databases of their own, not the test database."""
    with django_db_blocker.unblock():
        yield


def connection_handler(monkeypatch, database):
    """Connections to ``database`` under ``ALIAS`` (one per thread), which ``atomic`` uses."""
    connections = ConnectionHandler(
        {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}, ALIAS: database}
    )
    monkeypatch.setattr(django.db.transaction, "connections", connections)
    return connections


@pytest.fixture
def handler(tmp_path, monkeypatch):
    """Connections to a SQLite file of its own."""
    path = tmp_path / "writers.sqlite3"
    connections = connection_handler(
        monkeypatch,
        {
            "ENGINE": "regie.core.sqlite",
            "NAME": str(path),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 0.5,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON;",
            },
        },
    )
    connection = connections[ALIAS]
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE note (id INTEGER PRIMARY KEY, text TEXT)")
        cursor.execute("CREATE TABLE parent (id INTEGER PRIMARY KEY)")
        cursor.execute(
            "CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER"
            " REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED)"
        )
    yield connections
    connections.close_all()


def in_thread(handler, work):
    """Run ``work(connection)`` on a connection of a new thread; its outcome or exception."""
    outcome = {}

    def run():
        connection = handler[ALIAS]
        try:
            outcome["value"] = work(connection)
        except Exception as error:  # noqa: BLE001  # handed to the test
            outcome["error"] = error
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


def write_note(connection, text):
    with transaction.atomic(using=ALIAS), connection.cursor() as cursor:
        cursor.execute("INSERT INTO note (text) VALUES (%s)", [text])
    return time.monotonic()


def notes(handler):
    with handler[ALIAS].cursor() as cursor:
        cursor.execute("SELECT text FROM note ORDER BY id")
        return [row[0] for row in cursor.fetchall()]


def test_a_waiting_writer_goes_on_as_soon_as_the_holder_commits(handler):
    holder = handler[ALIAS]
    with transaction.atomic(using=ALIAS):
        with holder.cursor() as cursor:
            cursor.execute("INSERT INTO note (text) VALUES ('first')")
        thread, outcome = in_thread(handler, lambda connection: write_note(connection, "second"))
        time.sleep(0.2)
        assert thread.is_alive()  # waiting for the lock, not failing
        committed_at = time.monotonic()
    thread.join(timeout=5)

    assert "error" not in outcome, outcome
    # It wrote right after the commit, not after a busy handler's back-off.
    assert outcome["value"] - committed_at < 0.1
    assert notes(handler) == ["first", "second"]
    assert holder.writer_lock is not None and not holder.writer_lock.held


def test_a_rollback_lets_the_next_writer_in(handler):
    holder = handler[ALIAS]
    with pytest.raises(RuntimeError), transaction.atomic(using=ALIAS):
        with holder.cursor() as cursor:
            cursor.execute("INSERT INTO note (text) VALUES ('rolled back')")
        raise RuntimeError

    thread, outcome = in_thread(handler, lambda connection: write_note(connection, "kept"))
    thread.join(timeout=5)

    assert "error" not in outcome, outcome
    assert notes(handler) == ["kept"]


def test_a_commit_refused_by_a_deferred_foreign_key_releases_the_lock(handler):
    holder = handler[ALIAS]
    with (
        pytest.raises(IntegrityError),
        transaction.atomic(using=ALIAS),
        holder.cursor() as cursor,
    ):
        cursor.execute("INSERT INTO child (parent_id) VALUES (42)")

    thread, outcome = in_thread(handler, lambda connection: write_note(connection, "after"))
    thread.join(timeout=5)

    assert "error" not in outcome, outcome
    assert notes(handler) == ["after"]
    with holder.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM child")
        assert cursor.fetchone() == (0,)


def test_a_writer_that_waits_past_the_timeout_gives_up_and_writes_nothing(handler):
    holder = handler[ALIAS]
    with transaction.atomic(using=ALIAS):
        with holder.cursor() as cursor:
            cursor.execute("INSERT INTO note (text) VALUES ('long transaction')")
        started = time.monotonic()
        thread, outcome = in_thread(handler, lambda connection: write_note(connection, "late"))
        thread.join(timeout=5)
        waited = time.monotonic() - started

    assert isinstance(outcome.get("error"), OperationalError)
    assert "database is locked" in str(outcome["error"])
    assert waited >= 0.5
    assert notes(handler) == ["long transaction"]
    # The one that gave up holds nothing: the next writer goes straight in.
    thread, outcome = in_thread(handler, lambda connection: write_note(connection, "next"))
    thread.join(timeout=5)
    assert "error" not in outcome, outcome


def test_the_lock_is_shared_by_processes_through_its_file(tmp_path):
    # Two handles on the same file stand for two processes: flock locks are per handle.
    path = str(tmp_path / "db.sqlite3-writer.lock")
    first, second = WriterLock(path), WriterLock(path)
    first.acquire(timeout=1)
    with pytest.raises(sqlite3.OperationalError, match="database is locked"):
        second.acquire(timeout=0.05)
    first.release()
    second.acquire(timeout=1)
    assert second.held and not first.held
    second.close()
    first.close()


def test_in_memory_databases_keep_sqlite_locking(monkeypatch):
    connections = connection_handler(
        monkeypatch, {"ENGINE": "regie.core.sqlite", "NAME": ":memory:"}
    )
    connection = connections[ALIAS]
    with transaction.atomic(using=ALIAS), connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    assert connection.writer_lock is None
    connections.close_all()
