"""The case detail screen: the whole case, scrollable, clocks re-read every tick."""

from __future__ import annotations

from datetime import tzinfo
from typing import ClassVar

from rich.text import Text
from textual._path import CSSPathType
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.widgets import Footer, Static

from caseboard import services
from caseboard.tui.detail_text import detail_text
from caseboard.tui.forms.base import Saved
from caseboard.tui.keys import DETAIL_KEYS
from caseboard.tui.photo import PaperworkScreen, PhotoPanel
from caseboard.tui.scrolling import ScrollActions
from caseboard.tui.styles import css


class DetailScreen(ScrollActions, PaperworkScreen):
    """Everything about one case; esc goes back to the board."""

    CSS_PATH: ClassVar[CSSPathType | None] = css("detail.tcss")
    BINDINGS: ClassVar[list[BindingType]] = list(DETAIL_KEYS)

    def __init__(self, detail: services.CaseDetail, zone: tzinfo, redact: bool) -> None:
        super().__init__()
        self.detail = detail
        self.zone = zone
        self.redact = redact

    def compose(self) -> ComposeResult:
        """A scrolling body and the footer."""
        with VerticalScroll(id="detail-scroll"):
            yield PhotoPanel(self.caseboard.session, self.detail, self.redact)
            yield Static(self._text(), id="detail-body", markup=False)
        yield Footer(compact=True, show_command_palette=False)  # n s t r c, ? and q at 80

    def _text(self) -> Text:
        app = self.caseboard
        return detail_text(
            self.detail, app.clock(), self.zone, self.redact, app.session.policy.due_soon_fraction,
            self._width(),
        )  # fmt: skip

    def _width(self) -> int | None:
        """The body's width once laid out, less the scrollbar's (a case fills more than a
        screen): timeline entries wrap with a hanging indent to it."""
        for scroll in self.query("#detail-scroll").results(VerticalScroll):
            width = scroll.content_region.width - scroll.styles.scrollbar_size_vertical
            return width if width > 0 else None
        return None

    def on_resize(self) -> None:
        """Wrap the timeline again at the new width."""
        self.call_after_refresh(self.tick)

    def on_mount(self) -> None:
        """Focus the scroller so the arrow keys scroll."""
        self.query_one("#detail-scroll").focus()
        self.call_after_refresh(self.tick)  # now the body has a width to wrap the timeline to

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
            self.detail = services.show_case(self.caseboard.session, saved.case_id)
            self.query_one(PhotoPanel).show_case(self.detail)
            self.tick()

    def _scroller(self) -> VerticalScroll:
        return self.query_one("#detail-scroll", VerticalScroll)

    def action_back(self) -> None:
        """Back to the board."""
        self.dismiss(None)
