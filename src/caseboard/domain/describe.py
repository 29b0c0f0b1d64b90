"""How each event reads to a person: one sentence per event, the same words everywhere.

The timeline of the case detail, `caseboard show`, the correction picker and the handover all
describe events through `describe()`: no `key=value`, no True/False, no vocabulary ids. Every
typed value is cleaned here (and hidden under --redact), so the sentence is safe to show.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

from caseboard.domain.display import cells, hanging, local
from caseboard.domain.interview import last_time as interview_last_time
from caseboard.domain.interview_vocab import BUILTIN, InterviewVocabulary
from caseboard.domain.model import CaseState, Event
from caseboard.domain.packet import PACKET_FIELDS
from caseboard.domain.photo import photo_sentence
from caseboard.domain.redaction import REDACTED, SAFE_EVENT_KEYS
from caseboard.domain.risk import Assessment
from caseboard.domain.textsafe import clean
from caseboard.domain.timefmt import from_iso
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

    def __init__(
        self, data: Mapping[str, Any], redact: bool, vocab: InterviewVocabulary = BUILTIN
    ) -> None:
        self.data = data
        self.redact = redact
        self.vocab = vocab  # the policy's return-interview words

    def typed(self, key: str) -> str:
        """A typed value ('' when absent), hidden whole under --redact."""
        value = self.data.get(key)
        if value in (None, "", [], {}):
            return ""
        return REDACTED if self.redact and key not in SAFE_EVENT_KEYS else clean(str(value))

    def raw(self, key: str) -> str:
        """A typed value as stored ('' when absent), hidden whole under --redact; for words()
        to clean."""
        value = self.data.get(key)
        if value in (None, "", [], {}):
            return ""
        return REDACTED if self.redact and key not in SAFE_EVENT_KEYS else str(value)

    def listed(self, key: str) -> list[Any]:
        """A stored list of ids ([] when absent or not a list)."""
        ids = self.data.get(key)
        return list(ids) if isinstance(ids, list | tuple) else []

    @staticmethod
    def words(items: Iterable[str]) -> str:
        """Words joined for a sentence, each cleaned (vocabulary words and typed text alike)."""
        return ", ".join(clean(item) for item in items if item)

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
            w.typed("agency"),
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
    labor = SCREEN_RESULTS.get(str(w.data.get("labor_screen")), "")
    factors = w.words(w.vocab.factor_words(w.listed("factors"), w.raw("other_factor")))
    indicators = w.words(w.vocab.indicator_words(w.listed("indicators")))
    experiences, response = w.typed("experiences"), w.typed("response")
    return _joined(
        f"Return interview: trafficking screen — {screen}",
        f"labor trafficking screen — {labor}" if labor else "",
        f"factors: {factors}" if factors else "",
        f"while absent: {experiences}" if experiences else "",
        f"indicators: {indicators}" if indicators else "",
        f"response: {response}" if response else "",
        "police told" if w.data.get("police_told") else "",
        _note(w),
    )


def interview_lines(
    details: Mapping[str, Any], *, redact: bool, vocab: InterviewVocabulary = BUILTIN
) -> list[tuple[str, str]]:
    """A return interview's statute fields as (title, words) for the case detail: the primary
    factors, the experiences while absent, the indicators, both screens, the response."""
    w = _Words(details, redact, vocab)
    rows = [
        ("Primary factors", vocab.factor_words(w.listed("factors"), w.raw("other_factor"))),
        ("While absent", [w.raw("experiences")]),
        ("Indicators", vocab.indicator_words(w.listed("indicators"))),
        ("Trafficking screen", [SCREEN_RESULTS.get(str(details.get("screen")), "")]),
        ("Labor trafficking", [SCREEN_RESULTS.get(str(details.get("labor_screen")), "")]),
        ("Response planned", [w.raw("response")]),
    ]
    return [(title, w.words(words)) for title, words in rows if w.words(words)]


def earlier_interview(state: CaseState, others: Iterable[CaseState]) -> CaseState | None:
    """The child's latest episode before this one that has a return interview, if any."""
    earlier = [
        other
        for other in others
        if other.interview is not None and other.learned_at < state.learned_at
    ]
    return max(earlier, key=lambda other: (other.learned_at, other.case_id), default=None)


