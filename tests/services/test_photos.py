"""Attaching photos: only whole JPEG/PNG images under the limit, stored stripped, with history."""

from __future__ import annotations

import hashlib
import io
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from caseboard.domain.errors import BadInput, Conflict, NotAllowed
from caseboard.domain.photo import current_photo
from caseboard.services import actions, show_case
from caseboard.services.photos import attach_photo, photo_bytes
from support.images import (
    GPS_IFD,
    jpeg_bytes,
    large_png,
    png_bytes,
    write,
)

Board = Any  # tests/services/conftest.py's Board


def stored(board: Board) -> list[tuple[int, int, str, str, bytes]]:
    """Every photos row: (id, case_id, sha256, format, data)."""
    with closing(sqlite3.connect(board.path)) as conn:
        return conn.execute(
            "SELECT id, case_id, sha256, format, data FROM photos ORDER BY id"
        ).fetchall()


@pytest.mark.parametrize(
    ("name", "make", "fmt"),
    [("child.png", png_bytes, "png"), ("child.jpg", jpeg_bytes, "jpeg")],
)
def test_a_png_or_jpeg_is_stored_with_its_hash_and_linked_by_a_photo_event(
    board: Board, tmp_path: Path, name: str, make: Any, fmt: str
) -> None:
    path = write(tmp_path, name, make())
    before = board.counts()["events"]
    result = attach_photo(board.session(), board.cases.standard, str(path), "2026-10-02")
    event = board.new_event(before, result.event_id)
    assert event.type == "photo" and event.case_id == board.cases.standard
    [(photo_id, case_id, sha, stored_fmt, data)] = stored(board)
    assert (case_id, stored_fmt) == (board.cases.standard, fmt)
    assert sha == hashlib.sha256(data).hexdigest() == event.data["sha256"]
    assert event.data["photo_id"] == photo_id and event.data["taken"] == "2026-10-02"
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == fmt.upper() and image.size == (120, 160)
    packet = board.summary(board.cases.standard).state.packet
    assert packet["photo_on_file"] is True and packet["photo_date"] == "2026-10-02"


def test_gps_exif_and_comments_do_not_survive(board: Board, tmp_path: Path) -> None:
    original = jpeg_bytes(gps=True, taken="2026:10:02 10:00:00", comment=b"12 Sample Street")
    with Image.open(io.BytesIO(original)) as image:
        assert image.getexif().get_ifd(GPS_IFD), "the test image must carry GPS to begin with"
    path = write(tmp_path, "gps.jpg", original)
    attach_photo(board.session(), board.cases.standard, str(path))
    [(_, _, _, _, data)] = stored(board)
    with Image.open(io.BytesIO(data)) as image:
        assert not image.getexif(), "every EXIF tag is gone"
        assert "exif" not in image.info and "comment" not in image.info
    assert b"Exif" not in data and b"Sample Street" not in data
    # The camera's date was read before stripping: it is the date taken when none is typed.
    assert board.summary(board.cases.standard).state.packet["photo_date"] == "2026-10-02"


def test_png_text_chunks_do_not_survive(board: Board, tmp_path: Path) -> None:
    path = write(tmp_path, "child.png", png_bytes())
    assert b"Sample Street" in path.read_bytes()
    attach_photo(board.session(), board.cases.standard, str(path))
    [(_, _, _, _, data)] = stored(board)
    assert b"Sample Street" not in data and b"tEXt" not in data


@pytest.mark.parametrize(
    ("name", "content", "said"),
    [
        ("truncated.jpg", jpeg_bytes()[:-400], "truncated or damaged"),
        ("truncated.png", png_bytes()[:-200], "truncated or damaged"),
        ("notes.jpg", b"this is a text file, not a photo\n" * 20, "not a JPEG or PNG image"),
        ("empty.png", b"", "is empty"),
    ],
)
def test_what_is_not_a_whole_image_is_refused_and_nothing_is_written(
    board: Board, tmp_path: Path, name: str, content: bytes, said: str
) -> None:
    path = write(tmp_path, name, content)
    before = board.counts()
    with pytest.raises(BadInput) as refused:
        attach_photo(board.session(), board.cases.standard, str(path))
    assert refused.value.field == "FILE" and said in refused.value.message
    assert board.counts() == before and stored(board) == []


