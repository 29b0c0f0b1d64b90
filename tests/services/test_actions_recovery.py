"""Recovery and its follow-ups: recovery notices to police and NCMEC, the return interview."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from caseboard.services import actions

Board = Any  # tests/services/conftest.py's Board


def test_a_recovery_stores_one_event_and_starts_the_follow_up_clocks(board: Board) -> None:
    case = board.cases.critical
    before = board.counts()["events"]
    result = actions.record_recovery(
        board.session(board.users["dispatcher"]),
        case,
        {
            "at": "-10m",
            "where": "Example City bus depot",
            "by": "Officer R. Example",
            "condition": "cold, unhurt",
            "placed": "Sample Shelter",
            "note": "was with a friend",
        },
    )
    assert result.warnings == ()
    event = board.new_event(before, result.event_id)
    assert event.type == "recovery"
    assert event.occurred_at == board.ago(minutes=10)
    assert event.recorded_at == board.now
    assert event.actor == board.users["dispatcher"]
    assert dict(event.data) == {
        "where": "Example City bus depot",
        "by": "Officer R. Example",
        "condition": "cold, unhurt",
        "placed": "Sample Shelter",
        "note": "was with a friend",
    }
    summary = board.summary(case)
    assert summary.state.status == "recovered"
    recovered_at = board.ago(minutes=10)
    notice, interview = summary.clocks["recovery_notice"], summary.clocks["return_interview"]
    assert (notice.state, notice.started_at) == ("due", recovered_at)
    assert notice.due_at == recovered_at + timedelta(hours=24)
    assert (interview.state, interview.started_at) == ("due", recovered_at)
    assert interview.due_at == recovered_at + timedelta(hours=72)
    assert summary.clocks["no_news"].state == "done"
    # Time missing stops at the recovery: last seen 8 h ago, found 10 min ago.
    assert summary.elapsed_s == int(timedelta(hours=7, minutes=50).total_seconds())


def test_a_recovery_without_optional_fields_stores_only_what_was_typed(board: Board) -> None:
    before = board.counts()["events"]
    result = actions.record_recovery(
        board.session(), board.cases.standard, {"at": "now", "where": "Home", "by": "Foster mom"}
    )
    event = board.new_event(before, result.event_id)
    assert dict(event.data) == {"where": "Home", "by": "Foster mom"}
    assert event.occurred_at == board.now


def test_notices_to_police_and_ncmec_complete_the_recovery_notice_clock(board: Board) -> None:
    case = board.cases.recovered
    session = board.session(board.users["dispatcher"])
    before = board.counts()["events"]
    police = actions.record_notice(session, case, "police", {})
    event = board.new_event(before, police.event_id)
    assert event.type == "notify"
    assert event.occurred_at == board.now  # --at defaults to now
    assert event.recorded_at == board.now
    assert event.actor == board.users["dispatcher"]
    assert dict(event.data) == {"report": "police"}
    half = board.summary(case).clocks["recovery_notice"]
    assert half.state == "due"
    assert half.ref == "police told"

    before = board.counts()["events"]
    ncmec = actions.record_notice(session, case, "ncmec", {"at": "-5m"})
    event = board.new_event(before, ncmec.event_id)
    assert event.occurred_at == board.ago(minutes=5)
    assert dict(event.data) == {"report": "ncmec"}
    done = board.summary(case).clocks["recovery_notice"]
    assert done.state == "done"
    assert done.done_at == board.now  # the later of the two notices
    assert done.by == board.users["dispatcher"]
    assert done.ref == "police+ncmec"


def test_an_interview_completes_the_return_interview_clock(board: Board) -> None:
    case = board.cases.recovered
    before = board.counts()["events"]
    result = actions.record_interview(
        board.session(),
        case,
        {"at": "-5m", "screen": "possible", "note": "mentioned an older boyfriend"},
    )
    assert result.warnings == ()
    event = board.new_event(before, result.event_id)
    assert event.type == "interview"
    assert event.occurred_at == board.ago(minutes=5)
    assert event.recorded_at == board.now
    assert event.actor == board.users["supervisor"]
    assert dict(event.data) == {
        "screen": "possible",
        "note": "mentioned an older boyfriend",
        "police_told": False,
    }
    clock = board.summary(case).clocks["return_interview"]
    assert clock.state == "done"
    assert clock.done_at == board.ago(minutes=5)
    assert clock.by == board.users["supervisor"]
    assert clock.ref == "possible concern"


def test_a_clear_concern_without_police_told_warns_but_is_recorded(board: Board) -> None:
    case = board.cases.recovered
    before = board.counts()["events"]
    result = actions.record_interview(board.session(), case, {"at": "now", "screen": "clear"})
    assert len(result.warnings) == 1
    assert "police" in result.warnings[0]
    event = board.new_event(before, result.event_id)
    assert event.data["screen"] == "clear"
    assert event.data["police_told"] is False
    assert board.summary(case).clocks["return_interview"].state == "done"


def test_a_clear_concern_with_police_told_does_not_warn(board: Board) -> None:
    result = actions.record_interview(
        board.session(),
        board.cases.recovered,
        {"at": "now", "screen": "clear", "police_told": True},
    )
    assert result.warnings == ()
    assert board.event(result.event_id).data["police_told"] is True
