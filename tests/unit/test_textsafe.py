"""Operator-typed text made inert for display, and initials for redaction."""

from __future__ import annotations

import pytest

from caseboard.domain.textsafe import clean, initials


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        # OSC window-title sequences, ended by BEL or by ST
        ("\x1b]0;pwned\x07Ava", "Ava"),
        ("\x1b]2;pwned\x1b\\Ava", "Ava"),
        ("\x1b]0;pwned", ""),  # an unterminated OSC swallows the rest
        ("\x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\", "link"),  # hyperlink
        # CSI: colours, cursor movement, screen clearing
        ("\x1b[31mred\x1b[0m", "red"),
        ("\x1b[2J\x1b[HAva", "Ava"),
        ("\x1b[1;31;42mX", "X"),
        # DCS and other escapes, a lone ESC
        ("\x1bPq#0\x1b\\ok", "ok"),
        ("a\x1bb", "ab"),
        # 8-bit C1 forms
        ("\x9b31mred", "red"),
        ("\x9d0;title\x9cAva", "Ava"),
        ("\x9d0;title\x07Ava", "Ava"),
        ("A\x85B", "AB"),
        ("A\x90payload\x9cB", "AB"),
        # other C0 controls
        ("\x00nul\x7f\x08", "nul"),
        ("bell\x07", "bell"),
        # bidi overrides, embeddings, isolates, marks
        ("Ava\u202eboowtseT", "AvaboowtseT"),
        ("\u202aA\u202b\u202c\u202dB", "AB"),
        ("\u2066x\u2067\u2068y\u2069", "xy"),
        ("a\u200eb\u200fc\u061cd", "abcd"),
        # zero-width characters
        ("A\u200bv\u200ca\u200d", "Ava"),
        ("\ufeffAva\u2060", "Ava"),
    ],
)
def test_dangerous_sequences_are_removed(raw: str, shown: str) -> None:
    assert clean(raw) == shown


@pytest.mark.parametrize(
    "raw",
    [
        "\x1bcreset",  # RIS: full terminal reset
        "\x1b7\x1b8",  # save / restore cursor
        "\x1b=\x1b>",  # keypad modes
        "\x1b(0lqk",  # line-drawing character set
        "\x1b#8",  # screen alignment test
        "\x1b[?1049h\x1b[?25l",  # alternate screen, hide cursor
        "\x1b]52;c;cHduZWQ=\x07",  # OSC 52: write the clipboard
        "\x9b?1049h",
    ],
)
def test_no_control_character_survives(raw: str) -> None:
    shown = clean(raw)
    assert not any(ord(char) < 0x20 or 0x7F <= ord(char) <= 0x9F for char in shown)


@pytest.mark.parametrize(
    "text",
    [
        "[/]",
        "[@click=app.quit]",
        "[bold]",
        "[bold red]Ava[/bold red]",
        "[link=https://x]y[/link]",
        "\\[escaped]",
        "$(rm -rf /)",
        "<script>alert(1)</script>",
        "José Núñez-O'Brien",
        "e\u0301",  # a combining accent stays
        "ДЕВОЧКА 李 😀",
    ],
)
def test_ordinary_and_markup_like_text_is_kept_exactly(text: str) -> None:
    assert clean(text) == text


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("line one\nline two", "line one line two"),
        ("a\r\nb", "a  b"),
        ("a\rb", "a b"),
        ("col\tcol", "col col"),
    ],
)
def test_newlines_and_tabs_become_spaces(raw: str, shown: str) -> None:
    assert clean(raw) == shown


@pytest.mark.parametrize("raw", ["a\u2028b", "a\u2029b"])
def test_unicode_line_separators_keep_one_line(raw: str) -> None:
    # The docstring promises "one value always stays on one line".
    assert len(clean(raw).splitlines()) == 1


@pytest.mark.parametrize("raw", [None, ""])
def test_empty(raw: str | None) -> None:
    assert clean(raw) == ""


def test_clean_is_idempotent() -> None:
    nasty = "\x1b]0;t\x07A\u202e\u200b\x9b1m[b]\n"
    once = clean(nasty)
    assert once == "A[b] "
    assert clean(once) == once


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Ava Testwood", "A.T."),
        ("ava testwood", "A.T."),
        ("Mary-Jane O'Neil", "M.J.O."),
        ("  Ava   Lee  Testwood ", "A.L.T."),
        ("\x1b[31mAva\x1b[0m Testwood", "A.T."),
        ("\u202eAva Testwood", "A.T."),
        ("Ava", "A."),
        ("José Núñez", "J.N."),
        ("123 456", "?"),
        ("", "?"),
        ("   ", "?"),
    ],
)
def test_initials(name: str, expected: str) -> None:
    assert initials(name) == expected
