"""Conversions between aware datetimes and the UTC ISO-8601 text stored in the database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


def to_iso(moment: datetime) -> str:
    """UTC ISO-8601 text with offset, to the second; refuses naive datetimes."""
    if moment.tzinfo is UTC and not moment.microsecond:
        # Most times are already stored ones (UTC, whole seconds): skip two copies.
        return moment.isoformat()
    if moment.tzinfo is None:
        raise ValueError("naive datetime given where an aware one is required")
    return moment.astimezone(UTC).replace(microsecond=0).isoformat()


def from_iso(text: str) -> datetime:
    """Parse stored ISO-8601 text back into an aware UTC datetime."""
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is UTC:
        return moment  # what to_iso writes: no conversion needed (the common case by far)
    if moment.tzinfo is None:
        raise ValueError(f"stored time without offset: {text!r}")
    return moment.astimezone(UTC)


def maybe_iso(text: str | None) -> datetime | None:
    """from_iso for optional values."""
    return None if text is None else from_iso(text)


def span(delta: timedelta) -> str:
    """A short human span: 45m, 5h, 3h20m, 2d4h, 40d."""
    seconds = int(abs(delta.total_seconds()))
    minutes, hours, days = seconds // 60, seconds // 3600, seconds // 86400
    if seconds < 3600:
        return f"{max(minutes, 0)}m"
    if seconds < 86400:
        rest = minutes % 60
        return f"{hours}h{rest:02d}m" if hours < 10 and rest else f"{hours}h"
    rest_hours = hours % 24
    return f"{days}d{rest_hours}h" if days < 10 and rest_hours else f"{days}d"
