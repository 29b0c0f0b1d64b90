"""Statistics use cases: the figures for a typed window (any active operator may read them),
and the same read on a connection of its own for the board's worker thread."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime, timedelta

from caseboard.domain import stats as domain
from caseboard.domain import stats_periods as periods
from caseboard.domain.errors import BadInput, NotAllowed
from caseboard.domain.stats import Stats
from caseboard.heap import collector_paused
from caseboard.services import Session, access
from caseboard.store import queries
from caseboard.store import stats_queries as sq
from caseboard.store.connection import open_existing, snapshot
from caseboard.store.writer import log_refusal

# What the access log calls a statistics read: the missed list names children.
STATS = "stats"


@dataclass(frozen=True)
class StatsResult:
    """The figures, and one line for each case that could not be read (left out)."""

    stats: Stats
    unreadable: tuple[str, ...]


def require_operator(session: Session) -> str:
    """Any active operator may read the statistics (read now: a role may have just gone)."""
    with session.reading():
        role = queries.operator_role(session.db, session.actor.username)
    if role is not None:
        return role
    refusal = f"{session.actor.username} is not an active caseboard operator; stats needs one"
    log_refusal(session.db, session.actor, STATS, refusal, session.now())
    raise NotAllowed(refusal)


def resolve_window(
    session: Session, since: str | None = None, until: str | None = None, by: str | None = None
) -> tuple[datetime, datetime, str]:
    """(since, until, by) from what was typed: until defaults to now, since to 30 days before
    until, `by` to what suits the window's length."""
    if by is not None and by not in periods.PERIODS:
        raise BadInput("--by", f"is {by!r}; expected one of: {', '.join(periods.PERIODS)}")
    end = session.now() if not until else session.typed_time(until, "--until")
    start = (
        end - timedelta(days=periods.DEFAULT_DAYS)
        if not since
        else session.typed_time(since, "--since")
    )
    if start >= end:
        raise BadInput("--since", "is not before the end of the window (--until, default now)")
    return start, end, by or periods.default_by(start, end)


def statistics(
    session: Session, since: str | None = None, until: str | None = None, by: str | None = None
) -> StatsResult:
    """The statistics of the episodes learned of in (since, until] (see resolve_window)."""
    require_operator(session)
    start, end, step = resolve_window(session, since, until, by)
    result = figures(session, start, end, step)
    access.record_access(session, STATS, "ok")  # the missed list names children
    return result


def figures(session: Session, since: datetime, until: datetime, by: str) -> StatsResult:
    """Read the facts in one snapshot and compute every figure at the session's now."""
    policy = session.policy
    with session.reading(), collector_paused(), snapshot(session.db):
        facts = sq.episode_facts(session.db, since, until, since - policy.repeat_window)
        stats = domain.compute(
            facts.episodes,
            facts.child_episodes,
            since=since,
            until=until,
            by=by,
            policy=policy,
            now=session.now(),
            zone=session.zone,
        )
    return StatsResult(stats, tuple(case.line() for case in facts.unreadable))


def span_statistics(session: Session, span: str) -> StatsResult:
    """The board's period selector (7 days, 30 days, 12 months: whole local periods ending now),
    read on a connection of its own: a worker thread cannot use the board's connection."""
    if span not in periods.SPANS:
        raise BadInput("period", f"is {span!r}; expected one of: {', '.join(periods.SPANS)}")
    own = open_existing(session.path, readonly=session.actor.readonly)
    try:
        apart = dataclasses.replace(session, db=own)
        require_operator(apart)
        since, until, by = periods.span_window(span, apart.now(), apart.zone)
        result = figures(apart, since, until, by)
        access.record_access(apart, STATS, "ok")
        return result
    finally:
        own.conn.close()
