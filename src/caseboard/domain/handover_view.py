"""The handover as JSON data and as Markdown that reads well printed or pasted into an email.

With `redact`, names become initials and every free-text value that may hold an address, a phone
number or a name (places, who found the child, how contact was made, the operators' summary and
contingency lines, sign-off notes) is replaced by "[redacted]".
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import Any

from caseboard.domain.describe import describe, revision_note, timeline
from caseboard.domain.display import CLOCK_TITLES, local
from caseboard.domain.handover import ClockItem, Item, OpenCase, Report
from caseboard.domain.interview_vocab import BUILTIN, InterviewVocabulary
from caseboard.domain.model import Event, Stamp
from caseboard.domain.redaction import REDACTED, redact_value, redacted_data
from caseboard.domain.textsafe import clean, initials
from caseboard.domain.timefmt import span, to_iso


def _name(name: str, redact: bool) -> str:
    return initials(name) if redact else clean(name)


def _json_name(name: str, redact: bool) -> str:
    # JSON keeps the stored name exactly (json_text escapes what a terminal would act on).
    return initials(name) if redact else name


def _details(item: Item, redact: bool) -> dict[str, Any]:
    # The allowlist of redaction.SAFE_EVENT_KEYS: any other detail is hidden when redacting.
    return redacted_data(item.details) if redact else dict(item.details)


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else to_iso(moment)


def _item_json(item: Item, redact: bool) -> dict[str, Any]:
    return {
        "case_id": item.case_id,
        "name": _json_name(item.name, redact),
        "type": item.kind,
        "at": to_iso(item.at),
        "recorded_at": _iso(item.recorded_at),
        "by": item.actor,
        "event_id": item.event_id,
        **_details(item, redact),
    }


def _clock_json(item: ClockItem, redact: bool) -> dict[str, Any]:
    return {
        "case_id": item.case_id,
        "name": _json_name(item.name, redact),
        "clock": item.clock,
        "state": item.state,
        "due_at": to_iso(item.due_at),
        "done_at": _iso(item.done_at),
    }


def _line(stamp: Stamp | None, redact: bool) -> str | None:
    if stamp is None:
        return None
    return REDACTED if redact else str(stamp.get("text"))


def _open_json(case: OpenCase, redact: bool) -> dict[str, Any]:
    return {
        "id": case.case_id,
        "name": _json_name(case.name, redact),
        "status": case.status,
        "tier": case.tier,
        "computed_tier": case.computed_tier,
        "score": case.score,
        # The operators' summary may name people and places; the facts-only one never does.
        "summary": case.auto_summary if redact else case.summary_text,
        "summary_by": case.summary.by if case.summary else None,
        "actions": [_clock_json(action, redact) for action in case.actions],
        "contingency": _line(case.contingency, redact),
        "contingency_by": case.contingency.by if case.contingency else None,
    }


def report_json(report: Report, *, redact: bool = False) -> dict[str, Any]:
    """The keys of docs/cli.md: window, counts, new_cases, recoveries, sightings, confirmations,
    breaches, due_next, tier_changes, open_cases (plus signoff and logged_late)."""
    signoff = report.signoff
    return {
        "window": {"since": to_iso(report.window.since), "until": to_iso(report.window.until)},
        "signoff": None
        if signoff is None
        else {
            "event_id": signoff.event_id,
            "by": signoff.by,
            "at": to_iso(signoff.at),
            "note": REDACTED if redact and signoff.note else signoff.note,
            "audit_head": signoff.audit_head.as_json() if signoff.audit_head else None,
        },
        "audit_head": report.audit_head.as_json() if report.audit_head else None,
        "counts": report.counts(),
        "new_cases": [_item_json(item, redact) for item in report.new_cases],
        "recoveries": [_item_json(item, redact) for item in report.recoveries],
        "sightings": [_item_json(item, redact) for item in report.sightings],
        "confirmations": [_item_json(item, redact) for item in report.confirmations],
        "breaches": [_clock_json(item, redact) for item in report.breaches],
        "due_next": [_clock_json(item, redact) for item in report.due_next],
        "due_next_hours": report.due_ahead.total_seconds() / 3600,
        "tier_changes": [
            {
                "case_id": change.case_id,
                "name": _json_name(change.name, redact),
                "before": change.before,
                "after": change.after,
                "because": change.because,
            }
            for change in report.tier_changes
        ],
        "open_cases": [_open_json(case, redact) for case in report.open_cases],
        "logged_late": [_item_json(item, redact) for item in report.late],
        "unreadable": list(report.unreadable),
        "overrides": [_item_json(item, redact) for item in report.overrides],
        "interviews": [_item_json(item, redact) for item in report.interviews],
        "closures": [_item_json(item, redact) for item in report.closures],
        "notes": [_item_json(item, redact) for item in report.notes],
        "notices": [_item_json(item, redact) for item in report.notices],
    }


# --- Markdown -----------------------------------------------------------------------------------


class _Md:
    """Markdown lines with the zone and redaction in force."""

    def __init__(self, zone: tzinfo, redact: bool, vocab: InterviewVocabulary = BUILTIN) -> None:
        self.zone = zone
        self.redact = redact
        self.vocab = vocab
        self.lines: list[str] = []

    def when(self, moment: datetime | None) -> str:
        return local(moment, self.zone)

    def text(self, value: Any, key: str) -> str:
        """A detail of an event, by its event-data key (hidden unless on the safe list)."""
        if self.redact:
            value = redact_value(key, value)
        return clean(str(value))

    def case(self, case_id: int, name: str) -> str:
        return f"#{case_id} {_name(name, self.redact)}"

    def section(self, title: str, entries: list[str]) -> None:
        self.lines += ["", f"## {title} ({len(entries)})", ""]
        self.lines += [f"- {entry}" for entry in entries] or ["- none"]


def _event_entry(md: _Md, item: Item, after: str = "") -> str:
    """'#12 Ava, 2026-11-27 22:41 CST: Sighting (unconfirmed) at Oak Street — clerk · logged by
    jdoe', in the sentence every other view uses (domain/describe.py); `after` follows that
    line. A corrected event says what each correction changed, its superseded versions under
    it."""
    head = f"{md.case(item.case_id, item.name)}, {md.when(item.at)}:"
    sentence = describe(_as_event(item), redact=md.redact, vocab=md.vocab)
    d = item.details
    if item.kind == "override" and d.get("computed") and d.get("tier"):
        sentence += f" (computed {clean(str(d.get('computed')))})"
    lines = [f"{head} {sentence} · logged by {clean(item.actor)}{after}"]
    if item.history:
        (entry,) = timeline(item.history)
        lines[0] += "; " + "; ".join(
            revision_note(revision, md.zone, redact=md.redact) for revision in entry.revisions
        )
        lines += [
            f"  - was {md.when(version.occurred_at)}:"
            f" {describe(version, redact=md.redact, vocab=md.vocab)}"
            for version in entry.versions
        ]
    return "\n".join(lines)


def _as_event(item: Item) -> Event:
    """The event an item was made from, as far as the handover kept it (for describe())."""
    return Event(
        id=item.event_id,
        case_id=item.case_id,
        type=item.kind,
        occurred_at=item.at,
        recorded_at=item.recorded_at or item.at,
        actor=item.actor,
        data=item.details,
    )


def _clock_entry(md: _Md, item: ClockItem, *, breach: bool) -> str:
    title = CLOCK_TITLES.get(item.clock, item.clock)
    head = f"{md.case(item.case_id, item.name)}: {title} due {md.when(item.due_at)}"
    if not breach:
        return head
    if item.done_at is None:
        return f"{head}, still not done"
    return f"{head}, done late {md.when(item.done_at)}"


def _tier(case: OpenCase) -> str:
    """'HIGH (override; computed CRITICAL)' wherever a supervisor's override is in force."""
    if case.computed_tier and case.computed_tier != case.tier:
        return f"{case.tier} (override; computed {case.computed_tier})"
    if case.computed_tier:
        return f"{case.tier} (override)"
    return case.tier


