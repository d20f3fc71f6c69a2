"""The compliance benchmark builds a fleet every rule finds something in, and the second
sweep changes nothing."""

import pytest

from regie.operations.compliance import bench
from regie.operations.compliance.models import Finding


@pytest.mark.django_db
def test_the_benchmark_sweeps_three_times_and_reports_json_ready_figures():
    lines: list[str] = []
    results = bench.run(assets=400, out=lines.append, progress=lambda _line: None)
    assert results["ok"] is True
    assert results["assets"] == 400
    first, second, third = results["first"], results["second"], results["third"]
    assert first["opened"] == Finding.objects.count()
    assert set(first["opened_by_rule"]) == {
        "antivirus",
        "disk_encryption",
        "firewall",
        "inventory_stale",
        "os_end_of_support",
        "os_end_of_support_soon",
        "os_updates",
        "warranty_ending",
        "warranty_expired",
    }
    assert (second["opened"], second["updated"], second["resolved"]) == (0, 0, 0)
    assert third["resolved"] > 0
    assert results["open_findings"] == Finding.objects.open().count()
    assert [line.split(":")[0] for line in lines] == [
        "first sweep",
        "second sweep (nothing changed)",
        "third sweep (a tenth fixed)",
    ]
