"""--redact on the board is an allowlist: with every typed field and event field holding a marker,
the board, the detail screen, the handover screen, a conflict in a form (message line and
toast) and the `/` filter show or match none of them."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from textual.widgets import Select, Static

from caseboard import services
from caseboard.clock import Clock
from caseboard.services import actions
from caseboard.tui.app import CaseboardApp
from caseboard.tui.board import BoardView
from caseboard.tui.detail import DetailScreen
from caseboard.tui.forms.fields import Field
from caseboard.tui.handover import HandoverScreen
from caseboard.tui.longtext import LongText
from support.formkit import SIZE, board_screen, discard, fill, form_message, notes, open_form
from support.keyboard import type_text
from support.reading import settled

MARKER = re.compile(r"MARKER\w*")
PACKET = {
    "aliases": "MARKER01, MARKER02", "sex": "MARKER03", "race": "MARKER04",
    "height": "MARKER05", "weight": "MARKER06", "hair": "MARKER07", "eyes": "MARKER08",
    "marks": "MARKER09", "clothing": "MARKER10", "county": "MARKER11",
    "caseworker": "MARKER12", "caseworker_phone": "MARKER13", "supervisor": "MARKER14",
    "last_seen_by": "MARKER15", "circumstances": "MARKER16", "companions": "MARKER17",
    "vehicle": "MARKER18", "phones_social": "MARKER19", "destinations": "MARKER20",
}  # fmt: skip


def _record(name: str, place: str) -> dict[str, object]:
    return {
        "name": name,
        "age": 15,
        "learned_at": "-50m",
        "last_seen_at": "-2h",
        "last_seen_where": place,
        "placement_type": "group_home",
        "agency": "Fictional County DCFS",
        **PACKET,
    }


@pytest.fixture
def marked(make_session: Callable[..., services.Session]) -> tuple[services.Session, int, int]:
    """A recovered case and an open one, every typed value a marker."""
    session = make_session()
    found, missing = services.import_records(
        session, [_record("Zelda MARKERNAME", "MARKER21"), _record("Yves MARKERTWO", "MARKER22")]
    )
    raw = {"at": "90m ago", "where": "MARKER23", "source": "MARKER24", "confirmed": True}
    sighting = actions.log_sighting(session, found, {**raw, "note": "MARKER25"})
    actions.log_contact(session, found, {"at": "80m ago", "how": "MARKER26", "note": "MARKER27"})
    actions.confirm_report(
        session, found, "police", {"ref": "MARKER45", "agency": "City PD", "officer": "MARKER28"}
    )
    actions.change_risk(session, found, add=["substance_use"], override="CRITICAL",
                        reason="MARKER29")  # fmt: skip
    actions.set_handover_note(session, found, summary="MARKER30", contingency="MARKER31")
    actions.add_note(session, found, "MARKER32")
    actions.correct_event(session, sighting.event_id, "MARKER33", {"note": "MARKER34"})
    actions.record_recovery(
        session, found,
        {"at": "10m ago", "where": "MARKER35", "by": "MARKER36", "condition": "MARKER37",
         "placed": "MARKER38", "note": "MARKER39"},
    )  # fmt: skip
    actions.record_interview(session, found, {"at": "5m ago", "screen": "possible",
                                               "note": "MARKER40"})  # fmt: skip
    actions.set_handover_note(session, missing, summary="MARKER42", contingency="MARKER43")
    actions.change_risk(session, missing, override="HIGH", reason="MARKER44")
    return session, found, missing


def _leaks(text: str) -> list[str]:
    return sorted(set(MARKER.findall(text)))


async def test_board_detail_handover_and_conflict_show_no_marker(
    marked: tuple[services.Session, int, int], frozen: Clock
) -> None:
    session, found, missing = marked
    app = CaseboardApp(session, clock=frozen, redact=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        board = app.screen.query_one(BoardView)
        text = "\n".join(board.render_line(y).text for y in range(board.size.height))
        assert _leaks(text) == [], text
        assert "Z.M." in text and "Y.M." in text
        for case_id in (found, missing):
            board.reload(keep=case_id)
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, DetailScreen)
            detail = str(app.screen.query_one("#detail-body", Static).render())
            assert _leaks(detail) == [], detail
            assert "override" in detail  # the override line is there, its reason hidden
            await pilot.press("escape")
            await pilot.pause()
        app.push_screen(HandoverScreen(session, redact=True))
        await settled(pilot)
        report = "\n".join(app.screen.query_one("#handover-body", LongText).shown)
        assert _leaks(report) == [], report
        assert "Z.M." in report
        app.pop_screen()
        await pilot.pause()
        # A second recovery of the recovered case: the conflict quotes where the child was found.
        form = await open_form(pilot, app, found, "r")
        fill(form, at="now", where="elsewhere", by="someone")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "already recovered" in form_message(form)
        assert _leaks(form_message(form)) == []
        said = " ".join(message for _severity, message in notes(app))
        assert "already recovered" in said and _leaks(said) == [], said
        await discard(pilot, app)
        # The confirm form names done reports without their (typed) numbers.
        form = await open_form(pilot, app, found, "c")
        labels = " ".join(str(label) for label, _value in form.query_one(Select)._options)
        assert "Police report" in labels and _leaks(labels) == [], labels
        await pilot.press("escape")
        await pilot.pause()
        # The m form does not pre-fill the handover lines under --redact.
        form = await open_form(pilot, app, missing, "m")
        values = [
            str(getattr(field.control, "value", "")) for field in form.query("Field").results(Field)
        ]
        assert _leaks(" ".join(values)) == [], values
        assert app.is_running


@pytest.mark.parametrize(
    ("typed", "hidden"), [("MARKER01", True), ("MARKER22", True), ("Fictional", False)]
)
async def test_filter_matches_only_shown_fields(
    marked: tuple[services.Session, int, int], frozen: Clock, typed: str, hidden: bool
) -> None:
    session, _found, missing = marked
    for redact in (True, False):
        app = CaseboardApp(session, clock=frozen, redact=redact)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await pilot.press("/")
            await type_text(pilot, typed)
            await pilot.pause()
            visible = [row.case_id for row in board_screen(app).board.model.visible]
            if redact and hidden:
                assert missing not in visible, typed  # a hidden alias or place never matches
            else:
                assert missing in visible, (typed, redact)
