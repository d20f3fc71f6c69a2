import json
from io import StringIO

import pytest
from django.core.management import call_command

from regie.assets.models import Asset

# Régie in processes of its own, on a SQLite database of its own: once per CI run.
pytestmark = pytest.mark.own_database


@pytest.mark.django_db
def test_backup_bench_times_backup_and_restore_in_a_throw_away_database(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", "postgresql://nobody@127.0.0.1:1/not-the-bench")
    monkeypatch.setenv("REGIE_DATA_DIR", str(tmp_path / "user-data"))
    out = StringIO()
    call_command("bench", "backup", "--assets", "300", "--runs", "2", stdout=out)

    lines = out.getvalue().strip().splitlines()
    report = json.loads(lines[-1])
    assert set(report) == {
        "bench",
        "assets",
        "runs",
        "database",
        "database_bytes",
        "archive_bytes",
        "backup_seconds",
        "restore_seconds",
        "targets",
        "within_targets",
        "timing_source",
    }
    assert report["bench"] == "backup"
    assert report["assets"] == 300
    assert report["runs"] == 2
    assert report["database"] == "sqlite"
    assert report["targets"] == {"backup_s": 30, "restore_s": 60}
    assert report["archive_bytes"] > report["database_bytes"] > 100_000
    for key in ("backup_seconds", "restore_seconds"):
        assert len(report[key]["runs"]) == 2
        assert 0 < min(report[key]["runs"]) <= report[key]["median"]
    assert [line.split(":")[0] for line in lines[:2]] == ["run 1", "run 2"]
    assert lines[2].startswith("median of 2: backup ")
    assert not (tmp_path / "user-data").exists()
    assert Asset.objects.count() == 0
