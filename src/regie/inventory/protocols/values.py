"""Turning agents' raw values into the report's typed values.

Every function takes whatever the agent sent (XML text, or a JSON string, number, boolean,
list or object) and returns a clean value or ``None``; none of them raises.
"""

from __future__ import annotations

import datetime as dt
import functools
import ipaddress
import re

_LEADING_NUMBER = re.compile(r"\s*(-?\d+(?:\.\d+)?)")
_MAC_SEPARATORS = re.compile(r"[:.-]")
_MAC_DIGITS = re.compile(r"[0-9a-f]{12}")
_OFFSET = re.compile(r"^([+-])(\d{2}):?(\d{2})$")
# Dates outside this range are placeholders ("1970-01-01", "0000-00-00"), not facts.
_FIRST_YEAR, _LAST_YEAR = 1980, 2100
_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y%m%d")
_DATETIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y/%m/%d %H:%M:%S")
_TRUE = frozenset({"1", "true", "yes", "on", "enabled", "y"})
_FALSE = frozenset({"0", "false", "no", "off", "disabled", "n"})
_MIB_PER_MB = 1_000_000 / 1_048_576


def text(value: object) -> str | None:
    """A stripped string, or None for empty, whitespace-only or structured values."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | float):
        return str(value)
    return None


def collapsed_text(value: object) -> str | None:
    """``text`` with inner runs of whitespace collapsed to one space (software names)."""
    if isinstance(value, str):
        return " ".join(value.split()) or None
    return text(value)


def lower_text(value: object) -> str | None:
    stripped = text(value)
    return stripped.lower() if stripped else None


def integer(value: object) -> int | None:
    """An int from 42, "42", "42.9", "2400 MHz"; None otherwise."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value == value and abs(value) < 2**63 else None
    if not isinstance(value, str):
        return None
    match = _LEADING_NUMBER.match(value)
    return int(float(match.group(1))) if match else None


def mib_from_mb(value: object) -> int | None:
    """Disk sizes come in decimal megabytes (10**6 bytes); the report wants MiB."""
    if isinstance(value, str):
        match = _LEADING_NUMBER.match(value)
        number: float | None = float(match.group(1)) if match else None
    elif isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
    else:
        number = None
    if number is None or number != number or abs(number) > 1e15:
        return None
    return round(number * _MIB_PER_MB)


def boolean(value: object) -> bool | None:
    if isinstance(value, bool):
        return value
    lowered = lower_text(value)
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    return None


def _plausible(day: dt.date) -> bool:
    return _FIRST_YEAR <= day.year <= _LAST_YEAR


def date(value: object, *, day_first: bool = True) -> dt.date | None:
    """A date from ISO, ``YYYY/MM/DD``, ``YYYYMMDD`` or slashed ``DD/MM/YYYY``.

    Slashed dates with the year last are day-first for FusionInventory software and
    month-first for dmidecode's BIOS dates: the caller says which.
    """
    raw = text(value)
    if raw is None:
        return None
    return _date_from(raw[:10], day_first=day_first)


@functools.lru_cache(maxsize=4096)
def _date_from(head: str, *, day_first: bool) -> dt.date | None:
    # Cached: an inventory repeats the same few install dates hundreds of times, and
    # ``strptime`` is the slowest step of parsing a software list. Dates are immutable.
    formats = _DATE_FORMATS + (("%d/%m/%Y",) if day_first else ("%m/%d/%Y",))
    for date_format in formats:
        try:
            parsed = dt.datetime.strptime(head, date_format).date()  # noqa: DTZ007 - a date only
        except ValueError:
            continue
        return parsed if _plausible(parsed) else None
    return None


def utc_offset(value: object) -> dt.timezone | None:
    """A time zone from "+0200", "-05:30"; None otherwise."""
    match = _OFFSET.match(text(value) or "")
    if not match:
        return None
    sign, hours, minutes = match.groups()
    delta = dt.timedelta(hours=int(hours), minutes=int(minutes))
    if delta >= dt.timedelta(hours=24):
        return None
    return dt.timezone(-delta if sign == "-" else delta)


def instant(value: object, *, local_zone: dt.timezone = dt.UTC) -> dt.datetime | None:
    """An aware UTC datetime from an agent's local "YYYY-MM-DD HH:MM:SS" (or ISO with Z)."""
    raw = text(value)
    if raw is None:
        return None
    try:
        parsed = dt.datetime.fromisoformat(raw.replace("/", "-"))
    except ValueError:
        return None
    if not _plausible(parsed.date()):
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=local_zone)
    return parsed.astimezone(dt.UTC)


def mac_address(value: object) -> str | None:
    """``aa:bb:cc:dd:ee:ff`` from ``AA-BB-..``, ``aabb.ccdd.eeff``, ``0:1c:..``; else None."""
    raw = text(value)
    if raw is None:
        return None
    groups = _MAC_SEPARATORS.split(raw)
    width = {6: 2, 3: 4, 1: 12}.get(len(groups))
    if width is None or any(len(group) > width for group in groups):
        return None
    digits = "".join(group.zfill(width) for group in groups).lower()
    if not _MAC_DIGITS.fullmatch(digits):
        return None
    return ":".join(digits[i : i + 2] for i in range(0, 12, 2))


def ip_address(value: object) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    raw = text(value)
    if raw is None:
        return None
    try:
        return ipaddress.ip_address(raw.split("%", 1)[0])
    except ValueError:
        return None


def prefix_length(mask: object, version: int) -> int | None:
    """24 from "255.255.255.0", 64 from "ffff:ffff:ffff:ffff::" or "64"; None otherwise."""
    raw = text(mask)
    if raw is None:
        return None
    width = 32 if version == 4 else 128
    if raw.isdigit():
        return int(raw) if int(raw) <= width else None
    parsed = ip_address(raw)
    if parsed is None or parsed.version != version:
        return None
    host_bits = int(parsed) ^ ((1 << width) - 1)
    if host_bits & (host_bits + 1):  # the mask's ones are not contiguous
        return None
    return width - host_bits.bit_length()


def split_list(value: object, separators: str = "/,") -> tuple[str, ...]:
    """ "10.0.0.1/10.0.0.2" or a JSON list → ("10.0.0.1", "10.0.0.2")."""
    if isinstance(value, list):
        items = [text(item) for item in value]
        return tuple(item for item in items if item)
    raw = text(value)
    if raw is None:
        return ()
    parts = re.split(f"[{re.escape(separators)}]", raw)
    return tuple(part.strip() for part in parts if part.strip())
