"""Compliance and shift statistics: every figure of `caseboard stats`, from per-episode facts.

Pure: given each episode's facts (when the agency learned of it, its placement, when each report
was confirmed, recovery, interview, closure), the policy, `now` and the display zone, compute
the counts, shares, medians and series. The due times follow domain/clocks.py exactly (a clock's
start plus its policy window), so the figures agree with what `cases --all --json` shows.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, tzinfo
from itertools import chain, pairwise
from operator import attrgetter
from typing import Any

import msgspec

from caseboard.domain.model import CaseState
from caseboard.domain.policy import Policy
from caseboard.domain.risk import episode_number
from caseboard.domain.stats_periods import period_starts
from caseboard.domain.vocab import PLACEMENT_TYPES, REPORTS, SCREEN_RESULTS

OUTCOMES = ("on_time", "late", "missed", "pending", "not_started")
INTERVIEW_OUTCOMES = ("on_time", "late", "missed", "pending")
_HOUR = 3600.0


class Episode(msgspec.Struct, frozen=True, gc=False):
    """What the statistics need to know about one episode (a case), corrections applied."""

    case_id: int
    child_id: int
    name: str | None  # the child's name (None when the child record cannot be read)
    learned_at: datetime
    last_seen_at: datetime
    placement: str
    status: str
    police_at: datetime | None = None
    ncic_at: datetime | None = None
    ncmec_at: datetime | None = None
    recovered_at: datetime | None = None
    interviewed_at: datetime | None = None
    screen: str | None = None
    closed_at: datetime | None = None
    # The return interview's primary factors and trafficking indicators (ids; None: none).
    factors: tuple[str, ...] | None = None
    indicators: tuple[str, ...] | None = None

    def confirmed(self, report: str) -> datetime | None:
        """When a report (police, ncic, ncmec) was confirmed, if it was."""
        at: datetime | None = getattr(self, f"{report}_at")
        return at


def episode_of(state: CaseState, name: str | None) -> Episode:
    """An episode's facts from its folded state (the replay path and damaged projections)."""
    confirmations = state.confirmations
    stamps = {report: confirmations.get(report) for report in REPORTS}
    interview = state.interview
    return Episode(
        case_id=state.case_id,
        child_id=state.child_id,
        name=name,
        learned_at=state.learned_at,
        last_seen_at=state.last_seen_at,
        placement=state.placement_type,
        status=state.status,
        police_at=None if stamps["police"] is None else stamps["police"].at,
        ncic_at=None if stamps["ncic"] is None else stamps["ncic"].at,
        ncmec_at=None if stamps["ncmec"] is None else stamps["ncmec"].at,
        recovered_at=None if state.recovery is None else state.recovery.at,
        interviewed_at=None if interview is None else interview.at,
        screen=None if interview is None else interview.get("screen"),
        closed_at=None if state.closure is None else state.closure.at,
        factors=_ids(None if interview is None else interview.get("factors")),
        indicators=_ids(None if interview is None else interview.get("indicators")),
    )


def _ids(value: Any) -> tuple[str, ...] | None:
    """A stored list of vocabulary ids as a tuple (None when absent or empty)."""
    if not isinstance(value, list | tuple) or not value:
        return None
    return tuple(str(item) for item in value)


class Span(msgspec.Struct, frozen=True, gc=False):
    """One clock of one episode: started (None: never started), due and done."""

    started_at: datetime | None
    due_at: datetime | None
    done_at: datetime | None


def report_span(episode: Episode, report: str, policy: Policy) -> Span:
    """A report's clock as domain/clocks.py runs it: police and NCMEC from learned-of, NCIC
    from the police confirmation (not started before it)."""
    if report == "ncic":
        started = episode.police_at
        window = policy.ncic
    else:
        started = episode.learned_at
        window = policy.police if report == "police" else policy.ncmec
    if started is None:
        return Span(None, None, None)
    return Span(started, started + window, episode.confirmed(report))


def interview_span(episode: Episode, policy: Policy) -> Span:
    """The return-interview clock: from the recovery (not started before it)."""
    if episode.recovered_at is None:
        return Span(None, None, None)
    due = episode.recovered_at + policy.return_interview
    return Span(episode.recovered_at, due, episode.interviewed_at)


