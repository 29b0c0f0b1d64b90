"""Corrections: a new event supersedes an old one (kept unchanged); every clock recomputes."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from caseboard import services
from caseboard.domain.errors import BadInput
from caseboard.domain.timefmt import to_iso
from caseboard.services import actions

Board = Any  # tests/services/conftest.py's Board


def _confirmed_sighting(board: Board, at: str = "-1h") -> int:
    result = actions.log_sighting(
        board.session(board.users["liaison"]),
        board.cases.critical,
        {"at": at, "where": "Sample Park", "confirmed": True},
    )
    return int(result.event_id)


def test_correcting_a_sighting_time_recomputes_the_no_news_clock(board: Board) -> None:
    case = board.cases.critical  # CRITICAL: 4 h no-news window
    sighting = _confirmed_sighting(board)
    clock = board.summary(case).clocks["no_news"]
    assert (clock.state, clock.due_at) == ("due", board.now + timedelta(hours=3))
    original = board.event(sighting)

    before = board.counts()["events"]
    result = actions.correct_event(
        board.session(board.users["dispatcher"]),
        sighting,
        "caller gave the wrong hour",
        {"at": "-5h"},
    )
    assert result.case_id == case
    correction = board.new_event(before, result.event_id)
    assert correction.type == "correction"
    assert correction.case_id == case
    assert correction.supersedes == sighting
    assert (correction.occurred_at, correction.recorded_at) == (board.now, board.now)
    assert correction.actor == board.users["dispatcher"]
    assert dict(correction.data) == {
        "reason": "caller gave the wrong hour",
        "changes": {"at": to_iso(board.ago(hours=5))},
        "void": False,
    }

    clock = board.summary(case).clocks["no_news"]
    assert clock.started_at == board.ago(hours=5)
    assert clock.due_at == board.ago(hours=1)
    assert clock.state == "overdue"
    # Append-only: the sighting as first stored is still there, unchanged.
    assert board.event(sighting) == original
    detail = services.show_case(board.reader, case)
    assert detail.superseded_by == {sighting: result.event_id}
    assert [e.id for e in detail.events][-2:] == [sighting, result.event_id]


def test_a_void_correction_strikes_the_event(board: Board) -> None:
    case = board.cases.critical
    sighting = _confirmed_sighting(board)
    original = board.event(sighting)
    result = actions.correct_event(board.session(), sighting, "wrong child", {}, void=True)
    correction = board.event(result.event_id)
    assert correction.supersedes == sighting
    assert dict(correction.data) == {"reason": "wrong child", "changes": {}, "void": True}
    summary = board.summary(case)
    assert summary.state.sightings == 0
    assert summary.state.sighting is None
    # Back to the last-seen anchor: 8 h ago + 4 h, overdue.
    assert summary.clocks["no_news"].due_at == board.ago(hours=4)
    assert summary.clocks["no_news"].state == "overdue"
    assert board.event(sighting) == original
    assert services.show_case(board.reader, case).superseded_by == {sighting: result.event_id}

    before = board.counts()
    with pytest.raises(BadInput) as caught:
        actions.correct_event(board.session(), sighting, "again", {"where": "Mall"})
    assert caught.value.field == "EVENT"
    assert "struck" in caught.value.message
    assert board.counts() == before


def test_correcting_an_unconfirmed_sighting_to_confirmed_restarts_the_clock(board: Board) -> None:
    case = board.cases.policed  # STANDARD, last seen 4 h ago, unconfirmed sighting 1 h ago
    assert board.summary(case).clocks["no_news"].due_at == board.now + timedelta(hours=68)
    actions.correct_event(
        board.session(),
        board.cases.policed_sighting,
        "officer verified it",
        {"confirmed": True, "where": "Sample Mall food court"},
    )
    summary = board.summary(case)
    assert summary.clocks["no_news"].due_at == board.now + timedelta(hours=71)
    assert summary.state.sighting is not None
    assert summary.state.sighting.get("where") == "Sample Mall food court"


def test_correcting_the_intake_last_seen_changes_time_missing_and_escalation(
    board: Board,
) -> None:
    case = board.cases.standard  # last seen 2 h ago, learned 1 h ago
    start = board.summary(case)
    assert start.elapsed_s == 2 * 3600
    assert start.assessment.score == 0
    intake = board.events(case)[0]
    assert intake.type == "intake"
    original = board.event(intake.id)

    first = actions.correct_event(
        board.session(), intake.id, "house parent misremembered", {"last_seen_at": "-30h"}
    )
    assert board.event(first.event_id).data["changes"] == {
        "last_seen_at": to_iso(board.ago(hours=30))
    }
    summary = board.summary(case)
    assert summary.state.last_seen_at == board.ago(hours=30)
    assert summary.elapsed_s == 30 * 3600
    assert [(r.factor, r.points) for r in summary.assessment.reasons] == [("time_missing", 1)]
    assert summary.assessment.score == 1
    # The no-news clock (STANDARD, 72 h) counts from the corrected last-seen time as well.
    assert summary.clocks["no_news"].due_at == board.now + timedelta(hours=42)

    second = actions.correct_event(
        board.session(), intake.id, "it was the weekend before", {"last_seen_at": "-4d"}
    )
    summary = board.summary(case)
    assert summary.elapsed_s == 96 * 3600
    assert summary.assessment.score == 2  # over 72 h: +2 (the largest step, not a sum)
    assert board.event(intake.id) == original
    # Corrected twice: the timeline points the intake at its latest correction.
    assert services.show_case(board.reader, case).superseded_by == {intake.id: second.event_id}


def test_correcting_the_intake_learned_time_moves_the_report_clocks(board: Board) -> None:
    case = board.cases.standard
    intake = board.events(case)[0]
    actions.correct_event(board.session(), intake.id, "logged late", {"learned_at": "-90m"})
    clocks = board.summary(case).clocks
    assert clocks["police"].due_at == board.ago(minutes=90) + timedelta(hours=24)
    assert clocks["ncmec"].due_at == board.ago(minutes=90) + timedelta(hours=24)


def test_voiding_a_recovery_puts_the_case_back_to_missing(board: Board) -> None:
    case = board.cases.recovered
    actions.correct_event(board.session(), board.cases.recovery, "wrong case", {}, void=True)
    summary = board.summary(case)
    assert summary.state.status == "missing"
    assert summary.clocks["recovery_notice"].state == "not_started"
    assert summary.clocks["return_interview"].state == "not_started"
    # ...so a recovery can be recorded again.
    actions.record_recovery(board.session(), case, {"at": "now", "where": "Park", "by": "Mom"})
    assert board.summary(case).state.status == "recovered"


def test_correcting_a_recovery_time_moves_the_follow_up_clocks(board: Board) -> None:
    case = board.cases.recovered
    actions.correct_event(board.session(), board.cases.recovery, "typo", {"at": "-90m"})
    clocks = board.summary(case).clocks
    assert clocks["recovery_notice"].due_at == board.ago(minutes=90) + timedelta(hours=24)
    assert clocks["return_interview"].due_at == board.ago(minutes=90) + timedelta(hours=72)


def test_correcting_a_confirmation_reference(board: Board) -> None:
    case = board.cases.policed
    actions.correct_event(
        board.session(), board.cases.police_confirmation, "digits swapped", {"ref": "26-000312"}
    )
    police = board.summary(case).clocks["police"]
    assert (police.state, police.ref) == ("done", "26-000312")
    assert police.by == board.users["liaison"]  # who confirmed it is unchanged


def test_the_close_reason_of_a_closed_case_can_be_corrected(board: Board) -> None:
    case = board.cases.closed
    close = next(e for e in board.events(case) if e.type == "close")
    actions.correct_event(board.session(), close.id, "clearer", {"reason": "back with foster mom"})
    closure = board.summary(case).state.closure
    assert closure is not None
    assert closure.get("reason") == "back with foster mom"


def test_a_corrected_sighting_time_cannot_go_before_last_seen(board: Board) -> None:
    # A sighting typed before the child was last seen is refused; a correction to such a time
    # must be refused the same way.
    sighting = _confirmed_sighting(board)
    before = board.counts()
    with pytest.raises(BadInput) as caught:
        actions.correct_event(board.session(), sighting, "earlier", {"at": "-9h"})
    assert caught.value.field == "at"
    assert board.counts() == before
