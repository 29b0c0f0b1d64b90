"""v: what other operators changed since this operator last had the board open."""

from __future__ import annotations

from collections.abc import Callable
from datetime import tzinfo
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from caseboard.domain.display import local
from caseboard.domain.model import Event
from caseboard.domain.textsafe import clean
from caseboard.tui.keys import CHANGES_KEYS

LIMIT = 500  # a long absence can mean thousands of events: list the latest

EVENT_WORDS = {
    "intake": "new case",
    "sighting": "sighting",
    "contact": "contact",
    "confirm": "report confirmed",
    "recovery": "recovered",
    "notify": "recovery notice",
    "interview": "return interview",
    "note": "note",
    "risk": "risk factors",
    "override": "tier override",
    "correction": "correction",
    "close": "closed",
    "handover_note": "handover lines",
}


def change_line(event: Event, name: str, zone: tzinfo) -> Text:
    """'Sat 22:10  case 12  Destiny D.  sighting  by jdoe' — plain Text, never markup."""
    when = local(event.occurred_at, zone, with_date=False)
    day = event.occurred_at.astimezone(zone).strftime("%a")
    what = EVENT_WORDS.get(event.type, event.type)
    return Text(
        f"{day} {when}  case {event.case_id:<5} {name[:24]:<24} {what:<16} by {clean(event.actor)}",
        no_wrap=True,
        overflow="ellipsis",
    )


class ChangesScreen(ModalScreen[int | None]):
    """The list of changes; enter moves the board's cursor to that case."""

    BINDINGS: ClassVar[list[BindingType]] = list(CHANGES_KEYS)
    DEFAULT_CSS = """
    ChangesScreen { align: center middle; }
    ChangesScreen > Vertical { width: 100%; max-width: 100; height: auto; max-height: 90%;
        border: heavy $primary; background: $surface; padding: 0 1; }
    ChangesScreen OptionList { height: auto; max-height: 18; border: none; }
    """

    def __init__(
        self, events: list[Event], name_of: Callable[[int], str], zone: tzinfo, looked: str
    ) -> None:
        super().__init__()
        self.events = events
        self.name_of = name_of
        self.zone = zone
        self.looked = looked

    def compose(self) -> ComposeResult:
        """A title line, the changes newest first, and how to leave."""
        with Vertical():
            count = len(self.events)
            title = f"Changed by others since you last looked ({self.looked}): {count} event"
            yield Static(Text(title + ("" if count == 1 else "s")), id="changes-title")
            if self.events:
                shown = self.shown()
                options = [
                    Option(change_line(event, self.name_of(event.case_id or 0), self.zone))
                    for event in shown
                ]
                yield OptionList(*options, id="changes-list")
                if len(shown) < count:
                    yield Static(Text(f"(the latest {len(shown)} are listed)"))
            else:
                yield Static(Text("Nothing changed since then."))
            yield Static(Text("enter: go to the case · esc: back to the board"))
        yield Footer()

    def shown(self) -> list[Event]:
        """The latest changes first, at most LIMIT of them."""
        return list(reversed(self.events[-LIMIT:]))

    def on_option_list_option_selected(self, message: OptionList.OptionSelected) -> None:
        """Go to the chosen case on the board."""
        self.dismiss(self.shown()[message.option_index].case_id)

    def action_close(self) -> None:
        """Back to the board."""
        self.dismiss(None)
