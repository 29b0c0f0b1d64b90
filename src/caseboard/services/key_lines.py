"""Key lines inside a write: remove an operator's keys (also when the operator is disabled)."""

from __future__ import annotations

from pathlib import Path

from caseboard.domain.authorized_keys import BoundKey, bound_key, fingerprint
from caseboard.domain.vocab import EventType
from caseboard.store import authorized_keys as key_file
from caseboard.store.writer import WriteSession


def remove_keys_in(tx: WriteSession, target: str, path: Path) -> list[tuple[int, str]]:
    """Inside a write: drop the matching key lines and record an event for each."""
    lines = key_file.read_lines(path)
    kept: list[str] = []
    removed: list[BoundKey] = []
    for line in lines:
        bound = bound_key(line)
        if bound is not None and target in (bound.operator, fingerprint(bound.key)):
            removed.append(bound)
        else:
            kept.append(line)
    if not removed:
        return []
    results = []
    for bound in removed:
        marked = fingerprint(bound.key)
        data = {"action": "remove", "operator": bound.operator, "fingerprint": marked}
        results.append((tx.append(None, EventType.KEY, tx.now, data), marked))
    key_file.write_lines(path, kept)
    return results


def bound_keys(lines: list[str]) -> list[BoundKey]:
    """The lines of ours, in file order."""
    return [bound for line in lines if (bound := bound_key(line)) is not None]
