"""`regie serve`: migrate, then serve the web application and run the worker together."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from regie.core.database import refresh_planner_statistics


def _die_with_parent() -> None:
    """Ask Linux to end this child when `regie serve` dies, even by SIGKILL."""
    if sys.platform.startswith("linux"):
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


INVENTORY_AUTH_OFF_WARNING = (
    "WARNING: agent authentication is off (REGIE_INVENTORY_AUTH=false): anyone who reaches "
    "this server can send inventories and rewrite the assets they describe."
)


class Command(BaseCommand):
    help = "Apply migrations, then serve Régie (granian) and run its background worker."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("REGIE_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("REGIE_PORT", "8000")))
        parser.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("REGIE_WEB_WORKERS", "2")),
            help="Web server processes (default 2).",
        )
        parser.add_argument(
            "--task-workers",
            type=int,
            default=int(os.environ.get("REGIE_TASK_WORKERS", "2")),
            help="Background worker processes (default 2).",
        )
        parser.add_argument(
            "--no-worker", action="store_true", help="Do not start the background worker."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.INVENTORY_USERNAME:  # REGIE_INVENTORY_AUTH=false
            self.stderr.write(INVENTORY_AUTH_OFF_WARNING)
        if not 0 < options["port"] < 65536:
            raise CommandError(f"--port must be between 1 and 65535, got {options['port']}")
        if options["workers"] < 1:
            raise CommandError("--workers must be at least 1")
        if options["task_workers"] < 1:
            raise CommandError("--task-workers must be at least 1")
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        refresh_planner_statistics()
        children: list[subprocess.Popen[bytes]] = []
        if not options["no_worker"]:
            children.extend(
                subprocess.Popen(  # noqa: S603  # our own interpreter and module
                    [sys.executable, "-m", "regie.cli", "worker"], preexec_fn=_die_with_parent
                )
                for _ in range(options["task_workers"])
            )
        children.append(
            subprocess.Popen(  # noqa: S603  # arguments built from validated options
                self._granian_command(options), preexec_fn=_die_with_parent
            )
        )
        self.stdout.write(f"Régie : http://{options['host']}:{options['port']}/")

        def stop(signum: int, frame: Any) -> None:
            raise KeyboardInterrupt

        signal.signal(signal.SIGTERM, stop)
        try:
            while all(child.poll() is None for child in children):
                time.sleep(0.5)
            failed = [child.args for child in children if child.poll() not in (None, 0)]
            if failed:
                raise CommandError(f"a process stopped unexpectedly: {failed}")
        except KeyboardInterrupt:
            pass
        finally:
            for child in children:
                if child.poll() is None:
                    child.terminate()
            for child in children:
                try:
                    child.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    child.kill()

    def _granian_command(self, options: dict[str, Any]) -> list[str]:
        return [
            sys.executable,
            "-m",
            "granian",
            "--interface",
            "wsgi",
            "--host",
            options["host"],
            "--port",
            str(options["port"]),
            "--workers",
            str(options["workers"]),
            "--no-ws",
            # WSGI requests run on blocking threads; a few per process suit a 2-core server.
            "--backpressure",
            "16",
            "--respawn-failed-workers",
            "--static-path-route",
            settings.STATIC_URL.rstrip("/"),
            "--static-path-mount",
            str(settings.STATIC_ROOT),
            "regie.wsgi:application",
        ]
