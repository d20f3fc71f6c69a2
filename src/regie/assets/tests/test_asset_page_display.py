"""The asset page: one date format (French long date), amounts in euros."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from regie.assets.tests.factories import AssetFactory, ContractFactory
from regie.core.tests.html import visible_text

pytestmark = pytest.mark.django_db


def test_purchase_date_and_price_read_in_french(client, technician):
    asset = AssetFactory(
        purchase_date=dt.date(2023, 12, 27),
        purchase_price=Decimal("728.00"),
        warranty_end=dt.date(2026, 12, 26),
    )
    client.force_login(technician)
    text = visible_text(client.get(asset.get_absolute_url()).content.decode())
    assert "27 décembre 2023" in text
    assert "26 décembre 2026" in text
    assert "728,00\xa0€" in text
    assert "2023-12-27" not in text
    assert "728.00" not in text


def test_contract_costs_read_in_euros_in_the_list_and_on_the_page(client, technician):
    contract = ContractFactory(yearly_cost=Decimal("1234.50"))
    client.force_login(technician)
    listed = visible_text(client.get(reverse("assets:contract-list")).content.decode())
    shown = visible_text(
        client.get(reverse("assets:contract-detail", args=[contract.pk])).content.decode()
    )
    for text in (listed, shown):
        assert "1\xa0234,50\xa0€" in text
        assert "1234.50" not in text


def test_the_same_page_reads_in_english(client, technician):
    asset = AssetFactory(purchase_date=dt.date(2023, 12, 27), purchase_price=Decimal("728.00"))
    client.force_login(technician)
    client.cookies["django_language"] = "en"
    text = visible_text(client.get(asset.get_absolute_url()).content.decode())
    assert "Dec. 27, 2023" in text
    assert "€728.00" in text
    assert "27 décembre 2023" not in text