def test_a_gif_is_refused_by_its_format(board: Board, tmp_path: Path) -> None:
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, "GIF")
    path = write(tmp_path, "child.png", out.getvalue())
    with pytest.raises(BadInput, match="GIF image; expected a JPEG or PNG"):
        attach_photo(board.session(), board.cases.standard, str(path))


def test_a_12_mb_file_is_refused_before_it_is_decoded(board: Board, tmp_path: Path) -> None:
    path = large_png(tmp_path, 12)
    assert path.stat().st_size > 12 * 2**20
    before = board.counts()
    with pytest.raises(BadInput, match="larger than 10 MB"):
        attach_photo(board.session(), board.cases.standard, str(path))
    assert board.counts() == before and stored(board) == []


def test_a_missing_file_a_folder_and_a_future_date_are_refused(
    board: Board, tmp_path: Path
) -> None:
    session = board.session()
    with pytest.raises(BadInput, match="no such file"):
        attach_photo(session, board.cases.standard, str(tmp_path / "nope.jpg"))
    with pytest.raises(BadInput, match="is a folder"):
        attach_photo(session, board.cases.standard, str(tmp_path))
    path = write(tmp_path, "child.jpg", jpeg_bytes())
    with pytest.raises(BadInput) as refused:
        attach_photo(session, board.cases.standard, str(path), "2027-01-01")
    assert refused.value.field == "--taken"
    with pytest.raises(BadInput, match="no case 999"):
        attach_photo(session, 999, str(path))
    assert stored(board) == []


def test_the_newest_photo_is_current_and_the_earlier_one_is_kept(
    board: Board, tmp_path: Path
) -> None:
    session = board.session()
    case = board.cases.standard
    first = attach_photo(session, case, str(write(tmp_path, "a.png", png_bytes())), "2026-09-01")
    second = attach_photo(session, case, str(write(tmp_path, "b.jpg", jpeg_bytes())), "2026-10-02")
    assert len(stored(board)) == 2
    detail = show_case(session, case)
    ref = current_photo(detail.events)
    assert ref is not None and ref.event_id == second.event_id and ref.format == "jpeg"
    assert photo_bytes(session, ref)[:2] == b"\xff\xd8"
    # Striking the newest photo makes the earlier one current again; both rows stay.
    actions.correct_event(session, second.event_id, "wrong child", {}, void=True)
    detail = show_case(session, case)
    ref = current_photo(detail.events)
    assert ref is not None and ref.event_id == first.event_id
    assert detail.summary.state.packet["photo_date"] == "2026-09-01"
    assert len(stored(board)) == 2
    with closing(sqlite3.connect(board.path)) as conn, pytest.raises(sqlite3.DatabaseError):
        conn.execute("DELETE FROM photos")


def test_a_photo_whose_bytes_changed_is_reported_damaged(board: Board, tmp_path: Path) -> None:
    from caseboard.domain.errors import Damaged

    session = board.session()
    attach_photo(session, board.cases.standard, str(write(tmp_path, "a.png", png_bytes())))
    ref = current_photo(show_case(session, board.cases.standard).events)
    assert ref is not None
    with closing(sqlite3.connect(board.path)) as conn:
        conn.execute("DROP TRIGGER photos_no_update")
        conn.execute("UPDATE photos SET data = X'00'")
        conn.commit()
    with pytest.raises(Damaged, match="SHA-256"):
        photo_bytes(session, ref)


@pytest.mark.parametrize("role", ["liaison", "viewer"])
def test_only_dispatch_roles_attach_photos(board: Board, tmp_path: Path, role: str) -> None:
    path = write(tmp_path, "a.png", png_bytes())
    with pytest.raises(NotAllowed):
        attach_photo(board.session(board.users[role]), board.cases.standard, str(path))
    assert stored(board) == []
    attach_photo(board.session(board.users["dispatcher"]), board.cases.standard, str(path))
    assert len(stored(board)) == 1


def test_a_closed_case_takes_no_photo(board: Board, tmp_path: Path) -> None:
    path = write(tmp_path, "a.png", png_bytes())
    with pytest.raises(Conflict):
        attach_photo(board.session(), board.cases.closed, str(path))
    assert stored(board) == []