def _points(score: int) -> str:
    return f"{score} point" if score == 1 else f"{score} points"


def _open_entry(md: _Md, case: OpenCase, now: datetime) -> list[str]:
    status = "" if case.status == "missing" else f"{'; ' if case.because else ', '}{case.status}"
    summary = case.auto_summary if md.redact else clean(case.summary_text)
    # A case CRITICAL by a rule says which, not '0 points'.
    why = "; ".join(case.because) if case.because else _points(case.score)
    lines = [
        "",
        f"### {md.case(case.case_id, case.name)}: {_tier(case)} ({why}{status})",
        "",
        f"- Summary: {summary}",
    ]
    if case.actions:
        lines.append("- Open actions:")
        for action in case.actions:
            title = CLOCK_TITLES.get(action.clock, action.clock)
            left = action.due_at - now
            when = f"OVERDUE by {span(-left)}" if left.total_seconds() <= 0 else f"in {span(left)}"
            lines.append(f"  - {title}: due {md.when(action.due_at)} ({when})")
    else:
        lines.append("- Open actions: none")
    contingency = _line(case.contingency, md.redact)
    lines.append(f"- Contingency: {clean(contingency) if contingency else 'none recorded'}")
    return lines


def audit_head_line(report: Report) -> str:
    """`event 1234 · 3f2a9c0b1d4e5f60 (caseboard verify --anchor 1234:3f2a9c0b1d4e5f60)`: the
    newest event when the report was read, and how to check the history still passes it."""
    head = report.audit_head
    if head is None:
        return "none (no events yet)"
    return clean(f"{head.line()} (check: caseboard verify --anchor {head.anchor()})")


