"""The photo on the case detail (half-block snapshot), the p form, and the w / b paperwork keys."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from textual.widgets import Static
from textual_image.widget import HalfcellImage

from caseboard import paths, services
from caseboard.clock import Clock
from caseboard.services.photos import attach_photo
from caseboard.tui import photo as photo_module
from caseboard.tui.app import CaseboardApp
from caseboard.tui.detail import DetailScreen
from caseboard.tui.photo import PhotoForm, PhotoPanel, thumbnail
from support.formkit import board_screen, fill, notes, submit, top_form
from support.images import jpeg_bytes, png_bytes, write

Snap = Callable[..., bool]


@pytest.fixture(autouse=True)
def half_blocks(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Photos drawn with Unicode half-blocks, as over plain SSH (and the same on every host)."""
    monkeypatch.setattr(photo_module, "IMAGE_WIDGET", HalfcellImage)
    yield


@pytest.fixture
def photo_session(
    make_session: Callable[..., services.Session], tmp_path: Path
) -> services.Session:
    """The demo data imported by a fixed operator, with a photo on the first case of the board."""
    services.add_operator(make_session(), "snapshot", "supervisor", "Snapshot Operator")
    session = make_session("snapshot")
    with paths.demo_fixture().open(encoding="utf-8") as handle:
        services.import_records(session, json.load(handle))
    first = services.list_cases(session)[0].case_id
    path = write(tmp_path, "child.png", png_bytes((60, 80)))
    attach_photo(session, first, str(path), "2026-10-02")
    return session


def test_detail_with_a_photo_in_half_blocks_120x40(
    snap_compare: Snap, photo_session: services.Session, frozen: Clock
) -> None:
    app = CaseboardApp(photo_session, clock=frozen)
    assert snap_compare(app, terminal_size=(120, 40), press=["enter"])


async def test_the_detail_draws_the_photo_and_its_line(
    photo_session: services.Session, frozen: Clock
) -> None:
    app = CaseboardApp(photo_session, clock=frozen)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DetailScreen)
        panel = app.screen.query_one(PhotoPanel)
        assert panel.display and len(panel.query(HalfcellImage)) == 1
        line = str(panel.query_one(".photo-line", Static).render())
        assert line == "photo on file, taken 2026-10-02"


async def test_redact_never_draws_the_photo(photo_session: services.Session, frozen: Clock) -> None:
    app = CaseboardApp(photo_session, clock=frozen, redact=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        panel = app.screen.query_one(PhotoPanel)
        assert len(panel.query(HalfcellImage)) == 0
        line = str(panel.query_one(".photo-line", Static).render())
        assert "not shown: --redact" in line


async def test_a_case_without_a_photo_shows_no_panel(app: CaseboardApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        panel = app.screen.query_one(PhotoPanel)
        assert panel.has_class("-empty") and not panel.children
        assert panel.region.height == 0


async def test_p_attaches_a_photo_and_the_detail_shows_it(
    app: CaseboardApp, demo_session: services.Session, tmp_path: Path
) -> None:
    path = write(tmp_path, "new.jpg", jpeg_bytes(gps=True))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        detail = app.screen
        assert isinstance(detail, DetailScreen)
        case_id = detail.detail.summary.case_id
        await pilot.press("p")
        await pilot.pause()
        form = top_form(app)
        assert isinstance(form, PhotoForm)
        fill(form, file=str(tmp_path / "missing.jpg"))
        await pilot.press("ctrl+s")
        await pilot.pause()
        shown: object = app.screen
        assert shown is form, "a missing file keeps the form open"
        assert "no such file" in str(form.field("file").query_one(".field-error").render())
        fill(form, file=str(path), taken="2026-10-02")
        await submit(pilot)
        await pilot.pause()
        shown = app.screen
        assert shown is detail
        stored = services.show_case(demo_session, case_id).events[-1]
        assert stored.type == "photo" and stored.data["taken"] == "2026-10-02"
        panel = detail.query_one(PhotoPanel)
        assert len(panel.query(HalfcellImage)) == 1
        assert "Photo added, taken 2 Oct 2026" in str(detail.query_one("#detail-body").render())


async def test_w_and_b_write_the_packet_and_flyer_and_say_where(
    app: CaseboardApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        case_id = board_screen(app).board.selected.case_id  # type: ignore[union-attr]
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("w")
        await pilot.pause()
        await pilot.press("b")
        await pilot.pause()
    packet = tmp_path / f"case-{case_id}-packet.pdf"
    flyer = tmp_path / f"case-{case_id}-flyer.pdf"
    assert packet.read_bytes().startswith(b"%PDF") and flyer.read_bytes().startswith(b"%PDF")
    said = [message for _severity, message in notes(app)]
    assert f"Report packet for case {case_id} written to {packet}" in said
    assert f"BOLO flyer for case {case_id} written to {flyer}" in said


async def test_a_viewer_is_told_why_p_does_nothing(
    make_session: Callable[..., services.Session], demo_session: services.Session, frozen: Clock
) -> None:
    services.add_operator(demo_session, "vic", "viewer", None)
    app = CaseboardApp(make_session("vic"), clock=frozen)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, DetailScreen)
        assert any("Attach a photo needs" in message for _s, message in notes(app))


def test_a_photo_is_decoded_once_and_kept() -> None:
    data = png_bytes()
    first = thumbnail("sha-for-this-test", data)
    assert thumbnail("sha-for-this-test", b"not decoded again") is first
    assert max(first.size) <= photo_module.THUMBNAIL_PIXELS
