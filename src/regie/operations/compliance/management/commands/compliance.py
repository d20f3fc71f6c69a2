"""`regie compliance sweep`: evaluate the compliance rules on the fleet now."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from regie.operations.compliance.services import evaluate_assets


class Command(BaseCommand):
    help = "Compliance: `sweep` evaluates every rule on the fleet and prints a summary."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser("sweep", help="Evaluate the rules on every asset in use, now.")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        result = evaluate_assets()
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"{result.assets} asset(s) evaluated in {seconds:.1f} s: "
            f"{result.opened} finding(s) opened, {result.updated} updated, "
            f"{result.resolved} resolved, {result.still_open} still open; "
            f"{result.events} event(s) published."
        )
        for rule, count in sorted(result.opened_by_rule.items()):
            self.stdout.write(f"  {rule}: {count} new")
