"""Policy files with generated values for every key (issue 11): loading raises only PolicyError
naming a key, and a policy that loads keeps every clock's arithmetic inside datetime's range."""

from __future__ import annotations

import json
import math
import tomllib
from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from caseboard import paths
from caseboard.domain.policy import PolicyError, load

FEDERAL = paths.builtin_policy_text("federal")


def _keys(table: dict[str, Any], prefix: str = "") -> list[str]:
    keys: list[str] = []
    for key, value in table.items():
        dotted = f"{prefix}{json.dumps(key)}"
        keys += _keys(value, f"{dotted}.") if isinstance(value, dict) else [dotted]
    return keys


KEYS = _keys(tomllib.loads(FEDERAL))


def _float(value: float) -> str:
    if math.isnan(value):
        return "nan"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return repr(value)


VALUES = st.one_of(
    st.integers(min_value=-(2**63), max_value=2**63 - 1).map(str),
    st.floats().map(_float),
    st.sampled_from(["1e308", "1.7976931348623157e308", "true", "[]", '["trafficking"]', "{}"]),
    st.text(max_size=10).map(json.dumps),
)
STEP_KEYS = st.one_of(
    st.sampled_from(["1e308", "inf", "nan", "-1", "0", "99999999999"]),
    st.integers(0, 10**20).map(str),
)


@given(
    overrides=st.dictionaries(st.sampled_from(KEYS), VALUES, max_size=4),
    steps=st.dictionaries(STEP_KEYS, st.integers(-5, 10**20), max_size=3),
)
def test_generated_policy_values_raise_only_policy_error(
    overrides: dict[str, str], steps: dict[str, int]
) -> None:
    lines = [f"{key} = {value}" for key, value in overrides.items()]
    if steps:
        lines.append("[risk.time_escalation]")
        lines += [f"{json.dumps(key)} = {value}" for key, value in steps.items()]
    try:
        policy = load(FEDERAL, "\n".join(lines), source="generated.toml")
    except PolicyError as exc:
        assert exc.field
        return
    now = datetime(2026, 11, 28, tzinfo=UTC)
    durations = [
        policy.police, policy.ncmec, policy.ncic, policy.recovery_notice,
        policy.return_interview, policy.repeat_window, policy.max_future, policy.due_next,
        *policy.no_news.values(), *(after for after, _ in policy.time_escalation),
    ]  # fmt: skip
    for duration in durations:
        assert timedelta(0) <= duration
        # No OverflowError: every due time and window start is far from datetime's ends.
        assert (now + duration) - (now - duration) == 2 * duration
