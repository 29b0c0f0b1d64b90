"""--redact is an allowlist: only listed keys show; anything else, including fields added later,
is hidden."""

from __future__ import annotations

import pytest

from caseboard.domain.packet import PACKET_FIELDS
from caseboard.domain.redaction import (
    REDACTED,
    SAFE_PACKET_FIELDS,
    clock_ref,
    redact_value,
    redacted_child,
    redacted_data,
    redacted_packet_value,
    shown_text,
)


@pytest.mark.parametrize("key", ["a_field_added_next_year", "marks", "clothing", "caseworker",
                                 "caseworker_phone", "supervisor", "county", "police_officer",
                                 "police_ref", "nic", "aliases", "dob", "sex"])  # fmt: skip
def test_packet_fields_not_on_the_list_are_hidden(key: str) -> None:
    assert redacted_packet_value(key, "MARKER") == REDACTED


def test_every_packet_field_is_either_safe_or_hidden() -> None:
    for key, _label, _section in PACKET_FIELDS:
        shown = redacted_packet_value(key, "Ava Testwood")
        if key == "name":
            assert shown == "A.T."
        elif key in SAFE_PACKET_FIELDS:
            assert shown == "Ava Testwood"
        else:
            assert shown == REDACTED, key


@pytest.mark.parametrize("key", ["officer", "ref", "condition", "placed", "by", "how", "where",
                                 "source", "note", "text", "reason", "summary", "contingency",
                                 "experiences", "response", "new_event_field"])  # fmt: skip
def test_event_keys_not_on_the_list_are_hidden(key: str) -> None:
    assert redact_value(key, "MARKER") == REDACTED


def test_safe_event_values_and_nested_changes() -> None:
    changes = {"where": "MARKER", "name": "Ava Testwood", "age": 14}
    data = {"report": "police", "agency": "City PD", "changes": changes, "void": False}
    shown = redacted_data(data)
    assert shown["report"] == "police" and shown["agency"] == "City PD"
    assert shown["changes"] == {"where": REDACTED, "name": "A.T.", "age": 14}


def test_child_records_override_reasons_and_report_numbers() -> None:
    child = {"id": 3, "name": "Ava Testwood", "dob": "2010-01-01", "age": 15,
             "aliases": "MARKER", "created_at": "t", "new_column": "MARKER"}  # fmt: skip
    assert redacted_child(child) == {"id": 3, "name": "A.T.", "dob": None, "age": 15,
                                     "aliases": REDACTED, "created_at": "t",
                                     "new_column": REDACTED}  # fmt: skip
    assert shown_text("MARKER", True) == REDACTED and shown_text("x", False) == "x"
    assert clock_ref("police", "24-1", True) == REDACTED
    assert clock_ref("recovery_notice", "police told", True) == "police told"
    assert clock_ref("ncic", "M123", False) == "M123"
