"""The caseboard Textual app and `run_board`, the entry point the CLI calls."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import datetime
from typing import ClassVar

from textual import events
from textual._path import CSSPathType
from textual.app import App
from textual.binding import BindingType
from textual.screen import Screen

from caseboard import services
from caseboard.clock import system_clock
from caseboard.domain.textsafe import clean
from caseboard.tui.detail import DetailScreen
from caseboard.tui.forms.base import FormScreen
from caseboard.tui.forms.correct import EventPicker
from caseboard.tui.help import HelpScreen
from caseboard.tui.keys import APP_KEYS
from caseboard.tui.live import LiveReader, operator_role
from caseboard.tui.model import BoardModel
from caseboard.tui.palette import BoardCommands
from caseboard.tui.screen import BoardScreen
from caseboard.tui.small import TooSmallScreen, too_small
from caseboard.tui.styles import css

TICK_S = 1.0
POLL_S = 0.5


class CaseboardApp(App[None]):
    """The live board of open cases, its detail, help and palette."""

    TITLE = "caseboard"
    # board.tcss is listed here too: Textual loads a screen's CSS_PATH when the screen is pushed,
    # but not for the default screen.
    CSS_PATH: ClassVar[CSSPathType | None] = css("app.tcss", "board.tcss")
    BINDINGS: ClassVar[list[BindingType]] = list(APP_KEYS)
    COMMANDS: ClassVar = {BoardCommands}

    def __init__(
        self,
        session: services.Session,
        *,
        redact: bool = False,
        clock: Callable[[], datetime] = system_clock,
    ) -> None:
        super().__init__()
        self.session = session
        self.redact = redact
        self.clock = clock
        fraction = session.policy.due_soon_fraction
        self.model = BoardModel(services.list_cases(session), fraction, redact)
        self.model.search = lambda text: services.search_case_ids(session, text, redact=redact)
        self.feed = LiveReader(session)
        self.last_poll = clock()
        self.stale = False

    def operator_text(self) -> str:
        """'alice (supervisor)' — the OS account and its caseboard role."""
        role = operator_role(self.session) or "not an active operator"
        return f"{clean(self.session.actor.username)} ({role})"

    def get_default_screen(self) -> Screen[None]:
        """The board."""
        return BoardScreen(self)

    def on_mount(self) -> None:
        """Start the tick and the poller; check the terminal size."""
        self.set_interval(TICK_S, self.tick)
        self.set_interval(POLL_S, self.poll)
        self._check_size(self.size.width, self.size.height)

    def on_resize(self, event: events.Resize) -> None:
        """Swap in the too-small message and out again as the terminal changes."""
        self._check_size(event.size.width, event.size.height)

    def _check_size(self, width: int, height: int) -> None:
        small = isinstance(self.screen, TooSmallScreen)
        if too_small(width, height) and not small:
            self.push_screen(TooSmallScreen())
        elif not too_small(width, height) and small:
            self.pop_screen()

    def _board_screen(self) -> BoardScreen | None:
        for screen in self.screen_stack:
            if isinstance(screen, BoardScreen):
                return screen
        return None

    def tick(self) -> None:
        """Every second: repaint what is visible with the new `now`."""
        if isinstance(self.screen, BoardScreen | DetailScreen):
            self.screen.tick()

    def poll(self) -> None:
        """A few times a second: apply other operators' commits to the board."""
        board = self._board_screen()
        try:
            change = self.feed.poll()
        except Exception:  # a locked or vanished database must not end the board
            if not self.stale and board is not None:
                board.set_stale(self.last_poll)
            self.stale = True
            return
        self.last_poll = self.clock()
        if self.stale and board is not None:
            board.set_stale(None)
        self.stale = False
        if change is None:
            return
        self.model.upsert(change.summaries, change.removed, self.clock())
        if board is not None:
            board.data_changed()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """q must not quit the board from inside a form (a checkbox or select has the focus)."""
        return not (action == "quit" and isinstance(self.screen, FormScreen | EventPicker))

    def action_help(self) -> None:
        """Every key."""
        self.push_screen(HelpScreen())


def run_board(
    session: services.Session,
    *,
    redact: bool = False,
    clock: Callable[[], datetime],
) -> None:
    """Run the board full screen until the operator quits."""
    # Textual sizes the screen with shutil.get_terminal_size(), which believes COLUMNS and LINES
    # when they are exported; a shell or wrapper that exports them would freeze the board at
    # that size and hide every resize. The board must follow the real terminal.
    for name in ("COLUMNS", "LINES"):
        os.environ.pop(name, None)
    CaseboardApp(session, redact=redact, clock=clock).run()
