"""Pages that belong to no domain: health and the home page."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from regie.core.models import ChangeRecord, Role, User, WorkerHeartbeat
from regie.core.permissions import WIDE_READERS, policy_for


@require_GET
@never_cache
def health(request: HttpRequest) -> JsonResponse:
    """200 when the database answers, 503 when it does not; reports the worker's state."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        threshold = timezone.now() - timedelta(seconds=settings.WORKER_STALE_SECONDS)
        last = WorkerHeartbeat.objects.order_by("-last_seen").values_list("last_seen", flat=True)
        last_seen = last.first()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    worker_alive = last_seen is not None and last_seen >= threshold
    return JsonResponse(
        {
            "status": "ok",
            "database": "ok",
            "worker": "alive" if worker_alive else "down",
            "worker_last_seen": last_seen.isoformat() if last_seen else None,
        }
    )


def _visible(user: User, app_label: str, model_name: str) -> QuerySet[Any]:
    # The home page sums up apps that sit above core; it reaches them through the policy
    # registry so that core imports none of them.
    policy = policy_for(apps.get_model(app_label, model_name))
    assert policy is not None  # noqa: S101  # every listed model registers a policy
    return policy.visible(user)  # type: ignore[no-any-return]  # Policy.visible is typed loosely


def _overview(user: User) -> dict[str, Any]:
    assets = _visible(user, "assets", "Asset")
    status_field = assets.model._meta.get_field("status")
    counts = dict(assets.order_by().values_list("status").annotate(total=Count("pk")))
    today = timezone.localdate()
    warranty_ending = assets.filter(
        warranty_end__gte=today, warranty_end__lte=today + timedelta(days=90)
    ).order_by("warranty_end")
    return {
        "site_count": _visible(user, "directory", "Site").count(),
        "person_count": _visible(user, "directory", "Person").filter(active=True).count(),
        "asset_count": sum(counts.values()),
        "status_counts": [
            (value, label, counts.get(value, 0)) for value, label in status_field.flatchoices
        ],
        "warranty_ending": warranty_ending[:10],
        "warranty_ending_count": warranty_ending.count(),
        "recent_changes": ChangeRecord.objects.select_related("actor", "content_type")[:10],
    }


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    """What this user needs first: an overview, their sites, or their equipment."""
    user = request.user
    assert isinstance(user, User)  # noqa: S101  # login_required ran first
    role = user.effective_role
    context: dict[str, Any] = {"role": role}
    if role in WIDE_READERS:
        context.update(_overview(user))
    elif role == Role.CORRESPONDENT:
        assets = _visible(user, "assets", "Asset")
        context.update(
            sites=_visible(user, "directory", "Site").select_related("organisation"),
            assets=assets[:50],
            asset_count=assets.count(),
        )
    else:
        context.update(assets=_visible(user, "assets", "Asset"))
    return render(request, "home.html", context)
