"""`regie inventory replay [--failed | ID...]` and `regie inventory approve DEVICE_ID...`."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from regie.inventory.models import Agent, ReceivedReport, ReportStatus
from regie.inventory.pipeline import process_report
from regie.inventory.services import approve_agents


class Command(BaseCommand):
    help = "Replay stored inventory reports, or approve agents held for approval."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        replay = actions.add_parser("replay", help="Process stored reports again, now.")
        replay.add_argument("ids", nargs="*", type=int, metavar="ID")
        replay.add_argument("--failed", action="store_true", help="Every failed report.")
        approve = actions.add_parser("approve", help="Approve agents and process their reports.")
        approve.add_argument("device_ids", nargs="+", metavar="DEVICE_ID")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "approve":
            self._approve(options["device_ids"])
        else:
            self._replay(options["ids"], failed=options["failed"])

    def _replay(self, ids: list[int], *, failed: bool) -> None:
        if bool(ids) == failed:
            raise CommandError("Give either report ids or --failed.")
        reports = ReceivedReport.objects.order_by("received_at", "pk")
        if failed:
            reports = reports.filter(status=ReportStatus.FAILED)
        else:
            reports = reports.filter(pk__in=ids)
            if missing := sorted(set(ids) - set(reports.values_list("pk", flat=True))):
                raise CommandError(f"No report with id {', '.join(map(str, missing))}.")
        for report_id in reports.values_list("pk", flat=True):
            report = process_report(report_id=report_id)
            detail = f": {report.error}" if report.error else ""
            self.stdout.write(f"{report.pk} {report.status}{detail}")

    def _approve(self, device_ids: list[str]) -> None:
        agents = list(Agent.objects.filter(device_id__in=device_ids))
        if missing := sorted(set(device_ids) - {agent.device_id for agent in agents}):
            raise CommandError(f"No agent with device id {', '.join(missing)}.")
        waiting = approve_agents(agents=agents)
        self.stdout.write(f"{len(agents)} agent(s) approved, {len(waiting)} report(s) queued.")
