"""Bad input, field by field and action by action: BadInput naming the field, nothing written."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from caseboard.domain.errors import BadInput
from caseboard.services import actions

Board = Any  # tests/services/conftest.py's Board
Attempt = Callable[[Any, Any], Any]  # (session, board.cases) -> result

LONG = "x" * 5000  # over every text limit (notes and reasons allow 2,000 characters)
FUTURE = "+3h"  # beyond the 5-minute tolerance
GARBAGE = "sometime next blue moon"
BEFORE_LAST_SEEN = "-9h"  # the critical case's child was last seen 8 h ago
BEFORE_RECOVERY = "-1h"  # the recovered case's child was found 30 min ago


def _sighting(**raw: Any) -> Attempt:
    fields = {"at": "-1h", "where": "Sample Park", **raw}
    return lambda s, c: actions.log_sighting(s, c.critical, fields)


def _contact(**raw: Any) -> Attempt:
    fields = {"at": "-1h", "how": "phone", **raw}
    return lambda s, c: actions.log_contact(s, c.critical, fields)


def _recovery(**raw: Any) -> Attempt:
    fields = {"at": "-1h", "where": "Sample Park", "by": "Officer Example", **raw}
    return lambda s, c: actions.record_recovery(s, c.critical, fields)


def _confirm(report: str = "police", **raw: Any) -> Attempt:
    fields = {"ref": "26-000999", **raw}
    return lambda s, c: actions.confirm_report(s, c.standard, report, fields)


def _notify(report: str = "police", **raw: Any) -> Attempt:
    return lambda s, c: actions.record_notice(s, c.recovered, report, raw)


def _interview(**raw: Any) -> Attempt:
    fields = {"at": "now", "screen": "none", **raw}
    return lambda s, c: actions.record_interview(s, c.recovered, fields)


def _note(text: Any) -> Attempt:
    return lambda s, c: actions.add_note(s, c.standard, text)


def _risk(**options: Any) -> Attempt:
    return lambda s, c: actions.change_risk(s, c.standard, **options)


def _close(reason: Any) -> Attempt:
    return lambda s, c: actions.close_case(s, c.standard, reason)


def _correct(reason: str = "typo", void: bool = False, **changes: Any) -> Attempt:
    return lambda s, c: actions.correct_event(s, c.policed_sighting, reason, changes, void=void)


CASES: list[Any] = [
    # sighting CASE --at TIME --where TEXT [--source] [--confirmed] [--note]
    pytest.param(_sighting(where=""), "where", id="sighting-where-empty"),
    pytest.param(_sighting(where="   "), "where", id="sighting-where-blank"),
    pytest.param(_sighting(where="y" * 300), "where", id="sighting-where-too-long"),
    pytest.param(_sighting(at=FUTURE), "at", id="sighting-at-future"),
    pytest.param(_sighting(at=GARBAGE), "at", id="sighting-at-unparseable"),
    pytest.param(_sighting(at=""), "at", id="sighting-at-empty"),
    pytest.param(_sighting(at=BEFORE_LAST_SEEN), "at", id="sighting-at-before-last-seen"),
    pytest.param(_sighting(note=LONG), "note", id="sighting-note-too-long"),
    pytest.param(_sighting(source="s" * 300), "source", id="sighting-source-too-long"),
    # contact CASE --at TIME --how TEXT [--note]
    pytest.param(_contact(how=""), "how", id="contact-how-empty"),
    pytest.param(_contact(at=FUTURE), "at", id="contact-at-future"),
    pytest.param(_contact(at=GARBAGE), "at", id="contact-at-unparseable"),
    pytest.param(_contact(at=BEFORE_LAST_SEEN), "at", id="contact-at-before-last-seen"),
    pytest.param(_contact(note=LONG), "note", id="contact-note-too-long"),
    # recover CASE --at TIME --where TEXT --by TEXT [--condition] [--placed] [--note]
    pytest.param(_recovery(where=""), "where", id="recovery-where-empty"),
    pytest.param(_recovery(by=""), "by", id="recovery-by-empty"),
    pytest.param(_recovery(at=FUTURE), "at", id="recovery-at-future"),
    pytest.param(_recovery(at=GARBAGE), "at", id="recovery-at-unparseable"),
    pytest.param(_recovery(at="yesterday"), "at", id="recovery-at-no-time-of-day"),
    pytest.param(_recovery(at=BEFORE_LAST_SEEN), "at", id="recovery-at-before-last-seen"),
    pytest.param(_recovery(note=LONG), "note", id="recovery-note-too-long"),
    pytest.param(_recovery(placed="p" * 300), "placed", id="recovery-placed-too-long"),
    # confirm CASE {police,ncic,ncmec} --ref REF [--at] [--agency] [--officer]
    pytest.param(_confirm(ref=""), "ref", id="confirm-ref-empty"),
    pytest.param(_confirm(ref="R" * 61), "ref", id="confirm-ref-too-long"),
    pytest.param(_confirm("fbi"), "report", id="confirm-unknown-report"),
    pytest.param(_confirm(at=FUTURE), "at", id="confirm-at-future"),
    pytest.param(_confirm(at=GARBAGE), "at", id="confirm-at-unparseable"),
    pytest.param(_confirm(at="-2d"), "at", id="confirm-at-before-learned"),
    pytest.param(_confirm(officer="o" * 300), "officer", id="confirm-officer-too-long"),
    # notify CASE {police,ncmec} [--at]
    pytest.param(_notify("ncic"), "report", id="notify-unknown-report"),
    pytest.param(_notify(at=FUTURE), "at", id="notify-at-future"),
    pytest.param(_notify(at=GARBAGE), "at", id="notify-at-unparseable"),
    pytest.param(_notify(at=BEFORE_RECOVERY), "at", id="notify-at-before-recovery"),
    pytest.param(
        lambda s, c: actions.record_notice(s, c.standard, "police", {}),
        "CASE",
        id="notify-before-any-recovery",
    ),
    # interview CASE --at TIME --screen {none,possible,clear} [--note]
    pytest.param(_interview(screen="maybe"), "screen", id="interview-unknown-screen"),
    pytest.param(_interview(screen=""), "screen", id="interview-screen-empty"),
    pytest.param(_interview(at=FUTURE), "at", id="interview-at-future"),
    pytest.param(_interview(at=GARBAGE), "at", id="interview-at-unparseable"),
    pytest.param(_interview(at=BEFORE_RECOVERY), "at", id="interview-at-before-recovery"),
    pytest.param(_interview(note=LONG), "note", id="interview-note-too-long"),
    pytest.param(_interview(police_told="yes"), "police_told", id="interview-told-not-a-flag"),
    pytest.param(
        lambda s, c: actions.record_interview(s, c.standard, {"at": "now", "screen": "none"}),
        "CASE",
        id="interview-before-any-recovery",
    ),
    # note CASE TEXT
    pytest.param(_note(""), "text", id="note-text-empty"),
    pytest.param(_note("  \n "), "text", id="note-text-blank"),
    pytest.param(_note(LONG), "text", id="note-text-too-long"),
    # risk CASE [--add ...] [--remove ...] [--override TIER --reason TEXT]
    pytest.param(_risk(add=["flying"]), "add", id="risk-unknown-factor-added"),
    pytest.param(_risk(remove=["flying"]), "remove", id="risk-unknown-factor-removed"),
    pytest.param(
        _risk(add=["pregnancy"], remove=["pregnancy"]), "remove", id="risk-add-and-remove"
    ),
    pytest.param(_risk(), "add", id="risk-nothing-to-do"),
    pytest.param(_risk(override="ULTRA", reason="x"), "override", id="risk-unknown-tier"),
    pytest.param(_risk(override="HIGH"), "reason", id="risk-override-without-reason"),
    pytest.param(_risk(override="HIGH", reason=""), "reason", id="risk-override-reason-empty"),
    pytest.param(_risk(override="HIGH", reason=LONG), "reason", id="risk-reason-too-long"),
    pytest.param(_risk(add=["pregnancy"], reason="why"), "reason", id="risk-reason-alone"),
    # close CASE --reason TEXT
    pytest.param(_close(""), "reason", id="close-reason-empty"),
    pytest.param(_close(LONG), "reason", id="close-reason-too-long"),
    # correct EVENT --reason TEXT [field options] [--void]
    pytest.param(_correct(reason="", where="Mall"), "reason", id="correct-reason-empty"),
    pytest.param(_correct(), "EVENT", id="correct-nothing-to-change"),
    pytest.param(_correct(how="phone"), "how", id="correct-field-of-another-type"),
    pytest.param(_correct(at=FUTURE), "at", id="correct-at-future"),
    pytest.param(_correct(at=GARBAGE), "at", id="correct-at-unparseable"),
    pytest.param(_correct(where=""), "where", id="correct-where-empty"),
    pytest.param(_correct(note=LONG), "note", id="correct-note-too-long"),
    pytest.param(
        lambda s, c: actions.correct_event(s, 99999, "typo", {"where": "Mall"}),
        "EVENT",
        id="correct-unknown-event",
    ),
    pytest.param(
        lambda s, c: actions.correct_event(s, c.police_confirmation, "x", {"ref": ""}),
        "ref",
        id="correct-ref-empty",
    ),
]


@pytest.mark.parametrize(("attempt", "field"), CASES)
def test_bad_input_names_the_field_and_writes_nothing(
    board: Board, attempt: Attempt, field: str
) -> None:
    session = board.session()
    before = board.counts()
    with pytest.raises(BadInput) as caught:
        attempt(session, board.cases)
    assert board.counts() == before, "bad input wrote something"
    assert caught.value.message
    # The field as the record or the option names it ("where" or "--where"), nothing else.
    assert caught.value.field.removeprefix("--") == field, caught.value


def test_a_void_intake_is_refused(board: Board) -> None:
    intake = board.events(board.cases.standard)[0]
    before = board.counts()
    with pytest.raises(BadInput) as caught:
        actions.correct_event(board.session(), intake.id, "oops", {}, void=True)
    assert caught.value.field == "--void"
    assert board.counts() == before


UNKNOWN = 424242
ON_AN_UNKNOWN_CASE: dict[str, Attempt] = {
    "sighting": lambda s, c: actions.log_sighting(s, UNKNOWN, {"at": "now", "where": "Park"}),
    "contact": lambda s, c: actions.log_contact(s, UNKNOWN, {"at": "now", "how": "phone"}),
    "recovery": lambda s, c: actions.record_recovery(
        s, UNKNOWN, {"at": "now", "where": "Park", "by": "Mom"}
    ),
    "confirm": lambda s, c: actions.confirm_report(s, UNKNOWN, "police", {"ref": "1"}),
    "notify": lambda s, c: actions.record_notice(s, UNKNOWN, "police", {}),
    "interview": lambda s, c: actions.record_interview(s, UNKNOWN, {"at": "now", "screen": "none"}),
    "note": lambda s, c: actions.add_note(s, UNKNOWN, "hello"),
    "risk": lambda s, c: actions.change_risk(s, UNKNOWN, add=["pregnancy"]),
    "close": lambda s, c: actions.close_case(s, UNKNOWN, "done"),
}


@pytest.mark.parametrize("name", list(ON_AN_UNKNOWN_CASE))
def test_an_unknown_case_is_named(board: Board, name: str) -> None:
    before = board.counts()
    with pytest.raises(BadInput) as caught:
        ON_AN_UNKNOWN_CASE[name](board.session(), board.cases)
    assert caught.value.field == "CASE"
    assert str(UNKNOWN) in caught.value.message
    assert board.counts() == before
