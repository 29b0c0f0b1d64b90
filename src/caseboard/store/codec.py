"""Row <-> domain conversions for events, children and case projections."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

import msgspec

from caseboard.domain.model import CaseState, Child, Event
from caseboard.domain.timefmt import from_iso
from caseboard.domain.vocab import EventType

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


# What a damaged stored row raises while it is decoded or folded: malformed JSON, JSON of
# another shape, a time that is not one, a missing key, absurd nesting. Derived data is
# disposable and one damaged row degrades one case, never the board (ARCHITECTURE rule 10):
# readers catch these per row, and only after the fast path over all rows has failed.
DAMAGE = (
    ValueError, TypeError, LookupError, AttributeError, OverflowError, RecursionError,
    msgspec.MsgspecError,
)  # fmt: skip


# Stored type text -> EventType: a dict lookup (a KeyError, one of DAMAGE, for a type outside
# the vocabulary) costs a tenth of calling EventType(text) on each of a handover's events.
_EVENT_TYPES: dict[str, EventType] = {kind.value: kind for kind in EventType}


def event_from_row(row: RowLike) -> Event:
    """An events row as a domain Event; raises one of DAMAGE when the row is damaged (its
    type outside the vocabulary included)."""
    data = loads(row["data"])
    if type(data) is not dict:
        raise TypeError(f"event {row['id']}: its data is not a JSON object")
    return Event(
        id=row["id"],
        case_id=row["case_id"],
        type=_EVENT_TYPES[row["type"]],
        occurred_at=from_iso(row["occurred_at"]),
        recorded_at=from_iso(row["recorded_at"]),
        actor=row["actor"],
        data=data,
        supersedes=row["supersedes"],
    )


def event_problems(row: RowLike) -> list[str]:
    """What is wrong with a stored events row, field by field (empty when it reads fine).

    Says which column is wrong and how, never quoting the stored text (it may hold anything).
    """
    problems: list[str] = []
    try:
        data = loads(row["data"])
    except DAMAGE:
        problems.append("data is not valid JSON")
    else:
        if type(data) is not dict:
            problems.append(f"data is JSON {_json_kind(data)}, not an object")
    for column in ("occurred_at", "recorded_at"):
        try:
            from_iso(row[column])
        except DAMAGE:
            problems.append(f"{column} is not a time with an offset (ISO 8601)")
    for column in ("id", "case_id", "supersedes"):
        value = row[column]
        if value is not None and type(value) is not int:
            problems.append(f"{column} is not a whole number")
    for column in ("type", "actor"):
        if not isinstance(row[column], str):
            problems.append(f"{column} is not text")
    if isinstance(row["type"], str) and row["type"] not in _EVENT_TYPES:
        problems.append("type is not a known event type")
    return problems


def _json_kind(value: Any) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool):
        return "true/false"
    if value is None:
        return "null"
    return "a number"


BadEvent = tuple[int, int | None, str]  # an unreadable events row: (id, case_id, what is wrong)


def decode_events(rows: Iterable[RowLike]) -> tuple[list[Event], list[BadEvent]]:
    """Events rows as Events, and the rows that cannot be read (left out, with what is wrong).

    All rows are decoded at once; only when that fails are they gone through one by one, so
    the common case costs what a plain list comprehension does.
    """
    rows = list(rows)
    try:
        return [event_from_row(row) for row in rows], []
    except DAMAGE:
        pass
    events: list[Event] = []
    bad: list[BadEvent] = []
    for row in rows:
        try:
            events.append(event_from_row(row))
        except DAMAGE:
            what = "; ".join(event_problems(row)) or "it cannot be decoded"
            bad.append((row["id"], row["case_id"], what))
    return events, bad


def child_from_row(row: RowLike) -> Child:
    """A children row as a domain Child."""
    dob, name, age = row["dob"], row["name"], row["age"]
    if type(name) is not str or (age is not None and type(age) is not int):
        raise TypeError("a children row holds a name that is not text or an age not a number")
    return Child(
        id=row["id"],
        name=row["name"],
        dob=date.fromisoformat(dob) if dob else None,
        age=row["age"],
    )


# Typed decoding of the stored projection (the JSON state_to_dict writes) into CaseState;
# msgspec checks the vocabulary's Literals (status, placement type) on the way.
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
