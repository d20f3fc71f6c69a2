from datetime import timedelta

import pytest
from django.utils import timezone

from regie.core.models import WorkerHeartbeat
from regie.core.worker import beat


@pytest.mark.django_db
def test_health_reports_database_and_missing_worker(client):
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "worker": "down",
        "worker_last_seen": None,
        "tasks": "database",
        "mail": "ok",
    }


@pytest.mark.django_db
def test_health_sees_a_recent_heartbeat(client):
    beat(worker_id="w1", started_at=timezone.now())
    body = client.get("/health").json()
    assert body["worker"] == "alive"
    assert WorkerHeartbeat.objects.get().worker_id == "w1"


@pytest.mark.django_db
def test_health_reports_a_stale_worker_as_down(client):
    beat(worker_id="w1", started_at=timezone.now())
    WorkerHeartbeat.objects.update(last_seen=timezone.now() - timedelta(minutes=5))
    assert client.get("/health").json()["worker"] == "down"


@pytest.mark.django_db
def test_health_refuses_post(client):
    assert client.post("/health").status_code == 405
