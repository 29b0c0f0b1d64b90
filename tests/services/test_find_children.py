"""Intake's repeat-episode lookup: children on file matched by name and date of birth."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, tzinfo
from pathlib import Path

from caseboard import services
from caseboard.clock import frozen_clock
from caseboard.domain.policy import Policy
from caseboard.identity import os_username
from caseboard.store.writer import Actor


def _record(name: str, dob: str) -> dict[str, str]:
    return {
        "name": name,
        "dob": dob,
        "learned_at": "1h ago",
        "last_seen_at": "2h ago",
        "last_seen_where": "Sample Group Home",
        "placement_type": "group_home",
        "agency": "Fictional County DCFS",
    }


def _import(session: services.Session, *people: tuple[str, str]) -> None:
    services.import_records(session, [_record(name, dob) for name, dob in people])


def test_matches_by_part_of_the_name_and_counts_episodes(
    make_session: Callable[..., services.Session],
) -> None:
    session = make_session()
    # Two episodes of one child (linked by child_key) and one unrelated child.
    services.import_records(
        session,
        [
            {**_record("Jaylen Testcase", "2011-03-04"), "child_key": "j"},
            {**_record("Jaylen Testcase", "2011-03-04"), "child_key": "j"},
        ],
    )
    _import(session, ("Marisol Demo", "2012-01-01"))
    found = services.find_children(session, "  jaylen   test ")
    assert [(m.name, m.dob, m.episodes) for m in found] == [("Jaylen Testcase", "2011-03-04", 2)]


def test_a_typed_date_of_birth_narrows_the_match(
    make_session: Callable[..., services.Session],
) -> None:
    session = make_session()
    _import(session, ("Ari Example", "2010-05-05"), ("Ari Example", "2013-07-07"))
    assert len(services.find_children(session, "Ari Ex")) == 2
    narrowed = services.find_children(session, "Ari Ex", "2013-07-07")
    assert [m.dob for m in narrowed] == ["2013-07-07"]


def test_like_wildcards_typed_are_literal_and_short_names_match_nothing(
    make_session: Callable[..., services.Session],
) -> None:
    session = make_session()
    _import(session, ("Noa Sample", "2011-02-02"), ("Noa_Sample 100%", "2011-02-02"))
    assert [m.name for m in services.find_children(session, "Noa_")] == ["Noa_Sample 100%"]
    assert [m.name for m in services.find_children(session, "100%")] == ["Noa_Sample 100%"]
    assert services.find_children(session, "%%%") == []
    assert services.find_children(session, "No") == []


def test_a_date_of_birth_typed_with_slashes_matches_the_stored_date(
    make_session: Callable[..., services.Session],
    db_path: Path,
    policy: Policy,
    now: datetime,
    zone: tzinfo,
) -> None:
    session = make_session()
    _import(session, ("Ari Example", "2010-05-05"), ("Ari Example", "2012-03-04"))
    # Month first by default, as intake reads it.
    assert [m.dob for m in services.find_children(session, "Ari Ex", "03/04/2012")] == [
        "2012-03-04"
    ]
    assert [m.dob for m in services.find_children(session, "Ari Ex", "05/05/2010")] == [
        "2010-05-05"
    ]
    # Day first when the policy says so.
    day_first = services.open_session(
        db_path, Actor(os_username()), replace(policy, day_first=True), zone, frozen_clock(now)
    )
    assert [m.dob for m in services.find_children(day_first, "Ari Ex", "04/03/2012")] == [
        "2012-03-04"
    ]
    # A date still being typed does not hide the child whose birthday it will be.
    assert len(services.find_children(session, "Ari Ex", "03/04/20")) == 2
