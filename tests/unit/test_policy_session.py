"""[session] lock_minutes and ssh_logout_minutes: defaults, fractions, bounds named in errors."""

from __future__ import annotations

from datetime import timedelta

import pytest

from caseboard import paths
from caseboard.domain.policy import PolicyError, load
from caseboard.tui.idle import duration_text

FEDERAL = paths.builtin_policy_text("federal")


def test_the_federal_profile_locks_after_15_minutes_and_logs_out_after_30() -> None:
    policy = load(FEDERAL)
    assert policy.lock_after == timedelta(minutes=15)
    assert policy.ssh_logout_after == timedelta(minutes=30)


def test_fractions_of_a_minute_are_allowed() -> None:
    policy = load(FEDERAL, "[session]\nlock_minutes = 0.05\nssh_logout_minutes = 0.1\n")
    assert policy.lock_after == timedelta(seconds=3)
    assert policy.ssh_logout_after == timedelta(seconds=6)
    assert duration_text(policy.lock_after) == "3 seconds"
    assert duration_text(timedelta(minutes=1)) == "1 minute"


@pytest.mark.parametrize(
    ("text", "field", "says"),
    [
        ("lock_minutes = 0", "session.lock_minutes", "more than 0"),
        ("lock_minutes = -1", "session.lock_minutes", "at least"),
        ("lock_minutes = 31", "session.lock_minutes", "at most 30"),
        ("lock_minutes = nan", "session.lock_minutes", "finite"),
        ("lock_minutes = true", "session.lock_minutes", "expected a number"),
        ("ssh_logout_minutes = '30'", "session.ssh_logout_minutes", "expected a number"),
        ("ssh_logout_minutes = 1e9", "session.ssh_logout_minutes", "at most 1440"),
        ("idle = 3", "session.idle", "unknown policy key"),
    ],
)
def test_bad_session_values_are_named(text: str, field: str, says: str) -> None:
    with pytest.raises(PolicyError) as caught:
        load(FEDERAL, f"[session]\n{text}\n")
    assert field in str(caught.value) and says in str(caught.value)


def test_session_must_be_a_table() -> None:
    with pytest.raises(PolicyError, match="session: expected a table"):
        load(FEDERAL, "session = 3\n")
