"""The case detail screen: the whole case, scrollable, clocks re-read every tick."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.widgets import Footer, Static

from caseboard import services
from caseboard.tui.context import Context
from caseboard.tui.detail_text import detail_text
from caseboard.tui.forms.base import Saved
from caseboard.tui.keys import DETAIL_KEYS
from caseboard.tui.photo import PaperworkScreen, PhotoPanel
from caseboard.tui.scrolling import ScrollActions
from caseboard.tui.styles import CSSPath, css


class DetailScreen(ScrollActions, PaperworkScreen):
    """Everything about one case; esc goes back to the board."""

    CSS_PATH: ClassVar[CSSPath | None] = css("detail.tcss")
    BINDINGS: ClassVar[list[BindingType]] = list(DETAIL_KEYS)

    def __init__(self, detail: services.CaseDetail, context: Context) -> None:
        super().__init__(context)
        self.detail = detail
        self.zone = context.session.zone
        self.redact = context.redact

    def compose(self) -> ComposeResult:
        """A scrolling body and the footer."""
        with VerticalScroll(id="detail-scroll"):
            yield PhotoPanel(self.context.session, self.detail, self.redact)
            yield Static(self._text(), id="detail-body", markup=False)
        yield Footer(compact=True, show_command_palette=False)  # n s t r c, ? and q at 80

    def _text(self) -> Text:
        fraction = self.context.session.policy.due_soon_fraction
        return detail_text(
            self.detail, self.context.clock(), self.zone, self.redact, fraction, self._width()
        )

    def _width(self) -> int | None:
        """The body's own width once laid out (the scrollbar and a photo beside it taken
        off): timeline entries wrap with a hanging indent to it."""
        for body in self.query("#detail-body").results(Static):
            width = body.content_region.width
            return width if width > 0 else None
        return None

    def on_resize(self) -> None:
        """Wrap the timeline again at the new width."""
        self.call_after_refresh(self.tick)

    def on_mount(self) -> None:
        """Focus the scroller so the arrow keys scroll; follow the board's second tick."""
        self.query_one("#detail-scroll").focus()
        self.call_after_refresh(self.tick)  # now the body has a width to wrap the timeline to
        self.context.ticks.subscribe(self, self._ticked)

    def _ticked(self, _now: datetime) -> None:
        if self.is_active:  # under a form or the privacy screen nothing here shows
            self.tick()

    def tick(self) -> None:
        """Re-read the clocks at the new `now` (one case: cheap)."""
        # query, not query_one: a tick can land while the screen is still composing or closing.
        for body in self.query("#detail-body").results(Static):
            body.update(self._text())

    def current_case(self) -> int | None:
        """This case."""
        return self.detail.summary.case_id

    def after_save(self, saved: Saved) -> None:
        """Re-read this case so the timeline, clocks and risk show the change."""
        if saved.case_id == self.detail.summary.case_id:
            self.detail = services.show_case(self.context.session, saved.case_id)
            self.query_one(PhotoPanel).show_case(self.detail)
            self.tick()

    def _scroller(self) -> VerticalScroll:
        return self.query_one("#detail-scroll", VerticalScroll)

    def action_back(self) -> None:
        """Back to the board."""
        self.dismiss(None)
