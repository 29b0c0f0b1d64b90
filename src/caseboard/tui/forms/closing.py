"""A note on the timeline, and closing a case (warning when clocks are still open)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from rich.text import Text
from textual.widget import Widget
from textual.widgets import Static

from caseboard.domain.display import CLOCK_TITLES
from caseboard.domain.errors import BadInput
from caseboard.services import actions
from caseboard.tui.forms.base import FormScreen, Saved, saved
from caseboard.tui.forms.fields import Field, FormCheckbox, text_input


class NoteForm(FormScreen):
    """a: a free-text note."""

    REQUIRED: ClassVar[tuple[str, ...]] = ("text",)
    FORM_TITLE: ClassVar[str] = "Note"

    def fields(self) -> Iterable[Widget]:
        """The text."""
        yield Field("text", "Note *", text_input())

    def save(self) -> Saved:
        """actions.add_note."""
        record = actions.add_note(self.session, self.case_id, self.value("text"))
        return saved("note added", [record])


class CloseForm(FormScreen):
    """x: close with a reason; open clocks are listed and must be acknowledged."""

    REQUIRED: ClassVar[tuple[str, ...]] = ("reason",)
    FORM_TITLE: ClassVar[str] = "Close the case"
    ALIASES: ClassVar[dict[str, str]] = {"CASE": "reason"}

    def open_clock_titles(self) -> list[str]:
        """The report and follow-up clocks still running now."""
        assert self.detail is not None
        state = self.detail.summary.state
        running = actions.open_clocks(self.session, state, self.session.now())
        return [
            f"{CLOCK_TITLES[name]} still {clock.state.replace('_', ' ')}"
            for name, clock in running.items()
        ]

    def fields(self) -> Iterable[Widget]:
        """The warning (if any), the reason, and the acknowledgement."""
        running = self.open_clock_titles()
        if running:
            warning = "Clocks still open:\n" + "\n".join(f"  • {line}" for line in running)
            yield Static(Text(warning), id="close-warning")
        yield Field("reason", "Reason *", text_input())
        if running:
            yield Field("anyway", "", FormCheckbox("Close anyway, with these clocks open"))

    def save(self) -> Saved:
        """actions.close_case; its warnings are shown after saving too."""
        acknowledged = not self.query("#field-anyway") or self.value("anyway")
        if self.open_clock_titles() and not acknowledged:
            raise BadInput("anyway", "clocks are still open: tick this to close anyway")
        record = actions.close_case(self.session, self.case_id, self.value("reason"))
        return saved("closed", [record])
