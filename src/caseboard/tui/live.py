"""Live updates for the board: the services' LiveReader, plus the operator's role for the header."""

from __future__ import annotations

from caseboard import services
from caseboard.services.live import Changes, LiveReader

__all__ = ["Changes", "LiveReader", "operator_role"]


def operator_role(session: services.Session) -> str | None:
    """The operator's active role as of opening the board, or None."""
    return session.role
