"""A worker can take waiting calls of a task off the database queue to run them itself."""

import pytest
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from regie.core.taskqueue import claim_waiting, finish_claimed, release_claimed
from regie.inventory.tasks import process_received_report
from regie.operations.checks.tasks import evaluate_checks_task

pytestmark = pytest.mark.django_db


def statuses():
    rows = DBTaskResult.objects.filter(task_path=process_received_report.module_path)
    return [row.status for row in rows]


def test_calls_are_claimed_in_queue_order_and_only_once():
    for report_id in (1, 2, 3):
        process_received_report.enqueue(report_id)
    evaluate_checks_task.enqueue()  # another task: never taken

    first = claim_waiting(process_received_report, 2)
    second = claim_waiting(process_received_report, 2)

    assert [args for _id, args in first] == [[1], [2]]
    assert [args for _id, args in second] == [[3]]
    assert claim_waiting(process_received_report, 2) == []
    assert statuses() == [TaskResultStatus.RUNNING] * 3
    other = DBTaskResult.objects.get(task_path=evaluate_checks_task.module_path)
    assert other.status == TaskResultStatus.READY


def test_claimed_calls_are_finished_with_their_return_values_or_given_back():
    for report_id in (1, 2, 3):
        process_received_report.enqueue(report_id)
    (one, _), (two, _), (three, _) = claim_waiting(process_received_report, 3)

    finish_claimed({one: "processed", two: "failed"})
    release_claimed([three])

    rows = {str(row.pk): row for row in DBTaskResult.objects.all()}
    assert (rows[one].status, rows[one].return_value) == (TaskResultStatus.SUCCESSFUL, "processed")
    assert (rows[two].status, rows[two].return_value) == (TaskResultStatus.SUCCESSFUL, "failed")
    assert rows[one].finished_at is not None
    assert rows[three].status == TaskResultStatus.READY
    assert rows[three].started_at is None
    # Given back, it is claimed again like any waiting call.
    assert [args for _id, args in claim_waiting(process_received_report, 5)] == [[3]]


def test_nothing_is_claimed_for_a_limit_below_one():
    process_received_report.enqueue(1)

    assert claim_waiting(process_received_report, 0) == []
    assert statuses() == [TaskResultStatus.READY]
