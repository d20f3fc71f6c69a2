"""The round's section on a site's page: the interventions waiting there."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from regie.core.models import User
from regie.core.panels import register_panel
from regie.directory.models import Site
from regie.field.permissions import intervention_policy

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


def register() -> None:
    register_panel(Site, template="field/panels/site_interventions.html", context=pending_at)