def outcome(span: Span, now: datetime) -> str:
    """on_time (done at or before due), late (done after), missed (not done and due has
    passed: overdue, as the board says from the due moment on), pending (not yet due), or
    not_started."""
    if span.due_at is None:
        return "not_started"
    if span.done_at is not None:
        return "on_time" if span.done_at <= span.due_at else "late"
    return "missed" if now >= span.due_at else "pending"


def share(part: int, whole: int) -> float | None:
    """part / whole to four places; None when whole is 0."""
    return None if whole == 0 else round(part / whole, 4)


def median_hours(values: Sequence[float]) -> float | None:
    """statistics.median, to two places; None without values. (Both this and p90_hours sort
    their values: given them sorted once, those sorts are a single pass.)"""
    return round(statistics.median(values), 2) if values else None


def p90_hours(values: Sequence[float]) -> float | None:
    """The 90th percentile: statistics.quantiles(n=10, method="inclusive")[-1], to two places.

    Python 3.11 refuses one value; the inclusive method then gives that value (as 3.13 does).
    """
    if not values:
        return None
    if len(values) == 1:
        return round(values[0], 2)
    return round(statistics.quantiles(values, n=10, method="inclusive")[-1], 2)


def hours(start: datetime, end: datetime) -> float:
    """Hours between two moments."""
    return (end - start).total_seconds() / _HOUR


class ReportFigures(msgspec.Struct, frozen=True, gc=False):
    """One report's outcomes over the window's episodes."""

    on_time: int
    late: int
    missed: int
    pending: int
    not_started: int
    on_time_share: float | None
    median_hours: float | None
    p90_hours: float | None
    # Hours from clock start to confirmation of each confirmed episode (the histogram).
    hours: tuple[float, ...] = ()

    @property
    def due(self) -> int:
        """Episodes whose report has fallen due or been done (the share's denominator)."""
        return self.on_time + self.late + self.missed


class Missed(msgspec.Struct, frozen=True, gc=False):
    """An episode with a report or the return interview missed: to follow up."""

    case_id: int
    name: str | None
    placement: str
    learned_at: datetime
    status: str
    missed: tuple[str, ...]  # report names and/or "interview"


class Placement(msgspec.Struct, frozen=True, gc=False):
    """Figures for one placement type."""

    type: str
    opened: int
    ncmec_on_time_share: float | None
    median_missing_hours: float | None
    # The return interviews' primary factors here, most common first: (factor id, episodes).
    factors: tuple[tuple[str, int], ...] = ()


class Period(msgspec.Struct, frozen=True, gc=False):
    """One step of the series: episodes learned of in [start, next start)."""

    start: datetime  # in the display zone
    opened: int
    recovered: int
    ncmec_on_time_share: float | None
    # For the charts: each report's on-time share, and episodes by placement type.
    shares: Mapping[str, float | None] = msgspec.field(default_factory=dict)
    placements: Mapping[str, int] = msgspec.field(default_factory=dict)


class Stats(msgspec.Struct, frozen=True, gc=False):
    """Every figure for one window."""

    since: datetime
    until: datetime
    by: str
    now: datetime
    opened: int
    recovered: int
    closed: int
    open: int
    reports: Mapping[str, ReportFigures]
    recovery_median_hours: float | None
    recovery_p90_hours: float | None
    repeat_children: int
    repeat_episodes_share: float | None
    repeat_rule: tuple[int, int]  # (episodes, days) of the policy's repeat-episode factor
    interviews: Mapping[str, int]
    screens: Mapping[str, int]
    by_placement: tuple[Placement, ...]
    series: tuple[Period, ...]
    missed: tuple[Missed, ...]
    # Return interviews: episodes per primary factor and per trafficking indicator, most
    # common first (factor id, episodes); and the policy's words for each id.
    factors: tuple[tuple[str, int], ...] = ()
    indicators: tuple[tuple[str, int], ...] = ()
    words: Mapping[str, str] = msgspec.field(default_factory=dict)


def in_window(episode: Episode, since: datetime, until: datetime) -> bool:
    """The window rule: since < learned_at <= until."""
    return since < episode.learned_at <= until


# --- the figures --------------------------------------------------------------------------------


class Judged(msgspec.Struct, frozen=True, gc=False):
    """An episode with the outcome of each report (in REPORTS order) and of the return
    interview, worked out once (a 12-month window holds tens of thousands of episodes)."""

    episode: Episode
    reports: tuple[str, str, str]
    interview: str
    # Hours from each report's clock start to its confirmation (None: not confirmed).
    taken: tuple[float | None, float | None, float | None]


