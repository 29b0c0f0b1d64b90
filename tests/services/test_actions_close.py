"""Closing a case: one event, status closed, warnings (not refusal) for clocks still open."""

from __future__ import annotations

from typing import Any

from caseboard import services
from caseboard.services import actions

Board = Any  # tests/services/conftest.py's Board


def test_closing_stores_one_event_and_warns_about_open_clocks(board: Board) -> None:
    case = board.cases.recovered  # police, NCMEC, notices and interview all still due
    before = board.counts()["events"]
    result = actions.close_case(
        board.session(board.users["dispatcher"]), case, "  back in placement  "
    )
    event = board.new_event(before, result.event_id)
    assert event.type == "close"
    assert (event.occurred_at, event.recorded_at) == (board.now, board.now)
    assert event.actor == board.users["dispatcher"]
    assert dict(event.data) == {"reason": "back in placement"}
    summary = board.summary(case)
    assert summary.state.status == "closed"
    assert summary.state.closure is not None
    assert summary.state.closure.by == board.users["dispatcher"]
    warned = " | ".join(result.warnings)
    assert len(result.warnings) == 4, result.warnings
    for title in ("Police report", "NCMEC report", "Recovery notices", "Return interview"):
        assert title in warned
    assert "No news" not in warned
    # A closed case leaves the open board but stays in the full list.
    assert case not in {s.case_id for s in services.list_cases(board.reader)}
    assert case in {s.case_id for s in services.list_cases(board.reader, include_closed=True)}


def test_closing_a_missing_case_warns_about_its_report_clocks(board: Board) -> None:
    result = actions.close_case(board.session(), board.cases.standard, "duplicate of case 1")
    assert sorted(result.warnings) == ["NCMEC report still due", "Police report still due"]
    assert board.summary(board.cases.standard).state.status == "closed"


def test_closing_with_every_clock_done_gives_no_warning(board: Board) -> None:
    case = board.cases.recovered
    session = board.session()
    actions.confirm_report(session, case, "police", {"ref": "26-1"})
    actions.confirm_report(session, case, "ncic", {"ref": "M260000001"})
    actions.confirm_report(session, case, "ncmec", {"ref": "1510000"})
    actions.record_notice(session, case, "police", {})
    actions.record_notice(session, case, "ncmec", {})
    actions.record_interview(session, case, {"at": "now", "screen": "none"})
    result = actions.close_case(session, case, "all follow-ups done")
    assert result.warnings == ()
    assert all(clock.state == "done" for clock in board.summary(case).clocks.values())
