"""A crash is never silent, and a form never ends the board: the found cases, and the crash log."""

from __future__ import annotations

import os
from pathlib import Path
from typing import NoReturn

import pytest
from textual.widgets import Static

from caseboard import services
from caseboard.clock import Clock
from caseboard.crashlog import crash_log_path
from caseboard.services import actions
from caseboard.tui.app import CaseboardApp
from caseboard.tui.forms.base import FormScreen
from caseboard.tui.forms.fields import TimeField
from caseboard.tui.screen import BoardScreen
from support.formkit import (
    SIZE,
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
from support.keyboard import type_text

# Found by hand: each made the sighting form's live preview raise (OverflowError, ValueError).
FOUND_TIMES = ["0001-01-01", "1/1/0001 10pm", "3000000d ago", "2024-06-01T10:00+25:00"]


@pytest.fixture
def fresh_log() -> Path:
    """The crash log, emptied (the test session keeps it in a private folder)."""
    log = crash_log_path()
    log.unlink(missing_ok=True)
    return log


def hint_of(form: FormScreen, key: str) -> str:
    return str(form.field(key).query_one(".field-hint", Static).render())


def shown(form: FormScreen) -> str:
    """Every line the form shows under its fields and at the bottom."""
    lines = [form_message(form)]
    lines += [str(error.render()) for error in form.query(".field-error").results(Static)]
    return "\n".join(lines)


async def test_found_times_typed_in_the_sighting_form_leave_the_board_running(
    app: CaseboardApp, demo_session: services.Session
) -> None:
    case_id = first_case(demo_session, missing)
    before = len(events(demo_session, case_id))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        form = await open_form(pilot, app, case_id, "s")
        assert isinstance(form.field("at"), TimeField)
        for typed in FOUND_TIMES:
            fill(form, at="")
            await pilot.pause()
            await type_text(pilot, typed)
            assert app.is_running and app.crashed is None, typed
            assert form.value("at") == typed
            assert hint_of(form, "at").startswith("?"), typed  # what it cannot read, not a crash
            # Saving is refused with a message; the form keeps what was typed.
            fill(form, where="Bus depot")
            await submit(pilot)
            assert app.is_running and app.crashed is None, typed
            assert app.screen is form and form.value("at") == typed, typed
            assert shown(form).strip(), typed
        assert len(events(demo_session, case_id)) == before


async def test_age_superscript_two_in_the_intake_form_is_refused_not_fatal(
    app: CaseboardApp, demo_session: services.Session
) -> None:
    cases_before = len(services.list_cases(demo_session))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        form = top_form(app)
        fill(
            form,
            name="Test Child",
            last_seen_at="1h ago",
            last_seen_where="Example Park",
            placement_type="foster_home",
            agency="Fictional County DCFS",
        )
        form.field("age").control.focus()
        await pilot.press("²")
        await pilot.press("enter")
        await pilot.pause()
        assert app.is_running and app.crashed is None
        assert app.screen is form and form.value("age") == "²"
        assert shown(form).strip()
    assert len(services.list_cases(demo_session)) == cases_before


def explode(*args: object, **_kwargs: object) -> NoReturn:
    # The message quotes part of what was typed; the whole text is only in local variables.
    raise RuntimeError(f"boom while saving {str(args[-1])[-15:]}")


@pytest.mark.parametrize("redact", [False, True])
async def test_an_unexpected_error_on_save_keeps_the_form_and_goes_to_the_crash_log(
    demo_session: services.Session,
    frozen: Clock,
    fresh_log: Path,
    monkeypatch: pytest.MonkeyPatch,
    redact: bool,
) -> None:
    monkeypatch.setattr(actions, "add_note", explode)
    app = CaseboardApp(demo_session, redact=redact, clock=frozen)
    case_id = first_case(demo_session, missing)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        form = await open_form(pilot, app, case_id, "a")
        fill(form, text="Seen near Secret Place 42")
        await submit(pilot)
        assert app.is_running and app.crashed is None
        assert app.screen is form and form.value("text") == "Seen near Secret Place 42"
        message = form_message(form)
        assert "Not saved: an internal error (RuntimeError)" in message
        assert str(fresh_log) in message and "Secret" not in message  # typed text: in the log
        assert any(sev == "error" and "internal error" in msg for sev, msg in notes(app))
    logged = fresh_log.read_text("utf-8")
    assert "RuntimeError" in logged and "explode" in logged  # the type and the frames
    assert ("Secret Place 42" in logged) is not redact  # the message only without --redact
    assert "Seen near" not in logged  # never local variables (what was typed)
    assert os.stat(fresh_log).st_mode & 0o077 == 0  # not for other accounts


@pytest.mark.parametrize("redact", [False, True])
async def test_an_unhandled_error_is_written_to_the_crash_log_without_locals(
    demo_session: services.Session,
    frozen: Clock,
    fresh_log: Path,
    monkeypatch: pytest.MonkeyPatch,
    redact: bool,
) -> None:
    def crash_on_help(app: CaseboardApp) -> None:
        packet = services.show_case(app.session, first_case(demo_session, missing))
        raise RuntimeError(f"help failed for {packet.summary.child.name}")

    monkeypatch.setattr(CaseboardApp, "action_help", crash_on_help)
    app = CaseboardApp(demo_session, redact=redact, clock=frozen)
    name = services.show_case(demo_session, first_case(demo_session, missing)).summary.child.name
    with pytest.raises(RuntimeError):  # run_test re-raises what ended the app
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await pilot.press("question_mark")
            await pilot.pause()
    assert isinstance(app.crashed, RuntimeError)
    assert app.return_code and app.crash_log == fresh_log
    logged = fresh_log.read_text("utf-8")
    assert "RuntimeError" in logged and "crash_on_help" in logged
    assert (name in logged) is not redact
    assert "CaseDetail(" not in logged and "summary=" not in logged  # no local variables


async def test_a_save_that_cannot_be_shown_stays_saved_and_the_board_stays_up(
    app: CaseboardApp,
    demo_session: services.Session,
    fresh_log: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def cannot_show(*_args: object) -> None:
        raise RuntimeError("cannot show the saved case")

    monkeypatch.setattr(BoardScreen, "after_save", cannot_show)
    case_id = first_case(demo_session, missing)
    before = len(events(demo_session, case_id))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        form = await open_form(pilot, app, case_id, "a")
        fill(form, text="called the placement")
        await submit(pilot)
        assert app.is_running and app.crashed is None
        assert isinstance(app.screen, BoardScreen)
        said = notes(app)
        assert any(s == "error" and "Saved, but not shown" in m for s, m in said), said
    assert len(events(demo_session, case_id)) == before + 1
    assert "cannot show the saved case" in fresh_log.read_text("utf-8")
