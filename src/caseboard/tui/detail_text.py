"""One case in full as Rich Text (never markup): who, risk, clocks, packet, timeline, episodes."""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo
from typing import Any

from rich.console import Console
from rich.text import Text

from caseboard.domain.clocks import clock_at as live_clock
from caseboard.domain.describe import (
    Entry,
    describe,
    earlier_interview,
    interview_lines,
    last_time,
    revision_note,
    tier_words,
    timeline,
)
from caseboard.domain.display import CLOCK_TITLES, clock_cell, local, percent
from caseboard.domain.flags import FLAG_MARK, FLAG_WORDS, case_flags, police_told_of_concern
from caseboard.domain.interview_vocab import InterviewVocabulary
from caseboard.domain.packet import packet_values, still_missing
from caseboard.domain.redaction import REDACTED, redacted_packet_value, shown_text
from caseboard.domain.textsafe import clean, initials
from caseboard.domain.timefmt import span
from caseboard.domain.vocab import PLACEMENT_TYPES
from caseboard.services import CaseDetail

STRONG = "bold reverse"  # readable without colour
HEADING = "bold underline"


def _value(value: Any, zone: tzinfo) -> str:
    if isinstance(value, datetime):
        return local(value, zone)
    if value is True:
        return "yes"
    if isinstance(value, list):
        return ", ".join(clean(str(item)) for item in value)
    return clean(str(value))


RECENT = 5  # timeline entries shown newest first under "Now"
# Text.wrap wants a console for justifying; wrapping itself only measures cells.
_WRAPPER = Console(width=200, color_system=None, force_terminal=False, file=None)


