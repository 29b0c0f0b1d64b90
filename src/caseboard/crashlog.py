"""Internal errors: the details go to one crash log file, the person gets one sentence."""

from __future__ import annotations

import os
import traceback
from datetime import UTC, datetime
from pathlib import Path

from platformdirs import user_log_dir

from caseboard.domain.textsafe import clean

EXIT_INTERNAL = 70
# An exception's message may quote what was typed; the sentence on the terminal keeps a little.
MESSAGE_CHARS = 200


def crash_log_path() -> Path:
    """Where crash details go: the user's log folder for caseboard, crash.log."""
    return Path(user_log_dir("caseboard", appauthor=False)) / "crash.log"


def _chain(exc: BaseException) -> list[BaseException]:
    """The exception and those it was raised from or during, oldest first (as Python prints)."""
    chain: list[BaseException] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        chain.append(current)
        if current.__cause__ is not None:
            current = current.__cause__
        elif current.__context__ is not None and not current.__suppress_context__:
            current = current.__context__
        else:
            current = None
    return chain[::-1]


def _type_name(exc: BaseException) -> str:
    kind = type(exc)
    if kind.__module__ == "builtins":
        return kind.__qualname__
    return f"{kind.__module__}.{kind.__qualname__}"


def format_crash(exc: BaseException, *, redact: bool) -> str:
    """The traceback, never with local variables; with `redact`, exception types and frames
    only, since a message may quote typed text (a name, a place) that --redact must hide."""
    if not redact:
        return "".join(traceback.format_exception(exc))
    parts: list[str] = []
    for exc_in_chain in _chain(exc):
        if parts:
            parts.append("\n(then, while handling it or because of it)\n\n")
        parts.append("Traceback (most recent call last):\n")
        parts.extend(traceback.extract_tb(exc_in_chain.__traceback__).format())
        parts.append(f"{_type_name(exc_in_chain)} (message withheld under --redact)\n")
    return "".join(parts)


def record_crash(exc: BaseException, *, redact: bool, where: str = "") -> Path | None:
    """Append the exception's details to the crash log; its path, or None if it cannot be
    written (then there is nowhere to point the person to, and nothing else to do)."""
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    header = f"--- {stamp} caseboard pid {os.getpid()}{f' ({where})' if where else ''}\n"
    try:
        text = header + format_crash(exc, redact=redact) + "\n"
    except Exception:  # formatting the traceback failed too: keep at least the type
        text = header + f"{_type_name(exc)} (the traceback could not be formatted)\n\n"
    try:
        path = crash_log_path()
        # Not for other accounts: without --redact a message may quote a child's details.
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        handle = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(handle, text.encode("utf-8", "backslashreplace"))
        finally:
            os.close(handle)
    except Exception:  # (OSError, or no home folder to find): the crash must not get worse
        return None
    return path


def crash_sentence(exc: BaseException, log: Path | None, *, redact: bool, what: str) -> str:
    """'caseboard: the board stopped on an internal error (KeyError); details in PATH' — the
    message (cleaned, cut short) only without --redact."""
    told = _type_name(exc)
    if not redact:
        try:
            message = clean(str(exc))
        except Exception:  # an exception whose message cannot even be made
            message = ""
        if len(message) > MESSAGE_CHARS:
            message = message[: MESSAGE_CHARS - 1] + "…"
        if message:
            told = f"{told}: {message}"
    where = f"; details in {clean(str(log))}" if log is not None else ""
    return f"caseboard: {what} ({told}){where}"
