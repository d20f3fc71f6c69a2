"""The RQ worker class `regie worker` runs when the tasks are on Redis."""

from __future__ import annotations

import signal
from types import FrameType
from typing import Any

from django.db import close_old_connections
from rq.job import Job
from rq.queue import Queue
from rq.worker import SimpleWorker


class Worker(SimpleWorker):
    """Runs each task in the worker process, as the database backend's worker does.

    RQ's default worker forks a process per task: the fork would copy the heartbeat and
    scheduler threads' state, and every task would pay for opening a database connection.
    Here the connection is kept between tasks and checked before and after each one, so a
    restarted database or a connection a task broke does not fail the next task.
    """

    def execute_job(self, job: Job, queue: Queue) -> None:
        close_old_connections()
        try:
            super().execute_job(job, queue)
        finally:
            close_old_connections()

    def bootstrap(self, *args: Any, **kwargs: Any) -> None:
        # RQ registers the worker in Redis here, and installs its stop handlers only after
        # starting its scheduler: a SIGTERM in between would end the process at once and
        # leave the worker listed as alive. Until RQ's handlers take over, a stop signal asks
        # the work loop to stop before its first task.
        signal.signal(signal.SIGTERM, self._stop_before_work)
        signal.signal(signal.SIGINT, self._stop_before_work)
        super().bootstrap(*args, **kwargs)

    def _stop_before_work(self, signum: int, frame: FrameType | None) -> None:
        self._stop_requested = True

    def teardown(self) -> None:
        # `regie serve` passes on the stop signal its process group already had: a second
        # SIGTERM more than a second after the first is RQ's cold stop, which raises
        # SystemExit wherever the worker is, here included, and would leave the worker
        # listed as alive in Redis. Once tearing down, the worker finishes unregistering.
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        super().teardown()  # type: ignore[no-untyped-call]  # RQ leaves it untyped
