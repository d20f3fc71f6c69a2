"""Telework's sections on other apps' pages: a person's loans and readiness, an asset's
loans (a tab of the asset page)."""

from __future__ import annotations

from typing import Any

from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from regie.assets.models import Asset
from regie.assets.tabs import register_tab
from regie.core.models import User
from regie.core.panels import register_panel
from regie.core.readiness import readiness_for
from regie.directory.models import Person
from regie.telework.models import Loan, Reservation
from regie.telework.permissions import loan_policy, reservation_policy

SHOWN = 50


def _person_panel(user: User, person: Person) -> dict[str, Any]:
    loans = loan_policy.visible(user, Loan.objects.filter(person=person).for_list())[:SHOWN]
    reservations = reservation_policy.visible(
        user, Reservation.objects.booked().filter(person=person).for_list()
    )[:SHOWN]
    readiness = readiness_for(person)
    return {
        "loans": list(loans),
        "reservations": list(reservations),
        "readiness": readiness,
        "readiness_url": reverse("telework:readiness-person", args=[person.pk]),
    }


def _asset_tab(user: User, asset: Asset, params: QueryDict) -> dict[str, Any]:
    loans = loan_policy.visible(user, Loan.objects.filter(asset=asset).for_list())[:SHOWN]
    reservations = reservation_policy.visible(
        user, Reservation.objects.filter(asset=asset).for_list().order_by("-start")
    )[:SHOWN]
    return {"loans": list(loans), "reservations": list(reservations)}


def register() -> None:
    register_panel(Person, template="telework/panels/person.html", context=_person_panel)
    register_tab(
        "loans",
        _("Loans"),
        template="telework/panels/asset_loans.html",
        context=_asset_tab,
        order=35,
    )
