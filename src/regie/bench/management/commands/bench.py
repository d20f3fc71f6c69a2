"""``regie bench NAME``: run a benchmark in a throw-away SQLite database, never the user's.

The command re-executes itself in a subprocess whose ``REGIE_DATA_DIR`` is a fresh temporary
directory and whose environment has no ``DATABASE_URL``; the subprocess migrates an empty
database there, runs the benchmark, prints one line per measurement and, last, one JSON
object with every result. The directory is deleted afterwards.
"""

from __future__ import annotations

import inspect
import json
import os
import subprocess  # noqa: S404  # runs this same command in a child Python, no shell
import sys
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from regie.bench.benchmarks import BENCHMARKS

CHILD_FLAG = "REGIE_BENCH_CHILD"
MARKER = ".regie-bench"
# Variables that could point the child at a real database.
REMOVED_VARIABLES = ("DATABASE_URL", "DATABASE_URL_FILE")
# Options passed as text (the others are sizes, whole numbers of at least 1).
STRING_OPTIONS = ("ldap_url", "ldap_base_dn", "ldap_bind_dn")


class Command(BaseCommand):
    help = "Run a benchmark in a temporary database. Benchmarks: " + "; ".join(
        f"{name} — {description}" for name, (description, _run) in sorted(BENCHMARKS.items())
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", choices=sorted(BENCHMARKS), help="which benchmark to run")
        parser.add_argument(
            "--assets", type=int, default=100_000, help="assets to generate (default 100000)"
        )
        parser.add_argument(
            "--requests",
            type=int,
            default=200,
            help="timed requests per scenario, after a warm-up (default 200)",
        )
        parser.add_argument(
            "--reports", type=int, default=300, help="ingest: inventories to post (default 300)"
        )
        parser.add_argument(
            "--agents", type=int, default=4, help="ingest: concurrent agents (default 4)"
        )
        parser.add_argument(
            "--best-seconds",
            type=int,
            default=30,
            help="route: solver time for the best-known solution (default 30)",
        )
        parser.add_argument(
            "--max-stops",
            type=int,
            default=30,
            help="route: the largest instances to solve, in stops (default 30)",
        )
        parser.add_argument(
            "--instances",
            type=int,
            default=5,
            help="route: instances per size (default 5)",
        )
        parser.add_argument(
            "--checks", type=int, default=2000, help="pings: checks to ping (default 2000)"
        )
        parser.add_argument(
            "--seconds", type=int, default=10, help="pings: seconds of load (default 10)"
        )
        parser.add_argument(
            "--people", type=int, default=2500, help="continuity: people (default 2500)"
        )
        parser.add_argument(
            "--sites", type=int, default=400, help="continuity: sites (default 400)"
        )
        parser.add_argument(
            "--runs", type=int, default=3, help="backup: timed backup and restore runs (default 3)"
        )
        parser.add_argument(
            "--users", type=int, default=2000, help="directory: accounts to sync (default 2000)"
        )
        for name in STRING_OPTIONS:
            parser.add_argument(
                f"--{name.replace('_', '-')}",
                default="",
                help="directory: also read this LDAP server (password in REGIE_BENCH_LDAP_PASSWORD)"
                if name == "ldap_url"
                else "directory: with --ldap-url",
            )

    def handle(self, *args: Any, name: str, **options: Any) -> None:
        keys = (
            "assets",
            "requests",
            "reports",
            "agents",
            "best_seconds",
            "max_stops",
            "instances",
            "checks",
            "seconds",
            "runs",
            "people",
            "sites",
            "users",
        )
        sizes = {key: options[key] for key in keys}
        if any(value < 1 for value in sizes.values()):
            raise CommandError("Every size (--assets, --checks, --seconds…) must be at least 1.")
        sizes |= {key: options[key] for key in STRING_OPTIONS if options[key]}
        if os.environ.get(CHILD_FLAG) == "1":
            self._run_here(name, sizes)
        else:
            self._run_in_subprocess(name, sizes)

    def _run_in_subprocess(self, name: str, sizes: dict[str, Any]) -> None:
        with tempfile.TemporaryDirectory(prefix="regie-bench-") as data_dir:
            (Path(data_dir) / MARKER).touch()
            env = {key: value for key, value in os.environ.items() if key not in REMOVED_VARIABLES}
            env |= {
                CHILD_FLAG: "1",
                "REGIE_DATA_DIR": data_dir,
                "REGIE_DEBUG": "false",  # DEBUG keeps every query in memory
                # Under override_settings (tests), settings.SETTINGS_MODULE is None.
                "DJANGO_SETTINGS_MODULE": os.environ.get(
                    "DJANGO_SETTINGS_MODULE", "regie.settings"
                ),
            }
            command = [sys.executable, "-m", "django", "bench", name]
            for key, value in sizes.items():
                command += [f"--{key.replace('_', '-')}", str(value)]
            self.stderr.write(f"Benchmark {name!r} in a temporary database ({data_dir}).")
            with subprocess.Popen(  # noqa: S603  # fixed argument list, our own interpreter
                command, env=env, stdout=subprocess.PIPE, text=True, encoding="utf-8"
            ) as child:
                assert child.stdout is not None  # noqa: S101  # stdout=PIPE above
                for line in child.stdout:
                    self.stdout.write(line.rstrip("\n"))
            if child.returncode != 0:
                raise CommandError(f"The benchmark {name!r} failed (exit {child.returncode}).")

    def _run_here(self, name: str, sizes: dict[str, Any]) -> None:
        database = settings.DATABASES["default"]
        data_dir = Path(settings.DATA_DIR)
        database_file = Path(str(database.get("NAME", "")))
        # Refuse anything but a fresh SQLite file in a directory the parent just created.
        if (
            connection.vendor != "sqlite"
            or not (data_dir / MARKER).exists()
            or data_dir not in database_file.resolve().parents
            or database_file.exists()
        ):
            raise CommandError(
                f"Refusing to run: {CHILD_FLAG} is set but the database is not a fresh SQLite "
                "file in a benchmark directory. Run `regie bench` without it."
            )
        call_command("migrate", verbosity=0)
        _description, run = BENCHMARKS[name]
        wanted = inspect.signature(run).parameters
        results = run(
            **{key: value for key, value in sizes.items() if key in wanted},
            out=self.stdout.write,
            progress=self.stderr.write,
        )
        self.stdout.write(json.dumps(results, ensure_ascii=False))
        if (
            isinstance(results, dict) and results.get("ok") is False
        ):  # e.g. a lost or refused report: the bench fails
            raise CommandError(f"The benchmark {name!r} found failures (see above).")
