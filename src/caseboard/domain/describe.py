"""How each event reads to a person: one sentence per event, the same words everywhere.

The timeline of the case detail, `caseboard show`, the correction picker and the handover all
describe events through `describe()`: no `key=value`, no True/False, no vocabulary ids. Every
typed value is cleaned here (and hidden under --redact), so the sentence is safe to show.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from caseboard.domain.model import Event
from caseboard.domain.packet import PACKET_FIELDS
from caseboard.domain.photo import photo_sentence
from caseboard.domain.redaction import REDACTED
from caseboard.domain.textsafe import clean
from caseboard.domain.vocab import PLACEMENT_TYPES, REPORT_LABELS, SCREEN_RESULTS

# Short words for risk factors in a sentence (the vocabulary's own labels are explanations).
FACTOR_WORDS = {
    "trafficking": "trafficking",
    "suicidal": "suicidal ideation or self-harm",
    "life_medication": "life-sustaining medication",
    "disability": "cognitive or developmental disability",
    "abduction": "signs of abduction",
    "severe_weather": "severe weather",
    "medication": "other medication",
    "pregnancy": "pregnancy",
    "online_enticement": "online enticement",
    "exploited_before": "exploited in an earlier episode",
    "substance_use": "substance use",
    "gang_weapon": "gang or weapon involvement",
    "out_of_state": "out-of-state travel",
    "out_of_character": "out of character",
}
NOTICE_WORDS = {"police": "Police", "ncmec": "NCMEC"}
LABELS = {key: label for key, label, _section in PACKET_FIELDS}


class _Words:
    """Typed values of one event, cleaned, or hidden under --redact."""

    def __init__(self, data: Mapping[str, Any], redact: bool) -> None:
        self.data = data
        self.redact = redact

    def typed(self, key: str) -> str:
        """A typed value ('' when absent), hidden whole under --redact."""
        value = self.data.get(key)
        if value in (None, "", [], {}):
            return ""
        return REDACTED if self.redact else clean(str(value))

    def factors(self, key: str) -> str:
        """Risk factor ids as words."""
        ids = self.data.get(key) or ()
        if not isinstance(ids, list | tuple):
            return ""
        return ", ".join(FACTOR_WORDS.get(str(i), clean(str(i))) for i in ids)


def _joined(*parts: str, sep: str = "; ") -> str:
    return sep.join(part for part in parts if part)


def _note(words: _Words, key: str = "note") -> str:
    text = words.typed(key)
    return f"note: {text}" if text else ""


def _intake(w: _Words) -> str:
    placement = PLACEMENT_TYPES.get(str(w.data.get("placement_type")), "placement not known")
    where = w.typed("last_seen_where")
    return _joined(
        "Case opened",
        f"last seen at {where}" if where else "",
        _joined(
            placement,
            w.typed("agency") if not w.redact else clean(str(w.data.get("agency") or "")),
            sep=", ",
        ),
    )


def _sighting(w: _Words) -> str:
    seen = "confirmed" if w.data.get("confirmed") else "unconfirmed"
    head = f"Sighting ({seen})"
    where = w.typed("where")
    if where:
        head += f" at {where}"
    source = w.typed("source")
    if source:
        head += f" — {source}"
    return _joined(head, "police told" if w.data.get("police_told") else "", _note(w))


def _contact(w: _Words) -> str:
    how = w.typed("how")
    return _joined(f"Contact with the child{f' by {how}' if how else ''}", _note(w))


def _confirm(w: _Words) -> str:
    report = REPORT_LABELS.get(str(w.data.get("report")), "Report")
    details = _joined(w.typed("ref"), w.typed("agency"), w.typed("officer"), sep=", ")
    return f"{report} confirmed" + (f": {details}" if details else "")


def _recovery(w: _Words) -> str:
    where, by = w.typed("where"), w.typed("by")
    head = "Recovered" + (f" at {where}" if where else "") + (f" by {by}" if by else "")
    condition, placed = w.typed("condition"), w.typed("placed")
    return _joined(
        head,
        f"condition: {condition}" if condition else "",
        f"placed at {placed}" if placed else "",
        _note(w),
    )


def _notify(w: _Words) -> str:
    return f"{NOTICE_WORDS.get(str(w.data.get('report')), 'Agency')} told of the recovery"


def _interview(w: _Words) -> str:
    screen = SCREEN_RESULTS.get(str(w.data.get("screen")), "not recorded")
    return _joined(
        f"Return interview: trafficking screen — {screen}",
        "police told" if w.data.get("police_told") else "",
        _note(w),
    )


def _risk(w: _Words) -> str:
    added, removed = w.factors("add"), w.factors("remove")
    return _joined(
        "Risk factors changed",
        f"added {added}" if added else "",
        f"removed {removed}" if removed else "",
    )


def _override(w: _Words) -> str:
    tier = w.data.get("tier")
    reason = w.typed("reason")
    head = f"Tier overridden to {clean(str(tier))}" if tier else "Tier override removed"
    return head + (f": {reason}" if reason else "")


def _close(w: _Words) -> str:
    reason = w.typed("reason")
    return "Case closed" + (f": {reason}" if reason else "")


def _correction(w: _Words) -> str:
    reason = w.typed("reason")
    head = "Struck out an earlier event" if w.data.get("void") else "Corrected an earlier event"
    return head + (f": {reason}" if reason else "")


def _handover_note(w: _Words) -> str:
    parts = []
    for key, title in (("summary", "Handover summary"), ("contingency", "Contingency")):
        if key in w.data:
            text = w.typed(key)
            parts.append(f"{title}: {text}" if text else f"{title} cleared")
    return _joined(*parts) or "Handover lines unchanged"


def _note_event(w: _Words) -> str:
    return f"Note: {w.typed('text')}"


def _packet(w: _Words) -> str:
    added = [LABELS.get(key, key).lower() for key, value in w.data.items() if value is not None]
    cleared = [LABELS.get(key, key).lower() for key, value in w.data.items() if value is None]
    return _joined(
        f"Packet updated: {', '.join(added)}" if added else "Packet updated",
        f"cleared {', '.join(cleared)}" if cleared else "",
    )


def _signoff(w: _Words) -> str:
    note = w.typed("note")
    return "Handover signed off" + (f": {note}" if note else "")


def _operator(w: _Words) -> str:
    who = clean(str(w.data.get("username") or "?"))
    if w.data.get("active") is False:
        return f"Operator {who} disabled"
    return f"Operator {who} is an active {clean(str(w.data.get('role') or '?'))}"


def _key(w: _Words) -> str:
    who = clean(str(w.data.get("operator") or "?"))
    done = "bound to" if w.data.get("action") == "add" else "removed from"
    return f"SSH key {clean(str(w.data.get('fingerprint') or ''))} {done} {who}"


SENTENCES: dict[str, Callable[[_Words], str]] = {
    "intake": _intake,
    "sighting": _sighting,
    "contact": _contact,
    "confirm": _confirm,
    "recovery": _recovery,
    "notify": _notify,
    "interview": _interview,
    "note": _note_event,
    "risk": _risk,
    "override": _override,
    "close": _close,
    "correction": _correction,
    "handover_note": _handover_note,
    "signoff": _signoff,
    "operator": _operator,
    "key": _key,
    "packet": _packet,
    "photo": lambda w: photo_sentence(w.data),
}


def describe(event: Event, *, redact: bool = False) -> str:
    """One sentence for a person: 'Sighting (unconfirmed) at Oak Street — store clerk; police
    told'. Unknown event types read as their name, never as data."""
    sentence = SENTENCES.get(event.type)
    if sentence is None:
        return clean(event.type).replace("_", " ").capitalize()
    return sentence(_Words(event.data, redact))
