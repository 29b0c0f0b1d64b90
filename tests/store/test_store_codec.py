"""The canonical JSON that event data, projections and the audit hash are written in."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from caseboard.store.codec import dumps, loads

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


@given(JSON)
def test_dumps_writes_exactly_what_json_dumps_writes(value: Any) -> None:
    # Stored hashes were computed over this text: it must never change for any value.
    expected = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    assert dumps(value) == expected


def test_dumps_keeps_typed_text_as_typed() -> None:
    assert dumps({"b": "Zoë “Q”\u2028", "a": [1, None, True]}) == (
        '{"a":[1,null,true],"b":"Zoë “Q”\u2028"}'
    )


@given(JSON)
def test_loads_reads_back_exactly_what_json_loads_reads(value: Any) -> None:
    text = dumps(value)
    expected = json.loads(text)
    # NaN is the one value not equal to itself: compare the canonical text of both readings.
    assert dumps(loads(text)) == dumps(expected)
    assert type(loads(text)) is type(expected)
