"""`regie worker`: runs background tasks and reports its heartbeat."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from regie.core.schedule import Scheduler
from regie.core.taskqueue import ensure_redis_answers, uses_redis, worker_queue_names
from regie.core.worker import Heartbeat, run_startup_hooks, wal_checkpointer


class Command(BaseCommand):
    help = "Run the background worker: queued tasks and periodic jobs."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="Seconds between polls for new tasks (database queue; Redis pushes them).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if uses_redis():
            ensure_redis_answers()
        run_startup_hooks()
        heartbeat = Heartbeat()
        heartbeat.start()
        scheduler = Scheduler()
        scheduler.start()
        checkpointer = wal_checkpointer()
        try:
            if uses_redis():
                # RQ stops warmly on SIGTERM/SIGINT: it finishes the task it runs, then returns.
                call_command(
                    "rqworker",
                    *worker_queue_names(),
                    job_class="django_tasks_rq.Job",
                    worker_class="regie.core.redis_worker.Worker",
                    name=heartbeat.worker_id,
                    # Also moves deferred tasks (run_after) to their queue when due.
                    with_scheduler=True,
                    # RQ's own lines at warnings only: django_tasks logs each task already.
                    verbosity=0,
                )
            else:
                call_command(
                    "db_worker", interval=options["interval"], worker_id=heartbeat.worker_id
                )
        finally:
            if checkpointer is not None:
                checkpointer.stop()
            scheduler.stop()
            heartbeat.stop()
