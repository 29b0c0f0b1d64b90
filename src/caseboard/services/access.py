"""Access: role checks for reads that need more than an active operator, and the access log."""

from __future__ import annotations

from caseboard import services
from caseboard.domain.errors import BadInput, CaseboardError, NotAllowed
from caseboard.domain.roles import Action, refusal
from caseboard.services.cases import CaseDetail
from caseboard.services.session import Session
from caseboard.store import access_log, queries
from caseboard.store.access_log import AccessEntry, log_access
from caseboard.store.writer import copy_access, log_refusal


def require_role(session: Session, action: Action | str) -> str:
    """The operator's role when it may do `action` (domain/roles.py); else log the refusal
    and raise."""
    # Read now rather than trusting session.role: a supervisor may have changed it since opening.
    with session.reading():
        role = queries.operator_role(session.db, session.actor.username)
    refused = refusal(session.actor.username, role, action)
    if refused is None:
        assert role is not None  # refusal() lets no one who is not an operator through
        return role
    log_refusal(session.db, session.actor, action, refused, session.now())
    raise NotAllowed(refused)


def record_access(
    session: Session, action: str, outcome: str = "ok", *, case_id: int | None = None
) -> None:
    """Log a read (a case viewed, a handover read, an export) for the audit of access."""
    if session.actor.readonly:
        return  # a read-only connection cannot write, the access log included
    log_access(
        session.db,
        session.actor.username,
        action,
        outcome,
        session.now(),
        case_id=case_id,
        source=session.actor.source,
    )
    copy_access(session.actor, action, outcome, case_id)


# What the access log calls each read (refusals carry the action's name, domain/roles.py).
VIEW_CASE = "view case"
HANDOVER = "handover"
EXPORT = "export"
CASE_ID_MAX = 2**63 - 1


def view_case(session: Session, case_id: int) -> CaseDetail:
    """Everything about one case, for a person to read (`show`, the board's enter): logged
    with its outcome, a case that cannot be shown included. Forms that read a case to fill
    themselves use `show_case`."""
    logged_id = case_id if isinstance(case_id, int) and 0 < case_id <= CASE_ID_MAX else None
    try:
        # Looked up on the package when called: tests stand a failing show_case in there.
        detail = services.show_case(session, case_id)
    except CaseboardError as exc:
        record_access(session, VIEW_CASE, f"failed: {exc.shown(redact=True)}", case_id=logged_id)
        raise
    record_access(session, VIEW_CASE, "ok", case_id=logged_id)
    return detail


def audit_entries(
    session: Session,
    *,
    since: str | None = None,
    until: str | None = None,
    operator: str | None = None,
    case_id: int | None = None,
) -> list[AccessEntry]:
    """The access log, for supervisors: `since < at <= until` (times as typed), by operator
    or case; everything when no filter is given."""
    require_role(session, Action.AUDIT)
    start = end = None
    if since:
        start = session.typed_time(since, "--since")
    if until:
        end = session.typed_time(until, "--until")
    if start is not None and end is not None and start > end:
        raise BadInput("--since", "is after --until")
    with session.reading():
        return access_log.entries(
            session.db, since=start, until=end, operator=operator, case_id=case_id
        )
