"""Every service that takes typed input, called with generated values of every JSON type for each
field (what a form, a script or an import could hand it): it succeeds or raises one of caseboard's
own errors (BadInput, Conflict, NotAllowed), never anything else; a refusal writes nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from caseboard import services
from caseboard.domain.errors import CaseboardError
from caseboard.services import actions
from caseboard.services import handover as handover_service
from support.hostile import JSON_VALUES, examples, hostile_text

from .conftest import Board

ANY = JSON_VALUES
# Parameters typed `str` (or None): every caller passes text there, hostile or not.
TEXT = st.one_of(st.none(), hostile_text, st.sampled_from(["3h ago", "now", "Sam"]))
FIELDS = ["at", "where", "source", "note", "how", "by", "condition", "placed", "ref", "agency",
          "officer", "screen", "confirmed", "police_told", "text", "name", "age", "dob",
          "learned_at", "last_seen_at", "last_seen_where", "placement_type"]  # fmt: skip
VALID = {"at": "20m ago", "where": "Sample Mall", "how": "phone", "by": "Officer Example",
         "ref": "PD-1", "screen": "none", "text": "a note", "reason": "typo"}  # fmt: skip


@st.composite
def raw(draw: st.DrawFn) -> dict[str, Any]:
    """Valid fields with a few replaced (or added) by any JSON value."""
    result: dict[str, Any] = dict(VALID)
    for key in draw(st.lists(st.sampled_from(FIELDS), min_size=1, max_size=3)):
        result[key] = draw(ANY)
    return result


def ids(board: Board) -> st.SearchStrategy[Any]:
    cases = board.cases
    known = [cases.critical, cases.standard, cases.policed, cases.recovered, cases.closed]
    return st.one_of(st.sampled_from(known), ANY)


Call = Callable[[services.Session, st.DataObject, Board], object]

CALLS: dict[str, Call] = {
    "log_sighting": lambda s, d, b: actions.log_sighting(s, d.draw(ids(b)), d.draw(raw())),
    "log_contact": lambda s, d, b: actions.log_contact(s, d.draw(ids(b)), d.draw(raw())),
    "record_recovery": lambda s, d, b: actions.record_recovery(s, d.draw(ids(b)), d.draw(raw())),
    "confirm_report": lambda s, d, b: actions.confirm_report(
        s, d.draw(ids(b)), d.draw(st.one_of(st.sampled_from(["police", "ncmec", "ncic"]), ANY)),
        d.draw(raw()),
    ),
    "record_notice": lambda s, d, b: actions.record_notice(
        s, d.draw(ids(b)), d.draw(st.one_of(st.sampled_from(["police", "ncmec"]), ANY)),
        d.draw(raw()),
    ),
    "record_interview": lambda s, d, b: actions.record_interview(s, d.draw(ids(b)), d.draw(raw())),
    "add_note": lambda s, d, b: actions.add_note(s, d.draw(ids(b)), d.draw(ANY)),
    "change_risk": lambda s, d, b: actions.change_risk(
        s, d.draw(ids(b)), add=d.draw(ANY), remove=d.draw(ANY),
        override=d.draw(st.one_of(st.none(), st.sampled_from(["HIGH", "none"]), ANY)),
        reason=d.draw(ANY),
    ),
    "close_case": lambda s, d, b: actions.close_case(s, d.draw(ids(b)), d.draw(ANY)),
    "correct_event": lambda s, d, b: actions.correct_event(
        s, d.draw(st.one_of(st.sampled_from([b.cases.policed_sighting, b.cases.recovery]), ANY)),
        d.draw(st.one_of(st.just("typo"), ANY)), d.draw(raw()), void=d.draw(st.booleans()),
    ),
    "set_handover_note": lambda s, d, b: actions.set_handover_note(
        s, d.draw(ids(b)), summary=d.draw(ANY), contingency=d.draw(ANY)
    ),
    "open_case": lambda s, d, b: services.open_case(
        s, {"name": "Test Child", "age": 14, "learned_at": "1h ago", "last_seen_at": "2h ago",
            "last_seen_where": "x", "placement_type": "kin", "agency": "y", **d.draw(raw())},
    ),
    "sign_off": lambda s, d, b: handover_service.sign_off(s, d.draw(TEXT), d.draw(TEXT)),
    "resolve_window": lambda s, d, b: handover_service.resolve_window(
        s, d.draw(TEXT), d.draw(TEXT)
    ),
    "add_operator": lambda s, d, b: services.add_operator(
        s, d.draw(hostile_text), d.draw(st.one_of(st.just("viewer"), hostile_text)),
        d.draw(TEXT),
    ),
    "show_case": lambda s, d, b: services.show_case(s, d.draw(ids(b))),
    "find_children": lambda s, d, b: services.find_children(
        s, d.draw(hostile_text), d.draw(hostile_text)
    ),
    "search_case_ids": lambda s, d, b: services.search_case_ids(s, d.draw(hostile_text)),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(CALLS))
@settings(max_examples=examples(15))
@given(data=st.data())
def test_services_raise_only_caseboard_errors(board: Board, name: str, data: st.DataObject) -> None:
    session = board.session()
    before = board.content()
    try:
        CALLS[name](session, data, board)
    except CaseboardError as exc:
        event(type(exc).__name__)
        assert board.content() == before
    else:
        event("ok")
