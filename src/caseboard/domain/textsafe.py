"""Make operator-typed text inert for display: no escapes, controls, bidi or zero-width tricks."""

from __future__ import annotations

import re
import unicodedata

# ESC-introduced sequences: CSI (ESC [ ... final), OSC/DCS/APC/PM/SOS (ESC ] ... BEL or ST),
# and two-character escapes. The 8-bit C1 forms are removed with the other controls below.
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI
    r"|\x1b[\]PX^_][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC, DCS, SOS, PM, APC up to BEL or ST
    r"|\x1b[@-Z\\-_]"  # other two-byte escapes
    r"|\x1b"  # a lone ESC
)
# 8-bit C1 string introducers (CSI, OSC, DCS...) with their payload.
_C1_STRINGS = re.compile(r"[\x90\x98\x9d\x9e\x9f][^\x07\x9c]*[\x07\x9c]?|\x9b[0-?]*[ -/]*[@-~]")
_INVISIBLE = {
    "\u200b",
    "\u200c",
    "\u200d",
    "\u2060",
    "\ufeff",  # zero-width characters
    "\u200e",
    "\u200f",
    "\u061c",  # direction marks
    "\u202a",
    "\u202b",
    "\u202c",
    "\u202d",
    "\u202e",  # bidi embeddings and overrides
    "\u2066",
    "\u2067",
    "\u2068",
    "\u2069",  # bidi isolates
}


def clean(text: str | None) -> str:
    """Text safe to show: escapes, controls, bidi overrides and zero-width characters removed.

    Newlines and tabs become spaces, so one value always stays on one line.
    """
    if not text:
        return ""
    text = str(text)
    if text.isascii() and text.isprintable():
        # Printable ASCII holds no escape, control or invisible character: nothing to remove.
        # Most names and places are just that, and this check runs in C.
        return text
    text = _C1_STRINGS.sub("", _ESCAPES.sub("", text))
    kept: list[str] = []
    for char in text:
        if char in "\n\r\t\u2028\u2029":
            kept.append(" ")
        elif char in _INVISIBLE or unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co"):
            continue
        else:
            kept.append(char)
    return "".join(kept)


def initials(name: str) -> str:
    """Initials for redacted display: 'Ava Testwood' -> 'A.T.'."""
    parts = [part for part in clean(name).replace("-", " ").split() if part[:1].isalpha()]
    return "".join(f"{part[0].upper()}." for part in parts) or "?"
