"""Pilot tests of the news and report forms: sighting, contact, recovery, confirm, follow-ups."""

from __future__ import annotations

from collections.abc import Callable

from textual.widgets import Footer, Static

from caseboard import services
from caseboard.services import actions
from caseboard.tui.app import CaseboardApp
from caseboard.tui.screen import BoardScreen
from support.formkit import (
    SIZE,
    board_screen,
    discard,
    error_of,
    events,
    fill,
    first_case,
    form_message,
    missing,
    notes,
    open_form,
    row_text,
    still_selected,
    submit,
    summary,
)
from support.keyboard import type_text

# --- sighting, contact, recovery -----------------------------------------------------------


async def test_sighting_typed_with_the_keyboard_is_stored_and_shown(
    app: CaseboardApp, demo_session: services.Session
) -> None:
    case_id = first_case(demo_session, missing)
    before = len(events(demo_session, case_id))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        form = await open_form(pilot, app, case_id, "s")
        await type_text(pilot, "20m ago")
        hint = str(form.field("at").query_one(".field-hint", Static).render())
        assert "2026-11-27 21:40 CST" in hint and "20m ago" in hint
        await pilot.press("tab")
        await type_text(pilot, "Bus depot on 5th")
        await pilot.press("tab")
        await type_text(pilot, "driver")
        await pilot.press("tab", "space", "enter")
        await pilot.pause()
        assert isinstance(app.screen, BoardScreen)
        stored = events(demo_session, case_id)
        assert len(stored) == before + 1
        event = stored[-1]
        assert event.type == "sighting"
        assert dict(event.data) == {
            "where": "Bus depot on 5th",
            "source": "driver",
            "confirmed": True,
            "police_told": False,
        }
        state = summary(demo_session, case_id).state
        assert state.sighting is not None and state.sighting.get("where") == "Bus depot on 5th"
        row = row_text(app, case_id)
        assert "20m ago · Bu" in row
        assert "due 3h40m" in row  # a confirmed sighting restarted the 4h no-news clock
        assert still_selected(app, case_id)
        assert ("information", f"Case {case_id}: sighting logged.") in notes(app)


async def test_an_open_form_has_its_own_footer_not_the_boards(
    app: CaseboardApp, demo_session: services.Session
) -> None:
    case_id = first_case(demo_session, missing)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        form = await open_form(pilot, app, case_id, "s")
        await pilot.pause()
        assert form.query_one(Footer).display  # the form's own, over the board's
        keys = [bound.binding.description for bound in form.active_bindings.values()]
        assert "Cancel" in keys
        assert not {"Open case", "Filter", "Longest missing first"} & set(keys), keys


async def test_sighting_bad_input_keeps_the_form_and_writes_nothing(
    app: CaseboardApp, demo_session: services.Session
) -> None:
    case_id = first_case(demo_session, missing)
    before = len(events(demo_session, case_id))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        form = await open_form(pilot, app, case_id, "s")
        fill(form, at="20m ago", where="")
        await submit(pilot)
        assert error_of(form, "where") == "✗ is required"
        fill(form, at="+3h", where="Library")
        await pilot.pause()
        assert "in the future" in str(form.field("at").query_one(".field-hint", Static).render())
        await submit(pilot)
        assert "3h in the future" in error_of(form, "at")
        assert error_of(form, "where") == ""
        fill(form, at="now", note="x" * 2001)
        await submit(pilot)
        assert error_of(form, "note") == "✗ is 2001 characters long; the limit is 2000"
        assert app.screen is form
        assert form.value("where") == "Library" and form.value("note") == "x" * 2001
        assert len(events(demo_session, case_id)) == before


async def test_contact_is_stored_and_restarts_no_news(
    app: CaseboardApp, demo_session: services.Session
) -> None:
    case_id = first_case(demo_session, missing)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        form = await open_form(pilot, app, case_id, "t")
        fill(form, at="10m ago", how="social media", note="replied to a DM")
        await submit(pilot)
        event = events(demo_session, case_id)[-1]
        assert event.type == "contact"
        assert dict(event.data) == {"how": "social media", "note": "replied to a DM"}
        state = summary(demo_session, case_id).state
        assert state.last_contact_at == event.occurred_at
        assert app.model.get(case_id) is not None
        assert app.model.get(case_id).summary.state.last_contact_at == event.occurred_at  # type: ignore[union-attr]
        assert still_selected(app, case_id)


async def test_recovery_moves_the_case_to_recovered_and_the_cursor_follows(
    app: CaseboardApp, demo_session: services.Session
) -> None:
    case_id = first_case(demo_session, missing)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        form = await open_form(pilot, app, case_id, "r")
        fill(form, at="30m ago", where="Greyhound station", by="Officer Example")
        fill(form, condition="tired, unhurt", placed="emergency shelter")
        await submit(pilot)
        assert isinstance(app.screen, BoardScreen)
        event = events(demo_session, case_id)[-1]
        assert event.type == "recovery"
        assert event.data["where"] == "Greyhound station" and event.data["by"] == "Officer Example"
        assert summary(demo_session, case_id).state.status == "recovered"
        lines = board_screen(app).board.model.lines
        line = board_screen(app).board.model.line_of(case_id)
        assert line is not None
        section = next(text for text in reversed(lines[:line]) if isinstance(text, str))
        assert section.startswith("RECOVERED")
        assert still_selected(app, case_id)


async def test_recovery_already_recorded_by_someone_else_is_a_conflict(
    app: CaseboardApp, demo_session: services.Session, make_session: Callable[..., services.Session]
) -> None:
    case_id = first_case(demo_session, missing)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        form = await open_form(pilot, app, case_id, "r")
        fill(form, at="30m ago", where="Greyhound station", by="Officer Example")
        actions.record_recovery(
            make_session(), case_id, {"at": "1h ago", "where": "Mall", "by": "Deputy Other"}
        )
        count = len(events(demo_session, case_id))
        await submit(pilot)
        assert app.screen is form
        assert "already recovered" in form_message(form)
        assert any(sev == "error" and "already recovered" in msg for sev, msg in notes(app))
        assert len(events(demo_session, case_id)) == count
        assert events(demo_session, case_id)[-1].data["by"] == "Deputy Other"
        await discard(pilot, app)
        assert isinstance(app.screen, BoardScreen)


async def test_recovery_bad_input(app: CaseboardApp, demo_session: services.Session) -> None:
    case_id = first_case(demo_session, missing)
    count = len(events(demo_session, case_id))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        form = await open_form(pilot, app, case_id, "r")
        fill(form, at="30m ago", where="Station", by="")
        await submit(pilot)
        assert error_of(form, "by") == "✗ is required"
        fill(form, by="Officer", placed="p" * 201)
        await submit(pilot)
        assert "limit is 200" in error_of(form, "placed")
        assert len(events(demo_session, case_id)) == count
