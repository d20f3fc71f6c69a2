"""Which queue holds the background tasks (the database, or Redis through RQ) and what waits
in it.

``REGIE_REDIS_URL`` switches the default backend (see ``settings.TASKS``); code that must look
into the queue asks here rather than reading one backend's storage.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any, Literal

from django.conf import settings
from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone
from django_tasks.base import Task

RQ_BACKEND = "django_tasks_rq.RQBackend"
# Jobs read from Redis per round trip when listing a queue.
_FETCH_BATCH = 500


def uses_redis() -> bool:
    return bool(settings.TASKS["default"]["BACKEND"] == RQ_BACKEND)


def backend_kind() -> Literal["database", "redis"]:
    return "redis" if uses_redis() else "database"


def worker_queue_names() -> list[str]:
    """The queues ``regie worker`` takes tasks from."""
    return sorted(settings.TASKS["default"].get("QUEUES", ["default"]))


def ensure_redis_answers() -> None:
    """Stop with a clear message when the Redis of ``REGIE_REDIS_URL`` does not answer."""
    import django_rq
    from redis.exceptions import RedisError

    try:
        django_rq.get_connection("default").ping()
    except RedisError as exc:
        # The driver's message names the host and port, never the password.
        raise CommandError(f"REGIE_REDIS_URL: Redis does not answer ({exc})") from None


def waiting_args(task: Task[..., Any]) -> list[list[Any]]:
    """The positional arguments of each call of ``task`` still waiting to run.

    Waiting means queued and not started: a task being run, or deferred to later, is not
    listed.
    """
    if uses_redis():
        return _waiting_args_in_redis(task)
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    rows = DBTaskResult.objects.filter(
        task_path=task.module_path, status=TaskResultStatus.READY
    ).values_list("args_kwargs", flat=True)
    return [list(args_kwargs.get("args", [])) for args_kwargs in rows]


def _waiting_args_in_redis(task: Task[..., Any]) -> list[list[Any]]:
    import django_rq
    from rq.job import Job

    queue = django_rq.get_queue(task.queue_name)
    job_ids = queue.get_job_ids()
    waiting: list[list[Any]] = []
    for start in range(0, len(job_ids), _FETCH_BATCH):
        jobs = Job.fetch_many(job_ids[start : start + _FETCH_BATCH], connection=queue.connection)
        waiting.extend(
            list(job.args)
            for job in jobs
            # A job may finish and expire between listing the ids and fetching it.
            if job is not None and job.func_name == task.module_path
        )
    return waiting


def claim_waiting(task: Task[..., Any], limit: int) -> list[tuple[str, list[Any]]]:
    """Take up to ``limit`` calls of ``task`` waiting in the queue, in the order the worker
    would run them, for the calling worker to run itself; (result id, positional arguments)
    of each.

    They are marked running, so no other worker starts them; the caller reports them with
    ``finish_claimed`` or puts them back with ``release_claimed``. A worker killed meanwhile
    leaves them running, as it leaves its own task: the caller must be able to recover the
    work otherwise (the inventory re-queues its unprocessed reports when a worker starts).
    Rows another worker is claiming are skipped, not waited for. On Redis nothing is claimed
    (an empty list): RQ has no such hand-over.
    """
    if limit < 1 or uses_redis():
        return []
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    with transaction.atomic():
        rows = list(
            DBTaskResult.objects.ready()
            .filter(
                task_path=task.module_path,
                queue_name=task.queue_name,
                backend_name=task.backend,
            )
            .select_for_update(skip_locked=True)
            .values_list("pk", "args_kwargs")[:limit]
        )
        DBTaskResult.objects.filter(pk__in=[pk for pk, _args in rows]).update(
            status=TaskResultStatus.RUNNING, started_at=timezone.now()
        )
    return [(str(pk), list(args_kwargs.get("args", []))) for pk, args_kwargs in rows]


def finish_claimed(return_values: dict[str, Any]) -> None:
    """Mark claimed calls (result id → return value) as run successfully."""
    if not return_values:
        return
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    ids_by_value: dict[Any, list[str]] = defaultdict(list)
    for result_id, value in return_values.items():
        ids_by_value[value].append(result_id)
    now = timezone.now()
    with transaction.atomic():
        for value, ids in ids_by_value.items():
            DBTaskResult.objects.filter(pk__in=ids).update(
                status=TaskResultStatus.SUCCESSFUL, finished_at=now, return_value=value
            )


def release_claimed(result_ids: list[str]) -> None:
    """Put claimed calls the caller did not run back in the queue, where they were."""
    if not result_ids:
        return
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(pk__in=result_ids, status=TaskResultStatus.RUNNING).update(
        status=TaskResultStatus.READY, started_at=None
    )
