"""Operators: who may use the database and in which role (supervisors manage them)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from caseboard.domain import validate as v
from caseboard.domain.errors import BadInput, NotAllowed
from caseboard.domain.roles import Action, refusal
from caseboard.domain.vocab import ROLES, Role
from caseboard.services.key_lines import remove_keys_in
from caseboard.services.session import Session
from caseboard.store import authorized_keys as key_file
from caseboard.store import operators as operator_rows
from caseboard.store import queries
from caseboard.store.writer import WriteSession


def list_operators(session: Session) -> list[dict[str, Any]]:
    """Every operator; supervisors only, since it names every account."""
    role = queries.operator_role(session.db, session.actor.username)
    refused = refusal(session.actor.username, role, Action.OPERATORS)
    if refused is not None:
        raise NotAllowed(refused)
    return queries.operators(session.db)


def add_operator(session: Session, username: str, role: str, name: str | None) -> None:
    """Add an operator, or re-enable one with a new role."""
    username = (username or "").strip()
    if not username or any(ch.isspace() for ch in username) or len(username) > 64:
        raise BadInput("USER", "expected an OS account name (no spaces, at most 64 characters)")
    if role not in ROLES:
        raise BadInput("--role", f"{role!r} is not one of {', '.join(ROLES)}")
    v.unicode_text(username, "USER")
    if name is not None and len(name) > 120:
        raise BadInput("--name", "is longer than 120 characters")
    if name is not None:
        v.unicode_text(name, "--name")
    with session.writing(Action.OPERATORS) as tx:
        if role != Role.SUPERVISOR and username == tx.actor.username:
            _keep_a_supervisor(tx, username)
        operator_rows.put(tx, username, Role(role), name)


def disable_operator(
    session: Session, username: str, authorized_keys: Path | None = None
) -> list[str]:
    """Disable an operator and remove their SSH keys from `authorized_keys` (default: this
    account's); the last active supervisor cannot be disabled. Returns the keys removed."""
    v.unicode_text(username, "USER")
    with session.writing(Action.OPERATORS) as tx:
        standing = operator_rows.standing(tx, username)
        if standing is None:
            raise BadInput("USER", f"{username!r} is not an operator")
        role, active = standing
        if not active:
            raise BadInput("USER", f"{username!r} is already disabled")
        if role == Role.SUPERVISOR:
            _keep_a_supervisor(tx, username)
        operator_rows.disable(tx, username)
        keys_file = authorized_keys or key_file.default_path()
        return [fingerprint for _, fingerprint in remove_keys_in(tx, username, keys_file)]


def _keep_a_supervisor(tx: WriteSession, leaving: str) -> None:
    if operator_rows.other_supervisors(tx, leaving) == 0:
        raise BadInput("USER", f"{leaving} is the last active supervisor; add another first")
