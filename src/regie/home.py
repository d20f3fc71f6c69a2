"""The home page: what each user needs first. It sums up every app, so it lives at the
project level (like ``urls.py``), above the apps it imports."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

from regie.assets.models import AssetStatus
from regie.assets.permissions import asset_policy
from regie.core.models import ChangeRecord, Role, User
from regie.core.permissions import MANAGERS, WIDE_READERS
from regie.directory.permissions import person_policy, site_policy
from regie.helpdesk.permissions import ticket_policy
from regie.inventory import views as inventory_views
from regie.inventory.coverage import fleet_coverage
from regie.inventory.views.setup import may_set_up_agents
from regie.operations.daily.rounds import current_round

WARRANTY_HORIZON_DAYS = 90
URGENT_SHOWN = 10


def _overview(user: User) -> dict[str, Any]:
    assets = asset_policy.visible(user)
    counts = dict(assets.order_by().values_list("status").annotate(total=Count("pk")))
    today = timezone.localdate()
    warranty_ending = assets.filter(
        warranty_end__gte=today, warranty_end__lte=today + timedelta(days=WARRANTY_HORIZON_DAYS)
    ).order_by("warranty_end")
    return {
        "site_count": site_policy.visible(user).count(),
        "person_count": person_policy.visible(user).filter(active=True).count(),
        "asset_count": sum(counts.values()),
        "status_counts": [
            (value, label, counts.get(value, 0)) for value, label in AssetStatus.choices
        ],
        "warranty_ending": warranty_ending[:10],
        "warranty_ending_count": warranty_ending.count(),
        "recent_changes": ChangeRecord.objects.select_related("actor", "content_type")[:10],
    }


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    """An overview for the IT team and readers, their sites for correspondents, their own
    equipment for staff."""
    user = request.user
    assert isinstance(user, User)  # noqa: S101  # login_required ran first
    role = user.effective_role
    context: dict[str, Any] = {"role": role}
    if role in WIDE_READERS:
        context.update(_overview(user))
        context["coverage"] = fleet_coverage(user)
        if may_set_up_agents(user):
            context["coverage_setup_url"] = reverse("inventory:setup")
        if role in MANAGERS:  # the person on duty: what "Aujourd'hui" still has open
            context["round_open_count"] = current_round(user).open_count
            urgent = ticket_policy.visible(user).unassigned_urgent()
            context["urgent_tickets"] = urgent.order_by("priority", "created_at")[:URGENT_SHOWN]
            context["urgent_ticket_count"] = urgent.count()
    elif role == Role.CORRESPONDENT:
        assets = asset_policy.visible(user)
        context.update(
            sites=site_policy.visible(user).select_related("organisation"),
            assets=assets[:50],
            asset_count=assets.count(),
        )
    else:
        context.update(assets=asset_policy.visible(user))
    return render(request, "home.html", context)


@csrf_exempt
def root(request: HttpRequest) -> HttpResponse:
    """``/``: the home page for people, the inventory endpoint for agents posting to it
    (GLPI answers inventories on its root too, and agents are often pointed there)."""
    if request.method == "POST":
        return inventory_views.receive(request)
    return home(request)
