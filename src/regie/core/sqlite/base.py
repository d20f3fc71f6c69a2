"""Django's SQLite backend, with one writer lock shared by every process on the database.

SQLite lets one transaction write at a time. A transaction that finds the database locked
is put to sleep by SQLite's busy handler for growing periods (up to 100 ms) before it looks
again; meanwhile the writer commits and starts its next transaction, so under steady load
the sleeper keeps missing its turn: agents storing a report waited up to 0.5–1 s behind the
worker, and a second worker gained almost nothing. Here each write transaction (``BEGIN
IMMEDIATE``, which every ``atomic`` block is in Régie's settings) first takes an advisory
lock on a file beside the database, looking again every millisecond at most, and gives it
back as soon as the transaction ends. The lock is per connection (each has its own file
handle), so threads of one process wait for each other as processes do. A transaction that
cannot have it within the database's ``timeout`` fails with "database is locked", as SQLite
would. In-memory databases (the tests) have one process and keep SQLite's own locking.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import time
from typing import Any

from django.db.backends.sqlite3 import base

_FIRST_PAUSE = 0.00005  # seconds; doubled after each look, up to _LONGEST_PAUSE
_LONGEST_PAUSE = 0.001


class WriterLock:
    """An exclusive ``flock`` on ``path``, taken with a deadline."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.descriptor: int | None = None
        self.held = False

    def acquire(self, timeout: float) -> None:
        if self.descriptor is None:
            # flock needs no write access. The file is private like every file of the data
            # directory (0600): run Régie's commands as the service's account.
            self.descriptor = os.open(self.path, os.O_RDONLY | os.O_CREAT | os.O_CLOEXEC, 0o600)
        deadline = time.monotonic() + timeout
        pause = _FIRST_PAUSE
        while True:
            try:
                fcntl.flock(self.descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise sqlite3.OperationalError("database is locked") from None
                time.sleep(pause)
                pause = min(pause * 2, _LONGEST_PAUSE)
            else:
                self.held = True
                return

    def release(self) -> None:
        if self.held and self.descriptor is not None:
            fcntl.flock(self.descriptor, fcntl.LOCK_UN)
        self.held = False

    def close(self) -> None:
        self.release()
        if self.descriptor is not None:
            os.close(self.descriptor)
            self.descriptor = None


# django-stubs leaves out the wrapper's private hooks overridden here, hence the ignores.
class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.writer_lock: WriterLock | None = None

    def get_new_connection(self, conn_params: dict[str, Any]) -> Any:
        connection = super().get_new_connection(conn_params)
        if not self.is_in_memory_db():
            self.writer_lock = WriterLock(f"{self.settings_dict['NAME']}-writer.lock")
        return connection

    def _start_transaction_under_autocommit(self) -> None:
        lock = self.writer_lock
        if lock is None or lock.held:
            super()._start_transaction_under_autocommit()  # type: ignore[misc]
            return
        with self.wrap_database_errors:
            lock.acquire(float(self.settings_dict["OPTIONS"].get("timeout", 5)))
        try:
            super()._start_transaction_under_autocommit()  # type: ignore[misc]
        except BaseException:
            lock.release()
            raise

    def _release_unless_in_transaction(self) -> None:
        if self.writer_lock is not None and not (
            self.connection is not None and self.connection.in_transaction
        ):
            self.writer_lock.release()

    def _commit(self) -> None:
        try:
            super()._commit()  # type: ignore[misc]
        finally:
            # A COMMIT that failed (a deferred foreign key) leaves the transaction open
            # until the rollback that follows, which releases the lock.
            self._release_unless_in_transaction()

    def _rollback(self) -> None:
        try:
            super()._rollback()  # type: ignore[misc]
        finally:
            self._release_unless_in_transaction()

    def _close(self) -> None:
        try:
            super()._close()  # type: ignore[misc]
        finally:
            if self.writer_lock is not None:
                self.writer_lock.close()
                self.writer_lock = None
