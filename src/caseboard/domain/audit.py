"""Audit heads and anchors, and the operators table as its events say it must be."""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from caseboard.domain.errors import BadInput
from caseboard.domain.vocab import ROLES

# How much of an event's hash a head shows: 16 hex digits (64 bits) are enough to commit to
# the history and short enough to read out over the phone or copy from a printed handover.
HEAD_DIGITS = 16
# An anchor may give fewer digits (never fewer than 8) or the whole hash.
ANCHOR_MIN_DIGITS = 8

_ANCHOR = re.compile(r"([0-9]{1,18}):([0-9a-fA-F]+)")


@dataclass(frozen=True)
class AuditHead:
    """A point of the audit chain: an event id and (the start of) that event's hash."""

    event_id: int
    hash: str

    @classmethod
    def of(cls, event_id: int, full_hash: str) -> AuditHead:
        """The head as shown: the hash cut to HEAD_DIGITS."""
        return cls(event_id, full_hash[:HEAD_DIGITS])

    def line(self) -> str:
        """`event 1234 · 3f2a9c0b1d4e5f60`."""
        return f"event {self.event_id} · {self.hash}"

    def anchor(self) -> str:
        """`1234:3f2a9c0b1d4e5f60`, as `verify --anchor` takes it."""
        return f"{self.event_id}:{self.hash}"

    def as_json(self) -> dict[str, Any]:
        """`{id, hash}`."""
        return {"id": self.event_id, "hash": self.hash}


def parse_anchor(text: str) -> AuditHead:
    """`ID:HASH` (HASH: at least 8 hex digits of the event's hash) or BadInput naming --anchor."""
    match = _ANCHOR.fullmatch(text.strip())
    if match is None or int(match[1]) < 1:
        raise BadInput("--anchor", "expected ID:HASH, e.g. 1234:3f2a9c0b1d4e5f60 (an audit head)")
    digits = match[2].lower()
    if not ANCHOR_MIN_DIGITS <= len(digits) <= 64:
        raise BadInput(
            "--anchor", f"HASH needs {ANCHOR_MIN_DIGITS} to 64 hex digits of the event's hash"
        )
    return AuditHead(int(match[1]), digits)


def head_from_data(value: object) -> AuditHead | None:
    """A head stored in an event's data (`{"id": …, "hash": …}`); None when absent or damaged."""
    if not isinstance(value, Mapping):
        return None
    event_id, digits = value.get("id"), value.get("hash")
    if type(event_id) is not int or not isinstance(digits, str):
        return None
    return AuditHead(event_id, digits)


@dataclass(frozen=True)
class OperatorRow:
    """What an operators row must hold, by its operator events."""

    username: str
    name: str | None
    role: str
    active: int
    added_at: str
    added_by: str


@dataclass(frozen=True)
class OperatorEvent:
    """An operator event as stored: id, recorded_at, actor and its decoded data."""

    id: int
    recorded_at: str
    actor: str
    data: Any


class BadOperatorEvent(ValueError):
    """An operator event that cannot be folded (its data is not what the write path writes)."""


def fold_operators(events: Iterable[OperatorEvent]) -> dict[str, OperatorRow]:
    """The operators table the write path leaves after these events, in id order.

    Adding (`role` given, active) inserts a row or re-enables one with the new role, keeping the
    old name when none is given (services._add_operator); disabling (`active` false) sets
    active to 0.
    """
    rows: dict[str, OperatorRow] = {}
    for event in events:
        data = event.data
        if not isinstance(data, Mapping) or not isinstance(data.get("username"), str):
            raise BadOperatorEvent(f"operator event {event.id} names no operator")
        username, active = data["username"], data.get("active")
        before = rows.get(username)
        if active is False:
            if before is None:
                raise BadOperatorEvent(
                    f"operator event {event.id} disables an operator no event added"
                )
            rows[username] = _replace(before, active=0)
            continue
        role, name = data.get("role"), data.get("name")
        if active is not True or not isinstance(role, str) or not isinstance(name, str | None):
            raise BadOperatorEvent(f"operator event {event.id} is neither an add nor a disable")
        if before is None:
            rows[username] = OperatorRow(username, name, role, 1, event.recorded_at, event.actor)
        else:
            kept = name if name is not None else before.name
            rows[username] = _replace(before, name=kept, role=role, active=1)
    return rows


def _replace(row: OperatorRow, **changes: Any) -> OperatorRow:
    fields = {**row.__dict__, **changes}
    return OperatorRow(**fields)