def judge(episode: Episode, policy: Policy, now: datetime) -> Judged:
    """The outcomes of one episode's clocks at `now`, as report_span and outcome give them.

    Written out rather than built from Spans: it runs for every episode of the window (tens of
    thousands for 12 months), and the calls would cost more than the comparisons.
    """
    learned, police, ncic, ncmec = (
        episode.learned_at, episode.police_at, episode.ncic_at, episode.ncmec_at,
    )  # fmt: skip
    due = learned + policy.police
    ncic_h: float | None = None
    if police is not None:
        police_result = "on_time" if police <= due else "late"
        police_h: float | None = (police - learned).total_seconds() / _HOUR
        ncic_due = police + policy.ncic
        if ncic is not None:
            ncic_result = "on_time" if ncic <= ncic_due else "late"
            ncic_h = (ncic - police).total_seconds() / _HOUR
        else:
            ncic_result = "missed" if now >= ncic_due else "pending"
    else:
        police_result, police_h = ("missed" if now >= due else "pending"), None
        ncic_result = "not_started"
    due = learned + policy.ncmec
    if ncmec is not None:
        ncmec_result = "on_time" if ncmec <= due else "late"
        ncmec_h: float | None = (ncmec - learned).total_seconds() / _HOUR
    else:
        ncmec_result, ncmec_h = ("missed" if now >= due else "pending"), None
    recovered = episode.recovered_at
    if recovered is None:
        interview = "not_started"
    else:
        due = recovered + policy.return_interview
        done = episode.interviewed_at
        if done is not None:
            interview = "on_time" if done <= due else "late"
        else:
            interview = "missed" if now >= due else "pending"
    return Judged(
        episode,
        (police_result, ncic_result, ncmec_result),
        interview,
        (police_h, ncic_h, ncmec_h),
    )


_ORDER = attrgetter("learned_at", "case_id")
_FACTORS, _INDICATORS = attrgetter("factors"), attrgetter("indicators")
_JUDGED_FACTORS = attrgetter("episode.factors")
_INDEX = {report: index for index, report in enumerate(REPORTS)}


def _report_figures(judged: Sequence[Judged], report: str) -> ReportFigures:
    index = _INDEX[report]
    counts = dict.fromkeys(OUTCOMES, 0)
    for item in judged:
        counts[item.reports[index]] += 1
    taken = [t for item in judged if (t := item.taken[index]) is not None]
    due = counts["on_time"] + counts["late"] + counts["missed"]
    return ReportFigures(
        **counts,
        on_time_share=share(counts["on_time"], due),
        median_hours=median_hours(taken := sorted(taken)),
        p90_hours=p90_hours(taken),
        hours=tuple(taken),
    )


def _share_of(judged: Iterable[Judged], report: str) -> float | None:
    index = _INDEX[report]
    on_time = due = 0
    for item in judged:
        result = item.reports[index]
        if result == "on_time":
            on_time += 1
            due += 1
        elif result in ("late", "missed"):
            due += 1
    return share(on_time, due)


def missing_hours(episode: Episode, now: datetime) -> float:
    """Time missing (from last seen until recovery, close, or now), never negative; as the
    board's time missing (domain/risk.time_missing)."""
    until = episode.recovered_at or episode.closed_at or now
    return max(hours(episode.last_seen_at, until), 0.0)


