"""Report confirmations: police, NCIC (after police; NIC format warned about), NCMEC."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from caseboard.domain.errors import BadInput
from caseboard.services import actions

Board = Any  # tests/services/conftest.py's Board


def test_confirming_the_police_report_stops_its_clock(board: Board) -> None:
    case = board.cases.standard
    before = board.counts()["events"]
    result = actions.confirm_report(
        board.session(board.users["liaison"]),
        case,
        "police",
        {"ref": "26-004242", "agency": "Example City PD", "officer": "Sgt. Mock"},
    )
    assert result.warnings == ()
    event = board.new_event(before, result.event_id)
    assert event.type == "confirm"
    assert event.occurred_at == board.now  # --at defaults to now
    assert event.recorded_at == board.now
    assert event.actor == board.users["liaison"]
    assert dict(event.data) == {
        "report": "police",
        "ref": "26-004242",
        "agency": "Example City PD",
        "officer": "Sgt. Mock",
    }
    clocks = board.summary(case).clocks
    police = clocks["police"]
    assert (police.state, police.ref, police.by) == ("done", "26-004242", board.users["liaison"])
    assert police.done_at == board.now
    # The NCIC clock starts with the police confirmation: 2 h.
    assert clocks["ncic"].state == "due"
    assert clocks["ncic"].due_at == board.now + timedelta(hours=2)
    assert clocks["ncmec"].state == "due"


def test_a_confirmation_at_a_typed_time(board: Board) -> None:
    case = board.cases.standard
    result = actions.confirm_report(
        board.session(), case, "ncmec", {"at": "-20m", "ref": "1512999"}
    )
    assert board.event(result.event_id).occurred_at == board.ago(minutes=20)
    ncmec = board.summary(case).clocks["ncmec"]
    assert (ncmec.state, ncmec.ref, ncmec.done_at) == ("done", "1512999", board.ago(minutes=20))
    assert ncmec.by == board.users["supervisor"]


def test_a_nic_number_in_the_expected_format_is_accepted_without_warning(board: Board) -> None:
    case = board.cases.policed
    before = board.counts()["events"]
    result = actions.confirm_report(
        board.session(board.users["liaison"]), case, "ncic", {"ref": "M260004242"}
    )
    assert result.warnings == ()
    event = board.new_event(before, result.event_id)
    assert dict(event.data) == {"report": "ncic", "ref": "M260004242"}
    ncic = board.summary(case).clocks["ncic"]
    assert (ncic.state, ncic.ref, ncic.done_at) == ("done", "M260004242", board.now)
    assert ncic.by == board.users["liaison"]


@pytest.mark.parametrize("ref", ["12345", "M12345678", "X260004242", "M2600042420"])
def test_an_odd_nic_number_warns_but_is_recorded_as_typed(board: Board, ref: str) -> None:
    case = board.cases.policed
    before = board.counts()["events"]
    result = actions.confirm_report(board.session(), case, "ncic", {"ref": ref})
    assert len(result.warnings) == 1
    assert ref in result.warnings[0]
    assert "M" in result.warnings[0] and "nine digits" in result.warnings[0]
    assert board.new_event(before, result.event_id).data["ref"] == ref
    assert board.summary(case).clocks["ncic"].state == "done"


def test_ncic_before_the_police_report_is_refused(board: Board) -> None:
    before = board.counts()
    with pytest.raises(BadInput) as caught:
        actions.confirm_report(board.session(), board.cases.standard, "ncic", {"ref": "M260004242"})
    assert caught.value.field == "report"
    assert "police" in caught.value.message
    assert board.counts() == before
    assert board.summary(board.cases.standard).clocks["ncic"].state == "not_started"


def test_ncic_confirmed_before_the_police_report_time_is_refused(board: Board) -> None:
    before = board.counts()
    with pytest.raises(BadInput) as caught:  # police was confirmed 2 h ago
        actions.confirm_report(
            board.session(), board.cases.policed, "ncic", {"ref": "M260004242", "at": "-3h"}
        )
    assert caught.value.field == "at"
    assert board.counts() == before
