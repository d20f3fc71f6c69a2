import json
from io import StringIO

import pytest
from django.core.management import call_command

from regie.operations.checks.models import Check

# Régie in processes of its own, on a SQLite database of its own: once per CI run.
pytestmark = pytest.mark.own_database


@pytest.mark.django_db
def test_pings_bench_serves_pings_and_the_bare_baseline(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", "postgresql://nobody@127.0.0.1:1/not-the-bench")
    monkeypatch.setenv("REGIE_DATA_DIR", str(tmp_path / "user-data"))
    out = StringIO()
    # Enough checks that none reaches the rate limit (60 a minute) at a thousand pings/s.
    call_command("bench", "pings", "--checks", "200", "--seconds", "1", stdout=out)

    report = json.loads(out.getvalue().strip().splitlines()[-1])
    assert report["bench"] == "pings"
    assert report["ok"] is True
    assert report["checks"] == 200
    assert report["pings"]["requests"] > 0 and report["bare"]["requests"] > 0
    assert report["pings"]["errors"] == 0
    assert 0 < report["pings"]["p50_ms"] <= report["pings"]["p95_ms"]
    assert report["stored_pings"] >= report["pings"]["requests"]
    assert report["ratio_to_bare"] > 0
    assert not (tmp_path / "user-data").exists()
    assert Check.objects.count() == 0
