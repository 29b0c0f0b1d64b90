"""The pure handover: the window rule, breaches (no-news walked through its anchors), tier
changes, handover notes in the case state and their validation."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from caseboard.domain.errors import BadInput
from caseboard.domain.handover import (
    CaseInput,
    Signoff,
    Window,
    build_report,
    default_since,
    note_data,
)
from caseboard.domain.model import Child, Event, replay, state_to_dict
from caseboard.domain.policy import Policy
from caseboard.domain.timefmt import to_iso
from caseboard.domain.vocab import EventType
from caseboard.store.codec import decode_state, dumps

NOW = datetime(2026, 11, 28, 4, 0, tzinfo=UTC)
CHILD = Child(id=1, name="Ava Testwood", dob=date(2010, 6, 1), age=None)


def ago(**delta: float) -> datetime:
    return NOW - timedelta(**delta)


def event(event_id: int, kind: str, at: datetime, **data: Any) -> Event:
    return Event(event_id, 1, EventType(kind), at, at, "dina", data)


def intake(learned: datetime, last_seen: datetime, **extra: Any) -> Event:
    data = {
        "name": CHILD.name,
        "learned_at": to_iso(learned),
        "last_seen_at": to_iso(last_seen),
        "last_seen_where": "Demo Mall, 1 Example Ave",
        "placement_type": "foster_home",
        "agency": "Fictional County DCFS",
        "risk_factors": [],
        **extra,
    }
    return event(1, "intake", learned, **data)


def case_of(events: list[Event], **extra: Any) -> dict[int, CaseInput]:
    state = replay(events, CHILD.id)
    return {1: CaseInput(state, CHILD, (state.learned_at,), **extra)}


# --- the window ---------------------------------------------------------------------------------


def test_the_window_is_open_at_its_start_and_closed_at_its_end() -> None:
    window = Window(ago(hours=12), NOW)
    assert not window.contains(ago(hours=12))
    assert window.contains(ago(hours=12) + timedelta(seconds=1))
    assert window.contains(NOW)
    assert not window.contains(NOW + timedelta(seconds=1))


@pytest.mark.parametrize("offset", [timedelta(0), timedelta(seconds=1), -timedelta(seconds=1)])
def test_an_event_near_a_boundary_is_in_exactly_one_of_two_adjacent_windows(
    policy: Policy, offset: timedelta
) -> None:
    boundary = ago(hours=6)
    events = [
        intake(ago(hours=20), ago(hours=21)),
        event(2, "sighting", boundary + offset, where="Sample Park", confirmed=False),
    ]
    cases = case_of(events)
    earlier = build_report(Window(ago(hours=12), boundary), events, cases, policy)
    later = build_report(Window(boundary, NOW), events, cases, policy)
    found = [len(report.sightings) for report in (earlier, later)]
    assert sorted(found) == [0, 1]
    assert found == ([1, 0] if offset <= timedelta(0) else [0, 1])


def test_default_since_is_the_last_signoff_else_twelve_hours_back() -> None:
    assert default_since(NOW, None) == ago(hours=12)
    signed = Signoff(9, "sam", ago(hours=3), "read back")
    assert default_since(NOW, signed) == ago(hours=3)
    assert default_since(NOW, Signoff(9, "sam", NOW, None)) == NOW


def test_a_window_must_not_start_after_it_ends() -> None:
    with pytest.raises(ValueError, match="must not start after"):
        Window(NOW, ago(hours=1))


# --- sections and clocks ------------------------------------------------------------------------


def test_sections_take_corrections_into_account(policy: Policy) -> None:
    events = [
        intake(ago(hours=5), ago(hours=6)),
        event(2, "sighting", ago(hours=2), where="Sample Park", confirmed=True),
        event(3, "contact", ago(hours=1), how="phone"),
        Event(
            4,
            1,
            EventType.CORRECTION,
            NOW,
            NOW,
            "dina",
            {"void": True, "changes": {}},
            supersedes=3,
        ),
    ]
    report = build_report(Window(ago(hours=12), NOW), events, case_of(events), policy)
    assert [item.kind for item in report.new_cases] == ["intake"]
    assert [item.kind for item in report.sightings] == ["sighting"]
    assert report.counts()["contacts"] == 0


def test_a_no_news_breach_hidden_by_later_news_is_still_reported(policy: Policy) -> None:
    # Age 16, foster home, no factors: STANDARD, so the no-news window is 72 h.
    events = [
        intake(ago(hours=90), ago(hours=90)),
        event(2, "sighting", ago(hours=2), where="Sample Park", confirmed=True),
    ]
    cases = case_of(events, news=(ago(hours=2),), news_anchor=ago(hours=90))
    report = build_report(Window(ago(hours=24), NOW), events, cases, policy)
    (breach,) = [item for item in report.breaches if item.clock == "no_news"]
    assert breach.due_at == ago(hours=18)
    assert breach.done_at == ago(hours=2)
    # Today's no-news clock restarted at the sighting: it is not breached now.
    (case,) = report.open_cases
    assert "no_news" in {action.clock for action in case.actions}


def test_reports_confirmed_on_time_are_not_breaches_and_late_ones_are(policy: Policy) -> None:
    learned = ago(hours=30)
    events = [
        intake(learned, ago(hours=31)),
        event(2, "confirm", learned + timedelta(hours=24), report="police", ref="26-1"),
        event(3, "confirm", learned + timedelta(hours=25), report="ncmec", ref="1512"),
    ]
    report = build_report(Window(ago(hours=12), NOW), events, case_of(events), policy)
    late = {item.clock: item for item in report.breaches if item.clock in ("police", "ncmec")}
    assert set(late) == {"ncmec"}
    assert late["ncmec"].done_at == learned + timedelta(hours=25)


def test_clocks_due_within_the_policy_horizon_are_listed(policy: Policy) -> None:
    events = [intake(ago(hours=14), ago(hours=15))]
    report = build_report(Window(ago(hours=12), NOW), events, case_of(events), policy)
    due = {item.clock: item.due_at for item in report.due_next}
    assert due["police"] == ago(hours=14) + timedelta(hours=24)
    assert report.due_ahead == timedelta(hours=12)
    assert all(NOW < item.due_at <= NOW + timedelta(hours=12) for item in report.due_next)


def test_an_override_in_the_window_is_a_tier_change(policy: Policy) -> None:
    events = [
        intake(ago(hours=20), ago(hours=21)),
        event(2, "override", ago(hours=1), tier="CRITICAL", reason="threat received"),
    ]
    cases = case_of(events, history=tuple(events))
    (change,) = build_report(Window(ago(hours=12), NOW), events, cases, policy).tier_changes
    assert (change.before, change.after, change.because) == ("STANDARD", "CRITICAL", "override")


def test_time_escalation_can_change_a_tier(policy: Policy) -> None:
    # out_of_state (2) plus 1 for over 24 h missing is STANDARD; passing 72 h missing inside
    # the window makes it 2 + 2 = 4: ELEVATED.
    events = [intake(ago(hours=80), ago(hours=80), risk_factors=["out_of_state"])]
    report = build_report(Window(ago(hours=12), NOW), events, case_of(events), policy)
    (change,) = report.tier_changes
    assert (change.before, change.after, change.because) == (
        "STANDARD",
        "ELEVATED",
        "time missing",
    )


# --- handover notes ------------------------------------------------------------------------------


def test_handover_notes_set_and_clear_the_case_lines_and_round_trip() -> None:
    events = [
        intake(ago(hours=5), ago(hours=6)),
        event(2, "handover_note", ago(hours=2), summary="Seen at the mall twice"),
        event(3, "handover_note", ago(hours=1), contingency="If seen at the mall, call Det. X"),
    ]
    state = replay(events, CHILD.id)
    assert state.handover_summary is not None
    assert state.handover_summary.get("text") == "Seen at the mall twice"
    assert state.contingency is not None and state.contingency.event_id == 3
    assert decode_state(dumps(state_to_dict(state))) == state
    cleared = replay([*events, event(4, "handover_note", NOW, summary="")], CHILD.id)
    assert cleared.handover_summary is None
    assert cleared.contingency == state.contingency


def test_projections_stored_before_handover_notes_still_load() -> None:
    raw = state_to_dict(replay([intake(ago(hours=5), ago(hours=6))], CHILD.id))
    del raw["handover_summary"], raw["contingency"]
    state = decode_state(dumps(raw))
    assert state.handover_summary is None and state.contingency is None


def test_note_data_keeps_only_the_lines_given() -> None:
    assert note_data("  one\nline ", None) == {"summary": "one line"}
    assert note_data(None, "") == {"contingency": ""}
    with pytest.raises(BadInput, match="--summary"):
        note_data(None, None)
    with pytest.raises(BadInput, match="--contingency: is 301 characters"):
        note_data(None, "x" * 301)
