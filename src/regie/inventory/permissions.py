"""Access to the inventory's own records: agents, received reports, refusals.

The IT team (administrators, technicians) acts on them (approve, replay); readers see them;
correspondents and staff do not. Nobody creates or edits them by hand: agents do.
"""

from __future__ import annotations

from typing import Any

from regie.core.permissions import AnyUser, Policy, manages, register
from regie.inventory.models import Agent, ReceivedReport, Refusal


class InventoryRecordPolicy(Policy[Any]):
    def can_create(self, user: AnyUser | None) -> bool:
        return False

    def can_change(self, user: AnyUser | None, obj: Any) -> bool:
        """Approving an agent, replaying a report."""
        return manages(user)


class AgentPolicy(InventoryRecordPolicy):
    model = Agent


class ReceivedReportPolicy(InventoryRecordPolicy):
    model = ReceivedReport


class RefusalPolicy(InventoryRecordPolicy):
    model = Refusal


agent_policy = register(AgentPolicy())
received_report_policy = register(ReceivedReportPolicy())
refusal_policy = register(RefusalPolicy())
