"""Plain-text renderings for the terminal: every typed value passes through clean()."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta, tzinfo
from typing import Any

from caseboard.domain.board import CaseSummary
from caseboard.domain.describe import (
    critical_tag,
    earlier_interview,
    entry_lines,
    interview_lines,
    last_time,
    tier_line,
    timeline,
)
from caseboard.domain.display import CLOCK_TITLES, ago, clock_cell, local, percent
from caseboard.domain.flags import FLAG_MARK, FLAG_WORDS, case_flags
from caseboard.domain.packet import packet_values, still_missing
from caseboard.domain.redaction import REDACTED, redacted_packet_value, shown_text
from caseboard.domain.textsafe import clean, initials
from caseboard.domain.timefmt import from_iso, span
from caseboard.domain.vocab import PLACEMENT_TYPES
from caseboard.services import CaseDetail
from caseboard.services.keys import KeyInfo
from caseboard.store.access_log import AccessEntry


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def child_name(name: str, redact: bool) -> str:
    """A child's name for display (initials when redacting)."""
    return initials(name) if redact else clean(name)


def cases_table(summaries: list[CaseSummary], now: datetime, redact: bool) -> str:
    """The board order as a fixed-width table, one section per status."""
    lines = [
        f"{'ID':>5}  {'TIER':<9}{'PTS':>3}  {'CHILD':<24} {'MISSING':>7}  {'NO NEWS':<12}"
        f"{'POLICE':<13}{'NCMEC':<13}{'NCIC':<13}{'AGENCY':<20}{'PKT':>4}"
    ]
    section = None
    for summary in summaries:
        state, risk = summary.state, summary.assessment
        if state.status != section:
            section = state.status
            lines.append(f"-- {section} --")
        tier = risk.tier + ("*" if risk.override_tier else "")
        age = "" if summary.age is None else f" ({summary.age})"
        flag = f"{FLAG_MARK} " if case_flags(state) else ""
        name = _cut(flag + child_name(summary.child.name, redact) + age, 24)
        clocks = summary.clocks
        cells = [
            _cut(clock_cell(clocks[key], now, redact), 12)
            for key in ("no_news", "police", "ncmec", "ncic")
        ]
        lines.append(
            f"{state.case_id:>5}  {tier:<9}{critical_tag(risk) or risk.score:>3}  {name:<24} "
            f"{span(timedelta(seconds=summary.elapsed_s)):>7}  {cells[0]:<12}"
            f"{cells[1]:<13}{cells[2]:<13}{cells[3]:<13}"
            f"{_cut(clean(state.agency), 19):<20}{percent(summary.packet_complete):>4}"
        )
    if not summaries:
        lines.append("(no open cases)")
    elif any(s.assessment.override_tier for s in summaries):
        lines.append("* tier set by a supervisor's override")
    return "\n".join(lines)


def _value(value: Any, zone: tzinfo) -> str:
    if isinstance(value, datetime):
        return local(value, zone)
    if value is True:
        return "yes"
    return clean(str(value))


