"""Events reach their subscribers after commit, never for a rolled-back change."""

import pytest
from django.db import transaction

from regie.core import events
from regie.core.events import Event, Severity


@pytest.fixture
def received(monkeypatch):
    monkeypatch.setattr(events, "_HANDLERS", [])
    seen: list[Event] = []
    events.subscribe(seen.append)
    return seen


def make_event(kind="check.down"):
    return Event(kind=kind, severity=Severity.CRITICAL, title="t", text="x", url="/checks/1/")


@pytest.mark.django_db(transaction=True)
def test_handlers_run_after_commit_only(received):
    with transaction.atomic():
        events.publish(make_event())
        assert received == []
    assert [event.kind for event in received] == ["check.down"]

    with pytest.raises(RuntimeError), transaction.atomic():
        events.publish(make_event("check.up"))
        raise RuntimeError("rolled back")
    assert [event.kind for event in received] == ["check.down"]


@pytest.mark.django_db(transaction=True)
def test_a_failing_handler_does_not_stop_the_others(received, monkeypatch, caplog):
    def broken(event):
        raise ValueError("boom")

    monkeypatch.setattr(events, "_HANDLERS", [broken, received.append])
    events.publish(make_event())
    assert len(received) == 1
    assert "event handler" in caplog.text
