"""The case file's words (#13): corrections folded into the events they correct, why a 0-point
case is CRITICAL, hanging indents, the recovery-notice clock in words."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from caseboard.domain.clocks import Clock
from caseboard.domain.describe import (
    critical_because,
    critical_tag,
    entry_lines,
    revision_note,
    tier_line,
    tier_words,
    timeline,
)
from caseboard.domain.display import cells, clock_cell, hanging
from caseboard.domain.model import Event
from caseboard.domain.risk import Assessment, Reason
from caseboard.domain.timefmt import to_iso
from caseboard.domain.vocab import EventType, Tier

ZONE = ZoneInfo("America/Chicago")
AT = datetime(2026, 11, 28, 3, 21, tzinfo=UTC)  # 21:21 CST


def ev(
    event_id: int, kind: str, at: datetime = AT, supersedes: int | None = None, **data: Any
) -> Event:
    return Event(
        id=event_id,
        case_id=3,
        type=EventType(kind),
        occurred_at=at,
        recorded_at=AT + timedelta(hours=1),
        actor="jdoe",
        data=data,
        supersedes=supersedes,
    )


SIGHTING = ev(5, "sighting", where="Oak St", source="clerk", confirmed=False)


def correction(
    event_id: int, target: int, reason: str, void: bool = False, **changes: Any
) -> Event:
    return ev(event_id, "correction", supersedes=target, reason=reason, changes=changes, void=void)


def test_an_uncorrected_event_is_one_entry_as_logged() -> None:
    (entry,) = timeline([SIGHTING])
    assert entry.event == SIGHTING and not entry.versions and not entry.revisions
    assert not entry.struck


def test_a_correction_shows_its_values_where_the_original_stood() -> None:
    moved = AT - timedelta(minutes=14)  # 21:07 CST
    fix = correction(9, 5, "caller rang back", at=to_iso(moved), confirmed=True)
    entries = timeline([SIGHTING, ev(6, "note", text="later"), fix])
    assert [entry.event.id for entry in entries] == [5, 6]  # the correction is no entry of its own
    entry = entries[0]
    assert entry.event.occurred_at == moved and entry.event.data["confirmed"] is True
    assert entry.versions == (SIGHTING,)
    note = revision_note(entry.revisions[0], ZONE)
    assert note == "corrected from 21:21 by jdoe: caller rang back (#9)"


def test_a_correction_across_midnight_gives_the_date() -> None:
    fix = correction(9, 5, "wrong day", at=to_iso(AT - timedelta(days=1)))
    (entry,) = timeline([SIGHTING, fix])
    assert revision_note(entry.revisions[0], ZONE) == (
        "corrected from 2026-11-27 21:21 CST by jdoe: wrong day (#9)"
    )


def test_several_corrections_apply_in_log_order_and_keep_every_version() -> None:
    first = correction(8, 5, "typo", where="Oak Street")
    second = correction(9, 5, "clerk rang back", source="store clerk")
    (entry,) = timeline([second, SIGHTING, first])
    assert entry.event.data["where"] == "Oak Street" and entry.event.data["source"] == "store clerk"
    assert [version.data["where"] for version in entry.versions] == ["Oak St", "Oak Street"]
    assert [revision_note(r, ZONE) for r in entry.revisions] == [
        "corrected by jdoe: typo (#8)",
        "corrected by jdoe: clerk rang back (#9)",
    ]


def test_a_struck_event_stays_marked_with_who_and_why() -> None:
    (entry,) = timeline([SIGHTING, correction(9, 5, "wrong case", void=True)])
    assert entry.struck and entry.event == SIGHTING and not entry.versions
    assert revision_note(entry.revisions[0], ZONE) == "struck out by jdoe: wrong case (#9)"
    assert revision_note(entry.revisions[0], ZONE, redact=True) == (
        "struck out by jdoe: [redacted] (#9)"
    )


def test_plain_lines_of_an_entry_hang_under_its_text() -> None:
    fix = correction(9, 5, "caller rang back", at=to_iso(AT - timedelta(minutes=14)))
    (entry,) = timeline([SIGHTING, fix])
    lines = entry_lines(entry, ZONE, redact=False, width=None)
    assert lines == [
        "  #5     2026-11-27 21:07 CST  Sighting (unconfirmed) at Oak St — clerk"
        " · logged 22:21 by jdoe",
        "                               corrected from 21:21 by jdoe: caller rang back (#9)",
        "                               was 2026-11-27 21:21 CST: Sighting (unconfirmed) at Oak"
        " St — clerk",
    ]
    wrapped = entry_lines(entry, ZONE, redact=False, width=70)
    assert all(len(line) <= 70 for line in wrapped) and len(wrapped) > len(lines)
    assert all(line.startswith(" " * 31) for line in wrapped[1:])


@pytest.mark.parametrize(
    ("head", "body", "width", "expected"),
    [
        ("ab  ", "one two", None, ["ab  one two"]),
        ("ab  ", "one two three", 12, ["ab  one two", "    three"]),
        # A head wider than half the width: continuation lines take a short indent instead.
        ("abcdefgh  ", "one two three", 16, ["abcdefgh  one", "    two three"]),
        ("a ", "宽宽宽 x", 7, ["a 宽宽宽", "  x"]),
    ],
)
def test_hanging(head: str, body: str, width: int | None, expected: list[str]) -> None:
    assert hanging(head, body, width) == expected


def test_cells_count_wide_characters_twice() -> None:
    assert (cells("abc"), cells("宽x"), cells("e\u0301")) == (3, 3, 1)


def risk(tier: Tier, score: int, *reasons: Reason, override: Tier | None = None) -> Assessment:
    return Assessment(
        tier=override or tier,
        computed_tier=tier,
        score=score,
        reasons=reasons,
        override_tier=override,
        override_reason="known address" if override else None,
    )


AGE = Reason("age", 0, "age 9: 12 or under", critical=True)
TRAFFICKING = Reason("trafficking", 0, "suspected or confirmed trafficking", critical=True)
POINTS = Reason("medication", 3, "other medication dependency")


@pytest.mark.parametrize(
    ("assessment", "tag", "line", "words"),
    [
        (risk("CRITICAL", 0, AGE), "≤12", "CRITICAL: age 9, 12 or under",
         "CRITICAL (age 9, 12 or under)"),
        (risk("CRITICAL", 0, TRAFFICKING), "trf", "CRITICAL: trafficking",
         "CRITICAL (trafficking)"),
        (risk("CRITICAL", 0, AGE, TRAFFICKING), "≤12",
         "CRITICAL: age 9, 12 or under; trafficking",
         "CRITICAL (age 9, 12 or under; trafficking)"),
        (risk("CRITICAL", 3, AGE, POINTS), None, "CRITICAL, 3 points", "CRITICAL"),
        (risk("HIGH", 9, POINTS), None, "HIGH, 9 points", "HIGH"),
        (risk("STANDARD", 1, POINTS), None, "STANDARD, 1 point", "STANDARD"),
        (risk("CRITICAL", 0, AGE, override="HIGH"), None,
         "HIGH, 0 points (override; computed CRITICAL)", "HIGH (override; computed CRITICAL)"),
    ],
)  # fmt: skip
def test_a_case_critical_by_a_rule_names_it_instead_of_0_points(
    assessment: Assessment, tag: str | None, line: str, words: str
) -> None:
    assert critical_tag(assessment) == tag
    assert tier_line(assessment) == line
    assert tier_words(assessment) == words


def test_critical_because_uses_the_sentences_words() -> None:
    assert critical_because(risk("CRITICAL", 0, AGE, TRAFFICKING, POINTS)) == (
        "age 9, 12 or under",
        "trafficking",
    )


@pytest.mark.parametrize(
    ("ref", "shown"),
    [("police+ncmec", "✓ police and NCMEC told"), ("ncmec told", "✓ NCMEC told")],
)
def test_the_recovery_notice_clock_reads_in_words(ref: str, shown: str) -> None:
    clock = Clock("recovery_notice", "done", AT, AT + timedelta(hours=24), AT, ref=ref, by="jdoe")
    assert clock_cell(clock, AT) == shown


@pytest.mark.parametrize(
    "data",
    [{"changes": "x"}, {"changes": [1]}, {"changes": {"at": "soon"}}, {"changes": {"at": 5}}],
)
def test_a_damaged_correction_leaves_the_event_as_it_was_and_says_so(data: Any) -> None:
    damaged = ev(9, "correction", supersedes=5, **data)
    (entry,) = timeline([SIGHTING, damaged])
    assert entry.event == SIGHTING and not entry.versions and not entry.struck
    assert revision_note(entry.revisions[0], ZONE) == (
        "a correction that cannot be read (#9); run caseboard verify"
    )
