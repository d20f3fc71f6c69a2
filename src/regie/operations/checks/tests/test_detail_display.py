"""The check's page reads as a person expects: no internal counters, local times in words."""

import datetime as dt

import pytest

from regie.core.tests.html import visible_text
from regie.operations.checks.models import Check
from regie.operations.checks.tests.factories import CheckFactory

pytestmark = pytest.mark.django_db

LAST_PING = dt.datetime(2026, 12, 7, 4, 58, 59, 964145, tzinfo=dt.UTC)


def test_detail_hides_rate_limit_fields_and_shows_local_times(client, technician):
    check = CheckFactory(name="Sauvegarde NAS")
    Check.objects.filter(pk=check.pk).update(
        last_ping_at=LAST_PING, rate_minute=29943658, rate_count=2
    )
    client.force_login(technician)
    text = visible_text(client.get(f"/checks/{check.pk}/").content.decode())
    assert "Rate minute" not in text
    assert "Rate count" not in text
    assert "29943658" not in text
    assert "2026-12-07" not in text
    assert "+00:00" not in text
    assert "Dernière exécution signalée 7 décembre 2026 05:58" in text


def _snippet(client, check, title_start):
    html = client.get(f"/checks/{check.pk}/").content.decode()
    for block in html.split("<details>")[1:]:
        if block.split("<summary>", 1)[1].startswith(title_start):
            return visible_text(f"<main>{block}</main>")
    raise AssertionError(title_start)


def test_cron_snippet_follows_the_schedule_in_french(client, technician):
    check = CheckFactory(schedule_kind="cron", cron="30 1 * * 1-5", period_minutes=None)
    client.force_login(technician)
    cron = _snippet(client, check, "cron")
    assert "30 1 * * 1-5 /usr/local/bin/my-job.sh" in cron
    assert "0 22 * * *" not in cron
    assert "Forme la plus simple" in cron
    assert "Simplest form" not in cron


def test_period_snippets_use_the_last_run_time(client, technician):
    check = CheckFactory(period_minutes=1440)
    Check.objects.filter(pk=check.pk).update(last_ping_at=LAST_PING)  # 05:58 in Paris
    client.force_login(technician)
    assert "58 5 * * * /usr/local/bin/my-job.sh" in _snippet(client, check, "cron")
    windows = _snippet(client, check, "Planificateur")
    assert "Déclencheur : tous les jours" in windows
    assert "run by the Task Scheduler" not in windows


def test_no_snippet_comment_is_left_in_english(client, technician):
    check = CheckFactory()
    client.force_login(technician)
    html = visible_text(client.get(f"/checks/{check.pk}/").content.decode())
    for english in (
        "that reports to Régie",
        "0 = success",
        "Control Panel",
        "User: root",
        "Schedule: as",
        "wait for the result",
        "Simplest form",
    ):
        assert english not in html
    assert "qui se signale à Régie" in html
    assert "Planification : tous les jours" in html
