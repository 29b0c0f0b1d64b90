"""`verify` holds every stored photo to the SHA-256 its `photo` event recorded: an image
changed, added or removed behind caseboard's back is named, and exit is 1."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from support import images
from support.inprocess import copy_database, demo_database, run_main


@pytest.fixture(scope="module")
def with_photo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo database with one photo attached to case 8, made once for the module."""
    db = demo_database(tmp_path_factory.mktemp("photos") / "caseboard.db")
    attached = run_main(db, "photo", "8", images.photo_file())
    assert attached.code == 0, attached.err
    return db


def _forge(db: Path, *statements: str) -> None:
    """Write past the photos table's triggers, as someone with the file and sqlite3 could."""
    with closing(sqlite3.connect(db)) as conn:
        conn.execute("DROP TRIGGER photos_no_update")
        conn.execute("DROP TRIGGER photos_no_delete")
        for statement in statements:
            conn.execute(statement)
        conn.commit()


def _problems(db: Path) -> tuple[int, list[str]]:
    result = run_main(db, "verify", "--json")
    payload = json.loads(result.out)
    return result.code, [f"{p['where']}: {p['what']}" for p in payload["problems"]]


def test_an_untouched_photo_verifies(with_photo: Path, tmp_path: Path) -> None:
    db = copy_database(with_photo, tmp_path / "caseboard.db")
    result = run_main(db, "verify")
    assert result.code == 0, result.out
    assert "photos: 1 stored" in result.err + result.out


@pytest.mark.parametrize(
    ("statements", "expected"),
    [
        (
            ["UPDATE photos SET data = zeroblob(64)"],
            "photos row 1: its bytes are not the photo event",
        ),
        (
            ["INSERT INTO photos SELECT 2, case_id, sha256, format, width, height, data,"
             " added_at, added_by FROM photos WHERE id = 1"],
            "photos row 2: no photo event refers to it",
        ),
        (["DELETE FROM photos"], "names photo 1, which is not stored"),
        (["UPDATE photos SET case_id = 1"], "photos row 1: belongs to case 1"),
    ],
    ids=["changed bytes", "added row", "removed row", "moved to another case"],
)  # fmt: skip
def test_a_photo_changed_behind_caseboard_fails_verify(
    with_photo: Path, tmp_path: Path, statements: list[str], expected: str
) -> None:
    db = copy_database(with_photo, tmp_path / "caseboard.db")
    _forge(db, *statements)
    code, problems = _problems(db)
    assert code == 1
    assert any(expected in problem for problem in problems), problems
