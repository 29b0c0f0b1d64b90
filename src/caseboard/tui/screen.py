"""The board screen: header, view bar, the board itself, the filter box and the footer."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual._path import CSSPathType
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.widgets import Footer, Input

from caseboard.board.model import VIEWS
from caseboard.domain.errors import CaseboardError
from caseboard.services import access
from caseboard.tui.board import BoardView
from caseboard.tui.case_actions import CaseActionsScreen
from caseboard.tui.detail import DetailScreen
from caseboard.tui.forms.base import Saved
from caseboard.tui.header import PauseBanner, StatusHeader, ViewBar
from caseboard.tui.keys import LIVE_KEYS, VIEW_KEYS
from caseboard.tui.styles import css

if TYPE_CHECKING:
    from caseboard.tui.app import CaseboardApp


class BoardScreen(CaseActionsScreen):
    """The live board."""

    CSS_PATH: ClassVar[CSSPathType | None] = css("board.tcss")
    BINDINGS: ClassVar[list[BindingType]] = [*VIEW_KEYS, *LIVE_KEYS]

    def __init__(self, app: CaseboardApp) -> None:
        super().__init__()
        self._owner = app

    def compose(self) -> ComposeResult:
        """Header, views, board, filter (hidden until `/`), footer."""
        app = self._owner
        session = app.session
        yield StatusHeader(
            app.model,
            app.clock,
            session.zone,
            app.operator_text(),
            readonly=session.actor.readonly,
            redact=app.redact,
            id="status",
        )
        yield ViewBar(app.model, app.clock, id="views")
        yield PauseBanner(id="paused")
        yield BoardView(app.model, app.clock, redact=app.redact, id="board")
        yield Input(placeholder="filter: name, alias, agency, place", id="filter")
        yield Footer()

    @property
    def board(self) -> BoardView:
        """The board widget."""
        return self.query_one(BoardView)

    def on_mount(self) -> None:
        """Fill the board and give it the keys."""
        self.set_handover(self._owner.handover_line())
        self.board.reload()
        self.board.focus()

    def tick(self) -> None:
        """Times move on: repaint the visible lines only; rebuild only if the action view's
        membership changed."""
        model = self._owner.model
        rebuild = model.view == "action" and model.action_count(self._owner.clock()) != (
            model.action_count_built
        )
        self._repaint(rebuild=rebuild)

    def data_changed(self) -> None:
        """New events were applied to the model: rebuild, keeping the cursor on its case."""
        self._repaint(rebuild=True)

    def _repaint(self, *, rebuild: bool) -> None:
        # query, not query_one: a tick or poll can land while the screen is composing or closing.
        for board in self.query(BoardView):
            if rebuild:
                board.reload()
            else:
                board.refresh()
        for header in self.query(StatusHeader):
            header.refresh()
        for views in self.query(ViewBar):
            views.refresh()

    def set_stale(self, since: datetime | None) -> None:
        """Show 'stale since' (the last good read) or 'live' (None)."""
        # query, not query_one: a poll may land while the screen is still composing or closing.
        for header in self.query(StatusHeader):
            if header.stale_since != since:
                header.stale_since = since
                header.refresh()

    def set_handover(self, line: Text) -> None:
        """The header's handover line: last sign-off, changes since the operator last looked."""
        for header in self.query(StatusHeader):
            header.handover = line
            header.refresh()

    def set_paused(self, paused: bool, waiting: int) -> None:
        """Show or hide the pause banner with the count of changes waiting."""
        for banner in self.query(PauseBanner):
            banner.show(paused, waiting)

    def current_case(self) -> int | None:
        """The case under the cursor."""
        row = self.board.selected
        return None if row is None else row.case_id

    def after_save(self, saved: Saved) -> None:
        """A new case (or one saved elsewhere) takes the cursor."""
        if self.current_case() != saved.case_id:
            self.board.reload(keep=saved.case_id)

    # --- actions ----------------------------------------------------------------------------

    def action_view(self, view: str) -> None:
        """Switch view."""
        if view in dict(VIEWS):
            self._owner.model.view = view
            self.data_changed()

    def action_changes(self) -> None:
        """List what others changed since this operator last looked; enter goes to the case."""
        self._owner.show_changes()

    def action_pause(self) -> None:
        """Pause live re-sorting, or apply what is waiting and go live again."""
        self._owner.toggle_pause()

    def action_filter(self) -> None:
        """Show and focus the filter box."""
        box = self.query_one("#filter", Input)
        box.display = True
        box.focus()

    def action_clear_filter(self) -> None:
        """Clear and hide the filter."""
        box = self.query_one("#filter", Input)
        box.value = ""
        box.display = False
        self._owner.model.query = ""
        self.data_changed()
        self.board.focus()

    def action_toggle_longest(self) -> None:
        """Board order, or longest missing first."""
        model = self._owner.model
        model.longest_first = not model.longest_first
        self.data_changed()

    @on(Input.Changed, "#filter")
    def filter_rows(self, event: Input.Changed) -> None:
        """Narrow the rows as the operator types."""
        self._owner.model.query = event.value
        self.data_changed()

    @on(Input.Submitted, "#filter")
    def back_to_rows(self) -> None:
        """Enter keeps the filter and returns to the rows."""
        self.board.focus()

    @on(BoardView.Opened)
    def show_case_detail(self, event: BoardView.Opened) -> None:
        """Open the case detail."""
        app = self._owner
        try:
            detail = access.view_case(app.session, event.case_id)
        except CaseboardError as exc:  # e.g. the case vanished meanwhile: say so, keep running
            self.notify(exc.shown(app.redact), severity="error", markup=False)
            return
        app.model.unseen.discard(event.case_id)  # seen now: the "+" mark goes
        self.app.push_screen(DetailScreen(detail, app.session.zone, app.redact))
