"""A damaged database or pasted control characters never end the board with a traceback."""

from __future__ import annotations

import json
import os
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from textual import events
from textual.widgets import Input

from caseboard.domain.errors import Unavailable
from caseboard.services.actions import add_note
from caseboard.tui.app import CaseboardApp
from caseboard.tui.board import BoardView
from caseboard.tui.header import StatusHeader
from support.reading import settled

SIZE = (100, 30)


def corrupt_in_place(path: Path) -> None:
    """Same file, garbage content: a copy gone wrong, or disk trouble."""
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    with path.open("r+b") as handle:
        handle.write(b"garbage!" * 4096)


async def test_keys_on_a_corrupted_database_say_so_and_keep_the_board(
    app: CaseboardApp, db_path: Path
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        rows = len(app.model.ordered)
        corrupt_in_place(db_path)
        app.poll()
        await pilot.pause()
        assert "stale since" in app.screen.query_one(StatusHeader).render().plain
        for key in ("h", "escape", "enter", "slash", "d", "e", "escape", "v", "escape"):
            await pilot.press(key)
            await pilot.pause()
        await settled(pilot)  # the handover is read in a worker: its refusal comes from there
        assert app.is_running
        assert len(app.model.ordered) == rows  # the last good board is still shown
        messages = [str(note.message) for note in app._notifications]
        assert any("not a database" in message for message in messages), messages


async def test_a_pasted_nul_in_the_filter_is_not_an_error(app: CaseboardApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("slash")
        await pilot.pause()
        box = app.screen.query_one("#filter", Input)
        box.post_message(events.Paste("\x00aiden"))
        await pilot.pause()
        await pilot.pause()
        assert app.is_running
        board = app.screen.query_one(BoardView)
        names = [line.name for line in board.model.lines if not isinstance(line, str)]
        assert names and all("Aiden" in name for name in names), names


async def test_a_file_restored_under_a_running_board_is_not_followed_nor_written(
    app: CaseboardApp, db_path: Path, tmp_path: Path
) -> None:
    # Restoring a backup over the path while boards run would leave their old -wal/-shm beside
    # the new file: the board says so, keeps the last good state and writes nothing more.
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        session = app.session
        rows = len(app.model.ordered)
        case = app.model.ordered[0].case_id
        copy = tmp_path / "restored.db"
        with closing(sqlite3.connect(db_path)) as source, closing(sqlite3.connect(copy)) as dest:
            source.backup(dest)
        os.replace(copy, db_path)
        with pytest.raises(Unavailable, match="replaced"):
            add_note(session, case, "after the restore")
        app.poll()
        await pilot.pause()
        assert "stale since" in app.screen.query_one(StatusHeader).render().plain
        assert len(app.model.ordered) == rows
        messages = [str(note.message) for note in app._notifications]
        assert any("start again" in message for message in messages), messages
    with closing(sqlite3.connect(db_path)) as conn:
        texts = [
            json.loads(d)["text"]
            for (d,) in conn.execute("SELECT data FROM events WHERE type = 'note'")
        ]
    assert "after the restore" not in texts
