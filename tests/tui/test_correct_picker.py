"""The correction picker lists events as the timeline reads them: corrected values in place,
a struck event marked (and not offered again), and the form names the event in words."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from textual.widgets import OptionList, Static

from caseboard import services
from caseboard.clock import frozen_clock
from caseboard.tui.app import CaseboardApp
from caseboard.tui.forms.correct import EventPicker
from support import casefile
from support.formkit import SIZE, board_screen, top_form


async def test_the_picker_shows_corrected_values_and_marks_a_struck_event(
    make_session: Callable[..., services.Session], now: datetime
) -> None:
    services.add_operator(make_session(), "casefile", "supervisor", "Casefile Operator")
    session = make_session("casefile")
    made = casefile.build(session)
    app = CaseboardApp(session, clock=frozen_clock(now))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        board_screen(app).board.reload(keep=made.missing)
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, EventPicker)
        options = app.screen.query_one(OptionList)
        shown = {
            int(option.id or 0): option
            for option in (options.get_option_at_index(i) for i in range(options.option_count))
        }
        # The sighting as corrected (moved to 19:30, now confirmed), marked as corrected.
        sighting = str(shown[made.corrected_sighting].prompt)
        assert "19:30 CST  Sighting (confirmed) at Oak Street" in sighting
        assert "(corrected)" in sighting
        assert "unconfirmed" not in sighting
        # The struck note is listed where it stood, marked, and cannot be picked again.
        struck = shown[made.struck_note]
        assert "[struck out] Note: wrong case" in str(struck.prompt)
        assert struck.disabled
        assert not shown[made.corrected_sighting].disabled
        # The highlight starts on an event that can be corrected, and the form says what it is.
        highlighted = options.get_option_at_index(options.highlighted or 0)
        assert not highlighted.disabled
        options.highlighted = list(shown).index(made.corrected_sighting)
        await pilot.press("enter")
        await pilot.pause()
        form = top_form(app)
        note = str(form.query_one(".form-note", Static).render())
        assert "Sighting (confirmed) at Oak Street" in note
        assert ", sighting," not in note
