"""Processing a stored report: decompress, parse (protocol from the row), apply, mark.

Called by the background task (``tasks.process_received_report``) and by
``regie inventory replay``. Processing is idempotent: a processed report is left alone, a
failed one can be run again. A report of an agent awaiting approval waits.
"""

from __future__ import annotations

import logging
import zlib
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.utils import timezone

from regie.inventory import software
from regie.inventory.applying import apply_report
from regie.inventory.exceptions import MalformedReport
from regie.inventory.models import AgentProtocol, ReceivedReport, ReportStatus
from regie.inventory.protocols import fusion_xml, glpi_json, ocs_xml
from regie.inventory.report import InventoryReport

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


def apply_parsed(record: ReceivedReport, report: InventoryReport) -> None:
    """Bring the fleet to what ``report`` says, then mark ``record`` processed.

    Runs inside the processing transaction: a failure of the applier leaves nothing
    half-written and the row failed.
    """
    outcome = apply_report(report=report)
    record.asset = outcome.asset
    record.matched_rule = outcome.matched_rule or ""
    record.status = ReportStatus.PROCESSED
    record.processed_at = timezone.now()
    record.error = ""
    record.save(
        update_fields=["asset", "matched_rule", "status", "processed_at", "error", "updated_at"]
    )


def process_report(*, report_id: int) -> ReceivedReport:
    """Parse and apply one stored report; a failure is recorded on the row, not raised."""
    record = ReceivedReport.objects.select_related("agent").get(pk=report_id)
    if record.status == ReportStatus.PROCESSED or not record.agent.approved:
        return record
    try:
        report = parse_record(record)
        try:
            with transaction.atomic():
                apply_parsed(record, report)
        except IntegrityError:
            # A catalogue row this process remembered was removed by hand: read the
            # catalogue from the database and try once more (the transaction rolled back).
            software.catalogue.forget()
            with transaction.atomic():
                apply_parsed(record, report)
    except MalformedReport as error:
        _mark_failed(record, str(error))
    except Exception as error:  # noqa: BLE001  # any bug must leave the row failed, visible
        logger.exception("Processing inventory report %s failed", record.pk)
        _mark_failed(record, f"Processing failed ({type(error).__name__}): {error}")
    return record


def _mark_failed(record: ReceivedReport, error: str) -> None:
    record.status = ReportStatus.FAILED
    record.processed_at = timezone.now()
    record.error = error
    record.save(update_fields=["status", "processed_at", "error", "updated_at"])
