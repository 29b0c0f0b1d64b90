"""Errors the domain and the layers above raise; each maps to one CLI exit code."""

from __future__ import annotations


class CaseboardError(Exception):
    """Base of every error shown to an operator as one clear sentence."""

    exit_code = 1


class BadInput(CaseboardError):
    """Input that fails validation; `field` names what was wrong."""

    exit_code = 2

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class Conflict(CaseboardError):
    """The case changed in a way that matters since the action was based on it."""

    exit_code = 3


class NotAllowed(CaseboardError):
    """The operator's role, or read-only mode, does not permit this."""

    exit_code = 4


class Unavailable(CaseboardError):
    """The database is missing, locked too long, not caseboard's, or corrupt."""

    exit_code = 5
