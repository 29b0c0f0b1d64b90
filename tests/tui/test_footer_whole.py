"""The board's footer shows only whole items: at 80 columns the keys that do not fit are not
drawn (never '/ Filt'), and they come back when the terminal is wide enough."""

from __future__ import annotations

from textual.widget import Widget
from textual.widgets import Footer

from caseboard.tui.app import CaseboardApp


def footer_keys(app: CaseboardApp) -> list[Widget]:
    return list(app.screen.query_one(Footer).query_children("FooterKey"))


def drawn(app: CaseboardApp) -> list[str]:
    """The keys drawn, each checked to lie whole inside the footer."""
    footer = app.screen.query_one(Footer)
    shown = []
    for key in footer_keys(app):
        if key.visible:
            assert key.region.right <= footer.region.right, key.render()
            shown.append(str(key.render()))
    return shown


async def test_at_80_columns_the_footer_shows_only_whole_items(app: CaseboardApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.pause()
        shown = drawn(app)
        # The first keys (keys.py's order) show; the ones past the edge are hidden, not cut.
        assert shown[:2] == ["⏎ Open", "n New case"]
        assert "? Help" in shown and "q Quit" in shown
        assert "/ Filter" not in shown
        assert len(shown) < len(footer_keys(app))
        await pilot.resize_terminal(130, 24)
        await pilot.pause()
        await pilot.pause()
        wide = drawn(app)
        assert "/ Filter" in wide and len(wide) == len(footer_keys(app))


async def test_the_footer_follows_the_keys_that_apply_and_rebuilds_only_on_a_change(
    app: CaseboardApp,
) -> None:
    """The footer skips a rebuild when what it shows is unchanged (Textual asks after every
    focus change), but not when the keys change: the filter box has keys of its own."""
    async with app.run_test(size=(160, 24)) as pilot:
        await pilot.pause()
        board_keys = footer_keys(app)
        assert "n New case" in drawn(app)
        app.screen.query_one(Footer).bindings_changed(app.screen)  # nothing changed
        await pilot.pause()
        assert footer_keys(app) == board_keys, "rebuilt for the same keys"
        await pilot.press("/")
        await pilot.pause()
        assert "n New case" not in drawn(app) and "/ Filter" in drawn(app)
        await pilot.press("escape")
        await pilot.pause()
        assert "n New case" in drawn(app)
        assert footer_keys(app) != board_keys  # built again, new widgets
