"""The long-text view behind the handover screen: wrapping by terminal cells, hanging bullets,
only the visible lines rendered, and the screen's keys reaching every line."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len
from textual.app import App, ComposeResult

from caseboard.tui.longtext import LongText, wrap, wrap_lines

WORDS = st.text(
    alphabet=st.sampled_from(list("abcdefghij-#:,日本語テ   ")), min_size=0, max_size=120
)


@given(WORDS, st.integers(min_value=1, max_value=100))
def test_wrapped_lines_fit_and_keep_every_character(text: str, width: int) -> None:
    lines = wrap(text, width)
    # Only a double-width character in a one-column view cannot fit.
    assert all(cell_len(line) <= max(width, 2) for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert len(lines) == 1 or all(line.strip() for line in lines)


def test_a_short_line_is_left_alone() -> None:
    assert wrap("- #12 Ava T., 21:04 CST: contact (phone)", 80) == [
        "- #12 Ava T., 21:04 CST: contact (phone)"
    ]


def test_a_bullet_wraps_at_spaces_and_hangs_under_its_text() -> None:
    line = "- #12 Bench Child, 2026-11-27 21:04 CST: confirmed sighting at Example bus depot"
    assert wrap(line, 30) == [
        "- #12 Bench Child, 2026-11-27",
        "  21:04 CST: confirmed",
        "  sighting at Example bus",
        "  depot",
    ]
    assert wrap("  - Police report: due 2026-11-28 09:00 CST (in 5h)", 30) == [
        "  - Police report: due",
        "    2026-11-28 09:00 CST (in",
        "    5h)",
    ]


def test_a_word_longer_than_the_line_is_cut_by_cells() -> None:
    assert wrap("x" * 25, 10) == ["x" * 10, "x" * 10, "x" * 5]
    assert wrap("日本語テキスト", 5) == ["日本", "語テ", "キス", "ト"]


class Viewer(App[None]):
    """Just the view, at the size the test asks for."""

    def compose(self) -> ComposeResult:
        yield LongText(id="text")


async def test_the_view_renders_only_what_is_on_screen_and_wraps_to_its_width() -> None:
    lines = [("Shift handover", True)] + [
        (f"- #{n} a sighting line long enough to wrap at eighty columns, number {n}", False)
        for n in range(20_000)
    ]
    app = Viewer()
    async with app.run_test(size=(60, 10)) as pilot:
        view = app.query_one(LongText)
        view.show(lines)
        await pilot.pause()
        assert view.plain.splitlines()[0] == "Shift handover"
        # Every bullet takes two lines at 60 columns, the heading one.
        assert view.virtual_size.height == 1 + 2 * 20_000
        shown = [strip.text.rstrip() for strip in (view.render_line(y) for y in range(3))]
        assert shown[0] == "Shift handover"
        assert shown[1].startswith("- #0 a sighting line") and len(shown[1]) <= 60
        assert shown[2].startswith("  ")  # the bullet's second line hangs under its text
        view.scroll_end(animate=False, immediate=True)
        await pilot.pause()
        assert "number 19999" in view.render_line(view.scrollable_content_region.height - 1).text
        await pilot.resize_terminal(120, 10)
        await pilot.pause()
        assert view.virtual_size.height == 1 + 20_000  # one line each when there is room


async def test_text_wrapped_elsewhere_is_used_only_at_the_views_width() -> None:
    lines = [
        (f"- line {n} that is long enough to wrap in a narrow view, number {n}", False)
        for n in range(50)
    ]
    app = Viewer()
    async with app.run_test(size=(60, 10)) as pilot:
        view = app.query_one(LongText)
        await pilot.pause()
        width = view.text_width
        assert width > 0
        # Wrapped by the worker at the view's width: taken as it is (marked so it shows).
        marked = [(f"{text} (pre-wrapped)", heading) for text, heading in wrap_lines(lines, width)]
        view.show(lines, wrapped=(width, marked))
        assert view.shown == [text for text, _ in marked]
        # Wrapped at another width (the view was resized meanwhile): wrapped again here.
        view.show(lines, wrapped=(width + 7, marked))
        assert view.shown == [text for text, _ in wrap_lines(lines, width)]
        assert view.virtual_size.height == len(view.shown)
