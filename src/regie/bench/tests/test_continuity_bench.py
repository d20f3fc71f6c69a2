"""``regie bench continuity`` keeps working: a tiny territory, a few requests."""

import json
from io import StringIO

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from regie.bench.benchmarks.continuity import build_territory, counting_sections
from regie.continuity.services import declare_plan, default_ends_on, end_plan
from regie.directory.models import Person
from regie.telephony.models import ContinuityPlan, Forwarding


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


def _plan_queries(*, people: int, sites: int, seed: int) -> tuple[dict, dict, dict]:
    """The queries of each section, on a territory of its own (rolled back afterwards), when
    the plan is declared, ended and declared again, and what the declarations did."""
    with transaction.atomic():
        admin = build_territory(people=people, assets=people * 4, sites=sites, seed=seed)
        ContentType.objects.clear_cache()  # both territories start with a cold cache
        first: dict[str, dict[str, int]] = {}
        again: dict[str, dict[str, int]] = {}
        with counting_sections(first, {}):
            declared = declare_plan(ends_on=default_ends_on(), by=admin)
            end_plan(by=admin)
        with counting_sections(again, {}):
            redeclared = declare_plan(ends_on=default_ends_on(), by=admin)
        done = {
            "declared": declared.results,
            "again": redeclared.results,
            "targets": set(
                Forwarding.objects.filter(active=True, note=_plan_title(redeclared)).values_list(
                    "target", flat=True
                )
            ),
        }
        transaction.set_rollback(True)
    return {"declaration": first["activation"], "end": first["end"]}, again, done


def _plan_title(activation) -> str:
    return str(ContinuityPlan.objects.get(pk=activation.results["telephony"]["plan_id"]))


@pytest.mark.django_db
def test_the_declaration_and_the_end_cost_the_same_queries_on_a_larger_territory():
    # Small enough for every bulk insert to fit in one of SQLite's batches (999 parameters:
    # 90 history rows): beyond, a section costs one query more per batch, not per row.
    small, small_again, small_done = _plan_queries(people=20, sites=4, seed=1)
    larger, larger_again, larger_done = _plan_queries(people=50, sites=10, seed=3)

    assert larger == small
    # Declared again, the forwardings exist, turned off, each with its own target: one
    # UPDATE for all of them, not one per target.
    assert larger_again["activation"] == small_again["activation"]
    # The larger territory did more, with the same queries.
    for done in (small_done, larger_done):
        assert (
            done["again"]["telephony"]["forwardings_set"]
            == (done["declared"]["telephony"]["forwardings_set"])
        )
    small_set = small_done["declared"]["telephony"]["forwardings_set"]
    larger_set = larger_done["declared"]["telephony"]["forwardings_set"]
    assert larger_set > 2 * small_set > 0
    assert len(larger_done["targets"]) > 2 * len(small_done["targets"]) > 2
    assert larger_done["declared"]["field"]["created"] > small_done["declared"]["field"]["created"]
    assert (
        larger_done["declared"]["telework"]["reserved"]
        > (small_done["declared"]["telework"]["reserved"])
    )