def detail_text(
    detail: CaseDetail,
    now: datetime,
    zone: tzinfo,
    redact: bool,
    fraction: float,
    width: int | None = None,
) -> Text:
    """The whole case, ordered by what matters now: who and how urgent; the open clocks, the
    handover lines and the latest news; the newest entries; then risk, packet, earlier episodes
    and the whole timeline. Every typed value passes through clean(). Given the `width` it is
    drawn at, timeline entries wrap with a hanging indent under their text."""
    summary = detail.summary
    state, risk = summary.state, summary.assessment
    name = initials(summary.child.name) if redact else clean(summary.child.name)
    age = "age unknown" if summary.age is None else f"age {summary.age}"
    out = Text(end="")
    out.append(f"Case {state.case_id}: ", "bold")
    out.append(f"{name} ({age}) — {state.status}  ", "bold")
    out.append(f" {risk.tier}{'*' if risk.override_tier else ''} ", STRONG)
    words = tier_words(risk)
    if risk.tier == "CRITICAL" and risk.score == 0 and words != risk.tier:
        out.append(f" {words.removeprefix('CRITICAL ')}")  # why, rather than '0 points'
    else:
        out.append(f" {risk.score} points")
    if risk.override_tier:
        out.append(f" (override; computed {risk.computed_tier})")
    out.append("\n")
    for flag in case_flags(state):
        told = police_told_of_concern(state)
        police = {True: "police told", False: "police NOT recorded as told", None: ""}[told]
        out.append(f" {FLAG_MARK} {FLAG_WORDS[flag]} ", "bold reverse")
        out.append(f"  at the return interview; {police}\n" if police else "\n", "bold")
    recovery = state.recovery
    if recovery is not None:
        found = REDACTED if redact else clean(recovery.get("where"))
        by = REDACTED if redact else clean(recovery.get("by"))
        placed = REDACTED if redact else clean(recovery.get("placed"))
        out.append(f"Recovered {local(recovery.at, zone)} at {found}, by {by}")
        out.append(f"; placed at {placed}\n" if recovery.get("placed") else "\n")
    where = REDACTED if redact else clean(state.last_seen_where)
    out.append(
        f"Missing {span(timedelta(seconds=summary.elapsed_s))} since last seen"
        f" {local(state.last_seen_at, zone)} at {where}\n"
    )
    _now_block(out, detail, now, zone, redact, fraction, width)
    entries = timeline(detail.events)
    standing = [entry for entry in entries if not entry.struck]
    newest = sorted(standing, key=lambda entry: (entry.event.occurred_at, entry.event.id))
    out.append("\nLatest\n", HEADING)
    for entry in reversed(newest[-RECENT:]):
        _entry_lines(out, entry, zone, redact, width, detail.vocabulary)
    if state.interview is not None:
        rows = interview_lines(state.interview.details, redact=redact, vocab=detail.vocabulary)
        if len(rows) > 1:  # more than today's screen alone: the statute's fields
            out.append("\nReturn interview\n", HEADING)
            for title, words in rows:
                _hang(out, Text(f"  {title:<19} "), Text(words), width)
    out.append(
        f"\nAgency learned of it {local(state.learned_at, zone)};"
        f" placement {PLACEMENT_TYPES.get(state.placement_type, '?')}, {clean(state.agency)}\n"
    )
    out.append("\nRisk, factor by factor\n", HEADING)
    for reason in risk.reasons:
        mark = "CRITICAL" if reason.critical else f"+{reason.points}"
        out.append(f"  {mark:>8}  {clean(reason.label)}\n")
    if not risk.reasons:
        out.append("         0  no risk factors recorded\n")
    if risk.override_tier and state.override:
        why = clean(shown_text(risk.override_reason, redact))
        out.append(
            f"  override to {risk.override_tier} by {clean(state.override.by)}"
            f" {local(state.override.at, zone)}: {why}\n"
        )
    fields = packet_values(state)
    out.append(f"\nPacket ({percent(summary.packet_complete)} complete)\n", HEADING)
    missing = still_missing(fields)
    if missing:
        out.append("  still missing: ", "bold")
        out.append(
            ", ".join(missing[:6]) + (f" and {len(missing) - 6} more" if len(missing) > 6 else "")
        )
        out.append("\n")
    for item in fields:
        out.append(f"  {item.label:<26} ")
        if item.value is None:
            out.append("not recorded", "dim")
        elif redact and redacted_packet_value(item.key, item.value) != item.value:
            out.append(str(redacted_packet_value(item.key, item.value)))
        elif item.key == "placement_type":
            out.append(PLACEMENT_TYPES.get(str(item.value), clean(str(item.value))))
        else:
            out.append(_value(item.value, zone))
        out.append("\n")
    out.append("\nWhole timeline\n", HEADING)
    for entry in entries:
        _entry_lines(out, entry, zone, redact, width, detail.vocabulary)
    if detail.other_episodes:
        out.append("\nEarlier and other episodes of this child\n", HEADING)
        latest = earlier_interview(state, detail.other_episodes)
        for episode in detail.other_episodes:
            out.append(
                f"  case {episode.case_id}: {episode.status},"
                f" learned of {local(episode.learned_at, zone)}"
            )
            if episode.recovery is not None:
                found = REDACTED if redact else clean(episode.recovery.get("where"))
                out.append(f"; found {local(episode.recovery.at, zone)} at {found}")
                companions = episode.packet.get("companions")
                if companions and not redact:
                    out.append(f", with {clean(str(companions))}")
            out.append("\n")
            lead = "last time" if episode is latest else "that time"
            said = last_time(episode, redact=redact, lead=lead, vocab=detail.vocabulary)
            if said and episode.learned_at < state.learned_at:
                _hang(out, Text("    "), Text(said), width)
    out.append(f"\nAs of {local(now, zone)}; version {state.version}.")
    return out


