"""Every event type the code writes is in vocab.EVENT_TYPES, which `verify` holds stored
events to (an unknown type is reported as damage)."""

from __future__ import annotations

import re
from pathlib import Path

from caseboard.domain.vocab import EVENT_TYPES

SRC = Path(__file__).resolve().parents[2] / "src" / "caseboard"
# tx.append(case_id, "sighting", ...), tx.append(None, "key", ...), NewEvent(case_id, "intake", ...)
WRITTEN = re.compile(r"(?:\.append|NewEvent)\(\s*[\w.\[\]]+,\s*\"([a-z_]+)\"")


def test_every_event_type_written_is_known() -> None:
    written = {
        kind
        for path in SRC.rglob("*.py")
        for kind in WRITTEN.findall(path.read_text(encoding="utf-8"))
    }
    assert "intake" in written and "key" in written  # the pattern still finds them
    assert written <= set(EVENT_TYPES), written - set(EVENT_TYPES)
