"""``regie backup`` and ``regie restore`` at fleet scale (target: backup < 30 s, restore < 60 s).

Runs in a throw-away database (see the ``bench`` command): builds the list benchmark's data
(the demo directory and ``assets`` generated assets), then, ``runs`` times, backs it up with
``regie backup`` and restores the archive with ``regie restore`` into a new data directory,
each a ``regie`` process timed from start to exit, as an administrator would run them.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess  # noqa: S404  # runs regie itself, fixed argument lists, no shell
import sys
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection

from regie.assets.models import Asset
from regie.bench.benchmarks.lists import Output, build_data

DESCRIPTION = "regie backup and regie restore of the 100,000-asset list database"
TARGET_BACKUP_S = 30
TARGET_RESTORE_S = 60


def _regie(*arguments: str, data_dir: Path) -> float:
    """Seconds ``regie <arguments>`` took with ``data_dir``; raises if it failed."""
    env = {key: value for key, value in os.environ.items() if key != "REGIE_BENCH_CHILD"}
    env["REGIE_DATA_DIR"] = str(data_dir)
    started = time.perf_counter()
    result = subprocess.run(  # noqa: S603  # our own interpreter and module
        [sys.executable, "-m", "regie.cli", *arguments],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise RuntimeError(f"regie {arguments[0]} failed: {result.stderr.strip()}")
    return elapsed


def run(*, assets: int, runs: int, out: Output, progress: Output) -> dict[str, Any]:
    data_dir = Path(settings.DATA_DIR)
    started = time.perf_counter()
    build_data(assets=assets, out=progress)
    connection.close()  # a checkpoint: the database file holds everything before it is copied
    database_bytes = Path(str(connection.settings_dict["NAME"])).stat().st_size
    progress(f"data ready: {assets} assets in {time.perf_counter() - started:.1f} s")
    backups: list[float] = []
    restores: list[float] = []
    sizes: list[int] = []
    for number in range(1, runs + 1):
        archive = data_dir / f"bench-{number}.tar"
        target = data_dir / f"restored-{number}"
        backups.append(_regie("backup", "--to", str(archive), data_dir=data_dir))
        sizes.append(archive.stat().st_size)
        restores.append(_regie("restore", str(archive), data_dir=target))
        out(
            f"run {number}: backup {backups[-1]:6.1f} s  restore {restores[-1]:6.1f} s  "
            f"archive {sizes[-1] / 1e6:7.1f} MB"
        )
        archive.unlink()
        shutil.rmtree(target)
    backup_s = round(statistics.median(backups), 2)
    restore_s = round(statistics.median(restores), 2)
    archive_mb = statistics.median(sizes) / 1e6
    out(
        f"median of {runs}: backup {backup_s} s (target {TARGET_BACKUP_S} s), restore "
        f"{restore_s} s (target {TARGET_RESTORE_S} s), archive {archive_mb:.1f} MB"
    )
    counted = Asset.objects.count()
    return {
        "bench": "backup",
        "assets": counted,
        "runs": runs,
        "database": connection.vendor,
        "database_bytes": database_bytes,
        "archive_bytes": int(statistics.median(sizes)),
        "backup_seconds": {"median": backup_s, "runs": [round(value, 2) for value in backups]},
        "restore_seconds": {"median": restore_s, "runs": [round(value, 2) for value in restores]},
        "targets": {"backup_s": TARGET_BACKUP_S, "restore_s": TARGET_RESTORE_S},
        "within_targets": backup_s < TARGET_BACKUP_S and restore_s < TARGET_RESTORE_S,
        "timing_source": "wall time of each regie command, process start to exit",
    }
