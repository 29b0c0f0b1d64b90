"""Opening a database for an operator, or creating (migrating) it with its first supervisor."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, tzinfo
from pathlib import Path

from caseboard.domain.errors import NotAllowed
from caseboard.domain.policy import Policy
from caseboard.domain.roles import Action, refusal
from caseboard.domain.vocab import Role
from caseboard.services.session import Session
from caseboard.store import operators as operator_rows
from caseboard.store import queries
from caseboard.store.connection import create_or_migrate, open_existing
from caseboard.store.writer import Actor, log_refusal


def open_session(
    path: Path, actor: Actor, policy: Policy, zone: tzinfo, clock: Callable[[], datetime]
) -> Session:
    """Open an existing, migrated database for one active operator (any role may read)."""
    db = open_existing(path, readonly=actor.readonly)
    role = queries.operator_role(db, actor.username)
    refused = refusal(actor.username, role, Action.OPEN)
    if refused is not None:
        log_refusal(db, actor, Action.OPEN, refused, clock())
        raise NotAllowed(refused)
    return Session(db, path, actor, policy, zone, clock, role)


def init_database(
    path: Path, actor: Actor, policy: Policy, zone: tzinfo, clock: Callable[[], datetime]
) -> tuple[Session, list[str], bool]:
    """Create or migrate the database; the first operator is the OS user, as supervisor.

    Returns the session, the migrations applied, and whether this user was made supervisor.
    """
    if actor.readonly:
        raise NotAllowed("read-only mode: init would change the database; nothing was changed")
    db, applied = create_or_migrate(path)
    session = Session(db, path, actor, policy, zone, clock)
    made_supervisor = False
    if queries.count(db, "operators") == 0:
        with session.writing(Action.OPERATORS, bootstrap=True) as tx:
            operator_rows.put(tx, actor.username, Role.SUPERVISOR, None)
        made_supervisor = True
    session.role = queries.operator_role(db, actor.username)
    return session, applied, made_supervisor