def _now_block(
    out: Text,
    detail: CaseDetail,
    now: datetime,
    zone: tzinfo,
    redact: bool,
    fraction: float,
    width: int | None,
) -> None:
    """Open clocks by urgency with due times, the handover lines, the latest news; then the
    clocks that are done or not started."""
    summary = detail.summary
    state = summary.state
    clocks = [(key, live_clock(stored, now, fraction)) for key, stored in summary.clocks.items()]
    running = sorted(
        ((key, clock) for key, clock in clocks if clock.due_at and clock.state != "done"),
        key=lambda item: item[1].due_at or now,
    )
    out.append("\nNow\n", HEADING)
    for key, clock in running:
        out.append(f"  {CLOCK_TITLES[key]:<17} ")
        out.append(clock_cell(clock, now, redact), STRONG if clock.state == "overdue" else "")
        out.append(f"  (due {local(clock.due_at, zone)})\n")
    if not running:
        out.append("  no clock is running\n")
    for title, stamp in (("Handover", state.handover_summary), ("Contingency", state.contingency)):
        if stamp is not None:
            line = REDACTED if redact else clean(str(stamp.get("text") or ""))
            out.append(f"  {title}: ", STRONG)
            out.append(f"{line}  ({clean(stamp.by)} {local(stamp.at, zone)})\n")
    news = [
        entry.event
        for entry in timeline(detail.events)
        if not entry.struck
        and (
            entry.event.type == "contact"
            or (entry.event.type == "sighting" and entry.event.data.get("confirmed"))
        )
    ]
    if news:
        latest = max(news, key=lambda event: (event.occurred_at, event.id))
        head = Text("  Latest news: ", "bold")
        _hang(
            out,
            head,
            Text(f"{local(latest.occurred_at, zone)} {describe(latest, redact=redact)}"),
            width,
        )
    said = last_time(
        earlier_interview(state, detail.other_episodes), redact=redact, vocab=detail.vocabulary
    )
    if said:
        _hang(out, Text("  Earlier episode: ", "bold"), Text(said), width)
    settled = [(key, clock) for key, clock in clocks if (key, clock) not in running]
    if settled:
        out.append("\nClocks done or not started\n", HEADING)
    for key, clock in settled:
        out.append(f"  {CLOCK_TITLES[key]:<17} {clock_cell(clock, now, redact)}")
        if clock.state == "done":
            out.append(f"  confirmed by {clean(clock.by)} {local(clock.done_at, zone)}")
            out.append(" (late)" if clock.late else "")
        out.append("\n")


def _hang(out: Text, head: Text, body: Text, width: int | None) -> None:
    """`head` then `body`; wrapped lines of the body hang under its first character (under a
    short indent when the head would take half the width)."""
    lead = head.cell_len
    if width is None or lead + body.cell_len <= width:
        out.append_text(head)
        out.append_text(body)
        out.append("\n")
        return
    if lead * 2 > width:  # a narrow view: the head on its own line, the body under it
        out.append_text(head)
        out.append("\n")
        lead = 4
    else:
        out.append_text(head)
    for number, line in enumerate(body.wrap(_WRAPPER, max(width - lead, 1))):
        if number or lead == 4:
            out.append(" " * lead)
        out.append_text(line)
        out.append("\n")


def _entry_lines(
    out: Text,
    entry: Entry,
    zone: tzinfo,
    redact: bool,
    width: int | None,
    vocab: InterviewVocabulary,
) -> None:
    """One timeline entry in words, as it stands after its corrections: what each correction
    did (bold), then each superseded version, dimmed; a struck-out entry is dimmed whole."""
    event = entry.event
    style = "dim" if entry.struck else ""
    head = Text(f"  #{event.id:<5} {local(event.occurred_at, zone)}  ", style)
    body = Text(describe(event, redact=redact, vocab=vocab), style)
    body.append(
        f" · logged {local(event.recorded_at, zone, with_date=False)} by {clean(event.actor)}",
        "dim",
    )
    _hang(out, head, body, width)
    indent = Text(" " * head.cell_len)
    for revision in entry.revisions:
        _hang(out, indent, Text(revision_note(revision, zone, redact=redact), "bold"), width)
    for version in entry.versions:
        was = Text(f"was {local(version.occurred_at, zone)}: ", "dim")
        was.append(describe(version, redact=redact, vocab=vocab), "dim")
        _hang(out, indent, was, width)
