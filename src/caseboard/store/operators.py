"""The operators table: written inside the write path, alongside each `operator` event."""

from __future__ import annotations

from caseboard.domain.vocab import EventType, Role
from caseboard.store.writer import WriteSession


def standing(tx: WriteSession, username: str) -> tuple[str, bool] | None:
    """(role, active) of an operator, read inside the transaction; None for no operator."""
    rows = list(tx.db.query("SELECT role, active FROM operators WHERE username = ?", [username]))
    return (rows[0]["role"], bool(rows[0]["active"])) if rows else None


def put(tx: WriteSession, username: str, role: str, name: str | None) -> None:
    """Add an operator, or re-enable one with a new role (a name kept unless a new one is
    given); the `operator` event records it."""
    if standing(tx, username) is not None:
        tx.execute(
            "UPDATE operators SET role = ?, name = COALESCE(?, name), active = 1"
            " WHERE username = ?",
            [role, name, username],
        )
    else:
        tx.execute(
            "INSERT INTO operators (username, name, role, active, added_at, added_by)"
            " VALUES (?, ?, ?, 1, ?, ?)",
            [username, name, role, tx.recorded_at, tx.actor.username],
        )
    data = {"username": username, "role": role, "name": name, "active": True}
    tx.append(None, EventType.OPERATOR, tx.now, data)


def disable(tx: WriteSession, username: str) -> None:
    """Disable an operator; the `operator` event records it."""
    tx.execute("UPDATE operators SET active = 0 WHERE username = ?", [username])
    tx.append(None, EventType.OPERATOR, tx.now, {"username": username, "active": False})


def other_supervisors(tx: WriteSession, leaving: str) -> int:
    """Active supervisors besides `leaving`."""
    rows = list(
        tx.db.query(
            "SELECT COUNT(*) AS n FROM operators WHERE role = ? AND active = 1 AND username != ?",
            [Role.SUPERVISOR, leaving],
        )
    )
    return int(rows[0]["n"])
