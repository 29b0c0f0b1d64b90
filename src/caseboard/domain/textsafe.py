"""The one way out for text: stored strings made visible and inert before they leave the program.

What `clean()` (one value on one line) and `clean_lines()` (a whole output, newlines kept) do:

- C0 controls become their Unicode control pictures: ESC -> `␛` (U+241B), BEL -> `␇`,
  NUL -> `␀` (U+2400 + the code); DEL -> `␡`. An escape sequence is then plain text
  (`\\x1b[2J` shows as `␛[2J`): it cannot move the cursor, clear the screen or set a title.
- C1 controls (U+0080-U+009F), format characters (bidi embeddings, overrides, isolates and
  marks, zero-width space/joiners, word joiner, BOM, tag characters), lone surrogates,
  private-use characters and the Unicode line/paragraph separators become a visible token
  such as `<U+202E>`.
- In `clean()` a newline, carriage return or tab becomes one space, so one value always stays
  on one line. `clean_lines()` keeps newlines, tabs and CR-LF pairs; a lone CR (which would let
  later text overwrite a line) becomes `␍`.
- Everything else, printable ASCII (the fast path) and ordinary non-ASCII letters, emoji and
  combining accents, is kept exactly. Both functions are idempotent.

`json_text()` is the JSON counterpart: the exact value survives `json.loads`, but every
character `clean()` would change is written as a `\\uXXXX` escape, so the JSON is also inert on
a terminal. Stored text is never changed: this runs only on the way out.
"""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Any

# Categories made visible: controls, format characters, surrogates, private use, and the
# line/paragraph separators (which break a line in some terminals and editors).
_UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Zl", "Zp"})
# Candidates for a closer look: anything outside printable ASCII. Cheap to scan for in C.
_CANDIDATES = re.compile(r"[^\x20-\x7e]")
_CANDIDATES_LINES = re.compile(r"\r(?!\n)|[^\x20-\x7e\n\t\r]")
_JSON_CANDIDATES = re.compile(r"[^\x00-\x7e]")
_SHOWN: dict[str, str] = {}


def unsafe(char: str) -> bool:
    """True for a character that must not reach a terminal as itself."""
    return unicodedata.category(char) in _UNSAFE_CATEGORIES


def _visible(char: str) -> str:
    """The visible, inert stand-in for one character (itself when it is safe)."""
    shown = _SHOWN.get(char)
    if shown is None:
        code = ord(char)
        if code < 0x20:
            shown = chr(0x2400 + code)  # ␀ .. ␟, ESC -> ␛
        elif code == 0x7F:
            shown = "\u2421"  # ␡
        elif unsafe(char):
            shown = f"<U+{code:04X}>"
        else:
            shown = char
        _SHOWN[char] = shown
    return shown


def _one_line(match: re.Match[str]) -> str:
    char = match.group()
    return " " if char in "\n\r\t" else _visible(char)


def _lines(match: re.Match[str]) -> str:
    return _visible(match.group())


def clean(text: Any) -> str:
    """One value safe to show on one line (see the module docstring); '' for None."""
    if text is None or text == "":
        return ""
    value = str(text)
    if value.isascii() and value.isprintable():
        # Most names and places are printable ASCII: nothing to change, and this check runs in C.
        return value
    return _CANDIDATES.sub(_one_line, value)


def clean_lines(text: str) -> str:
    """A whole output (several lines) safe to print: newlines, tabs and CR-LF kept."""
    return _CANDIDATES_LINES.sub(_lines, text)


def _json_escape(match: re.Match[str]) -> str:
    char = match.group()
    if not unsafe(char):
        return char
    code = ord(char)
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    code -= 0x10000  # a surrogate pair, as JSON spells characters beyond the BMP
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def json_text(payload: Any, *, indent: int | None = 2) -> str:
    """JSON of `payload` with readable non-ASCII text, but every unsafe character escaped.

    `json.loads(json_text(x)) == x`: stored values come back exactly. json already escapes C0
    controls (ESC included); C1 controls, bidi and zero-width characters are escaped here.
    """
    text = json.dumps(payload, indent=indent, ensure_ascii=False)
    # Inside strings json escaped every C0 control; a raw newline here is json's own indent.
    return _JSON_CANDIDATES.sub(_json_escape, text)


# A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> Any:
    """A CSV cell: text made visible and inert (one line), a formula-like start quoted with '."""
    if not isinstance(value, str):
        return value
    if value.startswith(_FORMULA_STARTS):
        value = "'" + value
    return clean(value)


# ESC-introduced sequences (CSI, OSC/DCS/APC/PM/SOS up to BEL or ST, two-byte escapes):
# initials drop them whole, so `\x1b[31mAva` still gives 'A.'.
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b[\]PX^_][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-Z\\-_]|\x1b"
)


def initials(name: str) -> str:
    """Initials for redacted display: 'Ava Testwood' -> 'A.T.'."""
    letters = "".join(
        " " if char.isspace() or char == "-" else "" if unsafe(char) else char
        for char in _ESCAPES.sub("", str(name or ""))
    )
    parts = [part for part in letters.split() if part[:1].isalpha()]
    return "".join(f"{part[0].upper()}." for part in parts) or "?"
