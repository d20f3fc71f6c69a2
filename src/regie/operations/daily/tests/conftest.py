"""Round sources for the tests: the registry is emptied for each test, then filled here.

``two_sources`` registers "checks" (order 10) and "findings" (order 20) with items of every
severity, on the correspondent's ``site``, on ``other_site`` and on no site. Each source
records the ``since`` it was asked with.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from regie.core import rounds as registry
from regie.core.events import Severity
from regie.core.rounds import RoundItem, RoundSource


@pytest.fixture
def sources(monkeypatch):
    """The round's registry, empty for this test."""
    empty: dict[str, RoundSource] = {}
    monkeypatch.setattr(registry, "_SOURCES", empty)
    return empty


class RecordingSource:
    """A source whose items the test sets, and which remembers every ``since`` it got."""

    def __init__(self, key, label, order, items):
        self.items = list(items)
        self.calls = []
        self.source = registry.register_source(
            RoundSource(key=key, label=label, order=order, items=self)
        )

    def __call__(self, user, since):
        self.calls.append((user, since))
        return list(self.items)


def item(key, severity, age, site=None, title=None):
    return RoundItem(
        key=key,
        title=title or f"Élément {key}",
        detail=f"Détail de {key}",
        url=f"/checks/{key.rsplit(':', 1)[-1]}/",
        severity=severity,
        since=timezone.now() - age,
        site_id=site.pk if site is not None else None,
    )


@pytest.fixture
def two_sources(sources, site, other_site):
    # Registered first but ordered second: the page follows ``order``.
    findings = RecordingSource(
        "findings", "Conformité", 20, [item("finding:7", Severity.WARNING, timedelta(days=3), site)]
    )
    checks = RecordingSource(
        "checks",
        "Contrôles en échec",
        10,
        [
            item("check:4", Severity.INFO, timedelta(minutes=30), site),
            item("check:2", Severity.WARNING, timedelta(hours=5), other_site),
            item("check:3", Severity.CRITICAL, timedelta(hours=1)),
            item("check:1", Severity.CRITICAL, timedelta(hours=2), site, "Sauvegarde NAS Melle"),
        ],
    )
    return checks, findings
