"""SSH keys bound to operators: add, list and remove them, each change an audited event."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from caseboard.domain.authorized_keys import (
    bound_key,
    check_operator_name,
    fingerprint,
    key_line,
    parse_public_key,
)
from caseboard.domain.errors import BadInput
from caseboard.domain.roles import Action
from caseboard.domain.vocab import EventType
from caseboard.services.access import require_role
from caseboard.services.key_lines import bound_keys, remove_keys_in
from caseboard.services.session import Session
from caseboard.store import authorized_keys as key_file
from caseboard.store import queries


@dataclass(frozen=True)
class KeyInfo:
    """A key line of ours as `keys list` shows it."""

    operator: str
    fingerprint: str
    kind: str
    active: bool  # the operator is an active caseboard operator


def add_key(
    session: Session, operator: str, pubkey_text: str, program: str, path: Path
) -> tuple[int, str]:
    """Bind a public key to an active operator; returns (event id, fingerprint)."""
    check_operator_name(operator)
    key = parse_public_key(pubkey_text)
    checked = key_file.keygen_fingerprint(key)
    if checked != fingerprint(key):  # pragma: no cover - both hash the same blob
        raise BadInput("PUBKEY_FILE", "ssh-keygen and caseboard disagree about this key")
    with session.writing(Action.KEYS) as tx:
        if queries.operator_role(tx.db, operator) is None:
            raise BadInput("OPERATOR", f"{operator!r} is not an active caseboard operator")
        lines = key_file.read_lines(path)
        for line in lines:
            bound = bound_key(line)
            if bound is not None and bound.key.body == key.body:
                raise BadInput("PUBKEY_FILE", f"this key is already bound to {bound.operator}")
        event_id = tx.append(
            None,
            EventType.KEY,
            tx.now,
            {"action": "add", "operator": operator, "fingerprint": checked, "key_type": key.kind},
        )
        database = os.path.abspath(session.path)
        key_file.write_lines(path, [*lines, key_line(program, database, operator, key)])
    return event_id, checked


def list_keys(session: Session, path: Path) -> list[KeyInfo]:
    """Every key line of ours in the file (supervisors only: it maps people to keys)."""
    require_role(session, Action.KEYS)
    with session.reading():
        active = {row["username"] for row in queries.operators(session.db) if row["active"]}
    return [
        KeyInfo(bound.operator, fingerprint(bound.key), bound.key.kind, bound.operator in active)
        for bound in bound_keys(key_file.read_lines(path))
    ]


def remove_keys(session: Session, target: str, path: Path) -> list[tuple[int, str]]:
    """Remove the keys of an operator, or the one key with this fingerprint; returns the
    (event id, fingerprint) of each removal. Nothing to remove is bad input."""
    with session.writing(Action.KEYS) as tx:
        removed = remove_keys_in(tx, target, path)
        if not removed:
            raise BadInput("OPERATOR|FINGERPRINT", f"no key of caseboard's matches {target!r}")
        return removed
