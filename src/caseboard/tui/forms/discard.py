"""The question esc asks on a form that holds typed text: discard it, or back to the form."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from caseboard.tui.keys import DISCARD_KEYS
from caseboard.tui.styles import CSSPath, css


class DiscardQuestion(ModalScreen[bool]):
    """y discards (True); n or esc goes back to the form with everything still typed."""

    CSS_PATH: ClassVar[CSSPath | None] = css("forms.tcss")
    BINDINGS: ClassVar[list[BindingType]] = list(DISCARD_KEYS)

    def compose(self) -> ComposeResult:
        """One question and its keys."""
        with Vertical(id="discard-box"):
            yield Static(Text("Discard what you typed in this form?"), id="discard-question")
            yield Static(Text("y discard · n or esc back to the form"), id="discard-keys")
        yield Footer()

    def action_discard(self) -> None:
        """Yes: close the form without saving."""
        self.dismiss(True)

    def action_keep(self) -> None:
        """No: back to the form."""
        self.dismiss(False)