def report_markdown(report: Report, zone: tzinfo, *, redact: bool = False) -> str:
    """The handover as Markdown: headings, short bullet lists, local times with their zone."""
    md = _Md(zone, redact, report.vocabulary)
    window, signoff, counts = report.window, report.signoff, report.counts()
    md.lines += [
        "# Shift handover",
        "",
        f"Window: after {md.when(window.since)}, up to and including {md.when(window.until)}",
    ]
    if signoff is not None:
        note = ""
        if signoff.note:
            note = f': "{REDACTED if redact else clean(signoff.note)}"'
        md.lines.append(f"Last sign-off: {clean(signoff.by)} at {md.when(signoff.at)}{note}")
        if signoff.audit_head is not None:
            md.lines.append(f"Audit head at that sign-off: {clean(signoff.audit_head.line())}")
    else:
        md.lines.append("Last sign-off: none before this window")
    md.lines.append(f"Audit head: {audit_head_line(report)}")
    concerns = [("Clear trafficking concern", item) for item in report.clear_concerns()] + [
        ("Clear labor trafficking concern", item) for item in report.clear_labor_concerns()
    ]
    for what, item in sorted(concerns, key=lambda pair: (pair[1].at, pair[1].event_id)):
        told = "police told" if item.details.get("police_told") else "police NOT recorded as told"
        who = md.case(item.case_id, item.name)
        md.lines += [
            "",
            f"**⚑ {what} at the return interview: {who} ({md.when(item.at)}; {told})**",
        ]
    if report.unreadable:
        md.section(
            "Unreadable — left out of this report; run caseboard verify", list(report.unreadable)
        )
    md.lines += [
        "",
        "## Counts",
        "",
        f"- New cases: {counts['new_cases']}",
        f"- Recoveries: {counts['recoveries']}",
        f"- Sightings: {counts['sightings']}; contacts: {counts['contacts']}",
        f"- Report confirmations: {counts['confirmations']}",
        f"- Clocks breached: {counts['breaches']}",
        f"- Falling due in the next {span(report.due_ahead)}: {counts['due_next']}",
        f"- Tier changes: {counts['tier_changes']}; overrides: {counts['overrides']}",
        f"- Return interviews: {counts['interviews']}; recovery notices: {counts['notices']}",
        f"- Closures: {counts['closures']}; notes: {counts['notes']}",
        f"- Open cases: {counts['open_cases']}",
    ]
    md.section("New cases", [_event_entry(md, item) for item in report.new_cases])
    md.section("Recoveries", [_event_entry(md, item) for item in report.recoveries])
    md.section("Sightings and contacts", [_event_entry(md, item) for item in report.sightings])
    md.section("Report confirmations", [_event_entry(md, item) for item in report.confirmations])
    md.section(
        "Clocks breached in the window",
        [_clock_entry(md, item, breach=True) for item in report.breaches],
    )
    md.section(
        f"Falling due by {md.when(window.until + report.due_ahead)}",
        [_clock_entry(md, item, breach=False) for item in report.due_next],
    )
    md.section(
        "Tier changes",
        [
            f"{md.case(c.case_id, c.name)}: {c.before} → {c.after} ({c.because})"
            for c in report.tier_changes
        ],
    )
    md.section("Overrides", [_event_entry(md, item) for item in report.overrides])
    md.section("Return interviews", [_event_entry(md, item) for item in report.interviews])
    md.section("Recovery notices", [_event_entry(md, item) for item in report.notices])
    md.section("Closures", [_event_entry(md, item) for item in report.closures])
    md.section("Notes", [_event_entry(md, item) for item in report.notes])
    if report.late:
        md.section(
            "Logged after the last sign-off for an earlier time",
            [
                _event_entry(md, item, f" (logged {md.when(item.recorded_at)})")
                for item in report.late
            ],
        )
    md.lines += ["", f"## Open cases ({len(report.open_cases)})"]
    for case in report.open_cases:
        md.lines += _open_entry(md, case, window.until)
    if not report.open_cases:
        md.lines += ["", "- none"]
    return "\n".join(md.lines) + "\n"
