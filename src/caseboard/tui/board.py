"""The board: a Line-API ScrollView that renders only the visible rows, cells computed at `now`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual.binding import BindingType
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from caseboard.board.model import BoardModel, Row, UnreadableLine
from caseboard.tui.cells import GAP, GUTTER, Column, cell, fit, layout
from caseboard.tui.keys import BOARD_KEYS

CURSOR_MARK = "▶"
CHANGED_MARK = "•"  # beside the cursor mark: a row changed live a moment ago (no colour needed)
UNSEEN_MARK = "+"  # changed by others since this operator last had the board open


class BoardView(ScrollView, can_focus=True):
    """One line per open case under a fixed column header; section headers between statuses."""

    BINDINGS: ClassVar[list[BindingType]] = list(BOARD_KEYS)
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "board--header",
        "board--section",
        "board--cursor",
        "board--tier-critical",
        "board--tier-high",
        "board--tier-elevated",
        "board--tier-standard",
        "board--overdue",
        "board--soon",
        "board--done",
        "board--changed",
        "board--flag",
    }

    class Opened(Message):
        """The operator asked to open the selected case."""

        def __init__(self, case_id: int) -> None:
            super().__init__()
            self.case_id = case_id

    def __init__(
        self,
        model: BoardModel,
        clock: Callable[[], datetime],
        *,
        redact: bool = False,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.model = model
        self.clock = clock
        self.redact = redact
        self.cursor = 0  # index into model.lines; always a case line when there is one
        self._columns: list[tuple[Column, int]] = []
        self._width = 0

    # --- data and geometry ------------------------------------------------------------------

    @property
    def selected(self) -> Row | None:
        """The case under the cursor."""
        lines = self.model.lines
        if 0 <= self.cursor < len(lines):
            line = lines[self.cursor]
            return line if isinstance(line, Row) else None
        return None

    def reload(self, keep: int | None = None) -> None:
        """Rebuild the visible lines (after a data, view, filter or order change), keeping the
        cursor on the same case when it is still shown."""
        if keep is None and self.selected is not None:
            keep = self.selected.case_id
        self.model.rebuild(self.clock())
        line = self.model.line_of(keep)
        if line is None:
            line = self._case_line(min(self.cursor, len(self.model.lines) - 1), +1)
            if line is None:
                line = self._case_line(min(self.cursor, len(self.model.lines) - 1), -1)
        self.cursor = 0 if line is None else line
        self._update_geometry()
        self._scroll_to_cursor()
        self.refresh()

    def _update_geometry(self) -> None:
        width = self.scrollable_content_region.width or self.size.width
        if width != self._width:
            self._width = width
            self._columns = layout(width)
        self.virtual_size = Size(width, len(self.model.lines) + 1)

    def on_resize(self) -> None:
        """Columns drop or grow with the width."""
        self._update_geometry()
        self._scroll_to_cursor()
        self.refresh()

    @property
    def rows_shown(self) -> int:
        """Case lines that fit under the column header."""
        return max(1, self.scrollable_content_region.height - 1)

    def _scroll_to_cursor(self) -> None:
        top = round(self.scroll_offset.y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + self.rows_shown:
            self.scroll_to(y=self.cursor - self.rows_shown + 1, animate=False, immediate=True)

    def _case_line(self, start: int, step: int) -> int | None:
        lines = self.model.lines
        index = start
        while 0 <= index < len(lines):
            if isinstance(lines[index], Row):
                return index
            index += step
        return None

    def _move_to(self, line: int | None) -> None:
        if line is None or line == self.cursor:
            return
        before, top = self.cursor, round(self.scroll_offset.y)
        self.cursor = line
        self._scroll_to_cursor()
        if round(self.scroll_offset.y) == top:
            # Only the two affected lines repaint (+1: the column header is line 0).
            self.refresh_line(before + 1)
            self.refresh_line(line + 1)

    # --- actions ----------------------------------------------------------------------------

    def action_cursor_down(self) -> None:
        """Next case."""
        self._move_to(self._case_line(self.cursor + 1, +1))

    def action_cursor_up(self) -> None:
        """Previous case."""
        self._move_to(self._case_line(self.cursor - 1, -1))

    def action_page_down(self) -> None:
        """A screenful down."""
        target = min(self.cursor + self.rows_shown, len(self.model.lines) - 1)
        self._move_to(self._case_line(target, -1) or self._case_line(target, +1))

    def action_page_up(self) -> None:
        """A screenful up."""
        target = max(self.cursor - self.rows_shown, 0)
        self._move_to(self._case_line(target, +1))

    def action_first(self) -> None:
        """The first case."""
        self._move_to(self._case_line(0, +1))

    def action_last(self) -> None:
        """The last case."""
        self._move_to(self._case_line(len(self.model.lines) - 1, -1))

    def action_open_case(self) -> None:
        """Open the selected case."""
        if self.selected is not None:
            self.post_message(self.Opened(self.selected.case_id))

    # --- rendering --------------------------------------------------------------------------

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(f"board--{name}")

    def render_line(self, y: int) -> Strip:
        """Line 0 is the column header; the others show model.lines from the scroll offset."""
        width = self.scrollable_content_region.width or self.size.width
        base = self.rich_style
        if y == 0:
            return self._header_strip(width, base)
        index = y - 1 + round(self.scroll_offset.y)
        lines = self.model.lines
        if index >= len(lines):
            return Strip.blank(width, base)
        line = lines[index]
        if isinstance(line, UnreadableLine):
            style = base + self._style("overdue")
            return Strip([Segment(fit(f"  ⚠ {line}", width), style)], width)
        if isinstance(line, str):
            style = base + self._style("section")
            return Strip([Segment(fit(f"── {line} ──", width), style)], width)
        return self._row_strip(line, index == self.cursor, width, base)

    def _header_strip(self, width: int, base: Style) -> Strip:
        style = base + self._style("header")
        segments = [Segment(" " * GUTTER, style)]
        for number, (column, size) in enumerate(self._columns):
            if number:
                segments.append(Segment(" " * GAP, style))
            segments.append(Segment(fit(column.title, size, column.right), style))
        return Strip(segments).adjust_cell_length(width, style)

    def _row_strip(self, row: Row, selected: bool, width: int, base: Style) -> Strip:
        now = self.clock()
        fraction = self.model.fraction
        line_style = base + self._style("cursor") if selected else base
        segments = [Segment(CURSOR_MARK if selected else " ", line_style)]
        if row.highlighted(now):
            segments.append(Segment(CHANGED_MARK, line_style + self._style("changed")))
        elif row.case_id in self.model.unseen:
            segments.append(Segment(UNSEEN_MARK, line_style))
        else:
            segments.append(Segment(" ", line_style))
        for number, (column, size) in enumerate(self._columns):
            if number:
                segments.append(Segment(" " * GAP, line_style))
            text, emphasis = cell(row, column.key, size, now, fraction, self.redact)
            style = line_style + self._style(emphasis) if emphasis else line_style
            segments.append(Segment(fit(text, size, column.right), style))
        return Strip(segments).adjust_cell_length(width, line_style)
