"""Writes of the inventory inbox: agents seen, reports stored, refusals counted, approvals."""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from regie.core.taskqueue import waiting_args
from regie.inventory.models import (
    Agent,
    AgentProtocol,
    ReceivedReport,
    Refusal,
    RefusalReason,
    ReportStatus,
)


@dataclass(frozen=True, slots=True)
class AgentIdentity:
    """Who is talking, as far as the message and its headers tell."""

    device_id: str
    protocol: AgentProtocol
    name: str = ""
    version: str = ""
    glpi_agent_id: str = ""
    address: str | None = None


# Agent-sent text is cut to its column (a 64 KB name must not make the message fail).
_AGENT_TEXT_LENGTHS = {"name": 100, "version": 50, "glpi_agent_id": 64}
_SOURCE_LENGTH = 255


def _agent_fields(identity: AgentIdentity) -> dict[str, object]:
    fields: dict[str, object] = {
        "protocol": identity.protocol,
        "last_seen": timezone.now(),
        "last_address": identity.address,
    }
    # Keep what an earlier message told when this one does not say.
    for name, max_length in _AGENT_TEXT_LENGTHS.items():
        if value := getattr(identity, name):
            fields[name] = value[:max_length]
    return fields


def see_agent(*, identity: AgentIdentity) -> Agent:
    """Create the agent on first contact or record that it was seen now."""
    fields = _agent_fields(identity)
    with transaction.atomic():
        agent, created = Agent.objects.select_for_update().get_or_create(
            device_id=identity.device_id,
            defaults={**fields, "approved": not settings.INVENTORY_APPROVAL},
        )
        if not created:
            for name, value in fields.items():
                setattr(agent, name, value)
            agent.save(update_fields=[*fields, "updated_at"])
    return agent


@dataclass(frozen=True, slots=True)
class Stored:
    report: ReceivedReport
    created: bool  # False: the same body was already in the inbox for this agent


def store_report(
    *,
    identity: AgentIdentity,
    protocol: AgentProtocol,
    body: bytes,
    partial: bool,
    compressed_body: bytes | None = None,
) -> Stored:
    """Commit ``body`` (decompressed) to the inbox, then enqueue its processing.

    ``protocol`` is the one its parser reads (GLPI Agent's first inventory may be XML).
    ``compressed_body`` is the request as received when it was already zlib: it is stored
    as is rather than compressed again. The same body from the same agent stores nothing
    new. Reports of an agent awaiting approval are stored and wait for ``approve_agents``.
    """
    digest = hashlib.sha256(body).hexdigest()
    stored_body = compressed_body if compressed_body is not None else zlib.compress(body, 6)
    with transaction.atomic():
        agent = see_agent(identity=identity)
        existing = ReceivedReport.objects.filter(agent=agent, body_sha256=digest).first()
        if existing is not None:
            return Stored(report=existing, created=False)
        report = ReceivedReport(
            agent=agent,
            protocol=protocol,
            body=stored_body,
            body_sha256=digest,
            body_size=len(body),
            partial=partial,
            remote_address=identity.address,
        )
        # Uniqueness was just checked (and a race ends in the IntegrityError below).
        report.full_clean(exclude=["body"], validate_unique=False, validate_constraints=False)
        try:
            with transaction.atomic():
                report.save()
        except IntegrityError:  # the same body, sent twice at the same moment
            return Stored(
                report=ReceivedReport.objects.get(agent=agent, body_sha256=digest), created=False
            )
        Agent.objects.filter(pk=agent.pk).update(report_count=F("report_count") + 1)
        if agent.approved:
            _enqueue_processing(report.pk)
    return Stored(report=report, created=True)


def _enqueue_processing(report_id: int) -> None:
    from regie.inventory.tasks import process_received_report

    transaction.on_commit(lambda: process_received_report.enqueue(report_id))


def record_refusal(
    *, source: str, reason: RefusalReason, error: str, address: str | None
) -> Refusal:
    """Count one refused body for (``source``, ``reason``); the body itself is not kept."""
    now = timezone.now()
    source = source[:_SOURCE_LENGTH]
    with transaction.atomic():
        refusal, _created = Refusal.objects.select_for_update().get_or_create(
            source=source, reason=reason
        )
        refusal.count = F("count") + 1
        refusal.last_at = now
        refusal.last_address = address
        refusal.last_error = error
        refusal.save(update_fields=["count", "last_at", "last_address", "last_error", "updated_at"])
    refusal.refresh_from_db(fields=["count"])
    return refusal


def approve_agents(*, agents: Iterable[Agent]) -> list[ReceivedReport]:
    """Approve ``agents`` and enqueue the processing of the reports they had waiting."""
    agent_ids = [agent.pk for agent in agents]
    with transaction.atomic():
        Agent.objects.filter(pk__in=agent_ids).update(approved=True, updated_at=timezone.now())
        waiting = list(
            ReceivedReport.objects.filter(
                agent_id__in=agent_ids, status=ReportStatus.RECEIVED
            ).order_by("received_at", "pk")
        )
        for report in waiting:
            _enqueue_processing(report.pk)
    return waiting


def _queued_report_ids() -> set[int]:
    """Reports with a processing task still waiting in the queue (database or Redis)."""
    from regie.inventory.tasks import process_received_report

    return {args[0] for args in waiting_args(process_received_report) if args}


def requeue_unprocessed_reports() -> int:
    """Queue again every stored report of an approved agent that is not processed yet.

    A worker killed during a task, or a server killed between storing a report and queueing
    it, leaves such reports behind: each worker start picks them up. Processing is
    idempotent, so a report that also has a task waiting is simply found done the second
    time. Reports that already have a task waiting in the queue are left to it. Returns how
    many were queued.
    """
    already_queued = _queued_report_ids()
    waiting = [
        report_id
        for report_id in ReceivedReport.objects.filter(
            status=ReportStatus.RECEIVED, agent__approved=True
        ).values_list("pk", flat=True)
        if report_id not in already_queued
    ]
    with transaction.atomic():
        for report_id in waiting:
            _enqueue_processing(report_id)
    return len(waiting)
