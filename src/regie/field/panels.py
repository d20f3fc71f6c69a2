"""The round's sections on other apps' pages: the interventions waiting at a site, and a
ticket's visits with a button to plan one from it."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from regie.core.models import User
from regie.core.panels import register_panel
from regie.directory.models import Site
from regie.field.permissions import intervention_policy
from regie.helpdesk.models import Ticket

SHOWN = 20


def pending_at(user: User, site: Site) -> dict[str, Any]:
    interventions = intervention_policy.visible(user).filter(site=site).pending()
    shown = list(interventions[:SHOWN])
    return {
        "interventions": shown,
        "count": len(shown) if len(shown) < SHOWN else interventions.count(),
        "list_url": reverse("field:intervention-list") + f"?site={site.pk}&pending=true",
        "create_url": (
            reverse("field:intervention-create") + f"?site={site.pk}"
            if intervention_policy.can_create(user)
            else ""
        ),
    }


def of_ticket(user: User, ticket: Ticket) -> dict[str, Any]:
    if not intervention_policy.can_list(user):
        return {"shown": False}
    interventions = intervention_policy.visible(user).filter(
        origin_type=ContentType.objects.get_for_model(Ticket), origin_id=ticket.pk
    )
    return {
        "shown": True,
        "interventions": list(interventions.select_related("site")[:SHOWN]),
        "create_url": (
            reverse("field:intervention-create") + f"?ticket={ticket.pk}"
            if intervention_policy.can_create(user)
            else ""
        ),
    }


def register() -> None:
    register_panel(Site, template="field/panels/site_interventions.html", context=pending_at)
    register_panel(Ticket, template="field/panels/ticket_interventions.html", context=of_ticket)
