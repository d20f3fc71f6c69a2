"""A worker that starts picks up the reports a killed worker or server left unprocessed."""

import hashlib
import zlib

import pytest
from django_tasks_db.models import DBTaskResult

from regie.assets.models import Asset
from regie.core.worker import run_startup_hooks
from regie.inventory.models import Agent, AgentProtocol, ReceivedReport, ReportStatus
from regie.inventory.pipeline import process_report
from regie.inventory.tests.fixtures import capture

pytestmark = pytest.mark.django_db


def stored(agent, status=ReportStatus.RECEIVED):
    body = capture("ocs-inventory.xml")
    return ReceivedReport.objects.create(
        agent=agent,
        protocol=agent.protocol,
        body=zlib.compress(body),
        # Unique per (agent, status): the same body stands for several stored reports here.
        body_sha256=hashlib.sha256(body + str(status).encode()).hexdigest(),
        body_size=len(body),
        status=status,
    )


def test_worker_start_queues_every_unprocessed_report_of_approved_agents(
    django_capture_on_commit_callbacks,
):
    approved = Agent.objects.create(device_id="pc-1", protocol=AgentProtocol.OCS_XML)
    held = Agent.objects.create(device_id="pc-2", protocol=AgentProtocol.OCS_XML, approved=False)
    left_behind = stored(approved)
    stored(approved, status=ReportStatus.PROCESSED)
    stored(held)

    with django_capture_on_commit_callbacks(execute=True):
        run_startup_hooks()

    queued = [task.args_kwargs["args"] for task in DBTaskResult.objects.all()]
    assert queued == [[left_behind.pk]]
    assert process_report(report_id=left_behind.pk).status == ReportStatus.PROCESSED
    assert Asset.objects.count() == 1
    # Processing it a second time (a duplicate task) changes nothing.
    assert process_report(report_id=left_behind.pk).status == ReportStatus.PROCESSED
    assert Asset.objects.count() == 1


def test_a_report_whose_task_still_waits_is_not_queued_twice(django_capture_on_commit_callbacks):
    from regie.inventory.tasks import process_received_report

    agent = Agent.objects.create(device_id="pc-1", protocol=AgentProtocol.OCS_XML)
    report = stored(agent)
    with django_capture_on_commit_callbacks(execute=True):
        process_received_report.enqueue(report.pk)
        run_startup_hooks()
    assert [task.args_kwargs["args"] for task in DBTaskResult.objects.all()] == [[report.pk]]


def redis_queue_args(redis_client):
    from rq import Queue

    queue = Queue("default", connection=redis_client)
    return [(job.func_name, list(job.args)) for job in queue.get_jobs()]


def test_on_redis_worker_start_queues_the_reports_without_a_waiting_task(
    redis_tasks, django_capture_on_commit_callbacks
):
    from regie.inventory.tasks import process_received_report

    agent = Agent.objects.create(device_id="pc-1", protocol=AgentProtocol.OCS_XML)
    waiting = stored(agent)
    left_behind = stored(agent, status=ReportStatus.FAILED)
    left_behind.status = ReportStatus.RECEIVED  # a second unprocessed report, no task for it
    left_behind.save(update_fields=["status"])
    with django_capture_on_commit_callbacks(execute=True):
        process_received_report.enqueue(waiting.pk)
    with django_capture_on_commit_callbacks(execute=True):
        run_startup_hooks()
    with django_capture_on_commit_callbacks(execute=True):
        run_startup_hooks()  # a second worker starting finds both tasks waiting

    path = process_received_report.module_path
    assert redis_queue_args(redis_tasks) == [(path, [waiting.pk]), (path, [left_behind.pk])]
    assert DBTaskResult.objects.count() == 0
