"""Background entry points of telework (run by `regie worker`)."""

from __future__ import annotations

from django_tasks import task

from regie.telework.reminders import send_loan_reminders


@task()
def send_loan_reminders_task() -> int:
    """Periodic, daily: mail the loan reminders due (each one once)."""
    return send_loan_reminders().sent
