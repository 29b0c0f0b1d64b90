"""domain.audit: anchors, the operators fold, and syslog lines that carry no free text."""

from __future__ import annotations

import pytest

from caseboard import paths
from caseboard.domain import policy as policy_module
from caseboard.domain.audit import (
    AuditHead,
    BadOperatorEvent,
    OperatorEvent,
    OperatorRow,
    access_line,
    event_line,
    fold_operators,
    parse_anchor,
)
from caseboard.domain.errors import BadInput

FULL = "3f2a9c0b1d4e5f60" + "a" * 48


def test_an_anchor_is_an_id_and_a_hash_prefix() -> None:
    assert parse_anchor(" 1234:3F2A9C0B ") == AuditHead(1234, "3f2a9c0b")
    assert parse_anchor(f"7:{FULL}") == AuditHead(7, FULL)
    assert AuditHead.of(1234, FULL).line() == "event 1234 · 3f2a9c0b1d4e5f60"
    assert AuditHead.of(1234, FULL).anchor() == "1234:3f2a9c0b1d4e5f60"


@pytest.mark.parametrize(
    "text", ["", "12", "12:", ":abcdef12", "0:abcdef12", "1:abc", "1:xyzxyzxy"]
)
def test_a_malformed_anchor_names_the_option(text: str) -> None:
    with pytest.raises(BadInput) as raised:
        parse_anchor(text)
    assert raised.value.field == "--anchor"


def _event(event_id: int, data: object, actor: str = "boss") -> OperatorEvent:
    return OperatorEvent(event_id, f"2026-01-0{event_id}T00:00:00+00:00", actor, data)


def test_the_operators_fold_follows_services_add_and_disable() -> None:
    rows = fold_operators(
        [
            _event(1, {"username": "boss", "role": "supervisor", "name": None, "active": True}),
            _event(2, {"username": "liz", "role": "liaison", "name": "Liz", "active": True}),
            _event(3, {"username": "liz", "active": False}),
            _event(4, {"username": "liz", "role": "dispatcher", "name": None, "active": True}, "x"),
        ]
    )
    assert rows["liz"] == OperatorRow(
        "liz", "Liz", "dispatcher", 1, "2026-01-02T00:00:00+00:00", "boss"
    )
    assert rows["boss"].added_by == "boss"
    with pytest.raises(BadOperatorEvent):
        fold_operators([_event(1, {"username": "ghost", "active": False})])


def test_syslog_lines_carry_identifiers_never_typed_text() -> None:
    assert event_line(9, FULL, "note", 3, "liz") == (
        "event=9 hash=3f2a9c0b1d4e5f60 type=note case=3 actor=liz"
    )
    line = access_line(
        "liz\x1b]0;x\x07",
        "ssh: note 8 'Bobby at the mall'",
        "refused: liz is a viewer; Bobby",
        None,
        "ssh 127.0.0.9; rm",
    )
    assert line == "access actor=? action=ssh:note outcome=refused case=- source=-"
    assert "outcome=other" in access_line("a", "view case", "Bobby said hi", 4, "local")
    assert "outcome=exit:4" in access_line("a", "ssh: cases", "exit 4", None, "local")


def test_the_syslog_target_is_off_by_default_and_validated() -> None:
    text = paths.builtin_policy_text("federal")
    assert policy_module.load(text).audit_syslog is None
    udp = policy_module.load(text, '[audit]\nsyslog = "udp://[::1]:514"')
    assert udp.audit_syslog == ("::1", 514)
    assert policy_module.load(text, '[audit]\nsyslog = "/dev/log"').audit_syslog == "/dev/log"
    for bad in ("syslog = 5", 'syslog = "tcp://h:1"', 'syslog = "udp://h:0"', "other = 1"):
        with pytest.raises(policy_module.PolicyError) as raised:
            policy_module.load(text, f"[audit]\n{bad}")
        assert raised.value.field.startswith("audit.")
