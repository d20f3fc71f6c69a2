"""Telephony's sections on directory pages: a site's lines, a person's lines and extension."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils.http import urlencode

from regie.core.models import User
from regie.core.panels import register_panel
from regie.directory.models import Person, Site
from regie.telephony.copper import site_copper
from regie.telephony.models import SAFETY_KINDS, Extension, Forwarding, Line, SiteFallback
from regie.telephony.permissions import extension_policy, line_policy

SHOWN = 50


def _site_panel(user: User, site: Site) -> dict[str, Any]:
    lines = line_policy.visible(user, Line.objects.filter(site=site))
    # Alarm, lift and emergency lines first: they are the ones that must never go silent.
    ordered = sorted(
        lines.select_related("person")[:SHOWN], key=lambda line: line.kind not in SAFETY_KINDS
    )
    count = len(ordered) if len(ordered) < SHOWN else lines.count()
    return {
        "lines": ordered,
        "count": count,
        "more_url": reverse("telephony:line-list") + "?" + urlencode({"site": site.pk})
        if count > SHOWN
        else "",
        "copper": site_copper(site, lines),
        "fallback": SiteFallback.objects.filter(site=site).first(),
    }


def _person_panel(user: User, person: Person) -> dict[str, Any]:
    lines = list(line_policy.visible(user, Line.objects.filter(person=person)))
    extensions = list(extension_policy.visible(user, Extension.objects.filter(person=person)))
    forwardings = Forwarding.objects.filter(
        Q(line__in=[line.pk for line in lines])
        | Q(extension__in=[extension.pk for extension in extensions]),
        active=True,
    ).select_related("line", "extension")
    return {"lines": lines, "extensions": extensions, "forwardings": list(forwardings)}


def register() -> None:
    register_panel(Site, template="telephony/panels/site.html", context=_site_panel)
    register_panel(Person, template="telephony/panels/person.html", context=_person_panel)
