"""Read the facts the statistics need from the case projections, in SQL.

Each case's projection (cases.state) already holds its corrected times: the confirmations,
recovery, interview and closure. The index cases_stats (m009) holds them already extracted
(schema.STATS_TIMES, selected here in the same words so SQLite reads the index rather than
parsing each projection); the cases row gives learned-of time, placement and status.
A projection that cannot be read this way is decoded, or rebuilt from its events, one by one,
and a case that cannot be read at all is named, never silently left out.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import msgspec
from sqlite_utils import Database

from caseboard.domain.board import UnreadableCase
from caseboard.domain.errors import Damaged
from caseboard.domain.model import Moment
from caseboard.domain.stats import Episode, episode_of
from caseboard.domain.timefmt import from_iso, to_iso
from caseboard.store.codec import DAMAGE
from caseboard.store.queries import rebuild_state, stored_state
from caseboard.store.rows import fetch_all
from caseboard.store.schema import STATS_TIMES

_WINDOW = " WHERE cases.learned_at > ? AND cases.learned_at <= ?"
FACTS = (
    "SELECT cases.id, cases.child_id, children.name, cases.learned_at, cases.last_seen_at,"
    f" cases.placement_type, cases.status, {STATS_TIMES}"
    " FROM cases LEFT JOIN children ON children.id = cases.child_id"
    + _WINDOW
    + " ORDER BY cases.learned_at, cases.id"
)
CHILD_TIMES = "SELECT child_id, learned_at FROM cases" + _WINDOW
_ROWS = (
    "SELECT cases.id, cases.child_id, children.name, cases.state FROM cases"
    " LEFT JOIN children ON children.id = cases.child_id" + _WINDOW
)
# msgspec parses the times in C (a 12-month window holds some 44,000 episodes).
_Time = Moment | None
_Ids = tuple[str, ...] | None
_TIMES = msgspec.json.Decoder(
    tuple[int, str, _Time, _Time, _Time, _Time, _Time, str | None, _Time, _Ids, _Ids]
)


@dataclass(frozen=True)
class EpisodeFacts:
    """The window's episodes, every child's learned-of times, and the cases left out."""

    episodes: list[Episode]
    child_episodes: dict[int, list[datetime]]
    unreadable: list[UnreadableCase]


def _episode(row: tuple[Any, ...]) -> Episode:
    case_id, child_id, name, learned, last_seen, placement, status, times = row
    (
        own_id, own_learned, police, ncic, ncmec, recovered, interviewed, screen, closed,
        factors, indicators,
    ) = _TIMES.decode(times)  # fmt: skip
    if own_id != case_id or own_learned != learned:
        raise ValueError(f"case {case_id}'s stored state is not its own or not whole")
    if type(case_id) is not int or type(child_id) is not int:
        raise TypeError("a cases row holds an id that is not a number")
    if not isinstance(placement, str) or not isinstance(status, str):
        raise TypeError("a cases row holds a placement or status that is not text")
    # Positional, in Episode's field order: keywords cost a third of this function per row.
    return Episode(
        case_id, child_id, name if isinstance(name, str) else None, from_iso(learned),
        from_iso(last_seen), placement, status, police, ncic, ncmec, recovered, interviewed,
        screen, closed, factors, indicators,
    )  # fmt: skip


def window_episodes(
    db: Database, since: datetime, until: datetime
) -> tuple[list[Episode], list[UnreadableCase]]:
    """The episodes learned of in (since, until], and those of them that cannot be read."""
    params = [to_iso(since), to_iso(until)]
    try:
        rows = fetch_all(db, FACTS, params)
        return [_episode(row) for row in rows], []
    except sqlite3.OperationalError as exc:
        if "JSON" not in str(exc):  # "malformed JSON": a damaged projection; else a real error
            raise
    except DAMAGE:
        pass
    return _one_by_one(db, params)


def _one_by_one(db: Database, params: list[str]) -> tuple[list[Episode], list[UnreadableCase]]:
    """The slow path, only when some row is damaged: each projection decoded, or folded afresh
    from its case's events (a read never writes; the next write repairs the row)."""
    episodes: list[Episode] = []
    unreadable: list[UnreadableCase] = []
    for case_id, child_id, name, text in fetch_all(db, _ROWS, params):
        try:
            state = stored_state(case_id, text)
        except DAMAGE:
            try:
                state = rebuild_state(db, case_id, child_id)
            except Damaged as exc:
                unreadable.append(UnreadableCase(case_id, child_id, str(exc)))
                continue
        episodes.append(episode_of(state, name if isinstance(name, str) else None))
    return episodes, unreadable


def child_episodes(
    db: Database, child_ids: set[int], since: datetime, until: datetime
) -> dict[int, list[datetime]]:
    """Learned-of times of the given children's episodes in (since, until], a range of the
    covering index cases_stats (a damaged time is skipped: that count is one short)."""
    result: dict[int, list[datetime]] = defaultdict(list)
    rows = fetch_all(db, CHILD_TIMES, [to_iso(since), to_iso(until)])
    for child_id, learned_at in rows:
        if child_id in child_ids:
            try:
                result[child_id].append(from_iso(learned_at))
            except DAMAGE:
                continue
    return result


def episode_facts(
    db: Database, since: datetime, until: datetime, reach_back: datetime
) -> EpisodeFacts:
    """Everything the statistics of (since, until] read; `reach_back` is how far before the
    window earlier episodes count for repeat runners."""
    episodes, unreadable = window_episodes(db, since, until)
    children = {episode.child_id for episode in episodes}
    earlier = child_episodes(db, children, reach_back, until)
    return EpisodeFacts(episodes, dict(earlier), unreadable)
