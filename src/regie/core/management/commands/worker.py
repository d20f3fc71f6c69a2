"""`regie worker`: runs background tasks and reports its heartbeat."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from regie.core.schedule import Scheduler
from regie.core.worker import Heartbeat, run_startup_hooks


class Command(BaseCommand):
    help = "Run the background worker: queued tasks and periodic jobs."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--interval", type=float, default=1.0, help="Seconds between polls for new tasks."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        run_startup_hooks()
        heartbeat = Heartbeat()
        heartbeat.start()
        scheduler = Scheduler()
        scheduler.start()
        try:
            call_command("db_worker", interval=options["interval"], worker_id=heartbeat.worker_id)
        finally:
            scheduler.stop()
            heartbeat.stop()