def compute(
    episodes: Iterable[Episode],
    child_episodes: Mapping[int, Sequence[datetime]],
    *,
    since: datetime,
    until: datetime,
    by: str,
    policy: Policy,
    now: datetime,
    zone: tzinfo,
) -> Stats:
    """Every figure for the episodes learned of in the window (since < learned_at <= until).

    `child_episodes` holds the learned-of times of each child's episodes (those before the
    window too) for the repeat-runner figures: a child counts when one of their episodes in
    the window is the policy's Nth or later within its repeat window (3 within 90 days).
    """
    # In learned-of order (then case id): attrgetter keeps the sort in C, and the store's rows
    # arrive in that order already, which Timsort passes through in one run.
    chosen = [e for e in episodes if since < e.learned_at <= until]
    if not all(_ORDER(a) <= _ORDER(b) for a, b in pairwise(chosen)):
        chosen.sort(key=_ORDER)
    judged = [judge(episode, policy, now) for episode in chosen]
    opened = len(chosen)
    recovery = [hours(e.last_seen_at, e.recovered_at) for e in chosen if e.recovered_at]
    interviews = dict.fromkeys(INTERVIEW_OUTCOMES, 0)
    screens = dict.fromkeys(SCREEN_RESULTS, 0)
    missed: list[Missed] = []
    for item in judged:
        episode = item.episode
        if item.interview in interviews:
            interviews[item.interview] += 1
        if episode.interviewed_at is not None and episode.screen in screens:
            screens[episode.screen] += 1
        names = [r for r, result in zip(REPORTS, item.reports, strict=True) if result == "missed"]
        if item.interview == "missed":
            names.append("interview")
        if names:
            missed.append(
                Missed(
                    episode.case_id,
                    episode.name,
                    episode.placement,
                    episode.learned_at,
                    episode.status,
                    tuple(names),
                )
            )
    window, least = policy.repeat_window, policy.repeat_episodes
    repeaters: set[int] = set()
    for e in chosen:
        times = child_episodes.get(e.child_id, ())
        # Fewer episodes than the count can never reach it (most children).
        if len(times) >= least and episode_number(e.learned_at, times, window) >= least:
            repeaters.add(e.child_id)
    return Stats(
        since=since,
        until=until,
        by=by,
        now=now,
        opened=opened,
        recovered=len(recovery),
        closed=sum(1 for e in chosen if e.status == "closed"),
        open=sum(1 for e in chosen if e.status != "closed"),
        reports={report: _report_figures(judged, report) for report in REPORTS},
        recovery_median_hours=median_hours(recovery := sorted(recovery)),
        recovery_p90_hours=p90_hours(recovery),
        repeat_children=len(repeaters),
        repeat_episodes_share=share(sum(1 for e in chosen if e.child_id in repeaters), opened),
        repeat_rule=(policy.repeat_episodes, window.days),
        interviews=interviews,
        screens=screens,
        by_placement=_placements(judged, now),
        series=_series(judged, since, until, by, zone),
        missed=tuple(missed),
        factors=most_common(map(_FACTORS, chosen)),
        indicators=most_common(map(_INDICATORS, chosen)),
        words={**policy.interview.factors, **policy.interview.indicators},
    )


def most_common(lists: Iterable[tuple[str, ...] | None]) -> tuple[tuple[str, int], ...]:
    """(id, episodes) for each id in the lists, most episodes first, then by id. An interview
    lists an id once (validate.names drops repeats), so counting ids counts episodes."""
    counts = Counter(chain.from_iterable(filter(None, lists)))  # in C: no Python per episode
    return tuple(sorted(counts.items(), key=lambda pair: (-pair[1], pair[0])))


def _placements(judged: Sequence[Judged], now: datetime) -> tuple[Placement, ...]:
    groups: dict[str, list[Judged]] = {}
    for item in judged:
        groups.setdefault(item.episode.placement, []).append(item)
    # Vocabulary order; a type outside it (a damaged row rebuilt) after, by name.
    order = [*PLACEMENT_TYPES, *sorted(set(groups) - set(PLACEMENT_TYPES))]
    return tuple(
        Placement(
            type=kind,
            opened=len(group),
            ncmec_on_time_share=_share_of(group, "ncmec"),
            median_missing_hours=median_hours(sorted(missing_hours(i.episode, now) for i in group)),
            factors=most_common(map(_JUDGED_FACTORS, group)),
        )
        for kind in order
        if (group := groups.get(kind))
    )


def _series(
    judged: Sequence[Judged], since: datetime, until: datetime, by: str, zone: tzinfo
) -> tuple[Period, ...]:
    starts = period_starts(since, until, by, zone)
    # `judged` is in learned-of order: walk it once along the period boundaries.
    groups: list[list[Judged]] = [[] for _ in starts]
    ends = [*starts[1:], None]
    slot = 0
    for item in judged:
        while (end := ends[slot]) is not None and item.episode.learned_at >= end:
            slot += 1
        groups[slot].append(item)
    periods: list[Period] = []
    for start, group in zip(starts, groups, strict=True):
        placements: dict[str, int] = {}
        for item in group:
            placements[item.episode.placement] = placements.get(item.episode.placement, 0) + 1
        shares = {report: _share_of(group, report) for report in REPORTS}
        periods.append(
            Period(
                start=start,
                opened=len(group),
                recovered=sum(1 for item in group if item.episode.recovered_at is not None),
                ncmec_on_time_share=shares["ncmec"],
                shares=shares,
                placements=placements,
            )
        )
    return tuple(periods)
