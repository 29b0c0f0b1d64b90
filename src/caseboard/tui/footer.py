"""A footer that shows only whole items: a key that would be cut off at the right edge is
not drawn at all (Textual's footer clips it mid-word, e.g. '/ Filt' at 80 columns)."""

from __future__ import annotations

from textual.events import Resize
from textual.widgets import Footer


class WholeFooter(Footer):
    """Textual's footer, with the keys that do not fit whole hidden. They keep their place in
    the layout (visibility, not display), so hiding one never moves another; the bindings'
    order decides what shows first (keys.py puts the most needed first)."""

    async def recompose(self) -> None:
        """New bindings: new keys, fitted once they are laid out."""
        await super().recompose()
        self.call_after_refresh(self.fit)

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
