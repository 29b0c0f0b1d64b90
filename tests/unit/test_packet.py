"""The NCMEC intake packet: filled fields, police fields from confirmations, completeness 0..1."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from caseboard.domain import model
from caseboard.domain.model import CaseState, Event
from caseboard.domain.packet import (
    OPTIONAL_INTAKE_FIELDS,
    PACKET_FIELDS,
    PacketField,
    completeness,
    packet_values,
    still_missing,
)
from caseboard.domain.timefmt import to_iso
from caseboard.domain.vocab import EventType

T0 = datetime(2026, 11, 27, 20, 0, tzinfo=UTC)
TOTAL = 32  # 13 child + 6 placement + 9 episode + 4 police fields

FULL_OPTIONAL: dict[str, Any] = {
    "aliases": "Avie",
    "sex": "F",
    "race": "White",
    "height": "5'4\"",
    "weight": "120 lb",
    "hair": "brown",
    "eyes": "green",
    "marks": "scar on left wrist",
    "clothing": "red hoodie, jeans",
    "photo_on_file": True,
    "photo_date": "2026-06-01",
    "county": "Cook",
    "caseworker": "J. Rivera",
    "caseworker_phone": "312-555-0100",
    "supervisor": "M. Chen",
    "last_seen_by": "house parent",
    "circumstances": "left after curfew",
    "companions": "unknown adult male",
    "vehicle": "silver sedan",
    "phones_social": "@avie",
    "destinations": "mother's apartment",
}


def opened(dob: str | None = "2011-03-04", **extra: Any) -> CaseState:
    event = Event(
        id=1,
        case_id=7,
        type=EventType.INTAKE,
        occurred_at=T0,
        recorded_at=T0,
        actor="dispatcher1",
        data={
            "name": "Ava Testwood",
            "dob": dob,
            "age": None if dob else 15,
            "learned_at": to_iso(T0),
            "last_seen_at": to_iso(T0 - timedelta(hours=1)),
            "last_seen_where": "Maple St bus stop",
            "placement_type": "group_home",
            "agency": "Cook County DCFS",
            "risk_factors": [],
            **extra,
        },
    )
    return model.start(event, child_id=3)


def confirm(state: CaseState, report: str, **data: Any) -> CaseState:
    at = T0 + timedelta(hours=state.version)
    event = Event(
        state.last_event_id + 1,
        7,
        EventType.CONFIRM,
        at,
        at,
        "liaison1",
        {"report": report, **data},
    )
    return model.apply(state, event)


def filled(state: CaseState) -> set[str]:
    return {item.key for item in packet_values(state) if item.value is not None}


def test_packet_has_the_ncmec_fields() -> None:
    assert len(PACKET_FIELDS) == TOTAL
    sections = [section for _, _, section in PACKET_FIELDS]
    assert (sections.count("child"), sections.count("placement")) == (13, 6)
    assert (sections.count("episode"), sections.count("police")) == (9, 4)
    assert len(OPTIONAL_INTAKE_FIELDS) == 21


def test_minimal_intake_fills_the_core_fields() -> None:
    state = opened()
    assert filled(state) == {
        "name",
        "dob",
        "placement_type",
        "agency",
        "learned_at",
        "last_seen_at",
        "last_seen_where",
    }
    assert completeness(state) == round(7 / TOTAL, 2) == 0.22


def test_age_instead_of_dob_leaves_dob_missing() -> None:
    state = opened(dob=None)
    assert "dob" not in filled(state)
    assert completeness(state) == round(6 / TOTAL, 2) == 0.19


def test_every_field_filled_is_complete() -> None:
    state = opened(**FULL_OPTIONAL)
    assert completeness(state) == round(28 / TOTAL, 2)
    state = confirm(state, "police", ref="24-0012", agency="Chicago PD", officer="Ofc. Ruiz")
    state = confirm(state, "ncic", ref="M123456789")
    assert completeness(state) == 1.0
    assert filled(state) == {key for key, _, _ in PACKET_FIELDS}


def test_police_fields_come_from_confirmations() -> None:
    state = opened()
    values = {item.key: item.value for item in packet_values(state)}
    assert [values[key] for key in ("police_agency", "police_ref", "police_officer", "nic")] == [
        None,
        None,
        None,
        None,
    ]
    state = confirm(state, "police", ref="24-0012", agency="Chicago PD", officer="Ofc. Ruiz")
    values = {item.key: item.value for item in packet_values(state)}
    assert values["police_agency"] == "Chicago PD"
    assert values["police_ref"] == "24-0012"
    assert values["police_officer"] == "Ofc. Ruiz"
    assert values["nic"] is None
    assert completeness(state) == round(10 / TOTAL, 2)
    state = confirm(state, "ncic", ref="M123456789")
    values = {item.key: item.value for item in packet_values(state)}
    assert values["nic"] == "M123456789"
    assert completeness(state) == round(11 / TOTAL, 2)


def test_an_ncmec_confirmation_fills_no_police_field() -> None:
    state = confirm(opened(), "ncmec", ref="NCMEC-123")
    assert completeness(state) == completeness(opened())


def test_police_fields_typed_into_the_packet_are_ignored() -> None:
    state = opened(police_ref="typed-by-hand", nic="M000000000")
    values = {item.key: item.value for item in packet_values(state)}
    assert values["police_ref"] is None
    assert values["nic"] is None


def test_police_confirmation_without_officer_fills_only_what_it_has() -> None:
    state = confirm(opened(), "police", ref="24-0012", agency=None, officer=None)
    assert filled(state) & {"police_agency", "police_ref", "police_officer"} == {"police_ref"}


@pytest.mark.parametrize("empty", ["", [], False])
def test_empty_values_do_not_count(empty: object) -> None:
    state = opened(aliases=empty, photo_on_file=empty)
    assert completeness(state) == completeness(opened())


def test_packet_values_keep_labels_and_order() -> None:
    values = packet_values(opened(**FULL_OPTIONAL))
    assert [(v.key, v.label, v.section) for v in values] == list(PACKET_FIELDS)
    by_key = {item.key: item.value for item in values}
    assert by_key["learned_at"] == T0
    assert by_key["photo_on_file"] is True
    assert by_key["clothing"] == "red hoodie, jeans"


_EMPTY_OR_NOT = st.sampled_from([None, "", False, [], "x", True, ["a"], 0, 3])


@given(
    values=st.dictionaries(st.sampled_from(sorted(FULL_OPTIONAL)), _EMPTY_OR_NOT, max_size=21),
    police=st.fixed_dictionaries(
        {}, optional={"agency": _EMPTY_OR_NOT, "ref": _EMPTY_OR_NOT, "officer": _EMPTY_OR_NOT}
    ),
    nic=_EMPTY_OR_NOT,
)
def test_completeness_counts_what_packet_values_fill(
    values: dict[str, Any], police: dict[str, Any], nic: Any
) -> None:
    # completeness() counts directly for speed; it must agree with the field-by-field packet.
    state = confirm(confirm(opened(**values), "police", **police), "ncic", ref=nic)
    assert completeness(state) == round(len(filled(state)) / TOTAL, 2)


def test_still_missing_puts_what_a_search_needs_first() -> None:
    fields = [
        PacketField("supervisor", "Supervisor", "placement", None),
        PacketField("caseworker_phone", "Caseworker 24/7 phone", "placement", None),
        PacketField("clothing", "Clothing when last seen", "child", None),
        PacketField("hair", "Hair colour", "child", "brown"),
        PacketField("photo_on_file", "Photo on file", "child", None),
    ]
    assert still_missing(fields) == [
        "Photo on file", "Clothing when last seen", "Caseworker 24/7 phone", "Supervisor"
    ]  # fmt: skip
