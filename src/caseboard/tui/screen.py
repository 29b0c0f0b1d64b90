"""The board screen: header, view bar, the board itself, the filter box and the footer."""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.widgets import Input

from caseboard import services
from caseboard.board.live import operator_role
from caseboard.board.model import VIEWS
from caseboard.domain.display import local
from caseboard.domain.errors import CaseboardError
from caseboard.domain.handover import Signoff
from caseboard.domain.textsafe import clean
from caseboard.services import access
from caseboard.services import handover as handover_service
from caseboard.tui.board import BoardView
from caseboard.tui.case_actions import CaseActionsScreen
from caseboard.tui.changes import ChangesScreen
from caseboard.tui.context import BoardContext, LiveState
from caseboard.tui.detail import DetailScreen
from caseboard.tui.footer import WholeFooter
from caseboard.tui.forms.base import Saved
from caseboard.tui.header import PauseBanner, StatusHeader, ViewBar
from caseboard.tui.keys import HELP_KEY, LIVE_KEYS, QUIT_KEY, VIEW_KEYS
from caseboard.tui.styles import CSSPath, css


def operator_text(session: services.Session) -> str:
    """'alice (supervisor)' — the OS account and its caseboard role."""
    role = operator_role(session) or "not an active operator"
    return f"{clean(session.actor.username)} ({role})"


def handover_line(
    signoff: Signoff | None, since_look: handover_service.Changes, zone: tzinfo
) -> Text:
    """'handover: signed off Sat 07:02 by jdoe · + 4 cases changed since you looked (v)'."""
    text = Text("handover: ")
    if signoff is None:
        text.append("not signed off yet")
    else:
        day = signoff.at.astimezone(zone).strftime("%a")
        when = local(signoff.at, zone, with_date=False)
        text.append(f"signed off {day} {when} by {clean(signoff.by)}")
    text.append(" (h)")
    count = len(since_look.case_ids)
    if count:
        cases = "case" if count == 1 else "cases"
        text.append(f" · + {count} {cases} changed since you last looked (v)")
    return text


class BoardScreen(CaseActionsScreen):
    """The live board."""

    CSS_PATH: ClassVar[CSSPath | None] = css("board.tcss")
    BINDINGS: ClassVar[list[BindingType]] = [HELP_KEY, QUIT_KEY, *VIEW_KEYS, *LIVE_KEYS]

    def __init__(self, context: BoardContext) -> None:
        super().__init__(context)
        self.board_context = context

    def compose(self) -> ComposeResult:
        """Header, views, board, filter (hidden until `/`), footer."""
        context = self.board_context
        session = context.session
        yield StatusHeader(
            context.model,
            context.clock,
            session.zone,
            operator_text(session),
            readonly=session.actor.readonly,
            redact=context.redact,
            id="status",
        )
        yield ViewBar(context.model, context.clock, id="views")
        yield PauseBanner(id="paused")
        yield BoardView(context.model, context.clock, redact=context.redact, id="board")
        yield Input(placeholder="filter: name, alias, agency, place", id="filter")
        # Compact, and ctrl+p left to help: at 80 columns n s t r c, ? and q all fit.
        yield WholeFooter(compact=True, show_command_palette=False)

    @property
    def board(self) -> BoardView:
        """The board widget."""
        return self.query_one(BoardView)

    def on_mount(self) -> None:
        """Fill the board and give it the keys; follow the app's live state from now on."""
        context = self.board_context
        context.signoff.follow(self, self._signed_off)
        self.board.reload()
        self.board.focus()
        context.live.follow(self, self._live_state)
        context.changed.subscribe(self, self._changed)
        context.ticks.subscribe(self, self._ticked)

    def _signed_off(self, signoff: Signoff | None) -> None:
        context = self.board_context
        self.set_handover(handover_line(signoff, context.since_look, context.session.zone))

    def _live_state(self, state: LiveState) -> None:
        self.set_stale(state.stale_since)
        self.set_paused(state.paused, state.waiting)

    def _changed(self, _: None) -> None:
        self.data_changed()

    def _ticked(self, _now: datetime) -> None:
        if self.is_active:  # under the detail, a form or the privacy screen nothing shows
            self.tick()

    def tick(self) -> None:
        """Times move on: repaint the visible lines only; rebuild only if the action view's
        membership changed."""
        model = self.board_context.model
        rebuild = model.view == "action" and model.action_count(self.context.clock()) != (
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
            self.board_context.model.view = view
            self.data_changed()

    def action_changes(self) -> None:
        """List what others changed since this operator last looked; enter goes to the case."""
        context = self.board_context
        look, model, zone = context.since_look, context.model, context.session.zone
        looked = "never" if look.looked_at is None else local(look.looked_at, zone)

        def name_of(case_id: int) -> str:
            row = model.get(case_id)
            if row is None and case_id in model.unreadable:
                return "(cannot be read: run caseboard verify)"
            return row.name if row is not None else "(not on the board)"

        def chosen(case_id: int | None) -> None:
            if case_id is not None and model.get(case_id) is not None:
                self.board.reload(keep=case_id)

        self.app.push_screen(ChangesScreen(look.events, name_of, zone, looked), chosen)

    def action_pause(self) -> None:
        """Pause live re-sorting, or apply what is waiting and go live again."""
        self.board_context.toggle_pause()

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
        self.board_context.model.query = ""
        self.data_changed()
        self.board.focus()

    def action_toggle_longest(self) -> None:
        """Board order, or longest missing first."""
        model = self.board_context.model
        model.longest_first = not model.longest_first
        self.data_changed()

    @on(Input.Changed, "#filter")
    def filter_rows(self, event: Input.Changed) -> None:
        """Narrow the rows as the operator types."""
        self.board_context.model.query = event.value
        self.data_changed()

    @on(Input.Submitted, "#filter")
    def back_to_rows(self) -> None:
        """Enter keeps the filter and returns to the rows."""
        self.board.focus()

    @on(BoardView.Opened)
    def show_case_detail(self, event: BoardView.Opened) -> None:
        """Open the case detail."""
        context = self.board_context
        try:
            detail = access.view_case(context.session, event.case_id)
        except CaseboardError as exc:  # e.g. the case vanished meanwhile: say so, keep running
            self.notify(exc.shown(context.redact), severity="error", markup=False)
            return
        context.model.unseen.discard(event.case_id)  # seen now: the "+" mark goes
        self.app.push_screen(DetailScreen(detail, context))
