"""Pilot tests of the report and follow-up forms: confirm, notices, interview; and role refusals."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.widgets import Static

from caseboard import services
from caseboard.domain.board import CaseSummary
from caseboard.tui.app import CaseboardApp
from caseboard.tui.screen import BoardScreen
from support.formkit import (
    SIZE,
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

# --- confirm a report ----------------------------------------------------------------------


async def test_confirm_ncic_with_an_odd_number_is_saved_with_a_warning(
    app: CaseboardApp, demo_session: services.Session
) -> None:
    case_id = first_case(
        demo_session,
        lambda s: (
            missing(s) and "police" in s.state.confirmations and "ncic" not in s.state.confirmations
        ),
    )
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        form = await open_form(pilot, app, case_id, "c")
        assert form.value("report") in ("ncmec", "ncic")
        fill(form, report="ncic", ref="12345")
        await submit(pilot)
        assert isinstance(app.screen, BoardScreen)
        event = events(demo_session, case_id)[-1]
        assert event.type == "confirm" and dict(event.data) == {"report": "ncic", "ref": "12345"}
        done = summary(demo_session, case_id).state.confirmations["ncic"]
        assert done.get("ref") == "12345"
        assert any(sev == "warning" and "NIC number '12345'" in msg for sev, msg in notes(app))
        assert "✓ 12345" in row_text(app, case_id)
        assert still_selected(app, case_id)


async def test_confirm_ncic_warns_under_the_reference_as_it_is_typed(
    app: CaseboardApp, demo_session: services.Session
) -> None:
    case_id = first_case(
        demo_session,
        lambda s: (
            missing(s) and "police" in s.state.confirmations and "ncic" not in s.state.confirmations
        ),
    )
    count = len(events(demo_session, case_id))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        form = await open_form(pilot, app, case_id, "c")

        def hint() -> str:
            return str(form.field("ref").query_one(".field-hint", Static).render())

        fill(form, report="ncic")
        await pilot.pause()
        assert hint() == "the NIC number: a letter M and nine digits"
        form.field("ref").control.focus()
        await type_text(pilot, "M12")
        await pilot.pause()
        assert "does not look like a NIC number (a letter M and nine digits)" in hint()
        await type_text(pilot, "3456789")
        await pilot.pause()
        assert "does not look like" not in hint()  # M and nine digits
        await pilot.press("0")
        await pilot.pause()
        assert "does not look like" in hint()
        fill(form, report="police")  # a police report number has no fixed shape
        await pilot.pause()
        assert hint() == "the police report number"
        assert len(events(demo_session, case_id)) == count  # nothing saved while typing


async def test_confirm_police_with_agency_and_officer(
    app: CaseboardApp, demo_session: services.Session
) -> None:
    case_id = first_case(demo_session, lambda s: not s.state.confirmations and missing(s))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        form = await open_form(pilot, app, case_id, "c")
        assert form.value("report") == "police"
        fill(form, ref="", agency="Fictional PD", officer="Ofc. Sample", at="5m ago")
        await submit(pilot)
        assert error_of(form, "ref") == "✗ is required"
        fill(form, ref="R" * 61)
        await submit(pilot)
        assert "limit is 60" in error_of(form, "ref")
        fill(form, ref="26-777001", at="+3h")
        await submit(pilot)
        assert "in the future" in error_of(form, "at")
        assert not summary(demo_session, case_id).state.confirmations
        fill(form, at="5m ago")
        await submit(pilot)
        stamp = summary(demo_session, case_id).state.confirmations["police"]
        assert stamp.get("ref") == "26-777001" and stamp.get("officer") == "Ofc. Sample"
        assert "✓ 26-777001" in row_text(app, case_id)


# --- recovery follow-ups --------------------------------------------------------------------


def recovered_without(what: str) -> Callable[[CaseSummary], bool]:
    def test(s: CaseSummary) -> bool:
        state = s.state
        if state.status != "recovered":
            return False
        return state.interview is None if what == "interview" else not state.notices

    return test


async def test_notices_record_police_and_ncmec(
    app: CaseboardApp, demo_session: services.Session
) -> None:
    case_id = first_case(demo_session, recovered_without("notices"))
    count = len(events(demo_session, case_id))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        form = await open_form(pilot, app, case_id, "u")
        await submit(pilot)
        assert "tick who was told" in error_of(form, "police")
        assert len(events(demo_session, case_id)) == count
        fill(form, police=True, ncmec=True, at="+3h")
        await submit(pilot)
        assert "in the future" in error_of(form, "at")
        assert len(events(demo_session, case_id)) == count
        fill(form, at="10m ago")
        await submit(pilot)
        assert isinstance(app.screen, BoardScreen)
        stored = events(demo_session, case_id)[count:]
        assert [(e.type, e.data["report"]) for e in stored] == [
            ("notify", "police"),
            ("notify", "ncmec"),
        ]
        clock = summary(demo_session, case_id).clocks["recovery_notice"]
        assert clock.state == "done"
        assert still_selected(app, case_id)


async def test_interview_with_clear_concern_asks_about_police_then_warns(
    app: CaseboardApp, demo_session: services.Session
) -> None:
    case_id = first_case(demo_session, recovered_without("interview"))
    count = len(events(demo_session, case_id))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        form = await open_form(pilot, app, case_id, "i")
        fill(form, at="", screen="clear")
        await pilot.pause()
        warning = form.query_one("#clear-warning", Static)
        assert warning.display and "police must be told" in str(warning.render())
        await submit(pilot)  # an empty required time is named before anything is asked
        assert "is required" in error_of(form, "at")
        fill(form, at="15m ago")
        await submit(pilot)
        assert "police not marked as told" in error_of(form, "police_told")
        fill(form, note="n" * 2001)
        await submit(pilot)  # considered: now the service checks the rest
        assert "limit is 2000" in error_of(form, "note")
        fill(form, note="disclosed an older 'boyfriend'")
        await submit(pilot)
        assert isinstance(app.screen, BoardScreen)
        event = events(demo_session, case_id)[-1]
        assert event.type == "interview"
        assert event.data["screen"] == "clear" and event.data["police_told"] is False
        assert count + 1 == len(events(demo_session, case_id))
        assert any(sev == "warning" and "police must be told" in msg for sev, msg in notes(app))
        assert summary(demo_session, case_id).clocks["return_interview"].state == "done"


async def test_interview_with_police_told_has_no_warning(
    app: CaseboardApp, demo_session: services.Session
) -> None:
    case_id = first_case(demo_session, recovered_without("interview"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        form = await open_form(pilot, app, case_id, "i")
        fill(form, at="15m ago", screen="clear", police_told=True)
        await submit(pilot)
        assert isinstance(app.screen, BoardScreen)
        assert events(demo_session, case_id)[-1].data["police_told"] is True
        assert not [msg for sev, msg in notes(app) if sev == "warning"]


# --- roles --------------------------------------------------------------------------------


async def test_a_liaison_is_refused_an_ncmec_confirmation_by_the_service(
    demo_session: services.Session,
    make_session: Callable[..., services.Session],
    frozen: Callable[[], Any],
) -> None:
    # Confirming is open to liaisons (police, NCIC); NCMEC is refused on save, by the service.
    services.add_operator(demo_session, "liaison-lee", "liaison", None)
    app = CaseboardApp(make_session("liaison-lee"), clock=frozen)
    case_id = first_case(
        demo_session, lambda s: missing(s) and "ncmec" not in s.state.confirmations
    )
    count = len(events(demo_session, case_id))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        form = await open_form(pilot, app, case_id, "c")
        fill(form, report="ncmec", ref="1234567")
        await submit(pilot)
        assert app.screen is form
        assert "liaison" in form_message(form)
        assert len(events(demo_session, case_id)) == count
