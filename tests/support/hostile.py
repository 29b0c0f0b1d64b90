"""Hypothesis strategies for hostile input: text with controls, escapes, bidi overrides and lone
surrogates; numbers too large for SQLite or datetime; non-ASCII digits; times out of range."""

from __future__ import annotations

from hypothesis import settings
from hypothesis import strategies as st

# Characters of every kind, lone surrogates included (what undecodable bytes in argv become, and
# what an escaped half-pair in JSON gives); no NUL, which no argument or terminal can carry.
CHARACTERS = st.one_of(
    st.characters(exclude_characters="\x00"),
    st.characters(categories=["Cs"]),
    st.sampled_from("\x1b\x07\x9b\u202e\u2066\u200b\ufeff²٣١٠-+:/. 09"),
)

NASTY = [
    "",
    " ",
    "0",
    "-1",
    "1e308",
    "NaN",
    "inf",
    "99999999999999999999",
    "9223372036854775807",
    "9223372036854775808",
    "²",
    "٣",
    "١٢",
    "1_0",
    "\udcff\udcfe",
    "\ud800",
    "a\udfffb",
    "\x1b]0;pwned\x07",
    "\x1b[2J",
    "[/]",
    "[@click=app.quit]",
    "\u202eevil",
    "Robert'); DROP TABLE events;--",
    '"',
    "\\",
    "x" * 3000,
]

TIMES_OUT_OF_RANGE = [
    "0001-01-01",
    "1/1/0001 10pm",
    "3000000d ago",
    "1000000d ago",
    "9999-12-31T23:59-14:00",
    "2024-06-01T10:00+25:00",
    "1899-12-31",
    "99999999999999999999m ago",
    "yesterday 25:61",
]

hostile_text = st.one_of(
    st.sampled_from(NASTY), st.text(CHARACTERS, max_size=40), st.integers().map(str)
)
hostile_time = st.one_of(
    st.sampled_from(TIMES_OUT_OF_RANGE), st.sampled_from(["now", "20m ago", "22:15"]), hostile_text
)


# Any JSON value: scalars of every type (huge and non-finite numbers, hostile text, NUL, which
# JSON can carry though argv cannot), and lists and objects of them.
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=2**63 - 2, max_value=10**40),
    st.floats(),  # NaN and ±Infinity too: Python's json reads and writes them
    st.text(CHARACTERS, max_size=30),
    st.sampled_from([*NASTY, *TIMES_OUT_OF_RANGE, "14", "²", "kin", "2012-02-29", "a\x00b"]),
)
JSON_VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(CHARACTERS, max_size=8), inner)
    ),
    max_leaves=12,
)


def examples(ci: int) -> int:
    """`ci` examples under the fixed-seed CI profile; the profile's own number when it asks
    for more (HYPOTHESIS_PROFILE=long)."""
    profile = settings.default
    asked = profile.max_examples if profile is not None else ci
    return asked if asked > 100 else ci
