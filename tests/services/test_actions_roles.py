"""The role matrix, action by action and role by role; refusals write nothing (but are logged)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from caseboard import services
from caseboard.domain.errors import NotAllowed
from caseboard.services import actions
from caseboard.services.photos import attach_photo
from support.images import photo_file

Board = Any  # tests/services/conftest.py's Board
Attempt = Callable[[Any, Any], Any]  # (session, board.cases) -> result

ROLES = ("supervisor", "dispatcher", "liaison", "viewer")
ALL = {"supervisor", "dispatcher", "liaison"}  # everyone who writes
DISPATCH = {"supervisor", "dispatcher"}
SUPERVISOR = {"supervisor"}

# action -> (what it does, given a session and the prepared cases; roles that may do it)
MATRIX: dict[str, tuple[Attempt, set[str]]] = {
    "sighting": (
        lambda s, c: actions.log_sighting(s, c.standard, {"at": "now", "where": "Park"}),
        ALL,
    ),
    "contact": (
        lambda s, c: actions.log_contact(s, c.standard, {"at": "now", "how": "phone"}),
        ALL,
    ),
    "recovery": (
        lambda s, c: actions.record_recovery(
            s, c.standard, {"at": "now", "where": "Park", "by": "Officer Example"}
        ),
        ALL,
    ),
    "note": (lambda s, c: actions.add_note(s, c.standard, "called the school"), ALL),
    "confirm police": (
        lambda s, c: actions.confirm_report(s, c.standard, "police", {"ref": "26-7"}),
        ALL,
    ),
    "confirm ncic": (
        lambda s, c: actions.confirm_report(s, c.policed, "ncic", {"ref": "M260000007"}),
        ALL,
    ),
    "confirm ncmec": (
        lambda s, c: actions.confirm_report(s, c.standard, "ncmec", {"ref": "1517777"}),
        DISPATCH,
    ),
    "notify police": (lambda s, c: actions.record_notice(s, c.recovered, "police", {}), DISPATCH),
    "notify ncmec": (lambda s, c: actions.record_notice(s, c.recovered, "ncmec", {}), DISPATCH),
    "interview": (
        lambda s, c: actions.record_interview(s, c.recovered, {"at": "now", "screen": "none"}),
        DISPATCH,
    ),
    "risk": (lambda s, c: actions.change_risk(s, c.standard, add=["substance_use"]), DISPATCH),
    "override": (
        lambda s, c: actions.change_risk(s, c.standard, override="HIGH", reason="older adult"),
        SUPERVISOR,
    ),
    "correct": (
        lambda s, c: actions.correct_event(s, c.policed_sighting, "typo", {"where": "Mall"}),
        DISPATCH,
    ),
    "close": (lambda s, c: actions.close_case(s, c.standard, "duplicate"), DISPATCH),
    "handover note": (
        lambda s, c: actions.set_handover_note(s, c.standard, contingency="if seen, call 911"),
        ALL,
    ),
    "packet": (
        lambda s, c: actions.update_packet(s, c.standard, {"caseworker": "J. Example"}),
        DISPATCH,
    ),
    "photo": (lambda s, c: attach_photo(s, c.standard, photo_file()), DISPATCH),
}

TABLE = [
    pytest.param(action, role, role in allowed, id=f"{action}-{role}")
    for action, (_, allowed) in MATRIX.items()
    for role in ROLES
]


def test_the_matrix_covers_every_per_case_action_of_the_role_table() -> None:
    covered = {"notify" if name.startswith("notify") else name for name in MATRIX}
    not_per_case = {
        *("open the database", "intake", "import", "signoff", "operators", "keys", "audit"),
        *("export", "verify", "backup"),
    }
    assert set(services.ROLES_FOR) - not_per_case == covered


@pytest.mark.parametrize(("action", "role", "allowed"), TABLE)
def test_role_matrix(board: Board, action: str, role: str, allowed: bool) -> None:
    attempt, _ = MATRIX[action]
    username = board.users[role]
    session = board.session(username)
    assert session.role == role
    before = board.counts()
    if allowed:
        result = attempt(session, board.cases)
        results = result if isinstance(result, list) else [result]
        assert len(results) == 1
        event = board.new_event(before["events"], results[0].event_id)
        assert event.actor == username
        assert board.counts()["access_log"] == before["access_log"]
    else:
        with pytest.raises(NotAllowed) as caught:
            attempt(session, board.cases)
        message = str(caught.value)
        assert username in message and role in message, message
        after = board.counts()
        assert board.content() == {k: v for k, v in before.items() if k != "access_log"}
        assert after["access_log"] == before["access_log"] + 1, "the refusal is logged"


@pytest.mark.parametrize("action", list(MATRIX))
def test_read_only_refuses_every_action_even_for_a_supervisor(board: Board, action: str) -> None:
    attempt, _ = MATRIX[action]
    session = board.session(readonly=True)
    before = board.counts()
    with pytest.raises(NotAllowed) as caught:
        attempt(session, board.cases)
    assert "read-only" in str(caught.value)
    assert board.counts() == before


def test_an_operator_disabled_while_their_session_is_open_is_refused(board: Board) -> None:
    dina = board.session(board.users["dispatcher"])
    services.disable_operator(board.session(), board.users["dispatcher"])
    before = board.content()
    with pytest.raises(NotAllowed):
        actions.add_note(dina, board.cases.standard, "still here?")
    assert board.content() == before
