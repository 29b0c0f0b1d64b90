"""Sightings and contacts: one event each; verified news restarts the no-news clock."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from caseboard.services import actions

Board = Any  # tests/services/conftest.py's Board


def test_a_sighting_stores_one_event_as_typed(board: Board) -> None:
    case = board.cases.critical
    before = board.counts()["events"]
    result = actions.log_sighting(
        board.session(),
        case,
        {
            "at": "-1h",
            "where": "  Corner Store, 5 Demo St  ",
            "source": "store clerk",
            "confirmed": False,
            "police_told": True,
            "note": "wearing the white jacket",
        },
    )
    assert result.case_id == case
    assert result.warnings == ()
    event = board.new_event(before, result.event_id)
    assert event.case_id == case
    assert event.type == "sighting"
    assert event.occurred_at == board.ago(hours=1)
    assert event.recorded_at == board.now
    assert event.actor == board.users["supervisor"]
    assert event.supersedes is None
    assert dict(event.data) == {
        "where": "Corner Store, 5 Demo St",
        "source": "store clerk",
        "confirmed": False,
        "police_told": True,
        "note": "wearing the white jacket",
    }


def test_an_unconfirmed_sighting_does_not_restart_the_no_news_clock(board: Board) -> None:
    case = board.cases.critical
    before = board.summary(case)
    # CRITICAL: 4 h window from last seen 8 h ago, so overdue since 4 h ago.
    assert before.assessment.tier == "CRITICAL"
    assert before.clocks["no_news"].state == "overdue"
    assert before.clocks["no_news"].due_at == board.ago(hours=4)
    actions.log_sighting(board.session(), case, {"at": "-1h", "where": "Sample Park"})
    after = board.summary(case)
    assert after.clocks["no_news"].state == "overdue"
    assert after.clocks["no_news"].due_at == board.ago(hours=4)
    assert after.state.sightings == 1
    assert after.state.sighting is not None
    assert after.state.sighting.at == board.ago(hours=1)


def test_a_confirmed_sighting_restarts_the_no_news_clock(board: Board) -> None:
    case = board.cases.critical
    actions.log_sighting(
        board.session(), case, {"at": "-1h", "where": "Sample Park", "confirmed": True}
    )
    clock = board.summary(case).clocks["no_news"]
    assert clock.started_at == board.ago(hours=1)
    assert clock.due_at == board.now + timedelta(hours=3)
    assert clock.state == "due"


def test_an_older_confirmed_sighting_does_not_move_the_clock_back(board: Board) -> None:
    case = board.cases.critical
    session = board.session()
    actions.log_sighting(session, case, {"at": "-1h", "where": "Sample Park", "confirmed": True})
    actions.log_sighting(session, case, {"at": "-3h", "where": "Sample Mall", "confirmed": True})
    assert board.summary(case).clocks["no_news"].due_at == board.now + timedelta(hours=3)


def test_a_contact_stores_one_event_and_restarts_the_no_news_clock(board: Board) -> None:
    case = board.cases.critical
    before = board.counts()["events"]
    result = actions.log_contact(
        board.session(board.users["liaison"]),
        case,
        {"at": "-30m", "how": "phone call to caseworker", "note": "says she is safe"},
    )
    event = board.new_event(before, result.event_id)
    assert event.type == "contact"
    assert event.occurred_at == board.ago(minutes=30)
    assert event.recorded_at == board.now
    assert event.actor == board.users["liaison"]
    assert dict(event.data) == {"how": "phone call to caseworker", "note": "says she is safe"}
    summary = board.summary(case)
    assert summary.state.last_contact_at == board.ago(minutes=30)
    assert summary.clocks["no_news"].due_at == board.now + timedelta(hours=3, minutes=30)
    assert summary.clocks["no_news"].state == "due"
    assert summary.state.status == "missing"


def test_a_contact_without_a_note_stores_no_placeholder(board: Board) -> None:
    before = board.counts()["events"]
    result = actions.log_contact(
        board.session(), board.cases.standard, {"at": "now", "how": "text message"}
    )
    assert dict(board.new_event(before, result.event_id).data) == {"how": "text message"}
