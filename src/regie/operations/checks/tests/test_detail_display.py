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
