"""Notes, risk factors (score and tier) and supervisor overrides (the computed tier stays)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from caseboard.domain.errors import BadInput
from caseboard.services import actions

Board = Any  # tests/services/conftest.py's Board


def test_a_note_stores_one_event_at_now(board: Board) -> None:
    case = board.cases.standard
    before = board.counts()["events"]
    result = actions.add_note(
        board.session(board.users["liaison"]), case, "  Aunt in Sampletown called back.  "
    )
    event = board.new_event(before, result.event_id)
    assert event.type == "note"
    assert event.occurred_at == board.now
    assert event.recorded_at == board.now
    assert event.actor == board.users["liaison"]
    assert dict(event.data) == {"text": "Aunt in Sampletown called back."}
    assert board.summary(case).state.notes == 1


def test_a_note_keeps_unicode_and_newlines_as_typed(board: Board) -> None:
    text = "Zoë's friend: «she went north»\nsecond line"
    result = actions.add_note(board.session(), board.cases.standard, text)
    assert board.event(result.event_id).data["text"] == text


def test_adding_and_removing_risk_factors_changes_score_and_tier(board: Board) -> None:
    case = board.cases.standard
    session = board.session(board.users["dispatcher"])
    start = board.summary(case).assessment
    assert (start.tier, start.score) == ("STANDARD", 0)

    before = board.counts()["events"]
    (added,) = actions.change_risk(session, case, add=["substance_use", "out_of_state"])
    event = board.new_event(before, added.event_id)
    assert event.type == "risk"
    assert (event.occurred_at, event.recorded_at) == (board.now, board.now)
    assert event.actor == board.users["dispatcher"]
    assert dict(event.data) == {"add": ["substance_use", "out_of_state"], "remove": []}
    risk = board.summary(case).assessment
    assert (risk.tier, risk.score) == ("ELEVATED", 4)
    assert {reason.factor for reason in risk.reasons} == {"substance_use", "out_of_state"}

    before = board.counts()["events"]
    (removed,) = actions.change_risk(session, case, remove=["out_of_state"])
    assert dict(board.new_event(before, removed.event_id).data) == {
        "add": [],
        "remove": ["out_of_state"],
    }
    risk = board.summary(case).assessment
    assert (risk.tier, risk.score) == ("STANDARD", 2)
    assert board.summary(case).state.risk_factors == {"substance_use"}


def test_a_critical_factor_makes_the_case_critical(board: Board) -> None:
    case = board.cases.standard
    actions.change_risk(board.session(), case, add=["trafficking"])
    risk = board.summary(case).assessment
    assert risk.tier == risk.computed_tier == "CRITICAL"
    assert any(reason.factor == "trafficking" and reason.critical for reason in risk.reasons)


def test_a_supervisor_override_changes_the_tier_but_not_the_computed_tier(board: Board) -> None:
    case = board.cases.standard
    session = board.session()
    before = board.counts()["events"]
    (result,) = actions.change_risk(
        session, case, override="high", reason="caller reports an older adult picked her up"
    )
    event = board.new_event(before, result.event_id)
    assert event.type == "override"
    assert (event.occurred_at, event.recorded_at) == (board.now, board.now)
    assert event.actor == board.users["supervisor"]
    assert dict(event.data) == {
        "tier": "HIGH",
        "reason": "caller reports an older adult picked her up",
    }
    summary = board.summary(case)
    risk = summary.assessment
    assert (risk.tier, risk.computed_tier, risk.score) == ("HIGH", "STANDARD", 0)
    assert risk.override_tier == "HIGH"
    assert risk.override_reason == "caller reports an older adult picked her up"
    assert summary.state.override is not None
    assert summary.state.override.by == board.users["supervisor"]
    # The no-news window follows the tier in force: HIGH is 12 h from last seen (2 h ago).
    assert summary.clocks["no_news"].due_at == board.now + timedelta(hours=10)

    before = board.counts()["events"]
    (cleared,) = actions.change_risk(session, case, override="none", reason="she called in")
    event = board.new_event(before, cleared.event_id)
    assert dict(event.data) == {"tier": None, "reason": "she called in"}
    risk = board.summary(case).assessment
    assert (risk.tier, risk.computed_tier, risk.override_tier) == ("STANDARD", "STANDARD", None)
    assert board.summary(case).state.override is None


def test_factors_and_an_override_at_once_are_two_events(board: Board) -> None:
    case = board.cases.standard
    before = board.counts()["events"]
    results = actions.change_risk(
        board.session(), case, add=["pregnancy"], override="CRITICAL", reason="due date close"
    )
    assert [board.event(r.event_id).type for r in results] == ["risk", "override"]
    assert board.counts()["events"] == before + 2
    risk = board.summary(case).assessment
    assert (risk.tier, risk.computed_tier, risk.score) == ("CRITICAL", "STANDARD", 3)


def test_clearing_an_override_that_is_not_there_writes_nothing(board: Board) -> None:
    # The factor change comes first in the same transaction: it must be rolled back too.
    before = board.counts()
    with pytest.raises(BadInput) as caught:
        actions.change_risk(
            board.session(), board.cases.standard, add=["pregnancy"], override="none", reason="x"
        )
    assert caught.value.field == "--override"
    assert board.counts() == before
    assert board.summary(board.cases.standard).state.risk_factors == frozenset()
