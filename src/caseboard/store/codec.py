"""Row <-> domain conversions for events, children and case projections."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from datetime import date
from typing import Any

import msgspec

from caseboard.domain.model import CaseState, Child, Event
from caseboard.domain.timefmt import from_iso

# A row read by column name: sqlite-utils' dicts, or sqlite3.Row where many rows are read.
RowLike = Mapping[str, Any] | sqlite3.Row


# json.dumps with these options builds this very encoder on every call; one shared (stateless)
# instance gives the same text without that cost, which an import pays three times per event.
_CANONICAL = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def dumps(data: Any) -> str:
    """Canonical JSON: sorted keys, no ASCII escaping, so stored text is exactly what was typed."""
    return _CANONICAL.encode(data)


# Event data decodes through msgspec (five times faster than json.loads: a handover reads tens of
# thousands of events); what it refuses but json.loads reads (NaN, say) still goes through json.
_DATA_DECODER = msgspec.json.Decoder()


def loads(text: str) -> Any:
    """Stored JSON text as Python data, exactly as json.loads would give it."""
    try:
        return _DATA_DECODER.decode(text)
    except msgspec.DecodeError:
        return json.loads(text)


def event_from_row(row: RowLike) -> Event:
    """An events row as a domain Event."""
    return Event(
        id=row["id"],
        case_id=row["case_id"],
        type=row["type"],
        occurred_at=from_iso(row["occurred_at"]),
        recorded_at=from_iso(row["recorded_at"]),
        actor=row["actor"],
        data=loads(row["data"]),
        supersedes=row["supersedes"],
    )


def child_from_row(row: RowLike) -> Child:
    """A children row as a domain Child."""
    dob = row["dob"]
    return Child(
        id=row["id"],
        name=row["name"],
        dob=date.fromisoformat(dob) if dob else None,
        age=row["age"],
    )


# Typed decoding of the stored projection (the JSON state_to_dict writes) into CaseState:
# the same result as state_from_dict(json.loads(text)) (a test checks it), at half the cost.
_STATE_DECODER = msgspec.json.Decoder(CaseState)


def decode_state(text: str) -> CaseState:
    """A stored projection (JSON text) as a CaseState."""
    return _STATE_DECODER.decode(text)


SEARCH_INSERT = (
    "INSERT INTO case_search (rowid, name, aliases, agency, places) VALUES (?, ?, ?, ?, ?)"
)


def search_row(state: CaseState) -> list[Any]:
    """A case's full-text search row: name, aliases, agency, and every place it was seen."""
    places = [state.last_seen_where]
    for stamp in (state.sighting, state.recovery):
        if stamp is not None and stamp.get("where"):
            places.append(str(stamp.get("where")))
    return [
        state.case_id,
        str(state.packet.get("name") or ""),
        str(state.packet.get("aliases") or ""),
        state.agency,
        " ".join(places),
    ]


def state_from_row(row: RowLike) -> CaseState:
    """A cases row's stored projection as a CaseState."""
    return decode_state(row["state"])
