"""An acknowledged report is committed before the agent hears 2xx, whether or not the task runs."""

import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult

from regie.inventory.models import ReceivedReport, ReportStatus
from regie.inventory.tests.agent_requests import post_capture
from regie.inventory.tests.fixtures import capture


@pytest.mark.django_db(transaction=True)
def test_report_is_committed_when_the_reply_is_sent_and_the_task_only_queued(client):
    response = post_capture(
        client, "glpiagent-inventory-full-headers.txt", capture("glpiagent-inventory-full.json")
    )

    assert response.status_code == 200
    assert connection.in_atomic_block is False  # nothing left open: the row is committed
    report = ReceivedReport.objects.get()
    assert report.status == ReportStatus.RECEIVED
    task = DBTaskResult.objects.get()
    assert (task.status, task.args_kwargs) == ("READY", {"args": [report.pk], "kwargs": {}})
