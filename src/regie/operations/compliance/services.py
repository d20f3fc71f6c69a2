"""The sweep: evaluate the rules on the fleet and keep the findings in step.

``evaluate_assets`` reads assets in batches (a handful of queries per batch, whatever its
size), works out what fails, and in one transaction per batch opens new findings, updates the
ones still failing and resolves the others. New serious findings are announced as events
once the batch commits: one event each up to the settings' limit, then one summary.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from regie.assets.models import Asset, AssetStatus, SoftwareInstallation
from regie.core.events import Event, Severity, publish
from regie.core.history import save_with_history
from regie.core.models import User
from regie.operations.compliance.models import ComplianceSettings, Finding, RuleCode
from regie.operations.compliance.rules import RULES, RULES_BY_CODE, Facts, Hit

BATCH_SIZE = 2000
# Assets that are in use: retired, lost and stocked machines are not evaluated, and their
# open findings are resolved.
EVALUATED_STATUSES = (AssetStatus.IN_SERVICE, AssetStatus.ON_LOAN, AssetStatus.IN_REPAIR)
_SEVERITY_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.CRITICAL: 2}


@dataclass
class SweepResult:
    assets: int = 0
    opened: int = 0
    updated: int = 0
    resolved: int = 0
    still_open: int = 0
    events: int = 0
    opened_by_rule: Counter[str] = field(default_factory=Counter)

    def as_dict(self) -> dict[str, Any]:
        return {
            "assets": self.assets,
            "opened": self.opened,
            "updated": self.updated,
            "resolved": self.resolved,
            "still_open": self.still_open,
            "events": self.events,
            "opened_by_rule": dict(sorted(self.opened_by_rule.items())),
        }


# Only what the rules and the events read: fewer columns to convert, at fleet scale.
_ASSET_COLUMNS = (
    "inventory_number",
    "name",
    "status",
    "warranty_end",
    "asset_type__kind",
    "operating_system__name",
    "operating_system__full_name",
    "operating_system__version",
    "operating_system__build",
    "operating_system__install_date",
    "inventory__last_inventory_at",
    "inventory__sections",
)


def _facts(batch: _Batch) -> list[Facts]:
    assets = (
        Asset.objects.filter(batch.on("pk"), status__in=EVALUATED_STATUSES)
        .select_related("asset_type", "operating_system", "inventory")
        .only(*_ASSET_COLUMNS)
        .order_by("pk")
    )
    newest = dict(
        SoftwareInstallation.objects.filter(batch.on("asset_id"), install_date__isnull=False)
        .order_by()
        .values("asset_id")
        .annotate(newest=Max("install_date"))
        .values_list("asset_id", "newest")
    )
    facts = []
    for asset in assets:
        system = getattr(asset, "operating_system", None)
        inventory = getattr(asset, "inventory", None)
        facts.append(Facts(asset, system, inventory, newest.get(asset.pk)))
    return facts


@dataclass(frozen=True)
class _Batch:
    """Assets with ids from ``first`` to ``last``, or exactly ``ids`` when assets were chosen.

    A range is far cheaper to send to the database than thousands of ids."""

    first: int
    last: int
    ids: list[int] | None

    def on(self, field: str) -> Q:
        if self.ids is not None:
            return Q(**{f"{field}__in": self.ids})
        return Q(**{f"{field}__gte": self.first, f"{field}__lte": self.last})


def _hits(facts: Facts, config: ComplianceSettings, today: dt.date) -> dict[str, Hit]:
    hits = {}
    for rule in RULES:
        if rule.enabled(config) and (hit := rule.check(facts, config, today)) is not None:
            hits[rule.code.value] = hit
    return hits


def _apply_batch(
    batch: _Batch, config: ComplianceSettings, now: dt.datetime, result: SweepResult
) -> list[Finding]:
    """Open, update and resolve the findings of one batch of assets; returns the new ones.

    Open findings of the batch's assets that are no longer evaluated (retired, in stock)
    are resolved with the others that no longer apply."""
    facts_list = _facts(batch)
    today = timezone.localdate(now)
    open_findings = {
        (finding.asset_id, finding.rule): finding
        for finding in Finding.objects.open()
        .filter(batch.on("asset_id"))
        .only("asset_id", "rule", "severity", "reason", "details")
    }
    new: list[Finding] = []
    changed: list[Finding] = []
    unchanged: list[int] = []
    for facts in facts_list:
        for code, hit in _hits(facts, config, today).items():
            finding = open_findings.pop((facts.asset.pk, code), None)
            if finding is None:
                new.append(
                    Finding(
                        asset=facts.asset,
                        rule=code,
                        severity=hit.severity,
                        reason=hit.reason,
                        details=hit.details,
                        first_seen=now,
                        last_seen=now,
                    )
                )
            elif (finding.severity, finding.reason, finding.details) != (
                hit.severity,
                hit.reason,
                hit.details,
            ):
                finding.severity, finding.reason, finding.details = (
                    hit.severity,
                    hit.reason,
                    hit.details,
                )
                finding.last_seen = now
                changed.append(finding)
            else:
                unchanged.append(finding.pk)
    gone = [finding.pk for finding in open_findings.values()]
    Finding.objects.bulk_create(new)
    if changed:
        Finding.objects.bulk_update(
            changed, ["severity", "reason", "details", "last_seen", "updated_at"]
        )
    if unchanged:
        Finding.objects.filter(pk__in=unchanged).update(last_seen=now)
    if gone:
        Finding.objects.filter(pk__in=gone).update(resolved_at=now, updated_at=now)
    result.opened += len(new)
    result.updated += len(changed)
    result.resolved += len(gone)
    result.still_open += len(changed) + len(unchanged)
    result.opened_by_rule.update(finding.rule for finding in new)
    return new


def _evaluated_ids(assets: list[Asset] | None) -> list[int]:
    queryset = Asset.objects.filter(status__in=EVALUATED_STATUSES)
    if assets is not None:
        queryset = queryset.filter(pk__in=[asset.pk for asset in assets])
    return list(queryset.order_by("pk").values_list("pk", flat=True))


def _resolve_unevaluated(assets: list[Asset] | None, now: dt.datetime) -> int:
    """Close the open findings of assets that are no longer evaluated (retired, in stock)."""
    stale = Finding.objects.open().exclude(asset__status__in=EVALUATED_STATUSES)
    if assets is not None:
        stale = stale.filter(asset_id__in=[asset.pk for asset in assets])
    return stale.update(resolved_at=now, updated_at=now)


def evaluate_assets(
    *,
    assets: Iterable[Asset] | None = None,
    now: dt.datetime | None = None,
    batch_size: int = BATCH_SIZE,
) -> SweepResult:
    """Evaluate every rule on ``assets`` (all assets in use when ``None``).

    Findings that apply are opened or refreshed, the others resolved; every batch is one
    transaction. New serious findings are announced (see ``announce_findings``). Running it
    twice in a row opens nothing and announces nothing the second time.
    """
    now = now or timezone.now()
    chosen = None if assets is None else list(assets)
    config = ComplianceSettings.load()
    result = SweepResult()
    ids = _evaluated_ids(chosen)
    result.assets = len(ids)
    announced: list[Finding] = []
    with translation.override(settings.LANGUAGE_CODE):
        for start in range(0, len(ids), batch_size):
            chunk = ids[start : start + batch_size]
            batch = _Batch(chunk[0], chunk[-1], chunk if chosen is not None else None)
            with transaction.atomic():
                new = _apply_batch(batch, config, now, result)
            announced += [f for f in new if RULES_BY_CODE[f.rule].announced(f.severity)]
        with transaction.atomic():
            result.resolved += _resolve_unevaluated(chosen, now)
            result.events = announce_findings(announced, limit=config.max_events_per_sweep)
    return result


def _finding_event(finding: Finding) -> Event:
    asset = finding.asset
    rule = RULES_BY_CODE[finding.rule]
    return Event(
        kind="finding.new",
        severity=Severity(finding.severity),
        title=_("%(asset)s: %(rule)s") % {"asset": asset, "rule": rule.label},
        text=finding.reason,
        url=asset.get_absolute_url(),
        data={
            "finding_id": finding.pk,
            "asset_id": asset.pk,
            "asset_name": asset.name,
            "asset_number": asset.inventory_number,
            "rule": finding.rule,
            "severity": finding.severity,
            "reason": finding.reason,
        },
    )


def _summary_event(findings: list[Finding]) -> Event:
    worst = max((Severity(f.severity) for f in findings), key=_SEVERITY_RANK.__getitem__)
    by_rule = Counter(f.rule for f in findings)
    lines = [
        _("%(rule)s: %(count)d") % {"rule": RuleCode(code).label, "count": count}
        for code, count in sorted(by_rule.items())
    ]
    count = len(findings)
    return Event(
        kind="finding.summary",
        severity=worst,
        title=ngettext(
            "%(count)d more new compliance finding",
            "%(count)d more new compliance findings",
            count,
        )
        % {"count": count},
        text="\n".join(lines),
        url=reverse("compliance:overview") + "?open=true",
        data={
            "count": count,
            "by_rule": dict(sorted(by_rule.items())),
            "finding_ids": [f.pk for f in findings],
        },
    )


def announce_findings(findings: list[Finding], *, limit: int) -> int:
    """Publish ``finding.new`` for the first ``limit`` findings (most severe first), then one
    ``finding.summary`` for the rest. Returns the number of events published."""
    ordered = sorted(findings, key=lambda f: (-_SEVERITY_RANK[Severity(f.severity)], f.pk))
    single, rest = ordered[:limit], ordered[limit:]
    with translation.override(settings.LANGUAGE_CODE):
        for finding in single:
            publish(_finding_event(finding))
        if rest:
            publish(_summary_event(rest))
    return len(single) + (1 if rest else 0)


def save_compliance_settings(*, config: ComplianceSettings, by: User) -> ComplianceSettings:
    """Save the thresholds (the single row) with their change history."""
    config.pk = 1
    return save_with_history(instance=config, by=by)
