"""What --redact shows (screen sharing): one allowlist for the board, the CLI, JSON and export.

Only values listed here as safe are shown: vocabulary ids (tier, factors, placement type, report
and screen results), flags, numbers (age, score), times, ids and the agency. Everything else
(report numbers and officers included), and every field added later, is typed free text that
can hold names, addresses and phone numbers, so it is hidden whole. Children's names become
initials. Operators' account names (who did what) are staff, not the child, and stay.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from caseboard.domain.textsafe import initials
from caseboard.domain.vocab import REPORTS

REDACTED = "[redacted]"

# Event data keys that are never typed free text: vocabulary ids, flags, times, ids, the
# agency. A key not listed here is hidden.
SAFE_EVENT_KEYS = frozenset(
    {
        "report", "screen", "labor", "labor_screen", "factors", "indicators", "tier", "add",
        "remove", "confirmed", "police_told", "void", "placement_type", "risk_factors", "age",
        "photo_on_file", "photo_date", "learned_at", "last_seen_at", "at", "agency",
        "since", "until", "through_event_id", "report_agency", "child_id", "computed",
    }
)  # fmt: skip

# Packet fields shown under --redact (the name is shown as initials). A field not listed here,
# including any added later, is hidden.
SAFE_PACKET_FIELDS = frozenset(
    {
        "placement_type", "agency", "learned_at", "last_seen_at", "photo_on_file", "photo_date",
        "age", "police_agency",
    }
)  # fmt: skip

# Child-record columns (export) shown under --redact; the name as initials.
SAFE_CHILD_FIELDS = frozenset({"id", "age", "created_at"})


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str | list | dict | tuple) and len(value) == 0)


def redact_value(key: str, value: Any) -> Any:
    """One event value as --redact shows it."""
    if _empty(value) or key in SAFE_EVENT_KEYS:
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
    if _empty(value) or key in SAFE_PACKET_FIELDS:
        return value
    if key == "name":
        return initials(str(value))
    return REDACTED


def redacted_child(child: Mapping[str, Any]) -> dict[str, Any]:
    """A child record as --redact shows it: initials, and only the safe columns."""
    shown: dict[str, Any] = {}
    for key, value in child.items():
        if key == "name":
            shown[key] = initials(str(value))
        elif key in SAFE_CHILD_FIELDS or _empty(value):
            shown[key] = value
        else:
            shown[key] = None if key == "dob" else REDACTED
    return shown


def clock_ref(clock: str, ref: str | None, redact: bool) -> str | None:
    """A done clock's reference as --redact shows it: report numbers (police, NCIC, NCMEC) are
    typed, so hidden; the recovery-notice clock's ('police told') is the program's own words."""
    if redact and ref and clock in REPORTS:
        return REDACTED
    return ref


def shown_text(text: Any, redact: bool) -> Any:
    """A typed free-text value (a reason, a note, a place): hidden under --redact."""
    return REDACTED if redact and not _empty(text) else text
