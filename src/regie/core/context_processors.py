"""What every page needs to draw its navigation."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Filled in by the interface: the menu entries this user may open."""
    return {}
