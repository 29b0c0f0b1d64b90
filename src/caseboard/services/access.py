"""Role checks for reads that need more than being an active operator (export, for one)."""

from __future__ import annotations

from caseboard.domain.errors import NotAllowed
from caseboard.services import ROLES_FOR, SUPERVISOR, Session
from caseboard.store import queries
from caseboard.store.writer import log_refusal


def require_role(session: Session, action: str) -> str:
    """The operator's role when it may do `action` (ROLES_FOR); else log the refusal and raise."""
    roles = ROLES_FOR.get(action, SUPERVISOR)
    # Read now rather than trusting session.role: a supervisor may have changed it since opening.
    with session.reading():
        role = queries.operator_role(session.db, session.actor.username)
    if role is not None and role in roles:
        return role
    username = session.actor.username
    if role is None:
        refusal = f"{username} is not an active caseboard operator; {action} needs an active one"
    else:
        refusal = f"{username} is a {role}; {action} needs one of: {', '.join(sorted(roles))}"
    log_refusal(session.db, session.actor, action, refusal, session.now())
    raise NotAllowed(refusal)
