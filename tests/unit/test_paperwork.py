"""Photos as events tell of them, and the packet / flyer content (pure functions)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from caseboard import paths
from caseboard.domain import policy as policy_module
from caseboard.domain.board import summarise
from caseboard.domain.describe import describe
from caseboard.domain.model import Child, Event, apply, replay, start
from caseboard.domain.paperwork import (
    MISSING,
    flyer_paper,
    last_confirmed_sighting,
    packet_paper,
)
from caseboard.domain.photo import current_photo, photo_line, photo_sentence, ref_from_event
from caseboard.domain.policy import PolicyError
from caseboard.domain.redaction import REDACTED
from caseboard.domain.vocab import EventType

T0 = datetime(2026, 11, 27, 20, 0, tzinfo=UTC)
ZONE = ZoneInfo("America/Chicago")
POLICY = policy_module.load(paths.builtin_policy_text("federal"))
CHILD = Child(id=1, name="Ava Testwood", dob=None, age=14)


def event(event_id: int, kind: str, data: dict[str, Any], **extra: Any) -> Event:
    at = T0 + timedelta(minutes=event_id)
    return Event(event_id, 1, EventType(kind), at, at, "dina", data, **extra)


INTAKE = event(
    1,
    "intake",
    {
        "name": "Ava Testwood",
        "age": 14,
        "learned_at": T0.isoformat(),
        "last_seen_at": (T0 - timedelta(hours=2)).isoformat(),
        "last_seen_where": "Sample Foster Home",
        "placement_type": "foster_home",
        "agency": "Fictional County DCFS",
        "caseworker_phone": "555-555-0100",
        "hair": "brown",
    },
)


def photo(event_id: int, photo_id: int, taken: str | None) -> Event:
    data = {"photo_id": photo_id, "sha256": "ab" * 32, "format": "png", "width": 3, "height": 4}
    return event(event_id, "photo", {**data, "taken": taken})


def test_the_newest_photo_is_current_and_a_struck_one_is_not() -> None:
    events = [INTAKE, photo(2, 1, "2026-09-01"), photo(3, 2, "2026-10-02")]
    ref = current_photo(events)
    assert ref is not None and (ref.photo_id, ref.taken) == (2, date(2026, 10, 2))
    struck = event(4, "correction", {"void": True, "reason": "wrong child"}, supersedes=3)
    ref = current_photo([*events, struck])
    assert ref is not None and ref.photo_id == 1
    assert current_photo([INTAKE]) is None
    assert ref_from_event(5, {"photo_id": "x"}) is None


def test_a_photo_sets_the_packet_photo_fields_and_replay_agrees() -> None:
    state = start(INTAKE, 1)
    state = apply(state, photo(2, 1, "2026-10-02"))
    assert state.packet["photo_on_file"] is True and state.packet["photo_date"] == "2026-10-02"
    state = apply(state, photo(3, 2, None))
    assert state.packet["photo_on_file"] is True and "photo_date" not in state.packet
    folded = replay([INTAKE, photo(2, 1, "2026-10-02"), photo(3, 2, None)], 1)
    assert folded.packet == state.packet


def test_photo_words() -> None:
    assert photo_sentence({"taken": "2026-10-02"}) == "Photo added, taken 2 Oct 2026"
    assert photo_sentence({"taken": "garbage"}) == "Photo added, date taken not known"
    assert describe(photo(2, 1, "2026-10-02")) == "Photo added, taken 2 Oct 2026"
    ref = current_photo([INTAKE, photo(2, 1, "2026-10-02")])
    assert ref is not None and photo_line(ref) == "photo on file, taken 2026-10-02"


def summary_of(events: list[Event]) -> Any:
    state = replay(events, 1)
    return summarise(state, CHILD, [state.learned_at], POLICY, T0 + timedelta(hours=1))


def test_the_packet_marks_what_is_missing_and_lists_it() -> None:
    events = [INTAKE]
    paper = packet_paper(summary_of(events), events, None, T0, ZONE)
    rows = {row.label: row.value for block in paper.blocks for row in block.rows}
    assert rows["Full name"] == "Ava Testwood" and rows["Hair colour"] == "brown"
    assert rows["Eye colour"] is None and "Eye colour" in paper.missing
    assert rows["NCMEC case number"] is None and "NCMEC case number" in paper.missing
    assert rows["Caseworker 24/7 phone"] == "555-555-0100"
    assert paper.photo is None and paper.photo_note == "no photo attached in caseboard"
    assert [block.title for block in paper.blocks][:4] == [
        "Child",
        "Placement",
        "Episode",
        "Police",
    ]
    assert MISSING in paper.footer


def test_the_flyer_says_the_latest_confirmed_sighting_over_last_seen() -> None:
    unconfirmed = event(2, "sighting", {"where": "Bus stop", "confirmed": False})
    confirmed = event(3, "sighting", {"where": "Sample Park", "confirmed": True})
    events = [INTAKE, unconfirmed, confirmed]
    assert last_confirmed_sighting(events) == confirmed
    paper = flyer_paper(summary_of(events), events, None, T0, ZONE)
    rows = {row.label: row.value for block in paper.blocks for row in block.rows}
    assert rows["Last confirmed sighting"] is not None and rows["Where"] == "Sample Park"
    redacted = flyer_paper(summary_of(events), events, None, T0, ZONE, redact=True)
    shown = {row.label: row.value for block in redacted.blocks for row in block.rows}
    assert shown["Where"] == REDACTED and shown["Hair colour"] == REDACTED
    assert redacted.subtitle == "A.T., age 14"


def test_photo_limits_are_policy() -> None:
    builtin = paths.builtin_policy_text("federal")
    assert POLICY.photo_max_bytes == 10 * 2**20
    smaller = policy_module.load(builtin, "[photos]\nmax_mb = 2\nmax_megapixels = 5\n")
    assert (smaller.photo_max_bytes, smaller.photo_max_pixels) == (2 * 2**20, 5_000_000)
    with pytest.raises(PolicyError, match=r"photos\.max_mb"):
        policy_module.load(builtin, "[photos]\nmax_mb = 0\n")
    with pytest.raises(PolicyError, match="unknown policy key"):
        policy_module.load(builtin, "[photos]\nmax_gb = 1\n")
