"""Forms behave alike: enter saves from any field (a checklist too), space ticks, and esc asks
before it throws away what was typed."""

from __future__ import annotations

from caseboard import services
from caseboard.tui.app import CaseboardApp
from caseboard.tui.forms.base import FormScreen
from caseboard.tui.forms.discard import DiscardQuestion
from caseboard.tui.forms.intake import IntakeForm
from caseboard.tui.screen import BoardScreen
from support.formkit import SIZE, error_of, events, first_case, form_message, missing, open_form
from support.keyboard import type_text


async def test_enter_in_the_risk_checklist_saves_and_space_ticks(
    app: CaseboardApp, demo_session: services.Session
) -> None:
    case_id = first_case(
        demo_session, lambda s: missing(s) and "abduction" not in s.state.risk_factors
    )
    count = len(events(demo_session, case_id))
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot, app, case_id, "f")
        ticked_before = set(form.value("factors"))
        form.field("factors").control.focus()
        await pilot.press("home", "space")  # the first factor in the list
        await pilot.pause()
        changed = set(form.value("factors")) ^ ticked_before
        assert len(changed) == 1
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, BoardScreen), "enter in the checklist saves the form"
        logged = events(demo_session, case_id)
        assert len(logged) == count + 1 and logged[-1].type == "risk"


async def test_esc_closes_an_untouched_form_at_once(
    app: CaseboardApp, demo_session: services.Session
) -> None:
    case_id = first_case(demo_session, missing)
    async with app.run_test(size=SIZE) as pilot:
        await open_form(pilot, app, case_id, "a")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, BoardScreen)


async def test_esc_asks_before_discarding_what_was_typed(
    app: CaseboardApp, demo_session: services.Session
) -> None:
    case_id = first_case(demo_session, missing)
    count = len(events(demo_session, case_id))
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot, app, case_id, "a")
        await type_text(pilot, "aunt called")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DiscardQuestion)
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is form
        assert form.value("text") == "aunt called"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, BoardScreen)
        assert not isinstance(app.screen, FormScreen)
        assert len(events(demo_session, case_id)) == count


# --- a refused save lists every empty required field at once -------------------------------


async def test_an_empty_save_names_every_required_field_and_writes_nothing(
    app: CaseboardApp, demo_session: services.Session
) -> None:
    case_id = first_case(demo_session, missing)
    count = len(events(demo_session, case_id))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        form = await open_form(pilot, app, case_id, "r")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        for key in ("at", "where", "by"):
            assert error_of(form, key) == "✗ is required", key
        for key in ("condition", "placed", "note"):
            assert error_of(form, key) == "", key
        assert "Found where" in form_message(form) and "Recovered by" in form_message(form)
        assert form.focused is form.field("at").control
        assert len(events(demo_session, case_id)) == count


async def test_intake_names_each_empty_field_and_date_of_birth_or_age(
    app: CaseboardApp, demo_session: services.Session
) -> None:
    cases = len(services.list_cases(demo_session))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, IntakeForm)
        form.field("name").control.value = "Test Child"  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert error_of(form, "name") == ""
        assert error_of(form, "learned_at") == ""  # prefilled "now"
        assert error_of(form, "dob") == "✗ is required (or age)"
        for key in ("last_seen_at", "last_seen_where", "placement_type", "agency"):
            assert error_of(form, key) == "✗ is required", key
    assert len(services.list_cases(demo_session)) == cases
