"""Operator contracts: the last day to give notice, flagged when near."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from regie.telephony.models import months_before
from regie.telephony.tests.factories import OperatorContractFactory

pytestmark = pytest.mark.django_db


def test_months_before_keeps_the_end_of_month():
    assert months_before(datetime.date(2026, 12, 31), 3) == datetime.date(2026, 9, 30)
    assert months_before(datetime.date(2027, 5, 31), 3) == datetime.date(2027, 2, 28)
    assert months_before(datetime.date(2027, 1, 15), 1) == datetime.date(2026, 12, 15)


def test_notice_deadline_is_flagged_when_near(client, reader, settings):
    settings.TELEPHONY_NOTICE_WARNING_DAYS = 60
    contract = OperatorContractFactory(end_date=datetime.date(2026, 12, 31), notice_months=3)
    assert contract.notice_deadline == datetime.date(2026, 9, 30)
    assert contract.notice_is_near(datetime.date(2026, 7, 31)) is False
    assert contract.notice_is_near(datetime.date(2026, 8, 1)) is True
    assert contract.notice_is_near(datetime.date(2026, 10, 15)) is True  # passed, still running
    assert contract.notice_is_near(datetime.date(2027, 1, 1)) is False
    with time_machine.travel(datetime.datetime(2026, 9, 1, 12, 0, tzinfo=datetime.UTC), tick=False):
        client.force_login(reader)
        content = client.get(reverse("telephony:contract-list")).content.decode()
    assert "Préavis à donner bientôt" in content


def test_a_contract_without_end_has_no_deadline():
    contract = OperatorContractFactory(end_date=None, notice_months=3)
    assert contract.notice_deadline is None
    assert contract.notice_is_near() is False
