"""``regie bench directory`` keeps working: a few generated accounts, three runs."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from regie.bench.benchmarks.directory import CHANGES, changed_entries, generated_entries
from regie.directory.models import Person


@pytest.mark.django_db
def test_directory_bench_measures_first_unchanged_and_changed_runs(monkeypatch, tmp_path):
    monkeypatch.setenv("REGIE_DATA_DIR", str(tmp_path / "user-data"))
    out = StringIO()

    call_command("bench", "directory", "--users", "120", stdout=out)

    lines = out.getvalue().strip().splitlines()
    report = json.loads(lines[-1])
    assert (report["bench"], report["users"], report["people"]) == ("directory", 120, 120)
    assert report["first"]["created"] == 120
    unchanged = report["unchanged"]
    assert (unchanged["unchanged"], unchanged["writes"], unchanged["log_writes"]) == (120, 0, 1)
    changed = report["changes"]
    assert changed["updated"] + changed["disabled"] == CHANGES
    assert changed["unchanged"] == 120 - CHANGES
    assert report["ok"] is True
    assert report["ldap"] is None
    assert "the engine alone is measured" in out.getvalue()
    assert Person.objects.count() == 0  # the bench ran in its own database


def test_the_changed_accounts_differ_in_exactly_twenty_places():
    entries = generated_entries(400)
    changed = changed_entries(entries)
    assert sum(a != b for a, b in zip(entries, changed, strict=True)) == CHANGES
