"""The return interview as the statute reads (#17), through the services: the event holds the
factors, experiences, indicators, labour screen and response; an interview without them (as
every interview before #17) reads as before; corrections, flags, verify and a policy's own
vocabulary."""

from __future__ import annotations

from typing import Any

import pytest

from caseboard import paths, services
from caseboard.domain import policy as policy_module
from caseboard.domain.errors import BadInput
from caseboard.domain.flags import LABOR_CONCERN, TRAFFICKING_CONCERN, case_flags
from caseboard.domain.interview_vocab import BUILTIN
from caseboard.domain.policy import PolicyError
from caseboard.services import actions
from caseboard.services import verify as verify_service
from services.conftest import Board

STATUTE = {
    "at": "-10m",
    "screen": "none",
    "labor_screen": "possible",
    "factors": ["placement_conflict", "substance_use"],
    "experiences": "stayed with an adult she met online",
    "indicators": ["older_partner"],
    "response": "placement meeting; substance-use referral",
}


def test_the_event_and_the_projection_hold_the_statute_fields(board: Board) -> None:
    case = board.cases.recovered
    done = actions.record_interview(board.session(), case, STATUTE)
    event = board.event(done.event_id)
    assert event.data == {
        "screen": "none",
        "labor_screen": "possible",
        "factors": ["placement_conflict", "substance_use"],
        "experiences": "stayed with an adult she met online",
        "indicators": ["older_partner"],
        "response": "placement meeting; substance-use referral",
        "police_told": False,
    }
    interview = board.summary(case).state.interview
    assert interview is not None
    assert interview.get("factors") == ["placement_conflict", "substance_use"]
    assert interview.get("labor_screen") == "possible"
    assert board.summary(case).clocks["return_interview"].state == "done"
    assert verify_service.verify(board.reader).ok


def test_an_interview_without_them_reads_as_before(board: Board) -> None:
    case = board.cases.recovered
    done = actions.record_interview(board.session(), case, {"at": "-10m", "screen": "clear"})
    assert board.event(done.event_id).data == {"screen": "clear", "police_told": False}
    state = board.summary(case).state
    assert state.interview is not None
    assert set(state.interview.details) == {"screen", "note", "police_told"}
    assert case_flags(state) == (TRAFFICKING_CONCERN,)
    assert verify_service.verify(board.reader).ok


@pytest.mark.parametrize(
    ("screen", "labor", "flags"),
    [
        ("clear", "clear", (TRAFFICKING_CONCERN, LABOR_CONCERN)),
        ("none", "clear", (LABOR_CONCERN,)),
        ("possible", "possible", ()),
        ("none", None, ()),
    ],
)
def test_a_clear_concern_of_either_kind_flags_the_case(
    board: Board, screen: str, labor: str | None, flags: tuple[str, ...]
) -> None:
    case = board.cases.recovered
    raw: dict[str, Any] = {"at": "-10m", "screen": screen, "police_told": True}
    if labor:
        raw["labor_screen"] = labor
    actions.record_interview(board.session(), case, raw)
    assert case_flags(board.summary(case).state) == flags


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"factors": ["runaway"]}, "factor"),
        ({"factors": "family"}, "factor"),
        ({"indicators": ["exchanged_sex", 3]}, "indicator"),
        ({"labor_screen": "yes"}, "labor"),
        ({"factors": ["other"]}, "other_factor"),
        ({"other_factor": "concert"}, "other_factor"),
        ({"experiences": "x" * 2001}, "experiences"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(
    board: Board, change: dict[str, Any], field: str
) -> None:
    before = board.content()
    with pytest.raises(BadInput) as refused:
        actions.record_interview(board.session(), board.cases.recovered, {**STATUTE, **change})
    assert refused.value.field == field
    assert board.content() == before


def test_a_correction_replaces_the_lists_and_the_flag_follows(board: Board) -> None:
    case = board.cases.recovered
    session = board.session()
    done = actions.record_interview(session, case, {**STATUTE, "labor_screen": "clear"})
    assert case_flags(board.summary(case).state) == (LABOR_CONCERN,)
    actions.correct_event(
        session,
        done.event_id,
        "misheard",
        {"factors": ["family"], "labor_screen": "none", "response": "family visits"},
    )
    interview = board.summary(case).state.interview
    assert interview is not None
    assert interview.get("factors") == ["family"]
    assert interview.get("response") == "family visits"
    assert interview.get("indicators") == ["older_partner"]  # untouched
    assert case_flags(board.summary(case).state) == ()
    with pytest.raises(BadInput, match="'school_trip' is not one of"):
        actions.correct_event(session, done.event_id, "typo", {"factors": ["school_trip"]})
    assert verify_service.verify(board.reader).ok


def test_the_shipped_vocabulary_is_the_policy_files() -> None:
    federal = policy_module.load(paths.builtin_policy_text("federal"))
    assert federal.interview == BUILTIN
    assert list(BUILTIN.factors) == [
        "placement_conflict", "family", "friends_partner", "substance_use", "school",
        "mental_health", "unsafe_placement", "adult_recruitment", "other",
    ]  # fmt: skip
    assert list(BUILTIN.indicators) == [
        "exchanged_sex", "exchanged_labor", "older_partner", "gifts_or_new_phone",
        "hotel_or_party", "branded_tattoo", "harmed",
    ]  # fmt: skip


def test_a_policy_file_replaces_a_vocabulary_whole() -> None:
    builtin = paths.builtin_policy_text("federal")
    local = policy_module.load(
        builtin, '[interview.factors]\ncurfew = "missed curfew"\nother = "something else"\n'
    )
    assert dict(local.interview.factors) == {"curfew": "missed curfew", "other": "something else"}
    assert local.interview.indicators == BUILTIN.indicators
    with pytest.raises(PolicyError, match=r"interview\.factors: must keep 'other'"):
        policy_module.load(builtin, '[interview.factors]\ncurfew = "missed curfew"\n')
    with pytest.raises(PolicyError, match=r"interview\.indicators\.Bad-Id"):
        policy_module.load(builtin, '[interview.indicators]\n"Bad-Id" = "x"\n')
    with pytest.raises(PolicyError, match=r"interview\.indicators\.harmed: expected the words"):
        policy_module.load(builtin, '[interview.indicators]\nharmed = ""\n')
    with pytest.raises(PolicyError, match=r"interview\.reasons: unknown policy key"):
        policy_module.load(builtin, '[interview.reasons]\nx = "y"\n')


def test_a_session_checks_ids_against_its_own_policy(board: Board) -> None:
    local = policy_module.load(
        paths.builtin_policy_text("federal"),
        '[interview.factors]\ncurfew = "missed curfew"\nother = "something else"\n',
    )
    session = board.session()
    custom = services.open_session(board.path, session.actor, local, board.zone, session.clock)
    try:
        with pytest.raises(BadInput, match="'family' is not one of curfew, other"):
            actions.record_interview(
                custom, board.cases.recovered, {**STATUTE, "factors": ["family"]}
            )
        actions.record_interview(custom, board.cases.recovered, {**STATUTE, "factors": ["curfew"]})
    finally:
        custom.db.conn.close()
    interview = board.summary(board.cases.recovered).state.interview
    assert interview is not None and interview.get("factors") == ["curfew"]
