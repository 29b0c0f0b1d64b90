"""A footer that shows only whole items: a key that would be cut off at the right edge is
not drawn at all (Textual's footer clips it mid-word, e.g. '/ Filt' at 80 columns)."""

from __future__ import annotations

from collections.abc import Hashable

from textual.events import Resize
from textual.widgets import Footer


class WholeFooter(Footer):
    """Textual's footer, with the keys that do not fit whole hidden. They keep their place in
    the layout (visibility, not display), so hiding one never moves another; the bindings'
    order decides what shows first (keys.py puts the most needed first)."""

    _shown: Hashable = None

    async def recompose(self) -> None:
        """New bindings: new keys, fitted once they are laid out. Textual recomposes the footer
        after every change of focus or bindings, several times while a screen opens; only a
        change in what it would show is worth building every key again (and restyling them)."""
        shown = self._what_it_shows()
        if shown == self._shown:
            return
        self._shown = shown
        await super().recompose()
        self.call_after_refresh(self.fit)

    def _what_it_shows(self) -> Hashable:
        """Everything Footer.compose draws from: the screen's active bindings and the
        command-palette key."""
        bindings = tuple(
            (key, binding.action, binding.description, binding.show, binding.group, on, tip)
            for key, (_node, binding, on, tip) in self.screen.active_bindings.items()
        )
        return (bindings, self.show_command_palette)

    def on_resize(self, _event: Resize) -> None:
        """A wider or narrower terminal: fit again."""
        self.call_after_refresh(self.fit)

    def fit(self) -> None:
        """Show each key whose right edge is inside the footer; hide every key from the first
        one that is not."""
        width = self.content_size.width
        right = 0
        fits = True
        # By CSS type name: FooterKey is not part of Textual's public API.
        for key in self.query_children("FooterKey"):
            right += key.styles.margin.left + key.outer_size.width
            fits = fits and right <= width
            key.visible = fits
            right += key.styles.margin.right
