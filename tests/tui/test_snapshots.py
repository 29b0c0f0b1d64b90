"""Deliberate layout snapshots with a frozen clock and a fixed operator name."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from textual.pilot import Pilot

from caseboard import paths, services
from caseboard.clock import Clock
from caseboard.tui.app import CaseboardApp
from caseboard.tui.detail import DetailScreen
from support import casefile
from support.formkit import board_screen
from support.reading import settled

Snap = Callable[..., bool]


@pytest.fixture
def snapshot_session(make_session: Callable[..., services.Session]) -> services.Session:
    """The demo data imported by a fixed operator, so no OS account name reaches a snapshot."""
    services.add_operator(make_session(), "snapshot", "supervisor", "Snapshot Operator")
    session = make_session("snapshot")
    with paths.demo_fixture().open(encoding="utf-8") as handle:
        services.import_records(session, json.load(handle))
    return session


def test_board_120x40(
    snap_compare: Snap, snapshot_session: services.Session, frozen: Clock
) -> None:
    app = CaseboardApp(snapshot_session, clock=frozen)
    assert snap_compare(app, terminal_size=(120, 40), press=["j", "j"])


def test_board_80x24(snap_compare: Snap, snapshot_session: services.Session, frozen: Clock) -> None:
    app = CaseboardApp(snapshot_session, clock=frozen)
    assert snap_compare(app, terminal_size=(80, 24))


def test_board_no_color(
    snap_compare: Snap,
    snapshot_session: services.Session,
    frozen: Clock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = CaseboardApp(snapshot_session, clock=frozen)
    assert snap_compare(app, terminal_size=(80, 24), press=["3"])


def test_detail_120x40(
    snap_compare: Snap, snapshot_session: services.Session, frozen: Clock
) -> None:
    app = CaseboardApp(snapshot_session, clock=frozen)
    assert snap_compare(app, terminal_size=(120, 40), press=["enter"])


def test_help_80x24(snap_compare: Snap, snapshot_session: services.Session, frozen: Clock) -> None:
    app: Any = CaseboardApp(snapshot_session, clock=frozen)
    assert snap_compare(app, terminal_size=(80, 24), press=["question_mark"])


def test_handover_80x24_no_color(
    snap_compare: Snap,
    snapshot_session: services.Session,
    frozen: Clock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The handover screen as drawn: headings without their #, bullets wrapped under their text,
    # the report scrolled a page in, and the screen's own footer.
    monkeypatch.setenv("NO_COLOR", "1")
    app: Any = CaseboardApp(snapshot_session, clock=frozen)

    async def read_then_page(pilot: Pilot[Any]) -> None:
        await pilot.press("h")
        await settled(pilot)  # the report is read in a worker
        await pilot.press("pagedown")

    assert snap_compare(app, terminal_size=(80, 24), run_before=read_then_page)


# The case detail at both sizes for the cases #13 names: a missing case with handover lines (and
# a corrected sighting, shown where it stood), a recovered case with a return interview, and a
# case whose tier a supervisor overrode.
CASES = ("missing", "recovered", "overridden")
SIZES = ((80, 24), (120, 40))


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
@pytest.mark.parametrize("which", CASES)
def test_case_detail(
    snap_compare: Snap,
    snapshot_session: services.Session,
    frozen: Clock,
    which: str,
    size: tuple[int, int],
) -> None:
    case_id = getattr(casefile.build(snapshot_session), which)
    app = CaseboardApp(snapshot_session, clock=frozen)

    async def open_case(pilot: Pilot[Any]) -> None:
        await pilot.pause()
        board_screen(app).board.reload(keep=case_id)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DetailScreen)
        assert app.screen.detail.summary.case_id == case_id
        await pilot.pause()  # the timeline is wrapped again once the body has its width

    assert snap_compare(app, terminal_size=size, run_before=open_case)
