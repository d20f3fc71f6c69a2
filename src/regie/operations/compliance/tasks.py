"""Background entry point of the compliance sweep (queued nightly and by the "run now" button)."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from regie.operations.compliance.services import evaluate_assets


@task()
def sweep_compliance() -> dict[str, Any]:
    """Evaluate the whole fleet; returns the sweep's summary. Running it again is harmless."""
    return evaluate_assets().as_dict()
