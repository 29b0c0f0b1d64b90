"""Operator-typed text made inert for display, and initials for redaction."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from caseboard.domain.textsafe import clean, clean_lines, csv_cell, initials, json_text, unsafe


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        # OSC window-title sequences, ended by BEL or by ST: the ESC and BEL become pictures
        ("\x1b]0;pwned\x07Ava", "␛]0;pwned␇Ava"),
        ("\x1b]2;pwned\x1b\\Ava", "␛]2;pwned␛\\Ava"),
        # CSI: colours, cursor movement, screen clearing
        ("\x1b[31mred\x1b[0m", "␛[31mred␛[0m"),
        ("\x1b[2J\x1b[HAva", "␛[2J␛[HAva"),
        ("a\x1bb", "a␛b"),
        # 8-bit C1 forms become tokens
        ("\x9b31mred", "<U+009B>31mred"),
        ("A\x85B", "A<U+0085>B"),
        # other C0 controls and DEL
        ("\x00nul\x7f\x08", "␀nul␡␈"),
        ("bell\x07", "bell␇"),
        # bidi overrides, embeddings, isolates, marks
        ("Ava\u202eboowtseT", "Ava<U+202E>boowtseT"),
        ("\u202aA\u202b\u202c\u202dB", "<U+202A>A<U+202B><U+202C><U+202D>B"),
        ("\u2066x\u2069", "<U+2066>x<U+2069>"),
        ("a\u200eb\u200fc\u061cd", "a<U+200E>b<U+200F>c<U+061C>d"),
        # zero-width characters
        ("A\u200bv\u200ca\u200d", "A<U+200B>v<U+200C>a<U+200D>"),
        ("\ufeffAva\u2060", "<U+FEFF>Ava<U+2060>"),
        # a lone surrogate (undecodable bytes) and a tag character beyond the BMP
        ("a\ud800b", "a<U+D800>b"),
        ("a\U000e0041b", "a<U+E0041>b"),
    ],
)
def test_dangerous_characters_become_visible_and_inert(raw: str, shown: str) -> None:
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
        "\x1b]0;pwned",
    ],
)
def test_no_control_character_survives(raw: str) -> None:
    for shown in (clean(raw), clean_lines(raw + "\n" + raw)):
        assert not any(
            (ord(char) < 0x20 and char != "\n") or 0x7F <= ord(char) <= 0x9F for char in shown
        )


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
    assert once == "␛]0;t␇A<U+202E><U+200B><U+009B>1m[b] "
    assert clean(once) == once
    assert clean_lines(once) == once


def test_clean_lines_keeps_lines_tabs_and_crlf_but_not_a_lone_cr() -> None:
    assert clean_lines("a\tb\nc\r\nd") == "a\tb\nc\r\nd"
    assert clean_lines("secret\rpublic") == "secret␍public"
    assert clean_lines("x\x1b[2J\n\u2028") == "x␛[2J\n<U+2028>"


@pytest.mark.parametrize(
    "value",
    [
        "plain",
        "\x1b]2;PWNED\x07\x1b[2J",
        "A\x85\x9b\u202e\u2066\u200b\ufeff\u2028B",
        "lone \ud800 surrogate \x7f",
        "tag \U000e0041 private \U000f0000",
        "José 李 😀 e\u0301",
        {"k\u202e": ["\x00", 1, None]},
    ],
)
def test_json_text_keeps_values_exactly_and_is_inert(value: object) -> None:
    text = json_text(value)
    assert json.loads(text) == value
    assert clean_lines(text) == text  # nothing left for a terminal to act on
    assert "\x1b" not in text and "\u202e" not in text and "\x85" not in text


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=HYPERLINK(1)", "'=HYPERLINK(1)"),
        ("+1", "'+1"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\x1b[2Jplace\x07", "␛[2Jplace␇"),
        ("two\nlines", "two lines"),
        (12, 12),
        ("Demo Mall", "Demo Mall"),
    ],
)
def test_csv_cells(value: object, cell: object) -> None:
    assert csv_cell(value) == cell


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


# Generated text: any code point, surrogates included (stored text can hold them).
ANY_TEXT = st.text(st.characters(codec=None, categories=None), max_size=60)
TERMINAL_ACTS_ON = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]"
)


@given(ANY_TEXT)
def test_generated_text_leaves_inert_and_one_line(text: str) -> None:
    shown = clean(text)
    assert not any(unsafe(char) for char in shown)
    assert "\n" not in shown and "\r" not in shown
    assert clean(shown) == shown


@given(ANY_TEXT)
def test_generated_output_keeps_its_lines_and_nothing_else(text: str) -> None:
    shown = clean_lines(text)
    assert not TERMINAL_ACTS_ON.search(
        shown.replace("\r\n", "").replace("\n", "").replace("\t", "")
    )
    assert shown.count("\n") == text.count("\n")
    assert clean_lines(shown) == shown


@given(
    st.recursive(
        ANY_TEXT | st.integers() | st.none(),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(ANY_TEXT, inner, max_size=4),
        max_leaves=12,
    )
)
def test_generated_json_round_trips_exactly_and_is_inert(value: object) -> None:
    text = json_text(value)
    assert json.loads(text) == value
    assert clean_lines(text) == text
