"""Dates, times, durations, money and numbers read the same on every page, in the user's
language and in local time (Europe/Paris), through the ``regie`` template filters."""

import datetime as dt
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

INSTANT = dt.datetime(2026, 12, 7, 4, 58, 59, 964145, tzinfo=dt.UTC)  # 05:58 in Paris


def render(source, **context):
    return Template("{% load regie %}" + source).render(Context(context))


@pytest.mark.parametrize(
    ("source", "value", "french", "english"),
    [
        ("{{ v|local_date }}", dt.date(2023, 12, 27), "27 décembre 2023", "Dec. 27, 2023"),
        ("{{ v|local_date:'short' }}", dt.date(2023, 12, 27), "27/12/2023", "12/27/2023"),
        # The local day of an instant, not the UTC one.
        (
            "{{ v|local_date }}",
            dt.datetime(2026, 12, 6, 23, 30, tzinfo=dt.UTC),
            "7 décembre 2026",
            "Dec. 7, 2026",
        ),
        ("{{ v|local_datetime }}", INSTANT, "7 décembre 2026 05:58", "Dec. 7, 2026, 5:58 a.m."),
        ("{{ v|local_datetime:'short' }}", INSTANT, "07/12/2026 05:58", "12/07/2026 5:58 a.m."),
        ("{{ v|local_time }}", INSTANT, "05:58", "5:58 a.m."),
        ("{{ v|duration }}", dt.timedelta(hours=2, minutes=5), "2 h 05 min", "2 h 05 min"),
        ("{{ v|duration }}", dt.timedelta(days=3, hours=4), "3 jours 4 h", "3 days 4 h"),
        ("{{ v|duration }}", 45, "45 s", "45 s"),
        ("{{ v|duration }}", 1800, "30 min", "30 min"),
        ("{{ v|money }}", Decimal("728.00"), "728,00\xa0€", "€728.00"),
        ("{{ v|money }}", Decimal("1234.5"), "1\xa0234,50\xa0€", "€1,234.50"),
        ("{{ v|number }}", 29943658, "29\xa0943\xa0658", "29,943,658"),
        ("{{ v|number:1 }}", Decimal("12.34"), "12,3", "12.3"),
        ("{{ v|local_datetime }}{{ v|money }}{{ v|duration }}", None, "", ""),
    ],
)
def test_filters_read_in_the_users_language_and_local_time(source, value, french, english):
    with translation.override("fr"):
        assert render(source, v=value) == french
    with translation.override("en"):
        assert render(source, v=value) == english


def test_no_iso_form_or_utc_offset_leaks():
    with translation.override("fr"):
        shown = render("{{ v|local_datetime }} {{ v|local_time }}", v=INSTANT)
    assert "+00:00" not in shown
    assert "2026-12-07" not in shown
    assert "04:58" not in shown  # the UTC hour
