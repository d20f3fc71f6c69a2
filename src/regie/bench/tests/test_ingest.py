import json
import zlib
from io import StringIO

import pytest
from django.core.management import call_command

from regie.bench.benchmarks.ingest import build_payloads
from regie.inventory.models import ReceivedReport
from regie.inventory.protocols import fusion_xml, glpi_json


def test_payloads_vary_per_machine_and_churn_two_percent():
    payloads = build_payloads(12)

    assert [p.kind for p in payloads] == ["first"] * 4 + ["unchanged"] * 4 + ["churn"] * 4
    assert len({p.sha256 for p in payloads}) == 12  # every body is new to the inbox
    parse = {"json": glpi_json.parse, "xml": fusion_xml.parse}
    reports = {(p.machine, p.kind): parse[p.protocol](zlib.decompress(p.body)) for p in payloads}
    serials = {reports[(machine, "first")].bios.serial for machine in range(4)}
    assert len(serials) == 4
    for machine in range(4):
        first, unchanged, churn = (
            reports[(machine, kind)] for kind in ("first", "unchanged", "churn")
        )
        assert first.software == unchanged.software
        assert first.bios.serial == churn.bios.serial
        changed = set(first.software) ^ set(churn.software)
        assert 0.02 <= len(changed) / len(first.software) <= 0.05


@pytest.mark.django_db
def test_ingest_bench_posts_processes_and_reports_json(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", "postgresql://nobody@127.0.0.1:1/not-the-bench")
    monkeypatch.setenv("REGIE_DATA_DIR", str(tmp_path / "user-data"))
    out = StringIO()
    call_command("bench", "ingest", "--reports", "9", "--agents", "3", stdout=out)

    report = json.loads(out.getvalue().strip().splitlines()[-1])
    assert report["bench"] == "ingest"
    assert report["ok"] is True
    assert (report["reports"], report["agents"], report["machines"]) == (9, 3, 3)
    assert report["receive"]["acknowledged"] == 9
    assert 0 < report["receive"]["p50_ms"] <= report["receive"]["p95_ms"]
    assert report["processing"]["statuses"] == {
        "received": 0,
        "processed": 9,
        "failed": 0,
        "held": 0,
        "rejected": 0,
    }
    for kind in ("first", "unchanged", "churn"):
        assert report["processing"][kind]["reports"] == 3
        assert report["processing"][kind]["ratio_to_floor"] > 0
    assert report["floor_ms"] > 0
    assert (report["lost"], report["database_locked"]) == (0, 0)
    assert not (tmp_path / "user-data").exists()
    assert ReceivedReport.objects.count() == 0
