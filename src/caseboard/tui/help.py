"""The help screen: every binding, read from the one list in keys.py."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from caseboard.tui.keys import GROUPS, HELP_KEYS, described, key_text
from caseboard.tui.styles import CSSPath, css

MARKS = (
    ("▶", "the cursor"),
    ("•", "changed a moment ago"),
    ("+", "changed by others since you last looked"),
    ("HIGH*", "tier set by a supervisor's override"),
    ("⚑", "a clear sex- or labor-trafficking concern at the return interview"),
    ("? in LAST SEEN", "an unconfirmed sighting (not yet where the child was seen)"),
)


def help_text(unavailable: Mapping[str, str] | None = None) -> Text:
    """Every group of keys with what each does; `unavailable` (action -> why) marks the case
    actions this operator may not run."""
    unavailable = unavailable or {}
    out = Text(end="")
    out.append("caseboard keys", "bold underline")
    out.append("   (esc, q or ? closes)\n")
    for title, _owner, bindings in GROUPS:
        out.append(f"\n{title}\n", "bold")
        for binding in bindings:
            why = unavailable.get(binding.action) if _owner == "case" else None
            if why is None:
                out.append(f"  {key_text(binding):<18} {described(binding)}\n")
            else:
                out.append(f"  {key_text(binding):<18} {described(binding)}", "dim")
                out.append("  (unavailable: ", "dim")
                out.append(why, "dim italic")
                out.append(")\n", "dim")
    out.append("\nMarks on the board\n", "bold")
    for mark, meaning in MARKS:
        out.append(f"  {mark:<18} {meaning}\n")
    return out


class HelpScreen(ModalScreen[None]):
    """A modal listing every key; any of esc, q or ? closes it."""

    CSS_PATH: ClassVar[CSSPath | None] = css("help.tcss")
    BINDINGS: ClassVar[list[BindingType]] = list(HELP_KEYS)

    def __init__(self, unavailable: Mapping[str, str] | None = None) -> None:
        super().__init__()
        self.unavailable = dict(unavailable or {})

    def compose(self) -> ComposeResult:
        """The list in a scrolling box."""
        with VerticalScroll(id="help-box"):
            yield Static(help_text(self.unavailable), id="help-body", markup=False)
        yield Footer()

    def action_close(self) -> None:
        """Back where the operator was."""
        self.dismiss(None)
