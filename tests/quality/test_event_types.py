"""Every event the code writes names its type as an EventType member (mypy holds it to the
vocabulary), and a stored event of any other type is refused when it is decoded."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from caseboard.domain.vocab import EVENT_TYPES, EventType
from caseboard.store.codec import event_from_row, event_problems

SRC = Path(__file__).resolve().parents[2] / "src" / "caseboard"
# tx.append(case_id, EventType.SIGHTING, ...), NewEvent(case_id, EventType.INTAKE, ...)
MEMBER = re.compile(r"(?:\.append|NewEvent)\(\s*[\w.\[\]]+,\s*EventType\.([A-Z_]+)")
# The same calls with a bare string for the type.
BARE = re.compile(r"(?:tx\.append|NewEvent)\(\s*[\w.\[\]]+,\s*\"([a-z_]+)\"")


def _sources() -> list[str]:
    return [path.read_text(encoding="utf-8") for path in SRC.rglob("*.py")]


def test_every_event_type_written_is_an_event_type_member() -> None:
    written = {name for text in _sources() for name in MEMBER.findall(text)}
    assert {"INTAKE", "KEY", "CORRECTION"} <= written  # the pattern still finds them
    assert written <= set(EventType.__members__), written - set(EventType.__members__)
    bare = {kind for text in _sources() for kind in BARE.findall(text)}
    assert not bare, f"event types written as bare strings: {sorted(bare)}"


def test_the_vocabulary_is_the_stored_strings() -> None:
    assert tuple(EventType) == EVENT_TYPES
    assert "handover_note" in EVENT_TYPES
    assert [str(kind) for kind in EventType][:2] == ["intake", "sighting"]


ROW = {
    "id": 7,
    "case_id": 3,
    "occurred_at": "2026-11-28T04:00:00+00:00",
    "recorded_at": "2026-11-28T04:00:00+00:00",
    "actor": "dispatcher1",
    "data": "{}",
    "supersedes": None,
}


def test_a_stored_event_of_an_unknown_type_is_refused_on_decode() -> None:
    assert event_from_row({**ROW, "type": "note"}).type is EventType.NOTE
    with pytest.raises(LookupError):
        event_from_row({**ROW, "type": "sightingz"})
    assert event_problems({**ROW, "type": "sightingz"}) == ["type is not a known event type"]
