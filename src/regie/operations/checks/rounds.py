"""The checks' section of the daily round: what is down or late right now."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from regie.core.events import Severity
from regie.core.models import User
from regie.core.rounds import RoundItem, RoundSource, register_source
from regie.operations.checks.models import OUTAGE, CheckStatus
from regie.operations.checks.permissions import check_policy


def round_items(user: User, since: datetime | None) -> list[RoundItem]:
    """One item per check down or late, keyed by the flip that started its outage."""
    checks = (
        check_policy.visible(user)
        .filter(status__in=OUTAGE, outage_flip__isnull=False)
        .select_related("outage_flip", "site")
        .order_by("status", "outage_flip__at")
    )
    items = []
    for check in checks:
        flip = check.outage_flip
        down = check.status == CheckStatus.DOWN
        when = timezone.localtime(flip.at).strftime("%d/%m/%Y %H:%M")
        if down:
            detail = gettext("Down since %(when)s.") % {"when": when}
        else:
            detail = gettext("Late since %(when)s.") % {"when": when}
        if check.site is not None:
            detail = f"{check.site.name} — {detail}"
        items.append(
            RoundItem(
                key=f"check:{check.pk}:flip:{flip.pk}",
                title=check.name,
                detail=detail,
                url=check.get_absolute_url(),
                severity=Severity.CRITICAL if down else Severity.WARNING,
                since=flip.at,
                site_id=check.site_id,
            )
        )
    return items


def register() -> None:
    register_source(
        RoundSource(key="checks", label=_("Checks down or late"), order=10, items=round_items)
    )
