"""`regie telephony import-lines FILE.csv [--operator NAME] [--dry-run] [--valid-only]`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from regie.core.models import ChangeSource
from regie.telephony.importing import import_lines
from regie.telephony.models import Operator


class Command(BaseCommand):
    help = "Telephony tools: import lines from an operator's CSV export."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        lines = actions.add_parser(
            "import-lines", help="Import lines (all or nothing) from a CSV file."
        )
        lines.add_argument("file", type=Path, metavar="FILE.csv")
        lines.add_argument("--operator", help="Operator of lines without an operator column.")
        lines.add_argument("--dry-run", action="store_true", help="Check only; write nothing.")
        lines.add_argument(
            "--valid-only",
            action="store_true",
            help="Import the valid rows even when others are refused.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        operator = None
        if options["operator"]:
            operator = Operator.objects.filter(name__iexact=options["operator"]).first()
            if operator is None:
                raise CommandError(f"No operator named {options['operator']!r}.")
        try:
            data = options["file"].read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {options['file']}: {exc}") from exc
        report = import_lines(
            data=data,
            by=None,
            operator=operator,
            valid_only=options["valid_only"],
            dry_run=options["dry_run"],
            source=ChangeSource.SYSTEM,
        )
        if report.file_error:
            raise CommandError(report.file_error)
        for problem in report.duplicates:
            self.stdout.write(f"line {problem.line}: {problem.message}")
        for problem in report.refused:
            self.stderr.write(f"line {problem.line}: {problem.message}")
        summary = (
            f"{report.rows} row(s): {len(report.valid)} valid, {len(report.refused)} refused, "
            f"{len(report.duplicates)} already known; {report.created} line(s) imported."
        )
        self.stdout.write(summary)
        if report.refused and not report.imported:
            raise CommandError(
                "Nothing imported: correct the refused rows, or use --valid-only."
                if not options["dry_run"]
                else "Dry run: some rows would be refused."
            )
