"""Dates in forms follow the policy's `[input] day_first`: the placeholders say which order a
date with slashes is read in, the live readings under date and time fields read it as saving
will, and a photo's date typed with slashes is read the same way."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, tzinfo
from pathlib import Path

from textual.widgets import Input, Static

from caseboard import services
from caseboard.clock import frozen_clock
from caseboard.domain.policy import Policy
from caseboard.identity import os_username
from caseboard.services import photos
from caseboard.store.writer import Actor
from caseboard.tui.app import CaseboardApp
from caseboard.tui.forms.base import FormScreen
from support import images
from support.formkit import SIZE, fill, top_form


def session_reading(
    db_path: Path, policy: Policy, zone: tzinfo, now: datetime, *, day_first: bool
) -> services.Session:
    """A session on the test database whose policy reads slashed dates day first (or not)."""
    changed = replace(policy, day_first=day_first)
    return services.open_session(db_path, Actor(os_username()), changed, zone, frozen_clock(now))


def hint(form: FormScreen, key: str) -> str:
    return str(form.field(key).query_one(".field-hint", Static).render())


def placeholder(form: FormScreen, key: str) -> str:
    return form.field(key).query_one(Input).placeholder


async def intake_readings(
    session: services.Session, now: datetime, typed: dict[str, str]
) -> tuple[dict[str, str], dict[str, str]]:
    """The intake form's placeholders and live readings after typing `typed`."""
    app = CaseboardApp(session, clock=frozen_clock(now))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        form = top_form(app)
        fill(form, **typed)
        await pilot.pause()
        keys = ("dob", "photo_date", "last_seen_at")
        return (
            {key: placeholder(form, key) for key in keys},
            {key: hint(form, key) for key in keys},
        )


async def test_day_first_forms_read_and_say_dates_day_first(
    make_session: Callable[..., services.Session],
    db_path: Path,
    policy: Policy,
    zone: tzinfo,
    now: datetime,
) -> None:
    make_session()
    session = session_reading(db_path, policy, zone, now, day_first=True)
    typed = {"dob": "04/03/2012", "photo_date": "02/10/2026", "last_seen_at": "03/11/2026 22:15"}
    shown, readings = await intake_readings(session, now, typed)
    assert shown["dob"] == "YYYY-MM-DD or DD/MM/YYYY"
    assert shown["photo_date"] == "YYYY-MM-DD or DD/MM/YYYY"
    assert readings["dob"] == "→ 4 March 2012"
    assert readings["photo_date"] == "→ 2 October 2026"
    assert readings["last_seen_at"].startswith("→ 2026-11-03 22:15")


async def test_month_first_by_default(
    make_session: Callable[..., services.Session],
    db_path: Path,
    policy: Policy,
    zone: tzinfo,
    now: datetime,
) -> None:
    make_session()
    session = session_reading(db_path, policy, zone, now, day_first=False)
    typed = {"dob": "03/14/2012", "photo_date": "13/02/2026", "last_seen_at": "11/03/2026 22:15"}
    shown, readings = await intake_readings(session, now, typed)
    assert shown["dob"] == "YYYY-MM-DD or MM/DD/YYYY"
    assert readings["dob"] == "→ 14 March 2012"
    assert readings["photo_date"].startswith("? ") and "MM/DD/YYYY" in readings["photo_date"]
    assert readings["last_seen_at"].startswith("→ 2026-11-03 22:15")


def test_a_photo_date_typed_with_slashes_follows_the_policy(
    make_session: Callable[..., services.Session],
    db_path: Path,
    policy: Policy,
    zone: tzinfo,
    now: datetime,
) -> None:
    first = make_session()
    services.import_records(
        first,
        [
            {
                "name": "Ada Example",
                "age": 12,
                "learned_at": "1h ago",
                "last_seen_at": "2h ago",
                "last_seen_where": "Sample Group Home",
                "placement_type": "group_home",
                "agency": "Fictional County DCFS",
            }
        ],
    )
    case = services.list_cases(first)[0].case_id
    session = session_reading(db_path, policy, zone, now, day_first=True)
    photos.attach_photo(session, case, images.photo_file(), taken="02/10/2026")
    packet = services.show_case(session, case).summary.state.packet
    assert packet["photo_date"] == "2026-10-02"
