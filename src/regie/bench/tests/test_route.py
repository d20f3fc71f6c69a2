import json
from io import StringIO

import pytest
from django.core.management import call_command

# Régie in processes of its own, on a SQLite database of its own: once per CI run.
pytestmark = pytest.mark.own_database


def test_route_bench_reports_medians_and_the_gap_to_the_exact_optimum(monkeypatch, tmp_path):
    monkeypatch.setenv("REGIE_DATA_DIR", str(tmp_path / "user-data"))
    monkeypatch.setenv("REGIE_ROUTE_TIME_LIMIT", "0.3")
    out = StringIO()
    call_command(
        "bench", "route", "--best-seconds", "1", "--max-stops", "6", "--instances", "3", stdout=out
    )

    lines = out.getvalue().strip().splitlines()
    (row,) = json.loads(lines[-1])
    assert set(row) == {
        "stops",
        "technicians",
        "instances",
        "median_seconds",
        "median_gap_pct",
        "max_gap_pct",
        "more_left_out",
        "best_known",
    }
    assert (row["stops"], row["technicians"], row["instances"]) == (6, 2, 3)
    # Six stops for two technicians: the best known is the exact optimum, every split of
    # every subset in every order; the planner's own answer stays within 2 % of it.
    assert row["best_known"] == "exact"
    assert 0 < row["median_seconds"] < 2  # the production limit, 0.3 s, less the finishing
    assert 0 <= row["median_gap_pct"] <= row["max_gap_pct"] <= 2
    assert row["more_left_out"] == 0
    assert lines[0].startswith("6 stops, 2 technicians, 3 instances: median")
    assert lines[0].endswith("leaves out more than the best known: 0 of 3")
    assert lines[-2] == "target (every size: median < 2 s, median gap ≤ 2 %): met"
    assert not (tmp_path / "user-data").exists()
