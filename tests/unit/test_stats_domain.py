"""The pure statistics functions: outcomes at the edges, percentiles, periods in a zone with
daylight saving, the screen's windows."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from caseboard.domain.policy import Policy
from caseboard.domain.stats import (
    Episode,
    Span,
    interview_span,
    judge,
    outcome,
    p90_hours,
    report_span,
)
from caseboard.domain.stats_periods import default_by, period_starts, span_window
from caseboard.domain.vocab import REPORTS

T0 = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
H = timedelta(hours=1)
CHICAGO = ZoneInfo("America/Chicago")


@pytest.mark.parametrize(
    ("done", "now", "expected"),
    [
        (T0 + 24 * H, T0 + 30 * H, "on_time"),  # done exactly at due
        (T0 + 24 * H + timedelta(seconds=1), T0 + 30 * H, "late"),
        (None, T0 + 24 * H, "missed"),  # the board says overdue from the due moment on
        (None, T0 + 24 * H - timedelta(seconds=1), "pending"),
    ],
)
def test_outcome_edges(done: datetime | None, now: datetime, expected: str) -> None:
    assert outcome(Span(T0, T0 + 24 * H, done), now) == expected


def test_a_clock_that_never_started() -> None:
    assert outcome(Span(None, None, None), T0) == "not_started"


def test_p90_is_the_inclusive_quantile() -> None:
    assert p90_hours([]) is None
    assert p90_hours([5.0]) == 5.0
    assert p90_hours([1.0, 30.0]) == 27.1
    assert p90_hours([float(n) for n in range(1, 11)]) == 9.1


def _episodes() -> list[Episode]:
    """Every combination of confirmed / not, on time / late, for judge against the spans."""
    options = (None, 1 * H, 3 * H, 30 * H)
    result = []
    for index, (police, ncic, ncmec, recovered, interview) in enumerate(
        itertools.product(options, options, options, (None, 10 * H), (None, 20 * H, 100 * H))
    ):
        police_at = None if police is None else T0 + police
        result.append(
            Episode(
                case_id=index + 1,
                child_id=1,
                name="Ava Example",
                learned_at=T0,
                last_seen_at=T0 - H,
                placement="kin",
                status="missing",
                police_at=police_at,
                ncic_at=None if police_at is None or ncic is None else police_at + ncic,
                ncmec_at=None if ncmec is None else T0 + ncmec,
                recovered_at=None if recovered is None else T0 + recovered,
                interviewed_at=(
                    None if recovered is None or interview is None else T0 + recovered + interview
                ),
            )
        )
    return result


@pytest.mark.parametrize("now", [T0 + 2 * H, T0 + 25 * H, T0 + 200 * H])
def test_judge_agrees_with_the_spans(policy: Policy, now: datetime) -> None:
    for episode in _episodes():
        judged = judge(episode, policy, now)
        spans = [report_span(episode, report, policy) for report in REPORTS]
        assert judged.reports == tuple(outcome(span, now) for span in spans)
        assert judged.interview == outcome(interview_span(episode, policy), now)
        for taken, span in zip(judged.taken, spans, strict=True):
            if span.done_at is None or span.started_at is None:
                assert taken is None
            else:
                assert taken == (span.done_at - span.started_at).total_seconds() / 3600


def test_days_across_the_end_of_daylight_saving() -> None:
    # 1 November 2026: Chicago goes from CDT (-5) to CST (-6); each day starts at local midnight.
    since = datetime(2026, 10, 31, 12, 0, tzinfo=UTC)
    until = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)
    starts = period_starts(since, until, "day", CHICAGO)
    assert [s.isoformat() for s in starts] == [
        "2026-10-31T00:00:00-05:00", "2026-11-01T00:00:00-05:00", "2026-11-02T00:00:00-06:00",
    ]  # fmt: skip


def test_weeks_from_monday_and_months_across_the_year() -> None:
    since = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)  # a Wednesday
    until = datetime(2027, 1, 5, 12, 0, tzinfo=UTC)
    weeks = period_starts(since, until, "week", CHICAGO)
    assert weeks[0].isoformat() == "2026-11-30T00:00:00-06:00"
    assert all(start.weekday() == 0 for start in weeks) and len(weeks) == 6
    months = period_starts(since, until, "month", CHICAGO)
    assert [m.strftime("%Y-%m-%d") for m in months] == ["2026-12-01", "2027-01-01"]


def test_default_step_follows_the_window() -> None:
    assert default_by(T0, T0 + timedelta(days=31)) == "day"
    assert default_by(T0, T0 + timedelta(days=32)) == "week"
    assert default_by(T0, T0 + timedelta(days=185)) == "month"


def test_the_screen_windows_are_whole_local_periods() -> None:
    now = datetime(2026, 11, 28, 4, 0, tzinfo=UTC)  # Friday 27th 22:00 in Chicago
    since, until, by = span_window("7d", now, CHICAGO)
    assert (since.isoformat(), until, by) == ("2026-11-21T00:00:00-06:00", now, "day")
    since, _, by = span_window("12m", now, CHICAGO)
    assert (since.isoformat(), by) == ("2025-12-01T00:00:00-06:00", "month")
    assert len(period_starts(since, now, by, CHICAGO)) == 12
