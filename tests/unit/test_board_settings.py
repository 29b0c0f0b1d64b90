"""The board's bell setting: `[board] bell` in the policy TOML, on by default."""

from __future__ import annotations

import pytest

from caseboard import paths
from caseboard.domain.policy import PolicyError, load

FEDERAL = paths.builtin_policy_text("federal")


def test_the_bell_is_on_by_default() -> None:
    assert load(FEDERAL).bell is True


def test_a_policy_file_can_turn_the_bell_off() -> None:
    assert load(FEDERAL, "[board]\nbell = false\n").bell is False


@pytest.mark.parametrize("text", ['[board]\nbell = "no"\n', "[board]\nbell = 0\n"])
def test_a_bell_that_is_not_true_or_false_is_refused(text: str) -> None:
    with pytest.raises(PolicyError, match=r"board\.bell"):
        load(FEDERAL, text)


def test_an_unknown_board_key_is_refused() -> None:
    with pytest.raises(PolicyError, match=r"board\.beep"):
        load(FEDERAL, "[board]\nbeep = true\n")
