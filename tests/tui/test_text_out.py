"""One way out for text on the board: pre-filled inputs (m, e), a conflict's message line and
toast, and alerts show stored escape sequences inert (visible as ␛, never raw)."""

from __future__ import annotations

import re

from textual.widgets import Input

from caseboard import services
from caseboard.services import actions
from caseboard.tui.app import CaseboardApp
from caseboard.tui.forms.correct import EventPicker
from support.formkit import (
    SIZE,
    board_screen,
    events,
    fill,
    first_case,
    form_message,
    missing,
    notes,
    open_form,
    submit,
    top_form,
)

HOSTILE = "\x1b]2;PWNED\x07\x1b[2JBus\x85depot\u202e"
RAW = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200b-\u200f]")


def _inputs(app: CaseboardApp) -> list[str]:
    return [widget.value for widget in app.screen.query(Input)]


async def test_handover_lines_prefill_inert_and_untouched_lines_are_not_saved(
    app: CaseboardApp, demo_session: services.Session
) -> None:
    case_id = first_case(demo_session, missing)
    actions.set_handover_note(demo_session, case_id, summary=HOSTILE, contingency="call 555")
    before = len(events(demo_session, case_id))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        form = await open_form(pilot, app, case_id, "m")
        values = _inputs(app)
        # (handover lines are stored with whitespace, NEL included, collapsed to one space)
        assert "␛]2;PWNED␇␛[2JBus depot<U+202E>" in values, values
        assert not any(RAW.search(value) for value in values), values
        await submit(pilot)  # nothing typed: nothing changed, nothing written
        assert "nothing changed" in str(form.field("summary").query_one(".field-error").render())
        assert len(events(demo_session, case_id)) == before
        assert app.is_running


async def test_correction_form_prefills_inert_text(
    app: CaseboardApp, demo_session: services.Session
) -> None:
    case_id = first_case(demo_session, missing)
    actions.log_sighting(demo_session, case_id, {"at": "2h ago", "where": HOSTILE})
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        board_screen(app).board.reload(keep=case_id)
        await pilot.press("enter", "e")
        await pilot.pause()
        assert isinstance(app.screen, EventPicker)
        await pilot.press("enter")
        await pilot.pause()
        form = top_form(app)
        assert form.value("where") == "␛]2;PWNED␇␛[2JBus<U+0085>depot<U+202E>"
        assert not any(RAW.search(value) for value in _inputs(app))
        # Only the note changes: the untouched place is not sent back in its shown form.
        fill(form, note="seen again", why="added the note")
        await submit(pilot)
        correction = events(demo_session, case_id)[-1]
        assert correction.type == "correction"
        assert correction.data["changes"] == {"note": "seen again"}


async def test_conflict_in_a_form_quotes_the_stored_place_inertly(
    app: CaseboardApp, demo_session: services.Session
) -> None:
    case_id = first_case(demo_session, missing)
    actions.record_recovery(demo_session, case_id, {"at": "1h ago", "where": HOSTILE, "by": "PD"})
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        form = await open_form(pilot, app, case_id, "r")
        fill(form, at="now", where="elsewhere", by="someone")
        await pilot.press("ctrl+s")
        await pilot.pause()
        message = form_message(form)
        assert "already recovered" in message and "␛]2;PWNED␇" in message
        assert not RAW.search(message)
        toasts = [text for _severity, text in notes(app)]
        assert any("already recovered" in text for text in toasts)
        assert not any(RAW.search(text) for text in toasts), toasts
        assert app.is_running
