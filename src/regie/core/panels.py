"""Sections that a higher app adds to the detail page of a lower app's model.

The directory knows nothing of the fleet, yet a site's page lists its equipment: the assets
app registers a panel for ``Site`` when it starts, and every detail page draws the panels
registered for its model. Dependencies keep pointing down.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models

from regie.core.models import User


@dataclass(frozen=True)
class Panel:
    template: str
    context: Callable[[User, Any], dict[str, Any]]


@dataclass(frozen=True)
class ShownPanel:
    template: str
    context: dict[str, Any]


_PANELS: dict[type[models.Model], list[Panel]] = {}


def register_panel(
    model: type[models.Model], *, template: str, context: Callable[[User, Any], dict[str, Any]]
) -> None:
    """Show ``template`` on the detail page of ``model``, with ``context(user, obj)``."""
    _PANELS.setdefault(model, []).append(Panel(template, context))


def panels_for(user: User, obj: models.Model) -> list[ShownPanel]:
    return [
        ShownPanel(panel.template, panel.context(user, obj)) for panel in _PANELS.get(type(obj), [])
    ]
