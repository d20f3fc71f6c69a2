"""``regie bench continuity`` keeps working: a tiny territory, a few requests."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from regie.bench.benchmarks.continuity import build_territory
from regie.directory.models import Person


@pytest.mark.django_db
def test_continuity_bench_measures_the_page_and_the_declaration(monkeypatch, tmp_path):
    monkeypatch.setenv("REGIE_DATA_DIR", str(tmp_path / "user-data"))
    out = StringIO()
    call_command(
        "bench", "continuity", "--people", "40", "--sites", "6", "--requests", "2", stdout=out
    )
    lines = out.getvalue().strip().splitlines()
    report = json.loads(lines[-1])
    assert report["bench"] == "continuity"
    assert (report["people"], report["assets"], report["sites"]) == (40, 160, 6)
    assert 0 < report["page"]["p50_ms"] <= report["page"]["p95_ms"]
    assert report["page"]["queries"] > 0
    assert report["activation"]["messages"] > 0
    assert report["activation"]["results"]["telephony"]["forwardings_set"] > 0
    assert set(report["queries_per_section"]["page"]) == {
        "telework",
        "telephony",
        "essential",
        "field",
    }
    assert set(report["queries_per_section"]["activation"]) == {"telework", "telephony", "field"}
    assert any(line.startswith("continuity page") for line in lines)
    assert Person.objects.count() == 0  # the bench ran in its own database


@pytest.mark.django_db
def test_the_page_costs_the_same_queries_on_a_larger_territory(client):
    admin = build_territory(people=20, assets=80, sites=4, seed=1)
    client.force_login(admin)
    url = reverse("continuity:page") + "?fresh=1"  # every section computed, none from the cache
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    build_territory(people=60, assets=240, sites=12, seed=3)
    with CaptureQueriesContext(connection) as larger:
        assert client.get(url).status_code == 200
    assert len(larger) == len(small), [q["sql"][:120] for q in larger.captured_queries]
