"""One case in full as Rich Text (never markup): who, risk, clocks, packet, timeline, episodes."""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo
from typing import Any

from rich.text import Text

from caseboard.domain.clocks import clock_at as live_clock
from caseboard.domain.describe import describe
from caseboard.domain.display import CLOCK_TITLES, clock_cell, local, percent
from caseboard.domain.flags import FLAG_MARK, FLAG_WORDS, case_flags, police_told_of_concern
from caseboard.domain.model import Event
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


def detail_text(
    detail: CaseDetail, now: datetime, zone: tzinfo, redact: bool, fraction: float
) -> Text:
    """The whole case, ordered by what matters now: who and how urgent; the open clocks, the
    handover lines and the latest news; the newest entries; then risk, packet, earlier episodes
    and the whole timeline. Every typed value passes through clean()."""
    summary = detail.summary
    state, risk = summary.state, summary.assessment
    name = initials(summary.child.name) if redact else clean(summary.child.name)
    age = "age unknown" if summary.age is None else f"age {summary.age}"
    out = Text(end="")
    out.append(f"Case {state.case_id}: ", "bold")
    out.append(f"{name} ({age}) — {state.status}  ", "bold")
    out.append(f" {risk.tier}{'*' if risk.override_tier else ''} ", STRONG)
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
    _now_block(out, detail, now, zone, redact, fraction)
    newest = sorted(detail.events, key=lambda event: (event.occurred_at, event.id))[-RECENT:]
    out.append("\nLatest\n", HEADING)
    for event in reversed(newest):
        _event_line(out, event, detail.superseded_by, zone, redact)
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
    for event in detail.events:
        _event_line(out, event, detail.superseded_by, zone, redact)
    if detail.other_episodes:
        out.append("\nEarlier and other episodes of this child\n", HEADING)
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
    out.append(f"\nAs of {local(now, zone)}; version {state.version}.")
    return out


def _now_block(
    out: Text, detail: CaseDetail, now: datetime, zone: tzinfo, redact: bool, fraction: float
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
        event
        for event in detail.events
        if event.id not in detail.superseded_by
        and (event.type == "contact" or (event.type == "sighting" and event.data.get("confirmed")))
    ]
    if news:
        latest = max(news, key=lambda event: (event.occurred_at, event.id))
        out.append("  Latest news: ", "bold")
        out.append(f"{local(latest.occurred_at, zone)} {describe(latest, redact=redact)}\n")
    settled = [(key, clock) for key, clock in clocks if (key, clock) not in running]
    if settled:
        out.append("\nClocks done or not started\n", HEADING)
    for key, clock in settled:
        out.append(f"  {CLOCK_TITLES[key]:<17} {clock_cell(clock, now, redact)}")
        if clock.state == "done":
            out.append(f"  confirmed by {clean(clock.by)} {local(clock.done_at, zone)}")
            out.append(" (late)" if clock.late else "")
        out.append("\n")


def _event_line(
    out: Text, event: Event, superseded: dict[int, int], zone: tzinfo, redact: bool
) -> None:
    """One timeline entry in words; an event a correction replaced is dimmed."""
    replaced = event.id in superseded
    style = "dim" if replaced else ""
    out.append(f"  #{event.id:<5} {local(event.occurred_at, zone)}  ", style)
    out.append(describe(event, redact=redact), style)
    out.append(
        f" · logged {local(event.recorded_at, zone, with_date=False)} by {clean(event.actor)}",
        "dim",
    )
    if replaced:
        out.append(f"  corrected by #{superseded[event.id]}", "bold")
    if event.supersedes is not None:
        out.append(f"  corrects #{event.supersedes}", "bold")
    out.append("\n")
