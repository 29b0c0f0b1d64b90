"""The scroll actions shared by the screens that show one long text (case detail, handover)."""

from __future__ import annotations

from textual.widget import Widget


class ScrollActions:
    """j/k, PgUp/PgDn, g/G on the screen's scroller; the screen says which one it is."""

    def _scroller(self) -> Widget:
        raise NotImplementedError

    def action_scroll_down(self) -> None:
        """One line down."""
        self._scroller().scroll_down(animate=False)

    def action_scroll_up(self) -> None:
        """One line up."""
        self._scroller().scroll_up(animate=False)

    def action_page_down(self) -> None:
        """A page down."""
        self._scroller().scroll_page_down(animate=False)

    def action_page_up(self) -> None:
        """A page up."""
        self._scroller().scroll_page_up(animate=False)

    def action_top(self) -> None:
        """The top."""
        self._scroller().scroll_home(animate=False)

    def action_bottom(self) -> None:
        """The bottom."""
        self._scroller().scroll_end(animate=False)
