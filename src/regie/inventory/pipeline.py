"""Processing stored reports: decompress, parse (protocol from the row), apply, mark.

``process_report`` processes one report: ``regie inventory replay`` and the replay button
call it. The background task calls ``process_waiting``, which applies its report together
with other reports waiting in the inbox, in one transaction (see there). Processing is
idempotent: a processed report is left alone, a failed one can be run again. A report of an
agent awaiting approval waits.
"""

from __future__ import annotations

import logging
import time
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from regie.core.taskqueue import claim_waiting, finish_claimed, release_claimed
from regie.inventory import software
from regie.inventory.applying import Prepared, apply_report, prepare_report
from regie.inventory.exceptions import MalformedReport
from regie.inventory.models import SETTLED_STATUSES, AgentProtocol, ReceivedReport, ReportStatus
from regie.inventory.protocols import fusion_xml, glpi_json, ocs_xml
from regie.inventory.report import InventoryReport
from regie.inventory.trust import HeldReport

logger = logging.getLogger(__name__)

PARSERS: dict[str, Callable[[bytes], InventoryReport]] = {
    AgentProtocol.GLPI_JSON: glpi_json.parse,
    AgentProtocol.FUSION_XML: fusion_xml.parse,
    AgentProtocol.OCS_XML: ocs_xml.parse,
}


def parse_record(record: ReceivedReport) -> InventoryReport:
    """The canonical report in ``record``; ``MalformedReport`` if it cannot be read."""
    try:
        data = record.decompressed_body()
    except zlib.error as error:
        raise MalformedReport(f"The stored body cannot be decompressed: {error}.") from error
    return PARSERS[record.protocol](data)


def apply_parsed(
    record: ReceivedReport,
    report: InventoryReport,
    prepared: Prepared | None = None,
    *,
    spent: float = 0.0,
    accepted: bool = False,
) -> None:
    """Bring the fleet to what ``report`` says, then mark ``record`` processed.

    Runs inside the processing transaction: a failure of the applier leaves nothing
    half-written and the row failed. ``spent`` is the time already spent on the report
    (decompressing, parsing), in seconds. The agent trust rules apply (``HeldReport``
    when the report must wait), except for a report a technician ``accepted``: it goes to
    the asset it was held for.
    """
    started = time.perf_counter()
    outcome = apply_report(
        report=report,
        prepared=prepared,
        agent=record.agent,
        accepted_asset=record.asset if accepted else None,
    )
    record.asset = outcome.asset
    record.matched_rule = outcome.matched_rule or ""
    record.status = ReportStatus.PROCESSED
    record.processed_at = timezone.now()
    record.error = ""
    record.processing_ms = round((spent + time.perf_counter() - started) * 1000, 2)
    record.save(
        update_fields=[
            "asset",
            "matched_rule",
            "status",
            "processed_at",
            "error",
            "processing_ms",
            "updated_at",
        ]
    )


def process_report(*, report_id: int) -> ReceivedReport:
    """Parse and apply one stored report; a failure is recorded on the row, not raised."""
    record = ReceivedReport.objects.select_related("agent").get(pk=report_id)
    if record.status in SETTLED_STATUSES or not record.agent.approved:
        return record
    started = time.perf_counter()
    with _failure_recorded(record):
        report = parse_record(record)
        _apply_retrying(record, report, None, spent=time.perf_counter() - started)
    return record


@contextmanager
def _failure_recorded(record: ReceivedReport) -> Iterator[None]:
    """Mark ``record`` failed, with the error, if the block raises (nothing is raised)."""
    try:
        yield
    except MalformedReport as error:
        _mark_failed(record, str(error))
    except Exception as error:  # noqa: BLE001  # any bug must leave the row failed, visible
        logger.exception("Processing inventory report %s failed", record.pk)
        _mark_failed(record, f"Processing failed ({type(error).__name__}): {error}")


def _apply_retrying(
    record: ReceivedReport, report: InventoryReport, prepared: Prepared | None, *, spent: float
) -> None:
    """``apply_parsed`` in a transaction (or savepoint), once more should it conflict; a
    held report is marked so, nothing of it written."""
    try:
        with transaction.atomic():
            apply_parsed(record, report, prepared, spent=spent)
    except HeldReport as held:
        _mark_held(record, held)
    except IntegrityError:
        # A catalogue row this process remembered was removed by hand: read the catalogue
        # from the database and try once more (the transaction rolled back).
        software.catalogue.forget()
        with transaction.atomic():
            apply_parsed(record, report, spent=spent)


# A transaction stops taking reports once it has run this long, letting agents that wait to
# store their reports (the same write lock, on SQLite) have their turn; the rest of the
# batch goes on in the next one.
TURN_SECONDS = 0.25


@dataclass(slots=True)
class _Parsed:
    record: ReceivedReport
    report: InventoryReport
    prepared: Prepared
    spent: float  # seconds spent decompressing, parsing and preparing it


