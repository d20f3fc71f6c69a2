"""Pages that belong to no domain: health, the pickers' choices."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from regie.core.mail import mail_state
from regie.core.models import WorkerHeartbeat
from regie.core.permissions import policy_for
from regie.core.pickers import PAGE_SIZE, choices_query_form, picker_kind
from regie.core.rest.errors import invalid_input
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


@require_GET
@login_required
def choices(request: HttpRequest, kind: str) -> JsonResponse:
    """A picker's matching rows, twenty at a time: ``{"results": [{id, text}], "more"}``.

    The rows are those the user may choose (the model's ``Policy``); a user who may not list
    them at all gets 403, an unknown kind 404, a malformed query string (a page or an id that
    is not one, a search term longer than anyone types) 400 with the API's error format.
    """
    picker = picker_kind(kind)
    if picker is None:
        raise Http404(f"No picker {kind!r}")
    policy = policy_for(picker.model)
    if policy is not None and not policy.can_list(request.user):
        raise PermissionDenied
    query = choices_query_form(picker, request.GET)
    if not query.is_valid():
        return invalid_input(query.errors)
    page = query.cleaned_data["page"] or 1
    narrow = {parameter: query.cleaned_data[parameter] for parameter in picker.depends_on}
    start = (page - 1) * PAGE_SIZE
    rows = list(
        picker.rows(request.user, query.cleaned_data["q"], narrow)[start : start + PAGE_SIZE + 1]
    )
    return JsonResponse(
        {
            "results": [{"id": row.pk, "text": str(row)} for row in rows[:PAGE_SIZE]],
            "more": len(rows) > PAGE_SIZE,
        }
    )
