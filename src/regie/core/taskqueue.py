"""Which queue holds the background tasks (the database, or Redis through RQ) and what waits
in it.

``REGIE_REDIS_URL`` switches the default backend (see ``settings.TASKS``); code that must look
into the queue asks here rather than reading one backend's storage.
"""

from __future__ import annotations

from typing import Any, Literal

from django.conf import settings
from django.core.management.base import CommandError
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