def process_waiting(*, report_id: int) -> ReceivedReport:
    """Process report ``report_id`` together with reports whose processing waits in the
    queue behind it (``INVENTORY_BATCH_REPORTS`` in all).

    The worker takes their tasks off the queue (``claim_waiting``), parses the reports
    outside any transaction, then applies them in arrival order, several to a transaction:
    a machine's first inventory inserts hundreds of installations whose index pages are the
    same from one machine to the next, and one commit writes each page once rather than once
    a report. Each report is applied in a savepoint of its own, so one that fails is marked
    failed and the others land; a transaction that fails to commit (a catalogue row this
    worker remembered was deleted by hand) is done again report by report. Tasks of reports
    still waiting when an error stops the batch go back in the queue. On Redis, or with a
    batch of 1, the report is processed alone.
    """
    from regie.inventory.tasks import process_received_report

    record = ReceivedReport.objects.select_related("agent").get(pk=report_id)
    if record.status in SETTLED_STATUSES or not record.agent.approved:
        return record
    claimed = [
        (result_id, args[0] if len(args) == 1 and isinstance(args[0], int) else None)
        for result_id, args in claim_waiting(
            process_received_report, settings.INVENTORY_BATCH_REPORTS - 1
        )
    ]
    claimed_reports = ReceivedReport.objects.filter(pk__in={pk for _id, pk in claimed if pk})
    try:
        others = claimed_reports.exclude(pk=record.pk).select_related("agent")
        batch = [record, *(row for row in others if _waiting(row))]
        batch.sort(key=lambda row: (row.received_at, row.pk))
        _apply_in_turns(_parse_batch(batch))
    finally:
        # A report an error left waiting gets its task back in the queue; the other tasks
        # are done (a report of an agent awaiting approval is queued again on approval).
        rows = claimed_reports.values_list("pk", "status", "agent__approved")
        statuses = {pk: status for pk, status, _approved in rows}
        left = {pk for pk, status, approved in rows if status == ReportStatus.RECEIVED and approved}
        release_claimed([result_id for result_id, pk in claimed if pk in left])
        finish_claimed(
            {
                result_id: str(statuses.get(pk, "") if pk else "")
                for result_id, pk in claimed
                if pk not in left
            }
        )
    record.refresh_from_db()
    return record


def _waiting(record: ReceivedReport) -> bool:
    return record.status not in SETTLED_STATUSES and record.agent.approved


def _parse_batch(batch: list[ReceivedReport]) -> list[_Parsed]:
    parsed: list[_Parsed] = []
    for record in batch:
        started = time.perf_counter()
        with _failure_recorded(record):
            report = parse_record(record)
            prepared = prepare_report(report)
            parsed.append(_Parsed(record, report, prepared, time.perf_counter() - started))
    return parsed


def _apply_in_turns(parsed: list[_Parsed]) -> None:
    pending = parsed
    while pending:
        turn, pending = _apply_turn(pending)
        if turn:  # the commit failed: the turn's reports again, each on its own
            software.catalogue.forget()
            for item in turn:
                process_report(report_id=item.record.pk)


def _apply_turn(pending: list[_Parsed]) -> tuple[list[_Parsed], list[_Parsed]]:
    """Apply reports of ``pending`` in one transaction until ``TURN_SECONDS`` have passed.

    Returns (the turn's reports if its commit failed, else nothing; the reports left).
    """
    started = time.monotonic()
    taken = 0
    try:
        with transaction.atomic():
            # Re-read under the write lock: a replay may have applied some meanwhile.
            # (PostgreSQL: rows another worker holds are skipped rather than waited for.)
            waiting = set(
                ReceivedReport.objects.select_for_update(skip_locked=True)
                .filter(pk__in=[item.record.pk for item in pending])
                .exclude(status__in=SETTLED_STATUSES)
                .values_list("pk", flat=True)
            )
            for item in pending:
                if taken and time.monotonic() - started > TURN_SECONDS:
                    break
                taken += 1
                if item.record.pk in waiting:
                    _apply_one(item)
    except IntegrityError:
        return pending[:taken], pending[taken:]
    return [], pending[taken:]


def _apply_one(item: _Parsed) -> None:
    with _failure_recorded(item.record):
        _apply_retrying(item.record, item.report, item.prepared, spent=item.spent)


def _mark_failed(record: ReceivedReport, error: str) -> None:
    record.status = ReportStatus.FAILED
    record.processed_at = timezone.now()
    record.error = error
    record.save(update_fields=["status", "processed_at", "error", "updated_at"])


def _mark_held(record: ReceivedReport, held: HeldReport) -> None:
    record.status = ReportStatus.HELD
    record.asset = held.asset
    record.conflict = held.conflict
    record.matched_rule = held.conflict["matched_rule"]
    record.processed_at = timezone.now()
    record.error = ""
    record.save(
        update_fields=[
            "status",
            "asset",
            "conflict",
            "matched_rule",
            "processed_at",
            "error",
            "updated_at",
        ]
    )


def apply_accepted(record: ReceivedReport) -> None:
    """Apply a held report a technician accepted, to the asset it was held for (its agent
    bound to it already); inside the caller's transaction."""
    report = parse_record(record)
    try:
        with transaction.atomic():
            apply_parsed(record, report, accepted=record.asset is not None)
    except IntegrityError:
        software.catalogue.forget()
        with transaction.atomic():
            apply_parsed(record, report, accepted=record.asset is not None)