def last_time(
    episode: CaseState | None,
    *,
    redact: bool,
    lead: str = "last time",
    vocab: InterviewVocabulary = BUILTIN,
) -> str:
    """What a later episode should know from an earlier one's return interview: 'last time: to
    be with family; response: weekly supervised visits' ('' when there is no interview, or it
    recorded neither factors nor a response)."""
    if episode is None or episode.interview is None:
        return ""
    return interview_last_time(episode.interview.details, vocab, redact=redact, lead=lead)


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


def describe(event: Event, *, redact: bool = False, vocab: InterviewVocabulary = BUILTIN) -> str:
    """One sentence for a person: 'Sighting (unconfirmed) at Oak Street — store clerk; police
    told'. Unknown event types read as their name, never as data."""
    sentence = SENTENCES.get(event.type)
    if sentence is None:
        return clean(event.type).replace("_", " ").capitalize()
    return sentence(_Words(event.data, redact, vocab))


# --- the timeline: corrections shown where the original stood ------------------------------


@dataclass(frozen=True)
class Revision:
    """One correction of an event: the correction itself, the time it moved the event from
    (None when the time stayed), and whether it struck the event out."""

    correction: Event
    moved_from: datetime | None
    void: bool
    moved_to: datetime | None = None
    unreadable: bool = False  # its stored data cannot be applied (caseboard verify names it)


@dataclass(frozen=True)
class Entry:
    """One timeline entry: the event as it stands after its corrections, the versions those
    corrections superseded (oldest first) and the corrections themselves."""

    event: Event
    versions: tuple[Event, ...] = ()
    revisions: tuple[Revision, ...] = ()

    @property
    def struck(self) -> bool:
        """True when a correction struck the event out."""
        return any(revision.void for revision in self.revisions)


def _revised(event: Event, correction: Event) -> tuple[Event, Revision]:
    """The event with one correction applied (as model.effective applies it); a correction
    whose stored data cannot be applied leaves the event as it was, and says so."""
    try:
        return _applied(event, correction)
    except (AttributeError, TypeError, ValueError):
        return event, Revision(correction, None, False, unreadable=True)


def _applied(event: Event, correction: Event) -> tuple[Event, Revision]:
    if correction.data.get("void"):
        return event, Revision(correction, None, True)
    data = dict(event.data)
    moved = event.occurred_at
    for key, value in (correction.data.get("changes") or {}).items():
        if key == "at":
            moved = from_iso(value)
        else:
            data[key] = value
    if event.type == "intake" and "learned_at" in data:
        moved = from_iso(data["learned_at"])
    revised = Event(
        id=event.id,
        case_id=event.case_id,
        type=event.type,
        occurred_at=moved,
        recorded_at=event.recorded_at,
        actor=event.actor,
        data=data,
        supersedes=event.supersedes,
    )
    moved_from = event.occurred_at if moved != event.occurred_at else None
    return revised, Revision(correction, moved_from, False, moved if moved_from else None)


def timeline(events: Iterable[Event]) -> list[Entry]:
    """A case's events in log order with each correction folded into the event it corrects:
    the entry shows the corrected values and keeps the superseded versions beside them."""
    ordered = sorted(events, key=lambda event: event.id)
    corrections: dict[int, list[Event]] = {}
    for event in ordered:
        if event.type == "correction" and event.supersedes is not None:
            corrections.setdefault(event.supersedes, []).append(event)
    entries: list[Entry] = []
    for event in ordered:
        if event.type == "correction" and event.supersedes is not None:
            continue
        versions: list[Event] = []
        revisions: list[Revision] = []
        current = event
        for correction in corrections.get(event.id, ()):
            revised, revision = _revised(current, correction)
            if not revision.void and not revision.unreadable:
                versions.append(current)
            current = revised
            revisions.append(revision)
        entries.append(Entry(current, tuple(versions), tuple(revisions)))
    return entries


def revision_note(revision: Revision, zone: tzinfo, *, redact: bool = False) -> str:
    """'corrected from 12:21 by jdoe: caller rang back (#15)', 'corrected by jdoe: typo (#16)',
    'struck out by jdoe: wrong case (#17)'."""
    correction = revision.correction
    if revision.unreadable:
        return f"a correction that cannot be read (#{correction.id}); run caseboard verify"
    reason = str(correction.data.get("reason") or "")
    why = f": {REDACTED if redact else clean(reason)}" if reason else ""
    who = clean(correction.actor)
    if revision.void:
        return f"struck out by {who}{why} (#{correction.id})"
    moved = ""
    if revision.moved_from is not None:
        # '12:07, corrected from 12:21': the date only when the correction changed the day.
        to = revision.moved_to
        same_day = to is not None and (
            to.astimezone(zone).date() == revision.moved_from.astimezone(zone).date()
        )
        moved = f" from {local(revision.moved_from, zone, with_date=not same_day)}"
    return f"corrected{moved} by {who}{why} (#{correction.id})"


