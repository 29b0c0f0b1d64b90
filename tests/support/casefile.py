"""Cases that exercise every event type a case can have, corrections included (#13's fixture):
a missing child with handover lines and a corrected sighting, a recovered child with a return
interview that found a clear trafficking concern, an overridden case, a closed case."""

from __future__ import annotations

from dataclasses import dataclass

from caseboard import services
from caseboard.services import actions, photos
from support import images


@dataclass(frozen=True)
class Casefile:
    """The case ids, and the events whose corrections the views must show."""

    missing: int
    recovered: int
    overridden: int
    closed: int
    corrected_sighting: int
    struck_note: int


def _intake(session: services.Session, name: str, age: int, placement: str, hours: int) -> int:
    return services.open_case(
        session,
        {
            "name": name,
            "age": age,
            "learned_at": f"{hours - 1}h ago",
            "last_seen_at": f"{hours}h ago",
            "last_seen_where": "Oak Street bus shelter",
            "placement_type": placement,
            "agency": "Sample County Children's Services",
            "caseworker": "C. Worker",
        },
    )


def build(session: services.Session) -> Casefile:
    """Every case event type: intake, sighting, contact, confirm (all three reports), risk,
    override, note, handover note, packet, correction (a time moved, a value changed, an
    event struck), recovery, notify (police and NCMEC), interview, close."""
    missing = _intake(session, "Ava Casefile", 9, "group_home", 6)
    for report, ref in (("police", "26-004530"), ("ncic", "M260045301"), ("ncmec", "1512345")):
        actions.confirm_report(
            session,
            missing,
            report,
            {"ref": ref, "at": "4h ago", "agency": "Sampleton PD", "officer": "Ofc. A. Fakerson"},
        )
    sighting = actions.log_sighting(
        session,
        missing,
        {
            "at": "3h ago",
            "where": "Oak Street",
            "source": "store clerk, by phone",
            "police_told": True,
            "note": "wearing a red coat",
        },
    ).event_id
    actions.correct_event(
        session, sighting, "caller rang back", {"at": "2h30m ago", "confirmed": True}
    )
    actions.log_contact(session, missing, {"at": "5h ago", "how": "phone", "note": "said fine"})
    actions.change_risk(session, missing, add=["life_medication", "out_of_character"])
    actions.update_packet(session, missing, {"caseworker_phone": "555-0100", "hair": "brown"})
    actions.set_handover_note(
        session,
        missing,
        summary="Seen near Oak Street twice tonight",
        contingency="If seen at the mall, call Det. Example",
    )
    actions.add_note(session, missing, "Pick-up order requested")
    struck = actions.add_note(session, missing, "wrong case").event_id
    actions.correct_event(session, struck, "entered on the wrong case", {}, void=True)

    recovered = _intake(session, "Ben Casefile", 15, "foster_home", 30)
    actions.record_recovery(
        session,
        recovered,
        {
            "at": "20h ago",
            "where": "Example bus depot",
            "by": "Ofc. A. Fakerson",
            "condition": "cold, unhurt",
            "placed": "back at the foster home",
        },
    )
    actions.record_notice(session, recovered, "police", {"at": "19h ago"})
    actions.record_notice(session, recovered, "ncmec", {"at": "19h ago"})
    actions.record_interview(
        session,
        recovered,
        {
            "at": "1h ago",
            "screen": "clear",
            "police_told": True,
            "note": "met an older man",
            # The statute's fields (#17): every kind of value, ids among them.
            "factors": ["placement_conflict", "adult_recruitment", "other"],
            "other_factor": "wanted to see a concert",
            "experiences": "stayed at a motel with an older man",
            "indicators": ["older_partner", "hotel_or_party"],
            "labor_screen": "possible",
            "response": "safety plan and a therapy referral",
        },
    )

    overridden = _intake(session, "Cal Casefile", 10, "kin", 5)
    actions.change_risk(
        session, overridden, override="HIGH", reason="with a grandparent, known address"
    )

    closed = _intake(session, "Dee Casefile", 16, "shelter", 8)
    actions.change_risk(session, closed, add=["severe_weather", "substance_use"])
    actions.change_risk(session, closed, remove=["severe_weather"])
    actions.update_packet(session, closed, {"hair": "black"})
    actions.update_packet(session, closed, {"hair": ""})
    photos.attach_photo(session, closed, images.photo_file(), taken="2026-10-02")
    actions.close_case(session, closed, "entered in error")
    return Casefile(missing, recovered, overridden, closed, sighting, struck)
