"""Which agent speaks for which asset: the binding, and the reports held as conflicts.

An asset is bound to the agent that first inventoried it (``Agent.asset``; an asset
inventoried before bindings existed is bound to the agent named on its inventory, on that
agent's next report). When a report is applied (``applying.apply_report`` with its agent):

* the bound agent's reports go to its asset — renamed, with new network cards, from home —
  unless they would change the asset's serial or hardware UUID: then they are *held*;
* another agent's report that matches a bound asset on serial *and* hardware UUID is that
  machine's agent reinstalled: it takes the binding over (history on both agents);
* another agent's report that matches a bound asset on weaker evidence (serial alone, UUID
  alone, a MAC, a name) is *held*.

A held report changes nothing until a technician accepts it (the asset is bound to the new
agent, then the report applied) or rejects it (``accept_held_report``,
``reject_held_report``).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from regie.assets.models import Asset, AssetInventory
from regie.core.history import save_with_history
from regie.core.models import ChangeAction, ChangeRecord, User
from regie.inventory.junk import real_serial, real_uuid
from regie.inventory.matching import MatchRule
from regie.inventory.models import Agent, ReceivedReport, ReportStatus


class ConflictReason(StrEnum):
    CLAIMED = "claimed"  # another agent claims a bound asset on weak evidence
    IDENTITY = "identity"  # the report would change a bound asset's serial or hardware UUID


class HeldReport(Exception):  # noqa: N818  # an outcome, not an error
    """The report must wait for a technician; nothing of it was written."""

    def __init__(self, asset: Asset, conflict: dict[str, Any]) -> None:
        super().__init__(conflict["reason"])
        self.asset = asset
        self.conflict = conflict


class NotHeld(Exception):  # noqa: N818  # a state conflict, answered 409
    """The report is not (or no longer) held: it was accepted or rejected already."""


_IDENTITY_FIELDS = (("serial_number", real_serial), ("hardware_uuid", real_uuid))


def identity_changes(asset: Asset, values: dict[str, Any]) -> dict[str, list[str]]:
    """The serial and UUID the reported ``values`` would change on ``asset``:
    ``{field: [stored, reported]}``. A blank or placeholder on either side, or a field
    locked by hand, is no change."""
    changes: dict[str, list[str]] = {}
    for field, real in _IDENTITY_FIELDS:
        stored = real(getattr(asset, field))
        reported = values.get(field)
        if asset.is_locked(field) or not stored or not reported or not real(reported):
            continue
        if real(reported) != stored:
            changes[field] = [getattr(asset, field), reported]
    return changes


def bound_agent(asset: Asset) -> Agent | None:
    """The agent ``asset`` is bound to: ``Agent.asset``, else (an asset inventoried before
    bindings existed) the unbound agent its inventory names."""
    agent = Agent.objects.filter(asset=asset).first()
    if agent is not None:
        return agent
    device_id = (
        AssetInventory.objects.filter(asset=asset).values_list("agent_device_id", flat=True).first()
    )
    if not device_id:
        return None
    return Agent.objects.filter(device_id=device_id, asset__isnull=True).first()


def _agent_side(agent: Agent | None) -> dict[str, Any] | None:
    if agent is None:
        return None
    return {
        "device_id": agent.device_id,
        "agent": f"{agent.name} {agent.version}".strip(),
        "address": agent.last_address or "",
        "first_seen": agent.first_seen.isoformat(),
        "last_seen": agent.last_seen.isoformat(),
    }


def _conflict(
    reason: ConflictReason,
    *,
    asset: Asset,
    holder: Agent | None,
    newcomer: Agent,
    values: dict[str, Any],
    rule: MatchRule | None,
) -> dict[str, Any]:
    """What the technician compares: the bound agent and its asset beside the newcomer and
    what it reports."""
    return {
        "reason": reason.value,
        "matched_rule": rule.value if rule else "",
        "asset_id": asset.pk,
        "changes": identity_changes(asset, values),
        "bound": {
            "agent": _agent_side(holder),
            "name": asset.name,
            "serial_number": asset.serial_number,
            "hardware_uuid": asset.hardware_uuid,
        },
        "newcomer": {
            "agent": _agent_side(newcomer),
            "name": values.get("name", ""),
            "serial_number": values.get("serial_number", ""),
            "hardware_uuid": values.get("hardware_uuid", ""),
        },
    }


def check_report(
    *,
    agent: Agent,
    asset: Asset | None,
    rule: MatchRule | None,
    values: dict[str, Any],
    assets: QuerySet[Asset],
) -> tuple[Asset | None, MatchRule | None]:
    """The asset ``agent``'s report goes to (``None``: a new one) and the rule that chose
    it, given what matching found; ``HeldReport`` when it must wait for a technician.

    ``values`` is the identity the report sets (``Prepared.identity``); ``assets`` the locked
    queryset the applier matched in.
    """
    # Read again: another report of this agent may have bound it since it was loaded.
    agent.asset_id = Agent.objects.filter(pk=agent.pk).values_list("asset_id", flat=True).first()
    own: Asset | None = None
    if agent.asset_id is not None:
        own = asset if asset is not None and asset.pk == agent.asset_id else None
        own = own or assets.filter(pk=agent.asset_id).first()
    if own is None and asset is not None:
        holder = bound_agent(asset)
        if holder is not None and holder.pk != agent.pk:
            if rule is MatchRule.SERIAL_AND_UUID:
                return asset, rule  # the same machine, its agent reinstalled
            reason = ConflictReason.CLAIMED
            conflict = _conflict(
                reason, asset=asset, holder=holder, newcomer=agent, values=values, rule=rule
            )
            raise HeldReport(asset, conflict)
        if holder is None:
            return asset, rule  # bound once applied
        own = asset  # bound before bindings were stored: by its inventory
    if own is None:
        return None, None
    if identity_changes(own, values):
        reason = ConflictReason.IDENTITY
        conflict = _conflict(
            reason, asset=own, holder=agent, newcomer=agent, values=values, rule=rule
        )
        raise HeldReport(own, conflict)
    if asset is not None and asset.pk == own.pk:
        return own, rule
    return own, MatchRule.AGENT


def bind_agent(*, agent: Agent, asset: Asset, by: User | None, source: str) -> bool:
    """Bind ``asset`` to ``agent`` (unbinding the agent it had), with history on both agents
    and, for a re-bind, on the asset. Returns whether anything changed."""
    if agent.asset_id == asset.pk:
        return False
    with transaction.atomic():
        previous = Agent.objects.select_for_update().filter(asset=asset).exclude(pk=agent.pk)
        replaced = previous.first()
        if replaced is not None:
            replaced.asset = None
            replaced.bound_at = None
            save_with_history(instance=replaced, by=by, source=source)
        fresh = Agent.objects.select_for_update().get(pk=agent.pk)
        fresh.asset = asset
        fresh.bound_at = timezone.now()
        save_with_history(instance=fresh, by=by, source=source)
        agent.asset, agent.bound_at = fresh.asset, fresh.bound_at
        if replaced is not None:
            ChangeRecord.objects.create(
                content_type=ContentType.objects.get_for_model(Asset),
                object_id=asset.pk,
                object_repr=str(asset)[:200],
                action=ChangeAction.UPDATE,
                actor=by,
                source=source,
                field="inventory_agent",
                field_label=_("inventory agent"),
                old_value=replaced.device_id,
                new_value=agent.device_id,
            )
    return True


def accept_held_report(*, report: ReceivedReport, by: User, source: str) -> ReceivedReport:
    """Bind the held report's asset to its agent, then apply it; ``NotHeld`` if it is not
    held (any more)."""
    from regie.inventory.pipeline import apply_accepted

    with transaction.atomic():
        record = (
            ReceivedReport.objects.select_for_update(of=("self",))
            .select_related("agent", "asset")
            .get(pk=report.pk)
        )
        if record.status != ReportStatus.HELD:
            raise NotHeld(record.get_status_display())
        if record.asset is not None:
            bind_agent(agent=record.agent, asset=record.asset, by=by, source=source)
        apply_accepted(record)
        record.decided_by = by
        record.decided_at = timezone.now()
        record.save(update_fields=["decided_by", "decided_at", "updated_at"])
    return record


def reject_held_report(*, report: ReceivedReport, by: User) -> ReceivedReport:
    """Mark the held report rejected: it never reaches the asset; ``NotHeld`` if it is not
    held (any more)."""
    with transaction.atomic():
        record = ReceivedReport.objects.select_for_update().get(pk=report.pk)
        if record.status != ReportStatus.HELD:
            raise NotHeld(record.get_status_display())
        record.status = ReportStatus.REJECTED
        record.decided_by = by
        record.decided_at = timezone.now()
        record.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    return record
