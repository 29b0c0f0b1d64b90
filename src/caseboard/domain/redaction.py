"""What --redact hides (screen sharing): one policy for the board, the CLI, JSON and export.

Typed free text (notes, circumstances, who found the child, places, summaries) can hold names,
addresses and phone numbers, so it is hidden whole; only values from fixed vocabularies, times,
references and flags stay. Children's names become initials.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from caseboard.domain.textsafe import initials

REDACTED = "[redacted]"

# Event data that is never typed free text: vocabulary ids, flags, times, report references.
SAFE_EVENT_KEYS = frozenset(
    {
        "report", "screen", "tier", "add", "remove", "confirmed", "police_told", "void",
        "placement_type", "risk_factors", "age", "sex", "photo_on_file", "photo_date",
        "learned_at", "last_seen_at", "at", "ref", "agency", "officer", "since", "until",
        "through_event_id", "report_agency",
    }
)  # fmt: skip

# Packet fields hidden under --redact (the name is shown as initials).
HIDDEN_PACKET_FIELDS = frozenset(
    {
        "aliases", "dob", "last_seen_where", "caseworker_phone", "phones_social",
        "destinations", "vehicle", "circumstances", "companions", "last_seen_by",
    }
)  # fmt: skip


def redact_value(key: str, value: Any) -> Any:
    """One event value as --redact shows it."""
    if value in (None, "", [], {}) or key in SAFE_EVENT_KEYS:
        return value
    if key == "name":
        return initials(str(value))
    if isinstance(value, Mapping):
        return redacted_data(value)
    return REDACTED


def redacted_data(data: Mapping[str, Any]) -> dict[str, Any]:
    """An event's data with every typed free-text value hidden (corrections' changes too)."""
    return {key: redact_value(key, value) for key, value in data.items()}


def redacted_packet_value(key: str, value: Any) -> Any:
    """A packet field as --redact shows it."""
    if value in (None, "", []):
        return value
    if key == "name":
        return initials(str(value))
    return REDACTED if key in HIDDEN_PACKET_FIELDS else value
