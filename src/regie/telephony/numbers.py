"""Telephone numbers (E.164, through ``phonenumbers``) and SIM card numbers (ICCID).

Numbers are typed the French way ("05 49 27 00 00"), stored in E.164 ("+33549270000") and
shown in the national format again. French short numbers (3901, 15, 112, 118 218), which
have no E.164 form, are stored as their digits ("3901") when the ARCEP plan knows them.
An ICCID is 19 or 20 digits starting with 89 (the telecom industry prefix) whose last
digit is a Luhn check digit.
"""

from __future__ import annotations

import functools
from typing import Any

import phonenumbers
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from phonenumbers import shortnumberinfo

DEFAULT_REGION = "FR"

_NOT_POSSIBLE_REASONS = {
    phonenumbers.ValidationResult.TOO_SHORT: _("too short"),
    phonenumbers.ValidationResult.TOO_LONG: _("too long"),
    phonenumbers.ValidationResult.INVALID_COUNTRY_CODE: _("unknown country code"),
    phonenumbers.ValidationResult.INVALID_LENGTH: _("wrong length"),
}


def _short_number(text: str, parsed: phonenumbers.PhoneNumber) -> str:
    """The digits of a French short number (support lines such as 3901, emergency numbers,
    118 directory services) dialled as such, else "".

    Only what is typed as a short number counts: "+33 3901" or "03901" are not dialled."""
    digits = "".join(char for char in text if char.isdigit())
    if text.startswith("+") or digits != str(parsed.national_number):
        return ""
    if not shortnumberinfo.is_valid_short_number_for_region(parsed, DEFAULT_REGION):
        return ""
    return digits


def is_short_number(stored: str) -> bool:
    """Whether a stored number is a short number (E.164 numbers start with "+")."""
    return bool(stored) and not stored.startswith("+")


def normalise_number(raw: str) -> str:
    """``raw`` in E.164 (or the digits of a French short number), or a ValidationError
    saying what is wrong with it."""
    text = raw.strip()
    if not text:
        return ""
    try:
        parsed = phonenumbers.parse(text, DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        raise ValidationError(
            _("“%(value)s” is not a phone number."), code="invalid", params={"value": text}
        ) from None
    if short := _short_number(text, parsed):
        return short
    reason = phonenumbers.is_possible_number_with_reason(parsed)
    if reason not in {
        phonenumbers.ValidationResult.IS_POSSIBLE,
        phonenumbers.ValidationResult.IS_POSSIBLE_LOCAL_ONLY,
    }:
        raise ValidationError(
            _("“%(value)s” is not a possible phone number (%(reason)s)."),
            code="not_possible",
            params={"value": text, "reason": _NOT_POSSIBLE_REASONS.get(reason, _("wrong length"))},
        )
    if not phonenumbers.is_valid_number(parsed):
        raise ValidationError(
            _("“%(value)s” is not a valid phone number (no such numbering range)."),
            code="not_valid",
            params={"value": text},
        )
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


@functools.lru_cache(maxsize=8192)
def national_format(e164: str) -> str:
    """How a stored number reads: "05 49 27 00 00" for French numbers, else international.

    Kept for the numbers seen lately: a continuity plan shows (and records) thousands."""
    if not e164:
        return ""
    if is_short_number(e164):
        # 118 directory numbers read in two groups ("118 218"); the others as one ("3901").
        return f"{e164[:3]} {e164[3:]}" if len(e164) == 6 else e164
    try:
        parsed = phonenumbers.parse(e164, DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return e164
    if phonenumbers.region_code_for_number(parsed) == DEFAULT_REGION:
        return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


class PhoneNumberField(models.CharField):  # type: ignore[type-arg]  # a CharField storing E.164
    """A phone number typed in any usual format, validated and stored in E.164."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Room for what people type ("+33 (0)5 49 27 00 00"); E.164 itself is 16 at most.
        kwargs.setdefault("max_length", 32)
        super().__init__(*args, **kwargs)

    def to_python(self, value: Any) -> Any:
        value = super().to_python(value)
        return normalise_number(value) if isinstance(value, str) else value

    def get_prep_value(self, value: Any) -> Any:
        # Lookups and saves use the normalised number when there is one, and never raise:
        # filtering on a half-typed number simply finds nothing.
        try:
            return super().get_prep_value(value)
        except ValidationError:
            return str(value)


def luhn_is_valid(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        digit = int(char)
        if index % 2 == 1:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0


def normalise_iccid(raw: str) -> str:
    """``raw`` without spaces, or a ValidationError saying what is wrong with it."""
    text = "".join(raw.split())
    if not text:
        return ""
    if not text.isdigit() or not text.isascii():
        raise ValidationError(
            _("An ICCID has digits only; “%(value)s” has other characters."),
            code="not_digits",
            params={"value": text},
        )
    if len(text) not in {19, 20}:
        raise ValidationError(
            _("An ICCID has 19 or 20 digits; “%(value)s” has %(length)s."),
            code="length",
            params={"value": text, "length": len(text)},
        )
    if not text.startswith("89"):
        raise ValidationError(
            _("An ICCID starts with 89; “%(value)s” does not."),
            code="prefix",
            params={"value": text},
        )
    if not luhn_is_valid(text):
        raise ValidationError(
            _("The check digit of ICCID “%(value)s” is wrong (Luhn): check for a typing error."),
            code="check_digit",
            params={"value": text},
        )
    return text


class IccidField(models.CharField):  # type: ignore[type-arg]  # a CharField storing digits
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 30)
        super().__init__(*args, **kwargs)

    def to_python(self, value: Any) -> Any:
        value = super().to_python(value)
        return normalise_iccid(value) if isinstance(value, str) else value

    def get_prep_value(self, value: Any) -> Any:
        try:
            return super().get_prep_value(value)
        except ValidationError:
            return str(value)
