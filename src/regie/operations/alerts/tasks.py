"""Background entry points of the alerts (run by `regie worker`)."""

from __future__ import annotations

from django_tasks import task

from regie.operations.alerts.services import attempt_delivery, retry_due_deliveries


@task()
def send_delivery(delivery_id: int) -> str:
    """Send one delivery (its first attempt); returns its status. A duplicate task is harmless:
    a delivery already claimed or sent is left alone."""
    delivery = attempt_delivery(delivery_id=delivery_id)
    return "missing" if delivery is None else str(delivery.status)


@task()
def retry_deliveries() -> int:
    """The periodic job: send the deliveries whose next attempt is due."""
    return retry_due_deliveries()
