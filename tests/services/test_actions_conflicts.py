"""Conflicts: the case already moved on. Refused with who and when, and nothing written."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from caseboard.domain.errors import Conflict
from caseboard.services import actions

Board = Any  # tests/services/conftest.py's Board
Action = Callable[[Any, int], Any]


def _refused(board: Board, action: Action, case: int) -> str:
    """Run an action expected to conflict; check nothing was written; return the message."""
    before = board.counts()
    with pytest.raises(Conflict) as caught:
        action(board.session(), case)
    assert board.counts() == before, "a refused action wrote something"
    return str(caught.value)


# Every per-case action, as the supervisor (who may do them all) would take it.
EVERY_ACTION: dict[str, Action] = {
    "sighting": lambda s, c: actions.log_sighting(s, c, {"at": "now", "where": "Sample Park"}),
    "contact": lambda s, c: actions.log_contact(s, c, {"at": "now", "how": "phone"}),
    "recovery": lambda s, c: actions.record_recovery(
        s, c, {"at": "now", "where": "Sample Park", "by": "Officer Example"}
    ),
    "confirm police": lambda s, c: actions.confirm_report(s, c, "police", {"ref": "26-9"}),
    "confirm ncmec": lambda s, c: actions.confirm_report(s, c, "ncmec", {"ref": "1519999"}),
    "notify police": lambda s, c: actions.record_notice(s, c, "police", {}),
    "notify ncmec": lambda s, c: actions.record_notice(s, c, "ncmec", {}),
    "interview": lambda s, c: actions.record_interview(s, c, {"at": "now", "screen": "none"}),
    "note": lambda s, c: actions.add_note(s, c, "one more thing"),
    "risk": lambda s, c: actions.change_risk(s, c, add=["substance_use"]),
    "override": lambda s, c: actions.change_risk(s, c, override="HIGH", reason="gut feeling"),
    "close": lambda s, c: actions.close_case(s, c, "again"),
}


@pytest.mark.parametrize("name", list(EVERY_ACTION))
def test_anything_on_a_closed_case_conflicts_naming_who_closed_it_and_when(
    board: Board, name: str
) -> None:
    message = _refused(board, EVERY_ACTION[name], board.cases.closed)
    assert "closed" in message
    assert board.users["dispatcher"] in message  # who closed it
    assert board.shown(board.now) in message  # when


def test_a_second_police_confirmation_conflicts(board: Board) -> None:
    message = _refused(
        board,
        lambda s, c: actions.confirm_report(s, c, "police", {"ref": "26-999999"}),
        board.cases.policed,
    )
    assert "already confirmed" in message
    assert board.users["liaison"] in message
    assert board.shown(board.ago(hours=2)) in message
    assert "26-000321" in message


@pytest.mark.parametrize("name", ["sighting", "contact", "recovery"])
def test_news_or_a_second_recovery_after_the_recovery_conflicts(board: Board, name: str) -> None:
    message = _refused(board, EVERY_ACTION[name], board.cases.recovered)
    assert "recovered" in message
    assert board.users["liaison"] in message  # who recorded the recovery
    assert board.shown(board.ago(minutes=30)) in message  # when the child was found


@pytest.mark.parametrize("report", ["police", "ncmec"])
def test_a_second_recovery_notice_conflicts(board: Board, report: str) -> None:
    dina = board.session(board.users["dispatcher"])
    actions.record_notice(dina, board.cases.recovered, report, {"at": "-10m"})
    message = _refused(board, EVERY_ACTION[f"notify {report}"], board.cases.recovered)
    assert board.users["dispatcher"] in message
    assert board.shown(board.ago(minutes=10)) in message


def test_a_second_return_interview_conflicts(board: Board) -> None:
    dina = board.session(board.users["dispatcher"])
    actions.record_interview(dina, board.cases.recovered, {"at": "-10m", "screen": "none"})
    message = _refused(board, EVERY_ACTION["interview"], board.cases.recovered)
    assert "already recorded" in message
    assert board.users["dispatcher"] in message
    assert board.shown(board.ago(minutes=10)) in message


def test_a_recovery_recorded_in_another_session_wins_over_a_stale_one(board: Board) -> None:
    # Both operators opened the case while it was missing; the second to write is refused.
    leo, dina = board.session(board.users["liaison"]), board.session(board.users["dispatcher"])
    case = board.cases.standard
    actions.record_recovery(leo, case, {"at": "-5m", "where": "Library", "by": "Librarian"})
    before = board.counts()
    with pytest.raises(Conflict) as caught:
        actions.record_recovery(dina, case, {"at": "now", "where": "Park", "by": "Officer"})
    assert board.counts() == before
    assert board.users["liaison"] in str(caught.value)
    assert board.shown(board.ago(minutes=5)) in str(caught.value)
    assert [e.type for e in board.events(case)].count("recovery") == 1
