"""Errors the domain and the layers above raise; each maps to one CLI exit code."""

from __future__ import annotations

from caseboard.domain.textsafe import clean_lines


class CaseboardError(Exception):
    """Base of every error shown to an operator as one clear sentence.

    `redacted` is the sentence without typed free text (places, reasons, references), for
    --redact; errors that quote stored text give one.
    """

    exit_code = 1

    def __init__(self, message: str = "", *, redacted: str | None = None) -> None:
        super().__init__(message)
        self.redacted = redacted

    def shown(self, redact: bool = False) -> str:
        """The message as it may leave the program: redacted if asked, always made inert."""
        text = self.redacted if redact and self.redacted is not None else str(self)
        return clean_lines(text)


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


class Damaged(Unavailable):
    """A stored row of one case cannot be read: that case is unreadable (and `caseboard verify`
    says why) while every other case keeps working."""
