"""The event fold: replay equals apply() one by one; corrections move or void events."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any, get_args

import pytest
from msgspec.structs import replace

from caseboard.domain import model, vocab
from caseboard.domain.clocks import compute
from caseboard.domain.model import CaseState, Event
from caseboard.domain.policy import Policy
from caseboard.domain.timefmt import to_iso
from caseboard.domain.vocab import PLACEMENT_TYPES, STATUSES, EventType
from caseboard.store import codec

HOUR = timedelta(hours=1)
T0 = datetime(2026, 11, 27, 20, 0, tzinfo=UTC)
LAST_SEEN = T0 - HOUR
CASE = 7


def intake(event_id: int = 1, **extra: Any) -> Event:
    return Event(
        id=event_id,
        case_id=CASE,
        type=EventType.INTAKE,
        occurred_at=T0,
        recorded_at=T0,
        actor="dispatcher1",
        data={
            "name": "Ava Testwood",
            "dob": None,
            "age": 15,
            "learned_at": to_iso(T0),
            "last_seen_at": to_iso(LAST_SEEN),
            "last_seen_where": "Maple St bus stop",
            "placement_type": "group_home",
            "agency": "Cook County DCFS",
            "risk_factors": ["substance_use"],
            "county": "Cook",
            **extra,
        },
    )


def ev(
    event_id: int,
    kind: str,
    at: datetime,
    actor: str = "liaison1",
    supersedes: int | None = None,
    **data: Any,
) -> Event:
    return Event(
        event_id, CASE, EventType(kind), at, at + timedelta(minutes=5), actor, data, supersedes
    )


def correction(event_id: int, target: int, **data: Any) -> Event:
    at = T0 + 50 * HOUR
    return Event(event_id, CASE, EventType.CORRECTION, at, at, "supervisor1", data, target)


def history() -> list[Event]:
    return [
        intake(),
        ev(2, "sighting", T0 + 1 * HOUR, where="Union Station", confirmed=False),
        ev(3, "confirm", T0 + 2 * HOUR, report="police", ref="24-0012", agency="CPD"),
        ev(4, "sighting", T0 + 3 * HOUR, where="Navy Pier", confirmed=True),
        ev(5, "confirm", T0 + 3 * HOUR, report="ncmec", ref="NCMEC-1"),
        ev(6, "note", T0 + 4 * HOUR, text="called mother"),
        ev(7, "contact", T0 + 5 * HOUR, how="instagram"),
        ev(8, "risk", T0 + 5 * HOUR, add=["pregnancy"], remove=["substance_use"]),
        ev(9, "confirm", T0 + 4 * HOUR, report="ncic", ref="M123456789"),
        ev(10, "override", T0 + 6 * HOUR, "supervisor1", tier="HIGH", reason="exploiter"),
        ev(11, "recovery", T0 + 30 * HOUR, "officer9", where="Navy Pier", by="CPD"),
        ev(12, "notify", T0 + 31 * HOUR, report="police"),
        ev(13, "notify", T0 + 32 * HOUR, report="ncmec"),
        ev(14, "interview", T0 + 40 * HOUR, "cw1", screen="possible", note="see file"),
        ev(15, "close", T0 + 48 * HOUR, "supervisor1", reason="recovered, interview done"),
    ]


def fold(events: list[Event]) -> CaseState:
    state = model.start(events[0], child_id=3)
    for event in events[1:]:
        state = model.apply(state, event)
    return state


@pytest.mark.parametrize("length", range(1, 16))
def test_replay_equals_folding_apply_one_by_one(length: int) -> None:
    events = history()[:length]
    assert model.replay(events, child_id=3) == fold(events)


def test_replay_does_not_depend_on_the_order_events_are_given() -> None:
    events = history()
    shuffled = list(events)
    random.Random(4).shuffle(shuffled)
    assert model.replay(shuffled, child_id=3) == fold(events)


def test_folded_state_holds_every_fact() -> None:
    state = model.replay(history(), child_id=3)
    assert state.status == "closed"
    assert state.case_id == CASE
    assert state.child_id == 3
    assert state.learned_at == T0
    assert state.last_seen_at == LAST_SEEN
    assert state.packet == {
        "name": "Ava Testwood",
        "dob": None,
        "age": 15,
        "risk_factors": ["substance_use"],
        "county": "Cook",
    }
    assert state.risk_factors == {"pregnancy"}
    assert state.sightings == 2
    assert state.notes == 1
    assert state.sighting is not None
    assert (state.sighting.at, state.sighting.get("confirmed")) == (T0 + 3 * HOUR, True)
    assert state.news_at == T0 + 5 * HOUR
    assert state.last_contact_at == T0 + 5 * HOUR
    assert {key: stamp.get("ref") for key, stamp in state.confirmations.items()} == {
        "police": "24-0012",
        "ncmec": "NCMEC-1",
        "ncic": "M123456789",
    }
    assert state.override is not None and state.override.get("tier") == "HIGH"
    assert state.recovery is not None and state.recovery.by == "officer9"
    assert set(state.notices) == {"police", "ncmec"}
    assert state.interview is not None and state.interview.get("screen") == "possible"
    assert state.closure is not None and state.closure.at == T0 + 48 * HOUR
    assert state.version == 15
    assert state.last_event_id == 15


def _stored_and_read(state: model.CaseState) -> model.CaseState:
    """The state as the write path stores it and the readers decode it."""
    return codec.decode_state(codec.dumps(model.state_to_dict(state)))


@pytest.mark.parametrize("length", [1, 10])
def test_state_round_trips_through_its_dict(length: int) -> None:
    state = model.replay(history()[:length], child_id=3)
    assert _stored_and_read(state) == state


def test_recovery_stamp_round_trips_through_its_dict() -> None:
    # The recovery's `by` detail (who found the child) must not clobber the stamp's `by`
    # (the operator who logged it) in the stored projection.
    state = model.replay(history()[:11], child_id=3)
    assert state.recovery is not None
    assert (state.recovery.by, state.recovery.get("by")) == ("officer9", "CPD")
    restored = _stored_and_read(state).recovery
    assert restored is not None
    assert (restored.by, restored.get("by")) == ("officer9", "CPD")


def test_replay_needs_an_intake() -> None:
    with pytest.raises(ValueError, match="intake"):
        model.replay([ev(2, "note", T0, text="x")], child_id=3)


def test_start_needs_a_case_id() -> None:
    with pytest.raises(ValueError):
        model.start(replace(intake(), case_id=None), child_id=3)


def test_a_recovery_after_close_keeps_the_case_closed() -> None:
    events = [
        intake(),
        ev(2, "close", T0 + HOUR, reason="duplicate"),
        ev(3, "recovery", T0 + 2 * HOUR, where="x", by="y"),
    ]
    assert model.replay(events, child_id=3).status == "closed"


# --- corrections -----------------------------------------------------------------------------


def base() -> list[Event]:
    return [
        intake(),
        ev(2, "sighting", T0 + 2 * HOUR, where="Navy Pier", confirmed=True),
        ev(3, "note", T0 + 3 * HOUR, text="called school"),
    ]


def test_correcting_a_sighting_time_moves_it_and_the_no_news_clock(policy: Policy) -> None:
    now = T0 + 4 * HOUR
    before = model.replay(base(), child_id=3)
    assert before.news_at == T0 + 2 * HOUR
    clock = compute(before, "CRITICAL", policy, now)["no_news"]
    assert (clock.started_at, clock.due_at, clock.state) == (
        T0 + 2 * HOUR,
        T0 + 6 * HOUR,
        "due",
    )

    moved = [*base(), correction(4, 2, changes={"at": to_iso(T0 - timedelta(minutes=30))})]
    after = model.replay(moved, child_id=3)
    # Moved to 19:30, still after the child was last seen at 19:00: the anchor moves back.
    assert after.news_at == T0 - timedelta(minutes=30)
    assert after.sighting is not None and after.sighting.at == T0 - timedelta(minutes=30)
    clock = compute(after, "CRITICAL", policy, now)["no_news"]
    assert clock.started_at == T0 - timedelta(minutes=30)
    assert clock.due_at == T0 + timedelta(hours=3, minutes=30)
    assert clock.state == "overdue"
    assert after.version == 4
    assert after.last_event_id == 4


def test_voiding_a_sighting_removes_it(policy: Policy) -> None:
    events = [*base(), correction(4, 2, void=True)]
    state = model.replay(events, child_id=3)
    assert state.sightings == 0
    assert state.sighting is None
    assert state.news_at is None
    assert state.notes == 1
    clock = compute(state, "CRITICAL", policy, T0 + 4 * HOUR)["no_news"]
    assert (clock.started_at, clock.state) == (LAST_SEEN, "overdue")
    assert state.version == 4


def test_correcting_confirmed_to_unconfirmed_stops_it_counting_as_news() -> None:
    events = [*base(), correction(4, 2, changes={"confirmed": False})]
    state = model.replay(events, child_id=3)
    assert state.news_at is None
    assert state.sighting is not None and state.sighting.get("confirmed") is False


def test_several_corrections_apply_in_log_order() -> None:
    events = [
        *base(),
        correction(4, 2, changes={"at": to_iso(T0 + 5 * HOUR)}),
        correction(5, 2, changes={"at": to_iso(T0 + 7 * HOUR), "where": "O'Hare"}),
    ]
    state = model.replay(events, child_id=3)
    assert state.news_at == T0 + 7 * HOUR
    assert state.sighting is not None and state.sighting.get("where") == "O'Hare"
    assert state.version == 5


def test_correcting_a_confirmation_reference(policy: Policy) -> None:
    events = [
        intake(),
        ev(2, "confirm", T0 + HOUR, report="police", ref="24-0O12"),
        correction(3, 2, changes={"ref": "24-0012", "at": to_iso(T0 + 26 * HOUR)}),
    ]
    state = model.replay(events, child_id=3)
    clock = compute(state, "STANDARD", policy, T0 + 30 * HOUR)["police"]
    assert clock.ref == "24-0012"
    assert clock.done_at == T0 + 26 * HOUR
    assert clock.late is True
    ncic = compute(state, "STANDARD", policy, T0 + 27 * HOUR)["ncic"]
    assert ncic.started_at == T0 + 26 * HOUR


def test_voiding_the_police_confirmation_unstarts_ncic(policy: Policy) -> None:
    events = [
        intake(),
        ev(2, "confirm", T0 + HOUR, report="police", ref="24-0012"),
        correction(3, 2, void=True),
    ]
    clocks = compute(model.replay(events, child_id=3), "STANDARD", policy, T0 + 2 * HOUR)
    assert clocks["police"].state == "due"
    assert clocks["ncic"].state == "not_started"


def test_correcting_learned_at_moves_the_report_clocks(policy: Policy) -> None:
    new_learned = T0 + 2 * HOUR
    events = [intake(), correction(2, 1, changes={"learned_at": to_iso(new_learned)})]
    state = model.replay(events, child_id=3)
    assert state.learned_at == new_learned
    clocks = compute(state, "STANDARD", policy, T0 + 25 * HOUR)
    assert clocks["police"].due_at == new_learned + 24 * HOUR
    assert clocks["police"].state == "due_soon"
    assert clocks["ncmec"].due_at == new_learned + 24 * HOUR


def test_correcting_last_seen_moves_time_missing() -> None:
    new_seen = T0 - 10 * HOUR
    events = [intake(), correction(2, 1, changes={"last_seen_at": to_iso(new_seen)})]
    assert model.replay(events, child_id=3).last_seen_at == new_seen


def test_voiding_a_recovery_reopens_the_case(policy: Policy) -> None:
    events = [
        intake(),
        ev(2, "recovery", T0 + 5 * HOUR, where="home", by="CPD"),
        correction(3, 2, void=True),
    ]
    state = model.replay(events, child_id=3)
    assert state.status == "missing"
    assert state.recovery is None
    clocks = compute(state, "STANDARD", policy, T0 + 6 * HOUR)
    assert clocks["recovery_notice"].state == "not_started"
    assert clocks["no_news"].state == "due"


def test_effective_drops_corrections_and_keeps_log_order() -> None:
    events = [*base(), correction(4, 3, void=True)]
    assert [event.id for event in model.effective(reversed(events))] == [1, 2]


def test_the_projection_types_spell_the_vocabulary() -> None:
    """CaseState's status and placement Literals (checked when a projection is decoded) are
    exactly the vocabulary's."""
    assert get_args(vocab.Status) == STATUSES
    assert get_args(vocab.Placement) == tuple(PLACEMENT_TYPES)
