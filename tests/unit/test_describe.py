"""Events in words: one sentence per event type, no key=value, no True/False, no vocabulary ids."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any, cast

import pytest

from caseboard.domain.describe import SENTENCES, describe
from caseboard.domain.model import Event
from caseboard.domain.vocab import EVENT_TYPES, PLACEMENT_TYPES, RISK_FACTORS, EventType

AT = datetime(2026, 11, 27, 22, 41, tzinfo=UTC)


def ev(kind: str, **data: Any) -> Event:
    # Any type, an unknown one too (describe() must survive it), hence the cast.
    return Event(
        id=7,
        case_id=3,
        type=cast(EventType, kind),
        occurred_at=AT,
        recorded_at=AT,
        actor="jdoe",
        data=data,
    )


EXAMPLES = [
    (
        ev("sighting", where="Oak Street", source="store clerk", confirmed=False, police_told=True),
        "Sighting (unconfirmed) at Oak Street — store clerk; police told",
    ),
    (
        ev(
            "confirm",
            report="police",
            ref="26-004530",
            agency="Sampleton PD",
            officer="Ofc. A. Fakerson",
        ),
        "Police report confirmed: 26-004530, Sampleton PD, Ofc. A. Fakerson",
    ),
    (ev("notify", report="ncmec"), "NCMEC told of the recovery"),
    (ev("notify", report="police"), "Police told of the recovery"),
    (
        ev("contact", how="phone", note="said she is safe"),
        "Contact with the child by phone; note: said she is safe",
    ),
    (
        ev("recovery", where="Bus station", by="Ofc. Ruiz", condition="tired", placed="kin home"),
        "Recovered at Bus station by Ofc. Ruiz; condition: tired; placed at kin home",
    ),
    (
        ev("interview", screen="clear", police_told=True),
        "Return interview: trafficking screen — clear concern; police told",
    ),
    (ev("note", text="aunt called"), "Note: aunt called"),
    (
        ev("risk", add=["substance_use", "life_medication"], remove=["pregnancy"]),
        "Risk factors changed; added substance use, life-sustaining medication; removed pregnancy",
    ),
    (
        ev("override", tier="HIGH", reason="stable placement"),
        "Tier overridden to HIGH: stable placement",
    ),
    (
        ev("override", tier=None, reason="back to computed"),
        "Tier override removed: back to computed",
    ),
    (ev("close", reason="returned home"), "Case closed: returned home"),
    (
        ev("correction", reason="caller rang back", changes={"at": "x"}),
        "Corrected an earlier event: caller rang back",
    ),
    (ev("correction", reason="duplicate", void=True), "Struck out an earlier event: duplicate"),
    (
        ev("handover_note", summary="seen twice near the mall", contingency=""),
        "Handover summary: seen twice near the mall; Contingency cleared",
    ),
    (
        ev("intake", last_seen_where="Demo Mall", placement_type="group_home", agency="DCFS"),
        "Case opened; last seen at Demo Mall; group home, DCFS",
    ),
]


@pytest.mark.parametrize(("event", "sentence"), EXAMPLES, ids=[e.type for e, _ in EXAMPLES])
def test_each_event_reads_as_a_sentence(event: Event, sentence: str) -> None:
    assert describe(event) == sentence


@pytest.mark.parametrize(("event", "sentence"), EXAMPLES, ids=[e.type for e, _ in EXAMPLES])
def test_no_raw_data_reaches_a_person(event: Event, sentence: str) -> None:
    text = describe(event)
    assert "=" not in text and "True" not in text and "False" not in text
    vocabulary = {*PLACEMENT_TYPES, *RISK_FACTORS, "ncmec", "ncic", "police+ncmec"}
    words = set(re.findall(r"[a-z_]+", text))
    assert not {v for v in vocabulary if "_" in v} & words, text


def test_every_event_type_has_a_sentence() -> None:
    assert set(EVENT_TYPES) <= set(SENTENCES)


def test_redact_hides_typed_text_but_keeps_the_words() -> None:
    event = ev("sighting", where="4 Secret Lane", source="neighbour Jo", confirmed=True)
    assert describe(event, redact=True) == "Sighting (confirmed) at [redacted] — [redacted]"


def test_typed_text_is_made_inert() -> None:
    event = ev("note", text="\x1b]2;PWNED\x07 hi")
    assert "\x1b" not in describe(event) and "␛" in describe(event)


def test_an_unknown_type_reads_as_its_name() -> None:
    assert describe(ev("future_thing", secret="x")) == "Future thing"