def entry_lines(
    entry: Entry,
    zone: tzinfo,
    *,
    redact: bool,
    width: int | None,
    vocab: InterviewVocabulary = BUILTIN,
) -> list[str]:
    """A timeline entry as plain text lines ('show'): the entry as it stands, what each
    correction did, then each superseded version ('was ...'); wrapped lines hang under the
    text when a `width` is given."""
    event = entry.event
    head = f"  #{event.id:<5} {local(event.occurred_at, zone)}  "
    struck = "[struck out] " if entry.struck else ""
    body = (
        f"{struck}{describe(event, redact=redact, vocab=vocab)}"
        f" · logged {local(event.recorded_at, zone, with_date=False)} by {clean(event.actor)}"
    )
    lines = hanging(head, body, width)
    indent = " " * cells(head)
    for revision in entry.revisions:
        lines += hanging(indent, revision_note(revision, zone, redact=redact), width)
    for version in entry.versions:
        sentence = describe(version, redact=redact, vocab=vocab)
        was = f"was {local(version.occurred_at, zone)}: {sentence}"
        lines += hanging(indent, was, width)
    return lines


# --- why a case is CRITICAL ------------------------------------------------------------------

# Three cells for the board's PTS column: what made a 0-point case CRITICAL.
CRITICAL_TAGS = {
    "trafficking": "trf",
    "suicidal": "sui",
    "life_medication": "med",
    "disability": "dis",
    "abduction": "abd",
    "severe_weather": "wx",
}


def critical_because(risk: Assessment) -> tuple[str, ...]:
    """What made the computed tier CRITICAL, in words: 'age 9, 12 or under', 'trafficking'."""
    return tuple(
        clean(reason.label).replace(": ", ", ")
        if reason.factor == "age"
        else FACTOR_WORDS.get(reason.factor, clean(reason.label))
        for reason in risk.reasons
        if reason.critical
    )


def critical_tag(risk: Assessment) -> str | None:
    """For a case CRITICAL by a rule with no points, a tag of at most three cells naming the
    first rule ('≤12' for the age rule, 'trf' for trafficking); None otherwise."""
    if risk.tier != "CRITICAL" or risk.override_tier or risk.score:
        return None
    for reason in risk.reasons:
        if reason.critical and reason.factor == "age":
            limit = reason.label.rpartition(": ")[2].split(" ")[0]
            return f"≤{limit}" if limit.isdigit() and len(limit) <= 2 else "age"
        if reason.critical:
            return CRITICAL_TAGS.get(reason.factor, "!")
    return None


def tier_line(risk: Assessment) -> str:
    """The tier as `show` states it: 'CRITICAL: age 9, 12 or under' when a rule rather than
    points made it critical; else 'HIGH, 9 points' (and '(override; computed CRITICAL)')."""
    rules = critical_because(risk)
    if risk.tier == "CRITICAL" and not risk.override_tier and rules and risk.score == 0:
        return f"CRITICAL: {'; '.join(rules)}"
    points = f"{risk.score} point" if risk.score == 1 else f"{risk.score} points"
    line = f"{risk.tier}, {points}"
    if risk.override_tier:
        line += f" (override; computed {risk.computed_tier})"
    return line


def tier_words(risk: Assessment) -> str:
    """The tier with why, as a line of text says it: 'CRITICAL (age 9, 12 or under)' when a
    rule rather than points made it critical, 'HIGH (override; computed CRITICAL)', 'HIGH'."""
    if risk.override_tier and risk.override_tier != risk.computed_tier:
        return f"{risk.tier} (override; computed {risk.computed_tier})"
    if risk.override_tier:
        return f"{risk.tier} (override)"
    rules = critical_because(risk)
    if risk.tier == "CRITICAL" and rules and risk.score == 0:
        return f"CRITICAL ({'; '.join(rules)})"
    return risk.tier
