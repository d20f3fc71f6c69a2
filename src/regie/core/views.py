"""Pages that belong to no domain: health."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from regie.core.mail import mail_state
from regie.core.models import WorkerHeartbeat
from regie.core.taskqueue import backend_kind


@require_GET
@never_cache
def health(request: HttpRequest) -> JsonResponse:
    """200 when the database answers, 503 when it does not; reports the worker's state and
    whether mail goes out (``"failing"``: the latest attempt failed, or mails wait overdue)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        threshold = timezone.now() - timedelta(seconds=settings.WORKER_STALE_SECONDS)
        last = WorkerHeartbeat.objects.order_by("-last_seen").values_list("last_seen", flat=True)
        last_seen = last.first()
        mail = mail_state()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    worker_alive = last_seen is not None and last_seen >= threshold
    return JsonResponse(
        {
            "status": "ok",
            "database": "ok",
            "worker": "alive" if worker_alive else "down",
            "worker_last_seen": last_seen.isoformat() if last_seen else None,
            "tasks": backend_kind(),
            "mail": mail,
        }
    )


@never_cache
def live(request: HttpRequest) -> HttpResponse:
    """200 "ok" while the web process answers; touches no database (liveness probe)."""
    return HttpResponse(b"ok", content_type="text/plain")
