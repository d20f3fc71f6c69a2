"""The background worker's sign of life, read by /health."""

from __future__ import annotations

import os
import socket
import threading
import uuid
from collections.abc import Callable
from datetime import datetime

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

from regie.core.models import WorkerHeartbeat

_STARTUP_HOOKS: list[Callable[[], object]] = []


def on_worker_start(hook: Callable[[], object]) -> Callable[[], object]:
    """Run ``hook`` each time a worker starts, before it takes tasks.

    Apps use it to re-queue work a killed worker or server left behind; core knows nothing of
    what they re-queue.
    """
    _STARTUP_HOOKS.append(hook)
    return hook


def run_startup_hooks() -> None:
    for hook in _STARTUP_HOOKS:
        hook()


def beat(*, worker_id: str, started_at: datetime) -> None:
    """Record that the worker is alive now."""
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "hostname": socket.gethostname()[:255],
            "pid": os.getpid(),
            "started_at": started_at,
            "last_seen": timezone.now(),
        },
    )


class Heartbeat(threading.Thread):
    """Beats every ``WORKER_HEARTBEAT_SECONDS`` until stopped, on its own connection."""

    def __init__(self) -> None:
        super().__init__(name="regie-heartbeat", daemon=True)
        self.worker_id = f"{socket.gethostname()[:40]}-{os.getpid()}-{uuid.uuid4().hex[:6]}"
        self.started_at = timezone.now()
        self.stopping = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopping.is_set():
                try:
                    beat(worker_id=self.worker_id, started_at=self.started_at)
                except DatabaseError:
                    # A busy or restarting database must not kill the worker; /health will
                    # show the worker down if this lasts.
                    connection.close()
                self.stopping.wait(settings.WORKER_HEARTBEAT_SECONDS)
            WorkerHeartbeat.objects.filter(worker_id=self.worker_id).delete()
        finally:
            connection.close()

    def stop(self) -> None:
        self.stopping.set()
        self.join(timeout=5)


class WalCheckpointer(threading.Thread):
    """Checkpoints SQLite's write-ahead log every second, off the writers' path.

    Left to SQLite, the commit that pushes the WAL past its threshold copies it into the
    database file itself, inside the write lock every agent and the worker wait for (about
    15 ms a commit on a large inventory). A passive checkpoint here copies what no reader
    still needs, without blocking anyone. Does nothing on PostgreSQL.
    """

    def __init__(self) -> None:
        super().__init__(name="regie-wal-checkpoint", daemon=True)
        self.stopping = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopping.wait(1.0):
                try:
                    with connection.cursor() as cursor:
                        cursor.execute("PRAGMA wal_checkpoint(PASSIVE)")
                except DatabaseError:
                    connection.close()
        finally:
            connection.close()

    def stop(self) -> None:
        self.stopping.set()
        self.join(timeout=5)


def wal_checkpointer() -> WalCheckpointer | None:
    """A started checkpointer when the database is SQLite, else None."""
    if connection.vendor != "sqlite":
        return None
    checkpointer = WalCheckpointer()
    checkpointer.start()
    return checkpointer
