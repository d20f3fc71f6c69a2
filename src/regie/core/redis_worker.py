"""The RQ worker class `regie worker` runs when the tasks are on Redis."""

from __future__ import annotations

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
