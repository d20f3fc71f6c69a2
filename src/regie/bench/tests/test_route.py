import json
from io import StringIO

from django.core.management import call_command


def test_route_bench_reports_each_size_with_time_and_gap(monkeypatch, tmp_path):
    monkeypatch.setenv("REGIE_DATA_DIR", str(tmp_path / "user-data"))
    monkeypatch.setenv("REGIE_ROUTE_TIME_LIMIT", "0.2")
    out = StringIO()
    call_command("bench", "route", "--best-seconds", "1", stdout=out)

    lines = out.getvalue().strip().splitlines()
    report = json.loads(lines[-1])
    assert [row["stops"] for row in report] == [10, 25, 50]
    for row in report:
        assert set(row) == {"stops", "seconds", "gap_pct"}
        assert 0.2 <= row["seconds"] < 2
        assert row["gap_pct"] >= 0
    # Ten stops for one technician: the best known is the exact optimum.
    assert "best known (exact)" in lines[0]
    assert lines[-2].startswith("target (25 stops")
    assert not (tmp_path / "user-data").exists()
