"""Who may do what (issue 4's matrix), keyed by action, and the one sentence a refusal says."""

from __future__ import annotations

from collections.abc import Collection
from enum import StrEnum

from caseboard.domain.vocab import Report, Role


class Action(StrEnum):
    """Something an operator does that a role may be refused; the value is what the access
    log and refusals call it."""

    OPEN = "open the database"
    INTAKE = "intake"
    PACKET = "packet"
    PHOTO = "photo"
    IMPORT = "import"
    SIGHTING = "sighting"
    CONTACT = "contact"
    RECOVERY = "recovery"
    NOTE = "note"
    HANDOVER_NOTE = "handover note"
    CONFIRM_POLICE = "confirm police"
    CONFIRM_NCIC = "confirm ncic"
    CONFIRM_NCMEC = "confirm ncmec"
    NOTIFY = "notify"
    INTERVIEW = "interview"
    RISK = "risk"
    CORRECT = "correct"
    CLOSE = "close"
    SIGNOFF = "signoff"
    OVERRIDE = "override"
    OPERATORS = "operators"
    KEYS = "keys"
    AUDIT = "audit"
    EXPORT = "export"
    VERIFY = "verify"
    BACKUP = "backup"


EVERYONE_WHO_WRITES: tuple[Role, ...] = (Role.SUPERVISOR, Role.DISPATCHER, Role.LIAISON)
DISPATCH: tuple[Role, ...] = (Role.SUPERVISOR, Role.DISPATCHER)
SUPERVISOR: tuple[Role, ...] = (Role.SUPERVISOR,)

# Keyed by Action; typed by str so a caller holding a plain action name can look it up.
ROLES_FOR: dict[str, tuple[Role, ...]] = {
    Action.OPEN: tuple(Role),
    Action.INTAKE: DISPATCH,
    Action.PACKET: DISPATCH,
    Action.PHOTO: DISPATCH,
    Action.IMPORT: DISPATCH,
    Action.SIGHTING: EVERYONE_WHO_WRITES,
    Action.CONTACT: EVERYONE_WHO_WRITES,
    Action.RECOVERY: EVERYONE_WHO_WRITES,
    Action.NOTE: EVERYONE_WHO_WRITES,
    # A liaison often knows whom to call if the child is seen: anyone who writes may leave
    # a case's handover lines.
    Action.HANDOVER_NOTE: EVERYONE_WHO_WRITES,
    Action.CONFIRM_POLICE: EVERYONE_WHO_WRITES,
    Action.CONFIRM_NCIC: EVERYONE_WHO_WRITES,
    Action.CONFIRM_NCMEC: DISPATCH,
    Action.NOTIFY: DISPATCH,
    Action.INTERVIEW: DISPATCH,
    Action.RISK: DISPATCH,
    Action.CORRECT: DISPATCH,
    Action.CLOSE: DISPATCH,
    Action.SIGNOFF: DISPATCH,
    Action.OVERRIDE: SUPERVISOR,
    Action.OPERATORS: SUPERVISOR,
    Action.KEYS: SUPERVISOR,
    Action.AUDIT: SUPERVISOR,
    Action.EXPORT: DISPATCH,
    Action.VERIFY: tuple(Role),
    Action.BACKUP: tuple(Role),
}

CONFIRM_ACTIONS: dict[Report, Action] = {
    "police": Action.CONFIRM_POLICE,
    "ncic": Action.CONFIRM_NCIC,
    "ncmec": Action.CONFIRM_NCMEC,
}


def roles_for(action: Action | str) -> tuple[Role, ...]:
    """The roles that may do `action`: supervisors alone for an action the table does not name
    (a new use case is closed until it is given its row)."""
    return ROLES_FOR.get(action, SUPERVISOR)


def may(role: str | None, action: Action | str) -> bool:
    """True when an operator of `role` (None: not an active operator) may do `action`."""
    return role is not None and role in roles_for(action)


def refusal(username: str, role: str | None, action: Action | str) -> str | None:
    """Why `username`, of `role`, may not do `action` (one sentence for every refusal); None
    when they may. Someone who is no operator is told how a supervisor adds them."""
    if may(role, action):
        return None
    if role is None:
        least = next(r for r in reversed(Role) if r in roles_for(action))
        return (
            f"{username} is not an active caseboard operator; a supervisor can add you with:"
            f" caseboard operators add {username} --role {least}"
        )
    return f"{username} is a {role}; {action} needs one of: {allowed(roles_for(action))}"


def allowed(roles: Collection[str]) -> str:
    """The roles named in a refusal, sorted."""
    return ", ".join(sorted(roles))
