"""Field validators that name the field and say what is expected."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

from caseboard.domain.errors import BadInput
from caseboard.domain.policy import Policy
from caseboard.domain.timeparse import parse_time

# Length caps for typed text: generous for real use, small enough to keep the board sane.
NAME_MAX = 120
SHORT_MAX = 200
LONG_MAX = 2000


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
    return value


def choice(raw: Mapping[str, Any], key: str, field: str, allowed: Collection[str]) -> str:
    """One of a fixed set of values."""
    value = raw.get(key)
    if value is None or value == "":
        raise BadInput(field, f"is required (one of {', '.join(allowed)})")
    if not isinstance(value, str) or value not in allowed:
        raise BadInput(field, f"{value!r} is not one of {', '.join(allowed)}")
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
) -> datetime | None:
    """A typed time, parsed in the display zone, returned in UTC."""
    value = raw.get(key)
    if value is None or value == "":
        if required:
            raise BadInput(field, "is required (a time, e.g. '22:15', '3h ago' or ISO 8601)")
        return None
    if not isinstance(value, str):
        raise BadInput(field, "expected a time as text")
    return parse_time(value, now, zone, field=field, max_future=max_future)


def required_time(
    raw: Mapping[str, Any], key: str, field: str, now: datetime, zone: tzinfo, policy: Policy
) -> datetime:
    """A typed time that must be present, within the policy's future tolerance."""
    result = when(raw, key, field, now, zone, policy.max_future)
    if result is None:  # pragma: no cover - when() raises for a missing required time
        raise BadInput(field, "is required")
    return result


def birth_date(raw: Mapping[str, Any], key: str, field: str, today: date) -> date | None:
    """A date of birth as YYYY-MM-DD, not in the future, for someone 20 or younger."""
    value = raw.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise BadInput(field, "expected a date as YYYY-MM-DD")
    try:
        born = date.fromisoformat(value.strip())
    except ValueError:
        raise BadInput(field, f"{value!r} is not a date as YYYY-MM-DD") from None
    if born > today:
        raise BadInput(field, "is in the future")
    years = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    if years > 20:
        raise BadInput(field, "gives an age over 20; caseboard tracks children and young adults")
    return born


def past_date(raw: Mapping[str, Any], key: str, field: str, today: date) -> date | None:
    """A date as YYYY-MM-DD that is not in the future (e.g. when a photo was taken)."""
    value = raw.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise BadInput(field, "expected a date as YYYY-MM-DD")
    try:
        day = date.fromisoformat(value.strip())
    except ValueError:
        raise BadInput(field, f"{value!r} is not a date as YYYY-MM-DD") from None
    if day > today:
        raise BadInput(field, "is in the future")
    return day


def age(raw: Mapping[str, Any], key: str, field: str) -> int | None:
    """An age in whole years, 0 to 20."""
    value = raw.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int):
        raise BadInput(field, "expected a whole number of years")
    if not 0 <= value <= 20:
        raise BadInput(field, f"{value} is outside 0-20")
    return value


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
            raise BadInput(field, f"{item!r} is not one of {', '.join(allowed)}")
        if item not in result:
            result.append(item)
    return result
