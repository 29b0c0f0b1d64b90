"""The report packet and the BOLO flyer as content: what they say, in order, before any format.

The packet lists NCMEC's fields in NCMEC's order (domain/packet.py), each filled or marked as
still missing, with the risk in words, the report numbers, the last confirmed sighting and the
caseworker's 24/7 phone. The flyer is what a patrol officer needs on one page. Every typed value
is cleaned here and hidden under --redact by the same allowlist as everywhere else.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from typing import Any

from caseboard.domain.board import CaseSummary
from caseboard.domain.display import local
from caseboard.domain.model import Event, effective
from caseboard.domain.packet import PACKET_FIELDS, packet_values, still_missing
from caseboard.domain.photo import PhotoRef, photo_line
from caseboard.domain.redaction import REDACTED, redacted_packet_value
from caseboard.domain.textsafe import clean, initials
from caseboard.domain.vocab import PLACEMENT_TYPES

MISSING = "MISSING"
SECTION_TITLES = {
    "child": "Child",
    "placement": "Placement",
    "episode": "Episode",
    "police": "Police",
}
# What a patrol officer reads first on a flyer: the description, as NCMEC's poster gives it.
FLYER_DESCRIPTION = (
    "sex", "race", "height", "weight", "hair", "eyes", "marks", "clothing",
)  # fmt: skip
# Not "no photo on file": the packet's own "Photo on file" field may say a paper photo exists.
NO_PHOTO = "no photo attached in caseboard"
PHOTO_WITHHELD = "photo withheld (--redact)"


@dataclass(frozen=True)
class Row:
    """One labelled value; `value` None means still missing (marked as such)."""

    label: str
    value: str | None


@dataclass(frozen=True)
class Block:
    """A titled group of rows."""

    title: str
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class Paper:
    """A packet or a flyer as content: title lines, the photo, blocks, what is missing."""

    kind: str  # "packet" or "flyer"
    title: str
    subtitle: str
    photo: PhotoRef | None  # None: no photo on file, or withheld under --redact
    photo_note: str
    blocks: tuple[Block, ...]
    missing: tuple[str, ...]
    footer: str

    def filled_values(self) -> list[str]:
        """Every filled value, in order (what a reader of the document must find)."""
        return [row.value for block in self.blocks for row in block.rows if row.value]


def _shown(key: str, value: Any, zone: tzinfo, redact: bool) -> str | None:
    """A packet value in words, cleaned; hidden whole under --redact unless on the allowlist."""
    if value is None:
        return None
    if redact:
        value = redacted_packet_value(key, value)
        if value == REDACTED:
            return REDACTED
    if isinstance(value, datetime):
        return local(value, zone)
    if isinstance(value, date):
        return value.isoformat()
    if key == "photo_on_file":
        return "yes" if value else None
    if key == "placement_type":
        return PLACEMENT_TYPES.get(str(value), clean(value))
    return clean(value)


def last_confirmed_sighting(events: Iterable[Event]) -> Event | None:
    """The latest confirmed sighting after corrections, by when it happened."""
    confirmed = [
        event
        for event in effective(events)
        if event.type == "sighting" and event.data.get("confirmed")
    ]
    return max(confirmed, key=lambda event: (event.occurred_at, event.id), default=None)


def _name(summary: CaseSummary, redact: bool) -> str:
    name = summary.child.name
    return initials(name) if redact else clean(name)


def _age(summary: CaseSummary) -> str:
    return "age unknown" if summary.age is None else f"age {summary.age}"


def _photo(photo: PhotoRef | None, redact: bool) -> tuple[PhotoRef | None, str]:
    if redact:
        return None, PHOTO_WITHHELD
    if photo is None:
        return None, NO_PHOTO
    return photo, photo_line(photo)


def _sighting_rows(events: Sequence[Event], zone: tzinfo, redact: bool) -> tuple[Row, ...]:
    sighting = last_confirmed_sighting(events)
    if sighting is None:
        return (Row("Last confirmed sighting", "none recorded"),)
    where = sighting.data.get("where")
    shown_where = REDACTED if redact and where else clean(where) or "place not recorded"
    return (
        Row("Last confirmed sighting", local(sighting.occurred_at, zone)),
        Row("Where", shown_where),
    )


def _risk_rows(summary: CaseSummary, redact: bool) -> tuple[Row, ...]:
    risk = summary.assessment
    tier = risk.tier + (f" (override; computed {risk.computed_tier})" if risk.override_tier else "")
    rows = [Row("Tier", f"{tier}, {risk.score} points")]
    for reason in risk.reasons:
        mark = "critical" if reason.critical else f"+{reason.points}"
        rows.append(Row(mark, clean(reason.label)))
    if not risk.reasons:
        rows.append(Row("Factors", "no risk factors recorded"))
    if risk.override_tier:
        reason_text = REDACTED if redact else clean(risk.override_reason)
        rows.append(Row("Override reason", reason_text or "none given"))
    return tuple(rows)


def packet_paper(
    summary: CaseSummary,
    events: Sequence[Event],
    photo: PhotoRef | None,
    now: datetime,
    zone: tzinfo,
    *,
    redact: bool = False,
) -> Paper:
    """The report packet for police and NCMEC: NCMEC's fields in order, then risk, reports,
    the last confirmed sighting; empty fields marked MISSING and listed at the top."""
    state = summary.state
    fields = packet_values(state)
    values = {field.key: field.value for field in fields}
    values["name"] = summary.child.name
    if summary.child.dob is not None:
        values["dob"] = summary.child.dob
    blocks: list[Block] = []
    for section, title in SECTION_TITLES.items():
        rows = [
            Row(label, _shown(key, values.get(key), zone, redact))
            for key, label, in_section in PACKET_FIELDS
            if in_section == section
        ]
        if section == "child":
            rows.insert(3, Row("Age", _age(summary).removeprefix("age ")))
        if section == "police":
            ncmec = state.confirmations.get("ncmec")
            ref = ncmec.get("ref") if ncmec else None
            rows.append(Row("NCMEC case number", _shown("ncmec_ref", ref, zone, redact)))
        blocks.append(Block(title, tuple(rows)))
    blocks.append(Block("Risk factors", _risk_rows(summary, redact)))
    blocks.append(Block("Last confirmed sighting", _sighting_rows(events, zone, redact)))
    blocks.append(
        Block(
            "24/7 contact",
            (
                Row(
                    "Caseworker 24/7 phone",
                    _shown("caseworker_phone", values.get("caseworker_phone"), zone, redact),
                ),
            ),
        )
    )
    filled = [field for field in fields if field.key != "name"]
    missing = list(still_missing(filled))
    if state.confirmations.get("ncmec") is None:
        missing.append("NCMEC case number")
    shown_photo, note = _photo(photo, redact)
    return Paper(
        kind="packet",
        title=f"Missing from care: report packet, case {state.case_id}",
        subtitle=(
            f"{_name(summary, redact)} ({_age(summary)}), {state.status};"
            f" prepared {local(now, zone)}"
        ),
        photo=shown_photo,
        photo_note=note,
        blocks=tuple(blocks),
        missing=tuple(missing),
        footer=f"caseboard case {state.case_id}; fields marked {MISSING} are not yet known.",
    )


def flyer_paper(
    summary: CaseSummary,
    events: Sequence[Event],
    photo: PhotoRef | None,
    now: datetime,
    zone: tzinfo,
    *,
    redact: bool = False,
) -> Paper:
    """The one-page BOLO for patrol: photo, name, age, description, last seen, who to call."""
    state = summary.state
    values = {field.key: field.value for field in packet_values(state)}
    labels = {key: label for key, label, _section in PACKET_FIELDS}
    description = tuple(
        Row(labels[key], _shown(key, values.get(key), zone, redact)) for key in FLYER_DESCRIPTION
    )
    sighting = last_confirmed_sighting(events)
    seen_at, seen_where = state.last_seen_at, state.last_seen_where
    seen_label = "Last seen"
    if sighting is not None and sighting.occurred_at > seen_at:
        seen_at, seen_where = sighting.occurred_at, str(sighting.data.get("where") or "")
        seen_label = "Last confirmed sighting"
    where = REDACTED if redact and seen_where else clean(seen_where) or "place not recorded"
    phone = _shown("caseworker_phone", values.get("caseworker_phone"), zone, redact)
    contact = (
        Row("Caseworker 24/7 phone", phone),
        Row("Agency with custody", clean(state.agency)),
        Row("Or call", "911 / local police"),
    )
    last_seen = (Row(seen_label, local(seen_at, zone)), Row("Where", where))
    shown_photo, note = _photo(photo, redact)
    missing = [row.label for row in (*description, *contact) if row.value is None]
    return Paper(
        kind="flyer",
        title="MISSING CHILD: BE ON THE LOOKOUT",
        subtitle=f"{_name(summary, redact)}, {_age(summary)}",
        photo=shown_photo,
        photo_note=note,
        blocks=(
            Block("Description", description),
            Block("Last seen", last_seen),
            Block("If seen, call", contact),
        ),
        missing=tuple(missing),
        footer=(
            f"Case {state.case_id}, missing since {local(state.last_seen_at, zone)};"
            f" flyer prepared {local(now, zone)}. Do not approach if unsafe."
        ),
    )
