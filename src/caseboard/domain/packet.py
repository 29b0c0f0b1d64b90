"""The NCMEC intake packet: which fields a case has, and how complete it is."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from caseboard.domain.model import CaseState

# (key, label, section). Keys match the intake record of docs/cli.md; police fields come from
# confirmations.
PACKET_FIELDS: tuple[tuple[str, str, str], ...] = (
    ("name", "Full name", "child"),
    ("aliases", "Aliases", "child"),
    ("dob", "Date of birth", "child"),
    ("sex", "Sex", "child"),
    ("race", "Race", "child"),
    ("height", "Height", "child"),
    ("weight", "Weight", "child"),
    ("hair", "Hair colour", "child"),
    ("eyes", "Eye colour", "child"),
    ("marks", "Scars, marks, tattoos", "child"),
    ("clothing", "Clothing when last seen", "child"),
    ("photo_on_file", "Photo on file", "child"),
    ("photo_date", "Photo date", "child"),
    ("placement_type", "Placement type", "placement"),
    ("agency", "Agency with custody", "placement"),
    ("county", "County", "placement"),
    ("caseworker", "Caseworker", "placement"),
    ("caseworker_phone", "Caseworker 24/7 phone", "placement"),
    ("supervisor", "Supervisor", "placement"),
    ("learned_at", "Agency learned of it", "episode"),
    ("last_seen_at", "Last seen (time)", "episode"),
    ("last_seen_where", "Last seen (place)", "episode"),
    ("last_seen_by", "Last seen by", "episode"),
    ("circumstances", "Circumstances", "episode"),
    ("companions", "Companions", "episode"),
    ("vehicle", "Vehicle", "episode"),
    ("phones_social", "Phones and social media", "episode"),
    ("destinations", "Likely destinations", "episode"),
    ("police_agency", "Police agency", "police"),
    ("police_ref", "Police report number", "police"),
    ("police_officer", "Officer", "police"),
    ("nic", "NIC number", "police"),
)

# Optional intake fields that an operator types (everything in the packet but the police part
# and the required core).
OPTIONAL_INTAKE_FIELDS = (
    "aliases",
    "sex",
    "race",
    "height",
    "weight",
    "hair",
    "eyes",
    "marks",
    "clothing",
    "photo_on_file",
    "photo_date",
    "county",
    "caseworker",
    "caseworker_phone",
    "supervisor",
    "last_seen_by",
    "circumstances",
    "companions",
    "vehicle",
    "phones_social",
    "destinations",
)


# What a search needs first when a field is still empty: NCMEC's poster and a patrol officer's
# description come first (photo, clothing, build, colouring), then who to call, then leads.
IMPORTANCE = (
    "photo_on_file", "clothing", "height", "weight", "hair", "eyes", "marks", "sex", "race",
    "caseworker_phone", "caseworker", "police_ref", "nic", "phones_social", "destinations",
    "companions", "vehicle", "last_seen_by", "circumstances", "aliases", "dob", "photo_date",
    "county", "supervisor", "police_agency", "police_officer",
)  # fmt: skip


@dataclass(frozen=True)
class PacketField:
    """One packet field's value for display, None when missing."""

    key: str
    label: str
    section: str
    value: Any


def packet_values(state: CaseState) -> list[PacketField]:
    """Every packet field with its current value (None when not yet known)."""
    police = state.confirmations.get("police")
    ncic = state.confirmations.get("ncic")
    sources: dict[str, Any] = {
        **state.packet,
        "placement_type": state.placement_type,
        "agency": state.agency,
        "learned_at": state.learned_at,
        "last_seen_at": state.last_seen_at,
        "last_seen_where": state.last_seen_where,
        "police_agency": police.get("agency") if police else None,
        "police_ref": police.get("ref") if police else None,
        "police_officer": police.get("officer") if police else None,
        "nic": ncic.get("ref") if ncic else None,
    }
    fields = []
    for key, label, section in PACKET_FIELDS:
        value = sources.get(key)
        if not _filled(value):
            value = None
        fields.append(PacketField(key, label, section, value))
    return fields


def _filled(value: Any) -> bool:
    return value is not None and value != "" and value is not False and value != []


# Fields every case has by construction (the intake refuses a case without them).
_ALWAYS_FILLED = ("placement_type", "agency", "learned_at", "last_seen_at", "last_seen_where")


_TYPED_KEYS = frozenset(
    key
    for key, _label, section in PACKET_FIELDS
    if section != "police" and key not in _ALWAYS_FILLED
)


def completeness(state: CaseState) -> float:
    """Share of packet fields filled, 0..1, rounded to two places.

    Counted directly rather than through packet_values(): the board computes it for every case.
    """
    packet = state.packet
    # A packet holds only what was typed, a handful of keys: walk those, not every field.
    filled = len(_ALWAYS_FILLED) + sum(
        1 for key, value in packet.items() if key in _TYPED_KEYS and _filled(value)
    )
    police, ncic = state.confirmations.get("police"), state.confirmations.get("ncic")
    if police is not None:
        filled += sum(1 for key in ("agency", "ref", "officer") if _filled(police.get(key)))
    if ncic is not None and _filled(ncic.get("ref")):
        filled += 1
    return round(filled / len(PACKET_FIELDS), 2)


def still_missing(fields: list[PacketField]) -> list[str]:
    """Labels of the empty fields, most important first (for the packet's heading)."""
    rank = {key: index for index, key in enumerate(IMPORTANCE)}
    empty = [field for field in fields if field.value is None]
    empty.sort(key=lambda field: rank.get(field.key, len(rank)))
    return [field.label for field in empty]
