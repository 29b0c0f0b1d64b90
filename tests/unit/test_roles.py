"""The role rules: every action has its row, and one sentence says every refusal."""

from __future__ import annotations

import pytest

from caseboard.domain.roles import ROLES_FOR, Action, may, refusal, roles_for
from caseboard.domain.vocab import ROLES, Role


def test_every_action_has_a_rule_and_viewers_only_read() -> None:
    assert set(ROLES_FOR) == set(Action)
    readable = {Action.OPEN, Action.VERIFY, Action.BACKUP}
    assert {action for action in Action if may(Role.VIEWER, action)} == readable
    assert all(may(Role.SUPERVISOR, action) for action in Action)


def test_a_plain_action_name_finds_its_rule_and_an_unknown_one_is_supervisors_only() -> None:
    assert roles_for("confirm police") == roles_for(Action.CONFIRM_POLICE)
    assert roles_for("something new") == (Role.SUPERVISOR,)


def test_a_refusal_names_the_operator_the_role_and_who_may() -> None:
    assert refusal("dina", "dispatcher", Action.SIGHTING) is None
    assert refusal("lee", "liaison", Action.CLOSE) == (
        "lee is a liaison; close needs one of: dispatcher, supervisor"
    )


@pytest.mark.parametrize(
    ("action", "least"),
    [(Action.OPEN, "viewer"), (Action.NOTE, "liaison"), (Action.INTAKE, "dispatcher")],
)
def test_someone_who_is_no_operator_is_told_the_least_role_that_would_do(
    action: Action, least: str
) -> None:
    said = refusal("stranger", None, action)
    assert said == (
        "stranger is not an active caseboard operator; a supervisor can add you with:"
        f" caseboard operators add stranger --role {least}"
    )


def test_roles_are_the_stored_strings() -> None:
    assert ROLES == ("supervisor", "dispatcher", "liaison", "viewer")
    assert f"{Role.LIAISON}" == "liaison"