def case_text(
    detail: CaseDetail, now: datetime, zone: tzinfo, redact: bool, width: int | None = None
) -> str:
    """One case in full: who, risk explanation, clocks, packet, timeline, earlier episodes;
    timeline entries wrap to `width` with a hanging indent (a terminal's; None: no wrapping)."""
    summary = detail.summary
    state, risk = summary.state, summary.assessment
    age = "age unknown" if summary.age is None else f"age {summary.age}"
    lines = [
        f"Case {state.case_id}: {child_name(summary.child.name, redact)} ({age}) — {state.status}",
        *(f"{FLAG_MARK} {FLAG_WORDS[flag]} at the return interview" for flag in case_flags(state)),
        f"Tier {tier_line(risk)}",
        *(
            f"Earlier episode: {said}"
            for said in [
                last_time(
                    earlier_interview(state, detail.other_episodes),
                    redact=redact,
                    vocab=detail.vocabulary,
                )
            ]
            if said
        ),
        f"Missing {span(timedelta(seconds=summary.elapsed_s))} since last seen"
        f" {local(state.last_seen_at, zone)}"
        f" at {REDACTED if redact else clean(state.last_seen_where)}",
        f"Agency learned of it {local(state.learned_at, zone)};"
        f" placement {PLACEMENT_TYPES[state.placement_type]}, {clean(state.agency)}",
        "",
        "Risk:",
    ]
    for reason in risk.reasons:
        mark = "CRITICAL" if reason.critical else f"+{reason.points}"
        lines.append(f"  {mark:>8}  {clean(reason.label)}")
    if not risk.reasons:
        lines.append("         0  no risk factors recorded")
    if risk.override_tier and state.override:
        lines.append(
            f"  override to {risk.override_tier} by {clean(state.override.by)}"
            f" {local(state.override.at, zone)}: {clean(shown_text(risk.override_reason, redact))}"
        )
    interview = state.interview
    rows = (
        []
        if interview is None
        else interview_lines(interview.details, redact=redact, vocab=detail.vocabulary)
    )
    if len(rows) > 1:  # more than today's screen alone: the statute's fields
        lines += ["", "Return interview:"]
        lines += [f"  {title:<19} {words}" for title, words in rows]
    lines += ["", "Clocks:"]
    for name, clock in summary.clocks.items():
        cell = clock_cell(clock, now, redact)
        extra = ""
        if clock.state == "done":
            extra = f" by {clean(clock.by)} {local(clock.done_at, zone)}"
            extra += " (late)" if clock.late else ""
        elif clock.due_at is not None:
            extra = f" (due {local(clock.due_at, zone)})"
        lines.append(f"  {CLOCK_TITLES[name]:<17} {cell}{extra}")
    fields = packet_values(state)
    lines += ["", f"Packet ({percent(summary.packet_complete)} complete):"]
    missing = still_missing(fields)
    if missing:
        lines.append(f"  still missing: {', '.join(missing)}")
    for item in fields:
        shown = "not recorded" if item.value is None else _value(item.value, zone)
        if item.key == "placement_type":
            shown = PLACEMENT_TYPES.get(str(item.value), shown)
        if redact and item.value is not None:
            hidden = redacted_packet_value(item.key, item.value)
            if hidden != item.value:
                shown = str(hidden)
        lines.append(f"  {item.label:<26} {shown}")
    lines += ["", "Timeline (when it happened, what, and when and by whom it was logged):"]
    for entry in timeline(detail.events):
        lines += entry_lines(entry, zone, redact=redact, width=width, vocab=detail.vocabulary)
    if detail.other_episodes:
        lines += ["", "Other episodes of this child:"]
        latest = earlier_interview(state, detail.other_episodes)
        for episode in detail.other_episodes:
            found = ""
            if episode.recovery is not None:
                where = REDACTED if redact else clean(episode.recovery.get("where"))
                found = f"; found {local(episode.recovery.at, zone)} at {where}"
                companions = episode.packet.get("companions")
                if companions and not redact:
                    found += f", with {clean(companions)}"
            lines.append(
                f"  case {episode.case_id}: {episode.status}, learned of"
                f" {local(episode.learned_at, zone)}{found}"
            )
            lead = "last time" if episode is latest else "that time"
            said = last_time(episode, redact=redact, lead=lead, vocab=detail.vocabulary)
            if said and episode.learned_at < state.learned_at:
                lines.append(f"    {said}")
    lines.append("")
    lines.append(f"As of {local(now, zone)}; version {state.version}.")
    return "\n".join(lines)


def operators_text(rows: list[dict[str, Any]]) -> str:
    """The operators list."""
    lines = [f"{'USER':<20}{'ROLE':<12}{'ACTIVE':<8}NAME"]
    for row in rows:
        lines.append(
            f"{clean(row['username']):<20}{row['role']:<12}{'yes' if row['active'] else 'no':<8}"
            f"{clean(row['name'] or '')}"
        )
    return "\n".join(lines)


def keys_text(keys: Sequence[KeyInfo]) -> str:
    """The SSH keys bound to operators."""
    lines = [f"{'OPERATOR':<20}{'ACTIVE':<8}{'TYPE':<22}FINGERPRINT"]
    for key in keys:
        active = "yes" if key.active else "NO"
        lines.append(f"{clean(key.operator):<20}{active:<8}{key.kind:<22}{key.fingerprint}")
    if not keys:
        lines.append("(no keys bound to operators)")
    return "\n".join(lines)


def audit_text(entries: Sequence[AccessEntry], zone: tzinfo) -> str:
    """The access log, one line an entry: when, who, from where, what, which case, outcome."""
    lines = [f"{'WHEN':<22}{'OPERATOR':<16}{'SOURCE':<18}{'CASE':>6}  ACTION — OUTCOME"]
    for entry in entries:
        try:
            when = local(from_iso(entry.at), zone)
        except ValueError:
            when = clean(entry.at)
        case = "" if entry.case_id is None else str(entry.case_id)
        lines.append(
            f"{when:<22}{clean(entry.operator):<16}{clean(entry.source or ''):<18}{case:>6}"
            f"  {clean(entry.action)} — {clean(entry.outcome)}"
        )
    if not entries:
        lines.append("(no entries)")
    return "\n".join(lines)


__all__ = ["ago", "audit_text", "case_text", "cases_table", "keys_text", "operators_text"]
