import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from regie.assets.models import Asset
from regie.directory.models import Site

SCENARIOS = {
    "html_list",
    "html_search",
    "html_status",
    "html_site_sorted",
    "api_search",
    "api_site_sorted",
}


@pytest.mark.django_db
def test_lists_bench_reports_json_and_leaves_the_database_alone(monkeypatch, tmp_path):
    # Were the child to keep these, it would fail to connect or write into the user's data.
    monkeypatch.setenv("DATABASE_URL", "postgresql://nobody@127.0.0.1:1/not-the-bench")
    monkeypatch.setenv("REGIE_DATA_DIR", str(tmp_path / "user-data"))
    out = StringIO()
    call_command("bench", "lists", "--assets", "300", "--requests", "5", stdout=out)

    lines = out.getvalue().strip().splitlines()
    report = json.loads(lines[-1])
    assert report["bench"] == "lists"
    assert report["assets"] == 300
    assert report["requests"] == 5
    assert report["database"] == "sqlite"
    assert report["target_p95_ms"] == 100
    assert set(report["results"]) == SCENARIOS
    for key, result in report["results"].items():
        assert set(result) == {"url", "p50_ms", "p95_ms", "max_ms", "queries"}, (key, result)
        assert 0 < result["p50_ms"] <= result["p95_ms"] <= result["max_ms"]
        assert result["queries"] > 0
    assert report["results"]["html_search"]["url"].endswith("?q=POSTE-12&status=in_service")
    assert len(lines) == len(SCENARIOS) + 1
    assert "p95" in lines[0]

    assert not (tmp_path / "user-data").exists()
    assert Asset.objects.count() == 0
    assert Site.objects.count() == 0


def test_unknown_benchmark_is_refused_with_the_known_names():
    with pytest.raises(CommandError, match="invalid choice: 'nope'.*lists"):
        call_command("bench", "nope")


def test_the_child_mode_refuses_a_database_it_did_not_create(monkeypatch, db):
    monkeypatch.setenv("REGIE_BENCH_CHILD", "1")
    with pytest.raises(CommandError, match="Refusing to run"):
        call_command("bench", "lists", "--assets", "10", "--requests", "1")
    assert Asset.objects.count() == 0


def test_sizes_must_be_positive():
    with pytest.raises(CommandError, match="at least 1"):
        call_command("bench", "lists", "--assets", "0")
