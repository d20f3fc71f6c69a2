"""Numbers are stored in E.164 and shown in the national format; bad numbers and ICCIDs are
refused with a message that says what is wrong."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from regie.telephony.numbers import national_format, normalise_iccid, normalise_number
from regie.telephony.tests.factories import iccid


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("05 49 27 00 00", "+33549270000"),
        ("0549270000", "+33549270000"),
        ("+33 5 49 27 00 00", "+33549270000"),
        ("06.12.34.56.78", "+33612345678"),
        ("+44 20 7946 0958", "+442079460958"),
    ],
)
def test_numbers_are_stored_in_e164(typed, stored):
    assert normalise_number(typed) == stored


@pytest.mark.parametrize(
    ("typed", "stored", "shown"),
    [
        ("3901", "3901", "3901"),
        ("39 01", "3901", "3901"),
        ("3939", "3939", "3939"),
        ("3646", "3646", "3646"),
        ("15", "15", "15"),
        ("17", "17", "17"),
        ("18", "18", "18"),
        ("112", "112", "112"),
        ("115", "115", "115"),
        ("119", "119", "119"),
        ("118 218", "118218", "118 218"),
        ("118712", "118712", "118 712"),
        ("0800 12 34 56", "+33800123456", "0 800 12 34 56"),
        ("08 10 12 34 56", "+33810123456", "0 810 12 34 56"),
        ("0899123456", "+33899123456", "0 899 12 34 56"),
    ],
)
def test_short_and_special_numbers_are_real_lines(typed, stored, shown):
    assert normalise_number(typed) == stored
    assert national_format(stored) == shown


@pytest.mark.parametrize("typed", ["1234", "999", "10", "36", "03901", "+33 3901"])
def test_short_numbers_outside_the_french_plan_are_still_refused(typed):
    with pytest.raises(ValidationError) as error:
        normalise_number(typed)
    assert error.value.messages == [f"“{typed}” is not a possible phone number (too short)."]


def test_french_numbers_read_in_the_national_format():
    assert national_format("+33549270000") == "05 49 27 00 00"
    assert national_format("+442079460958") == "+44 20 7946 0958"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("abc", "“abc” is not a phone number."),
        ("05 49", "“05 49” is not a possible phone number (too short)."),
        ("01 23 45 67 89 0", "“01 23 45 67 89 0” is not a possible phone number (too long)."),
        (
            "07 00 00 00 00",
            "“07 00 00 00 00” is not a valid phone number (no such numbering range).",
        ),
    ],
)
def test_impossible_and_invalid_numbers_are_refused(typed, message):
    with pytest.raises(ValidationError) as error:
        normalise_number(typed)
    assert error.value.messages == [message]


def test_a_valid_iccid_is_kept_without_spaces():
    valid = iccid(1)
    spaced = " ".join([valid[:4], valid[4:10], valid[10:]])
    assert normalise_iccid(spaced) == valid


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (
            "89331500000000000A1",
            "An ICCID has digits only; “89331500000000000A1” has other characters.",
        ),
        ("8933150000000001", "An ICCID has 19 or 20 digits; “8933150000000001” has 16."),
        ("123315000000000001" + "0", "An ICCID starts with 89; “1233150000000000010” does not."),
    ],
)
def test_malformed_iccids_are_refused(typed, message):
    with pytest.raises(ValidationError) as error:
        normalise_iccid(typed)
    assert error.value.messages == [message]


def test_an_iccid_with_a_wrong_check_digit_is_refused():
    valid = iccid(7)
    wrong = valid[:-1] + str((int(valid[-1]) + 1) % 10)
    with pytest.raises(ValidationError) as error:
        normalise_iccid(wrong)
    assert error.value.messages == [
        f"The check digit of ICCID “{wrong}” is wrong (Luhn): check for a typing error."
    ]
