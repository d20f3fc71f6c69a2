"""The fleet's sections on directory pages: a site's equipment, a person's equipment."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.http import urlencode

from regie.assets.permissions import asset_policy
from regie.core.models import User
from regie.core.panels import register_panel
from regie.directory.models import Department, Person, Site

SHOWN = 50


def _equipment(user: User, **lookups: Any) -> dict[str, Any]:
    assets = asset_policy.visible(user).filter(**lookups)
    shown = list(assets[:SHOWN])
    count = len(shown) if len(shown) < SHOWN else assets.count()
    query = {key: getattr(value, "pk", value) for key, value in lookups.items()}
    return {
        "assets": shown,
        "count": count,
        "more_url": reverse("assets:asset-list") + "?" + urlencode(query) if count > SHOWN else "",
    }


def register() -> None:
    template = "assets/panels/equipment.html"
    register_panel(Site, template=template, context=lambda user, site: _equipment(user, site=site))
    register_panel(
        Person, template=template, context=lambda user, person: _equipment(user, assigned_to=person)
    )
    register_panel(
        Department,
        template=template,
        context=lambda user, department: _equipment(user, department=department),
    )
