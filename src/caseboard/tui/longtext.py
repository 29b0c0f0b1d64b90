"""A long read-only text shown a screenful at a time (Line API): the handover report.

A handover over a busy night lists tens of thousands of lines; a Static holding all of them took
half a minute to lay out. This view wraps the lines to its width once (again only when the
width changes) and renders just the lines on screen.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import ClassVar

from rich.cells import cell_len, chop_cells
from rich.segment import Segment
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.selection import Selection
from textual.strip import Strip

# One line of the text, and whether it is a heading (shown bold).
Line = tuple[str, bool]


def wrap(text: str, width: int) -> list[str]:
    """`text` as lines of at most `width` cells, broken at spaces (a word longer than a line
    is cut); continuation lines hang under the text of a "- " bullet."""
    # Shown text is cleaned: ASCII is printable, one cell a character, so len() measures it
    # (tens of thousands of lines: rich's cell_len on each was half the wrapping time).
    measure: Callable[[str], int] = len if text.isascii() else cell_len
    if width <= 0 or measure(text) <= width:
        return [text]
    body = text.lstrip(" ")
    lead = text[: len(text) - len(body)]
    hang = lead + ("  " if body.startswith("- ") else "")
    if measure(hang) * 2 > width:  # a deep indent in a narrow view would leave no room
        lead = hang = ""
    lines: list[str] = []
    line, used, empty = lead, len(lead), True
    for word in body.split(" "):
        size = measure(word)
        if not empty and used + 1 + size > width:
            lines.append(line)
            line, used, empty = hang, len(hang), True
        if not empty:
            line, used = line + " ", used + 1
        while used + size > width:  # a word wider than what is left: cut it
            room = width - used
            head = chop_cells(word, room)[0] if room > 0 else ""
            if not head or measure(head) > room:  # not even its first (wide) character fits
                if line.strip():  # go on on the next line
                    lines.append(line)
                    line, used, empty = hang, len(hang), True
                    continue
                if used:  # only indentation here: give it up
                    line, used = "", 0
                    continue
                head = word[:1]  # a character wider than the whole view: show it anyway
            lines.append(line + head)
            word = word[len(head) :]
            size = measure(word)
            line, used, empty = hang, len(hang), True
        if word or not empty:  # nothing left of a cut word starts no line
            line, used, empty = line + word, used + size, False
    if line.strip() or not lines:  # not what is left after cutting a word at the very end
        lines.append(line)
    return lines


def wrap_lines(source: Iterable[Line], width: int) -> list[Line]:
    """Every line wrapped to `width` cells, headings staying headings."""
    return [(piece, heading) for text, heading in source for piece in wrap(text, width)]


class LongText(ScrollView, can_focus=True, inherit_bindings=False):
    """Read-only lines, wrapped to the view's width; only the visible ones are rendered. The
    screen owns the scroll keys (no animated scrolling over SSH), so none are inherited."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"longtext--heading"}

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._source: list[Line] = []
        self._lines: list[Line] = []
        self._width = 0

    @property
    def text_width(self) -> int:
        """The width lines are wrapped to (0 before the first layout)."""
        return self.scrollable_content_region.width or self.size.width

    def show(self, lines: Iterable[Line], *, wrapped: tuple[int, list[Line]] | None = None) -> None:
        """Replace the text; `wrapped` is the text already wrapped to a width (in a worker: a
        long report takes a tenth of a second to wrap), used if the view still has that width."""
        self._source = list(lines)
        self._width = 0
        if wrapped is not None and wrapped[0] > 0 and wrapped[0] == self.text_width:
            self._width, self._lines = wrapped
            self.virtual_size = Size(self._width, len(self._lines))
        self._wrap()
        self.refresh()

    @property
    def plain(self) -> str:
        """The whole text, one source line per line (as the report was written)."""
        return "\n".join(text for text, _heading in self._source)

    @property
    def shown(self) -> list[str]:
        """The lines as drawn at the current width, wrapped, top to bottom."""
        return [text for text, _heading in self._lines]

    @property
    def allow_select(self) -> bool:
        """The text can be selected and copied (as a Static's could)."""
        return True

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        """The selected part of the drawn lines."""
        return selection.extract("\n".join(self.shown)), "\n"

    def selection_updated(self, selection: Selection | None) -> None:
        """Draw the selection anew."""
        self.refresh()

    def _wrap(self) -> None:
        width = self.text_width
        if width <= 0 or width == self._width:
            return
        self._width = width
        self._lines = wrap_lines(self._source, width)
        self.virtual_size = Size(width, len(self._lines))

    def on_resize(self) -> None:
        """Wrap again for the new width."""
        self._wrap()
        self.refresh()

    def render_line(self, y: int) -> Strip:
        """The wrapped line at the scroll offset plus `y`."""
        width = self.scrollable_content_region.width or self.size.width
        base = self.rich_style
        index = y + round(self.scroll_offset.y)
        if index >= len(self._lines):
            return Strip.blank(width, base)
        text, heading = self._lines[index]
        style = base + self.get_component_rich_style("longtext--heading") if heading else base
        segments = [Segment(text, style)]
        selection = self.text_selection
        span = selection.get_span(index) if selection is not None else None
        if span is not None:
            start, end = span
            end = len(text) if end == -1 else end
            chosen = style + self.screen.get_component_rich_style("screen--selection")
            segments = [
                Segment(text[:start], style),
                Segment(text[start:end], chosen),
                Segment(text[end:], style),
            ]
        # Offsets let Textual map a mouse position back to a place in the text.
        return Strip(segments).adjust_cell_length(width, base).apply_offsets(0, index)