def operator_differences(
    expected: Mapping[str, OperatorRow], stored: Mapping[str, Mapping[str, Any]]
) -> list[tuple[str, str]]:
    """(username, what) for every operators row that its events do not explain. Stored free
    text (a name) is never quoted; roles and the active flag are (they are from a short list)."""
    found: list[tuple[str, str]] = []
    for username in sorted(set(expected) | set(stored), key=str):
        want, row = expected.get(username), stored.get(username)
        if want is None:
            found.append((username, "has no operator event: it was written into the table"))
            continue
        if row is None:
            found.append((username, "was added by an operator event but its row is missing"))
            continue
        if row.get("role") != want.role:
            found.append(
                (
                    username,
                    f"role is {_short(row.get('role'))} but its operator events say {want.role!r}",
                )
            )
        if row.get("active") != want.active:
            says = "active" if want.active else "disabled"
            found.append(
                (
                    username,
                    f"active is {_short(row.get('active'))} but its operator events say {says}",
                )
            )
        for column in ("name", "added_at", "added_by"):
            if row.get(column) != getattr(want, column):
                found.append((username, f"{column} differs from its operator events"))
    return found


def _short(value: object) -> str:
    """A stored role or flag as shown in a finding: only values from the short lists verbatim."""
    if type(value) is int and value in (0, 1):
        return str(value)
    if isinstance(value, str) and value in ROLES:
        return repr(value)
    return "not a known value"


# --- the copy sent to syslog ------------------------------------------------------------------

# What may leave through syslog: identifiers and words from the program's own vocabulary. Names,
# places, notes, reasons and typed command lines never do (a refusal's sentence quotes them).
_WORD = re.compile(r"[a-z][a-z0-9-]*")
_ACCOUNT = re.compile(r"[A-Za-z0-9._@-]{1,64}")
_SOURCE = re.compile(r"(local|ssh [0-9A-Fa-f.:]{1,45})")


def _account(text: str) -> str:
    return text if _ACCOUNT.fullmatch(text) else "?"


def _words(text: str, most: int = 3) -> str:
    """The leading words of an action that are plain lower-case words (`ssh: cases --json
    'Bobby'` gives `ssh:cases`), joined by colons; `?` when there are none."""
    kept: list[str] = []
    for word in text.replace(":", " ").split()[:most]:
        if not _WORD.fullmatch(word):
            break
        kept.append(word)
    return ":".join(kept) or "?"


def _outcome(text: str) -> str:
    """ok, refused, or `exit:N`; anything else is `other` (an outcome may quote typed text)."""
    if text == "ok" or text.startswith("refused"):
        return text.split(":", 1)[0]
    match = re.match(r"exit ([0-9]{1,3})\b", text)
    return f"exit:{match[1]}" if match else "other"


def event_line(event_id: int, full_hash: str, kind: str, case_id: int | None, actor: str) -> str:
    """The syslog copy of one committed event."""
    case = str(case_id) if type(case_id) is int else "-"
    return (
        f"event={event_id} hash={full_hash[:HEAD_DIGITS]} type={_words(kind, 1)} case={case}"
        f" actor={_account(actor)}"
    )


def access_line(
    actor: str, action: str, outcome: str, case_id: int | None, source: str | None
) -> str:
    """The syslog copy of one access-log entry."""
    case = str(case_id) if type(case_id) is int else "-"
    where = source if source is not None and _SOURCE.fullmatch(source) else "-"
    return (
        f"access actor={_account(actor)} action={_words(action)} outcome={_outcome(outcome)}"
        f" case={case} source={where.replace(' ', ':', 1)}"
    )


# --- keys ---------------------------------------------------------------------------------------

_FORCED = re.compile(r'command="((?:[^"\\]|\\.)*)"')


def fold_keys(events: Iterable[Any]) -> set[tuple[str, str]]:
    """(operator, fingerprint) of every key its key events leave bound (adds minus removes)."""
    bound: set[tuple[str, str]] = set()
    for data in events:
        if not isinstance(data, Mapping):
            continue
        pair = (data.get("operator"), data.get("fingerprint"))
        if not all(isinstance(part, str) for part in pair):
            continue
        if data.get("action") == "add":
            bound.add((str(pair[0]), str(pair[1])))
        elif data.get("action") == "remove":
            bound.discard((str(pair[0]), str(pair[1])))
    return bound


def forced_database(line: str) -> str | None:
    """The `--db` of an authorized_keys line's forced command; None when it names none."""
    match = _FORCED.search(line)
    if match is None:
        return None
    command = re.sub(r"\\(.)", r"\1", match[1])
    try:
        words = shlex.split(command)
    except ValueError:
        return None
    if "--db" not in words[:-1]:
        return None
    return words[words.index("--db") + 1]
