"""Field validators that name the field and say what is expected."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

from caseboard.domain.errors import BadInput
from caseboard.domain.policy import Policy
from caseboard.domain.timeparse import parse_date, parse_time

# Length caps for typed text: generous for real use, small enough to keep the board sane.
NAME_MAX = 120
SHORT_MAX = 200
LONG_MAX = 2000
# Ids are SQLite integers: 1 up to the largest signed 64-bit number.
ID_MAX = 2**63 - 1


def unicode_text(value: str, field: str) -> str:
    """`value` itself if it is valid Unicode text; BadInput naming `field` if it holds lone
    surrogates (undecodable bytes in an argument, or an escaped half-pair in JSON), which cannot
    be stored as UTF-8. Valid text is never altered."""
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise BadInput(field, "is not valid text (it holds bytes that are not UTF-8)") from None
    return value


def shown(value: Any) -> str:
    """A refused value as a message quotes it: text in quotes and cut short, other JSON types
    by kind (a list or object could be huge or deeply nested)."""
    if isinstance(value, str):
        return repr(value if len(value) <= 60 else value[:60] + "...")
    if value is None or isinstance(value, bool):
        return "null" if value is None else str(value).lower()
    if isinstance(value, int | float):
        text = repr(value) if isinstance(value, float) or abs(value) < 10**30 else "a huge number"
        return text
    return "a list" if isinstance(value, list) else "an object"


def identifier(value: Any, field: str, what: str = "id") -> int:
    """A row id: a whole number from 1 to 2**63-1 (SQLite's integers), never a bool."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise BadInput(field, f"expected a {what} number")
    if not 1 <= value <= ID_MAX:
        raise BadInput(field, f"{shown(value)} is not a {what} (1 to {ID_MAX})")
    return value


def key_name(key: Any) -> str:
    """A record's key as a field name in a message: as typed when printable text, else escaped."""
    if isinstance(key, str) and key.isprintable() and key.isascii():
        return key
    if isinstance(key, str) and key.isprintable():
        try:
            key.encode("utf-8")
            return key
        except UnicodeEncodeError:
            pass
    return ascii(key)


def text(
    raw: Mapping[str, Any], key: str, field: str, *, required: bool = False, limit: int = SHORT_MAX
) -> str | None:
    """A typed string: stripped, length-capped, stored exactly otherwise."""
    value = raw.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise BadInput(field, "is required")
        return None
    if not isinstance(value, str):
        raise BadInput(field, "expected text")
    value = value.strip()
    if len(value) > limit:
        raise BadInput(field, f"is {len(value)} characters long; the limit is {limit}")
    return unicode_text(value, field)


def choice(raw: Mapping[str, Any], key: str, field: str, allowed: Collection[str]) -> str:
    """One of a fixed set of values."""
    value = raw.get(key)
    if value is None or value == "":
        raise BadInput(field, f"is required (one of {', '.join(allowed)})")
    if not isinstance(value, str) or value not in allowed:
        raise BadInput(field, f"{shown(value)} is not one of {', '.join(allowed)}")
    return value


def flag(raw: Mapping[str, Any], key: str, field: str) -> bool:
    """A yes/no value."""
    value = raw.get(key, False)
    if not isinstance(value, bool):
        raise BadInput(field, "expected true or false")
    return value


def when(
    raw: Mapping[str, Any],
    key: str,
    field: str,
    now: datetime,
    zone: tzinfo,
    max_future: timedelta,
    *,
    required: bool = True,
    day_first: bool = False,
) -> datetime | None:
    """A typed time, parsed in the display zone, returned in UTC."""
    value = raw.get(key)
    if value is None or value == "":
        if required:
            raise BadInput(field, "is required (a time, e.g. '22:15', '3h ago' or ISO 8601)")
        return None
    if not isinstance(value, str):
        raise BadInput(field, "expected a time as text")
    return parse_time(value, now, zone, field=field, max_future=max_future, day_first=day_first)


def required_time(
    raw: Mapping[str, Any], key: str, field: str, now: datetime, zone: tzinfo, policy: Policy
) -> datetime:
    """A typed time that must be present, within the policy's future tolerance."""
    result = when(raw, key, field, now, zone, policy.max_future, day_first=policy.day_first)
    if result is None:  # pragma: no cover - when() raises for a missing required time
        raise BadInput(field, "is required")
    return result


def birth_date(
    raw: Mapping[str, Any], key: str, field: str, today: date, *, day_first: bool = False
) -> date | None:
    """A date of birth (YYYY-MM-DD or 03/14/2012, timeparse.parse_date), not in the future,
    for someone 20 or younger."""
    born = past_date(raw, key, field, today, day_first=day_first)
    if born is None:
        return None
    years = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    if years > 20:
        raise BadInput(field, "gives an age over 20; caseboard tracks children and young adults")
    return born


def past_date(
    raw: Mapping[str, Any], key: str, field: str, today: date, *, day_first: bool = False
) -> date | None:
    """A date (YYYY-MM-DD or 03/14/2012) that is not in the future (e.g. when a photo was
    taken)."""
    value = raw.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise BadInput(field, "expected a date as YYYY-MM-DD")
    day = parse_date(value, field=field, day_first=day_first)
    if day > today:
        raise BadInput(field, "is in the future")
    return day


def age(raw: Mapping[str, Any], key: str, field: str) -> int | None:
    """An age in whole years, 0 to 20."""
    value = raw.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, str) and _ascii_digits(value.strip()):
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int):
        raise BadInput(field, "expected a whole number of years")
    if not 0 <= value <= 20:
        raise BadInput(field, f"{shown(value)} is outside 0-20")
    return value


def _ascii_digits(text: str) -> bool:
    """0-9 only: str.isdigit() also says yes to '²' and '٣', which int() refuses or reads."""
    return text.isascii() and text.isdigit() and len(text) <= 10


def names(raw: Mapping[str, Any], key: str, field: str, allowed: Collection[str]) -> list[str]:
    """A list of ids from a fixed vocabulary, without repeats."""
    value = raw.get(key)
    if value is None:
        return []
    if isinstance(value, str) or not isinstance(value, list):
        raise BadInput(field, "expected a list")
    result: list[str] = []
    for item in value:
        if not isinstance(item, str) or item not in allowed:
            raise BadInput(field, f"{shown(item)} is not one of {', '.join(allowed)}")
        if item not in result:
            result.append(item)
    return result
