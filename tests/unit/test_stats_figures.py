"""Statistics over episodes written through the real write path, every figure worked out by hand.

The clock is frozen at NOW (2026-11-28 04:00 UTC); the window is (NOW - 100 h, NOW]. Hours below
are from NOW; each report's limit is the federal profile's (police and NCMEC 24 h, NCIC 2 h,
return interview 72 h).

  A  learned -72 h, last seen -73 h, foster home: police +1 h, NCIC +1 h after it, NCMEC +10 h
     (all on time); recovered +24 h (missing 25 h); interview 10 h later, screen "possible".
  B  learned -60 h, last seen -61 h, foster home: police +30 h (late), so NCIC started at -30 h
     and was never confirmed (missed); NCMEC logged at +30 h (late), corrected to +20 h: on time.
  C  learned -50 h, last seen -51 h, group home: nothing confirmed, closed at -40 h: police and
     NCMEC missed (due -26 h, past), NCIC never started.
  E  learned -100 h exactly, shelter: on the window's open edge, left out (child X).
  D  learned -5 h, last seen -6 h, shelter, child X: police and NCMEC pending.
  G  learned at NOW exactly (the window's closed edge), last seen -1 h, shelter, child X: the
     third episode of X within 90 days, so X is a repeat runner (D and G: 2 of 5 episodes).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest

from caseboard import services
from caseboard.clock import frozen_clock
from caseboard.domain.errors import NotAllowed
from caseboard.domain.stats_view import stats_csv, stats_json, stats_markdown
from caseboard.domain.timefmt import to_iso
from caseboard.services import actions
from caseboard.services import stats as stats_service

MakeSession = Callable[..., services.Session]


def _at(now: datetime, hours: float) -> str:
    return to_iso(now + timedelta(hours=hours))


def _intake(
    session: services.Session, name: str, learned: float, seen: float, placement: str,
    child_id: int | None = None,
) -> int:  # fmt: skip
    now = session.now()
    record = {
        "name": name, "age": 15, "learned_at": _at(now, learned), "last_seen_at": _at(now, seen),
        "last_seen_where": "Sample Park", "placement_type": placement,
        "agency": "Example County DCFS",
    }  # fmt: skip
    if child_id is not None:
        record["child_id"] = child_id
    return services.open_case(session, record)


def _confirm(session: services.Session, case: int, report: str, hours: float) -> int:
    raw = {"ref": f"R-{case}-{report}", "at": _at(session.now(), hours)}
    return actions.confirm_report(session, case, report, raw).event_id


@pytest.fixture
def written(make_session: MakeSession, now: datetime) -> dict[str, int]:
    """The six episodes above, through services (the one write path); case ids by letter."""
    s = make_session()
    ids: dict[str, int] = {}
    ids["A"] = a = _intake(s, "Ava Example", -72, -73, "foster_home")
    _confirm(s, a, "police", -71)
    _confirm(s, a, "ncic", -70)
    _confirm(s, a, "ncmec", -62)
    actions.record_recovery(s, a, {"at": _at(now, -48), "where": "Home", "by": "Officer Test"})
    actions.record_interview(s, a, {"at": _at(now, -38), "screen": "possible"})
    ids["B"] = b = _intake(s, "Ben Sample", -60, -61, "foster_home")
    _confirm(s, b, "police", -30)
    logged = _confirm(s, b, "ncmec", -30)
    actions.correct_event(s, logged, "typed the wrong hour", {"at": _at(now, -40)})
    ids["C"] = c = _intake(s, "Cara Mock", -50, -51, "group_home")
    actions.close_case(make_session(clock=frozen_clock(now - timedelta(hours=40))), c, "dup")
    ids["E"] = e = _intake(s, "Xavi Fixture", -100, -101, "shelter")
    child = services.show_case(s, e).summary.state.child_id
    ids["D"] = _intake(s, "Xavi Fixture", -5, -6, "shelter", child)
    ids["G"] = _intake(s, "Xavi Fixture", 0, -1, "shelter", child)
    return ids


def _stats(make_session: MakeSession, by: str = "month") -> stats_service.StatsResult:
    return stats_service.statistics(make_session(), since="100h ago", until="now", by=by)


def test_every_figure_as_worked_out_by_hand(
    make_session: MakeSession, written: dict[str, int], now: datetime
) -> None:
    data = stats_json(_stats(make_session).stats)
    assert data["window"] == {"since": _at(now, -100), "until": to_iso(now)}
    assert data["episodes"] == {"opened": 5, "recovered": 1, "closed": 1, "open": 4}
    assert data["reports"]["police"] == {
        "on_time": 1, "late": 1, "missed": 1, "pending": 2, "not_started": 0,
        "on_time_share": 0.3333, "median_hours": 15.5, "p90_hours": 27.1,  # hours 1 and 30
    }  # fmt: skip
    assert data["reports"]["ncic"] == {
        "on_time": 1, "late": 0, "missed": 1, "pending": 0, "not_started": 3,
        "on_time_share": 0.5, "median_hours": 1.0, "p90_hours": 1.0,
    }  # fmt: skip
    assert data["reports"]["ncmec"] == {
        "on_time": 2, "late": 0, "missed": 1, "pending": 2, "not_started": 0,
        "on_time_share": 0.6667, "median_hours": 15.0, "p90_hours": 19.0,  # hours 10 and 20
    }  # fmt: skip
    assert data["recovery"] == {"median_hours": 25.0, "p90_hours": 25.0}
    assert data["repeat"] == {"children": 1, "episodes_share": 0.4}
    assert data["interviews"] == {"on_time": 1, "late": 0, "missed": 0, "pending": 0}
    assert data["screens"] == {"none": 0, "possible": 1, "clear": 0}
    assert data["by_placement"] == [
        # A missing 25 h, B still missing 61 h; C closed after 11 h; D 6 h, G 1 h.
        {"type": "foster_home", "opened": 2, "ncmec_on_time_share": 1.0,
         "median_missing_hours": 43.0},
        {"type": "group_home", "opened": 1, "ncmec_on_time_share": 0.0,
         "median_missing_hours": 11.0},
        {"type": "shelter", "opened": 2, "ncmec_on_time_share": None,
         "median_missing_hours": 3.5},
    ]  # fmt: skip
    # One month in the display zone (Chicago): 1 November starts before the DST change.
    assert data["series"] == [
        {"start": "2026-11-01T00:00:00-05:00", "opened": 5, "recovered": 1,
         "ncmec_on_time_share": 0.6667},
    ]  # fmt: skip
    assert list(data) == [
        "window", "episodes", "reports", "recovery", "repeat", "interviews", "screens",
        "by_placement", "series", "factors", "indicators",
    ]  # fmt: skip
    assert data["factors"] == [] and data["indicators"] == []  # no interview recorded any


def test_the_correction_moves_b_from_late_to_on_time(
    make_session: MakeSession, written: dict[str, int], now: datetime
) -> None:
    ncmec = _stats(make_session).stats.reports["ncmec"]
    assert (ncmec.on_time, ncmec.late) == (2, 0)
    assert sorted(ncmec.hours) == [10.0, 20.0]  # B counts with its corrected time
    shown = services.show_case(make_session(), written["B"])
    assert shown.summary.state.confirmations["ncmec"].at == now - timedelta(hours=40)


def test_the_closed_case_that_never_reached_ncmec_is_missed(
    make_session: MakeSession, written: dict[str, int]
) -> None:
    stats = _stats(make_session).stats
    missed = {item.case_id: item.missed for item in stats.missed}
    assert missed == {written["B"]: ("ncic",), written["C"]: ("police", "ncmec")}
    (closed,) = [item for item in stats.missed if item.case_id == written["C"]]
    assert closed.status == "closed"


def test_window_edges_since_open_until_closed(
    make_session: MakeSession, written: dict[str, int]
) -> None:
    session = make_session()
    edge = stats_service.statistics(session, since="100h ago", until="now", by="day")
    later = stats_service.statistics(session, since="99h ago", until="1m ago", by="day")
    assert edge.stats.opened == 5  # E at exactly `since` is out, G at exactly `until` is in
    assert later.stats.opened == 4  # G (learned at NOW) falls after this window
    day = stats_service.statistics(session, since="100h ago", until="now", by="day").stats
    # Local (Chicago) days: A Tue 24th 22:00; B 25th 10:00 and C 25th 20:00; D 27th 17:00
    # and G 27th 22:00; the window opens on the 23rd at 14:00.
    assert [(p.start.day, p.opened) for p in day.series] == [
        (23, 0), (24, 1), (25, 2), (26, 0), (27, 2),
    ]  # fmt: skip


def test_agrees_with_cases_all_json(
    make_session: MakeSession, written: dict[str, int], now: datetime
) -> None:
    # Each report's due and done times as `cases --all --json` computes them give the outcomes.
    summaries = {
        s.state.case_id: s for s in services.list_cases(make_session(), include_closed=True)
    }
    stats = _stats(make_session).stats
    counted = {report: dict.fromkeys(("on_time", "late", "missed", "pending", "not_started"), 0)
               for report in ("police", "ncic", "ncmec")}  # fmt: skip
    for letter, case_id in written.items():
        if letter == "E":
            continue
        for report in counted:
            clock = summaries[case_id].clocks[report]
            if clock.due_at is None:
                counted[report]["not_started"] += 1
            elif clock.done_at is not None:
                counted[report]["late" if clock.done_at > clock.due_at else "on_time"] += 1
            else:
                counted[report]["missed" if now >= clock.due_at else "pending"] += 1
    for report, counts in counted.items():
        figures = stats.reports[report]
        assert counts == {key: getattr(figures, key) for key in counts}


def test_markdown_names_the_missed_and_redacts_them(
    make_session: MakeSession, written: dict[str, int], zone: object
) -> None:
    stats = _stats(make_session).stats
    text = stats_markdown(stats, make_session().zone)
    assert "**NCMEC was told on time for 2 of 3 episodes (67 %); 1 was never reported" in text
    assert f"- Case {written['C']} · Cara Mock · group home" in text
    hidden = stats_markdown(stats, make_session().zone, redact=True)
    assert "Cara Mock" not in hidden and f"- Case {written['C']} · C.M. · group home" in hidden


def test_csv_is_the_series(make_session: MakeSession, written: dict[str, int]) -> None:
    text = stats_csv(_stats(make_session).stats)
    assert text == (
        "start,opened,recovered,ncmec_on_time_share\n2026-11-01T00:00:00-05:00,5,1,0.6667\n"
    )


def test_an_empty_window_has_no_shares(make_session: MakeSession) -> None:
    data = stats_json(_stats(make_session).stats)
    assert data["episodes"] == {"opened": 0, "recovered": 0, "closed": 0, "open": 0}
    assert data["reports"]["ncmec"]["on_time_share"] is None
    assert data["reports"]["ncmec"]["median_hours"] is None
    assert data["repeat"] == {"children": 0, "episodes_share": None}


def test_any_operator_may_read_a_disabled_one_may_not(make_session: MakeSession) -> None:
    services.add_operator(make_session(), "viewer1", "viewer", None)
    viewer = make_session("viewer1")
    assert stats_service.statistics(viewer).stats.opened == 0  # a viewer reads them
    services.disable_operator(make_session(), "viewer1", None)
    with pytest.raises(NotAllowed, match="viewer1 is not an active caseboard operator"):
        stats_service.statistics(viewer)  # the role is read again for every read
