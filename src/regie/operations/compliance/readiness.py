"""Compliance's readiness criteria: disk encryption, antivirus and a supported, updated system
on the laptop a person would take home (:mod:`regie.core.readiness`).

An open finding makes a criterion red (critical) or amber; no finding is green only when the
laptop reported what the rule reads. A laptop that never reported, or whose agent does not
report that section, is *unknown*: never ready without evidence.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from regie.assets.models import Asset, AssetOperatingSystem
from regie.core.events import Severity
from regie.core.readiness import (
    Colour,
    CriterionProvider,
    Subjects,
    Verdict,
    no_laptop,
    register_criterion,
)
from regie.operations.compliance.evidence import unknown_reason
from regie.operations.compliance.models import Finding, RuleCode

# The compliance rules that speak for each readiness criterion.
FINDING_RULES = {
    "encryption": (RuleCode.DISK_ENCRYPTION,),
    "antivirus": (RuleCode.ANTIVIRUS,),
    "os": (RuleCode.OS_END_OF_SUPPORT, RuleCode.OS_END_OF_SUPPORT_SOON, RuleCode.OS_UPDATES),
}


@dataclass
class _Facts:
    findings: dict[int, list[Finding]] = field(default_factory=lambda: defaultdict(list))
    with_operating_system: set[int] = field(default_factory=set)


def _read(subjects: Subjects) -> _Facts:
    """The laptops' open findings and which laptops reported their system (two queries)."""
    facts = _Facts()
    if not subjects.laptops:
        return facts
    rules = [rule for codes in FINDING_RULES.values() for rule in codes]
    for finding in Finding.objects.open().filter(asset__in=subjects.laptop_ids, rule__in=rules):
        facts.findings[finding.asset_id].append(finding)
    facts.with_operating_system = set(
        AssetOperatingSystem.objects.filter(asset__in=subjects.laptop_ids).values_list(
            "asset_id", flat=True
        )
    )
    return facts


def _verdict(key: str, laptop: Asset | None, facts: _Facts) -> Verdict:
    if laptop is None:
        return no_laptop()
    relevant = [f for f in facts.findings.get(laptop.pk, []) if f.rule in FINDING_RULES[key]]
    critical = [f for f in relevant if f.severity == Severity.CRITICAL]
    if critical:
        return Verdict(Colour.RED, critical[0].reason)
    if relevant:
        return Verdict(Colour.AMBER, relevant[0].reason)
    has_system = laptop.pk in facts.with_operating_system
    for code in FINDING_RULES[key]:
        if reason := unknown_reason(code, laptop, has_operating_system=has_system):
            return Verdict(Colour.UNKNOWN, reason)
    return Verdict(Colour.GREEN, _("No open compliance finding."))


def _evaluator(key: str) -> Any:
    def evaluate(
        person: Any, laptop: Asset | None, facts: _Facts, now: datetime.datetime
    ) -> Verdict:
        return _verdict(key, laptop, facts)

    return evaluate


def register() -> None:
    for key, label, order in (
        ("encryption", gettext_lazy("Disk encryption"), 30),
        ("antivirus", gettext_lazy("Antivirus"), 40),
        ("os", gettext_lazy("Supported, updated system"), 50),
    ):
        register_criterion(CriterionProvider(key, label, order, _read, _evaluator(key)))
