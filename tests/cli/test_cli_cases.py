"""`init`, `import` and `cases --json`: the board order and every JSON key of docs/cli.md."""

from __future__ import annotations

import json
import re
import sqlite3
from collections import Counter
from collections.abc import Callable
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from caseboard.identity import os_username

DEMO = Path(__file__).resolve().parents[2] / "fixtures" / "demo.json"

# The contract's vocabulary, spelled out here on purpose (docs/cli.md, not the code, is the
# reference).
STATUSES = ("missing", "recovered", "closed")
TIERS = ("CRITICAL", "HIGH", "ELEVATED", "STANDARD")
CLOCKS = ("police", "ncmec", "ncic", "no_news", "recovery_notice", "return_interview")
CLOCK_STATES = {"done", "due", "due_soon", "overdue", "not_started"}
CASE_KEYS = {
    "id",
    "child",
    "status",
    "tier",
    "score",
    "reasons",
    "override",
    "learned_at",
    "last_seen_at",
    "last_seen_where",
    "last_contact_at",
    "elapsed_s",
    "clocks",
    "placement",
    "packet_complete",
    "version",
}
ISO_WITH_OFFSET = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}:\d{2}|Z)$")

RunCli = Callable[..., Any]


def _fixture_records() -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = json.loads(DEMO.read_text("utf-8"))
    return records


def _closed(record: dict[str, Any]) -> bool:
    return any(event.get("type") == "close" for event in record.get("events", []))


def _board_key(item: dict[str, Any]) -> tuple[int, int, int, int, int]:
    return (
        STATUSES.index(item["status"]),
        TIERS.index(item["tier"]),
        -item["score"],
        -item["elapsed_s"],
        item["id"],
    )


def _assert_time(value: Any, where: str, *, nullable: bool = False) -> None:
    if value is None and nullable:
        return
    assert isinstance(value, str) and ISO_WITH_OFFSET.match(value), f"{where}: {value!r}"
    assert datetime.fromisoformat(value).utcoffset() is not None, where


@pytest.fixture(scope="module")
def board(imported_db: Path, run_cli: RunCli) -> dict[str, Any]:
    """`cases --json` and `cases --all --json` on the shared imported database, with timing."""
    before = datetime.now(UTC)
    open_cases = run_cli(imported_db, "cases", "--json")
    after = datetime.now(UTC)
    every_case = run_cli(imported_db, "cases", "--all", "--json")
    assert open_cases.returncode == 0, open_cases.stderr
    assert every_case.returncode == 0, every_case.stderr
    return {
        "open": json.loads(open_cases.stdout),
        "all": json.loads(every_case.stdout),
        "window": (before, after),
    }


def test_init_then_import_exit_zero(tmp_path: Path, run_cli: RunCli) -> None:
    path = tmp_path / "new" / "caseboard.db"
    init = run_cli(path, "init")
    assert init.returncode == 0, init.stderr
    assert f"{os_username()} is the first operator, as supervisor" in init.stderr
    again = run_cli(path, "init")
    assert again.returncode == 0, again.stderr
    assert "up to date" in again.stderr
    assert "first operator" not in again.stderr
    imported = run_cli(path, "import", str(DEMO))
    assert imported.returncode == 0, imported.stderr
    assert "38" in imported.stderr
    assert imported.stdout == ""


def test_fixture_shape_is_what_these_tests_assume() -> None:
    records = _fixture_records()
    assert len(records) == 38
    assert sum(_closed(record) for record in records) == 5


def test_cases_lists_every_open_fixture_case(board: dict[str, Any], imported_db: Path) -> None:
    items = board["open"]
    assert isinstance(items, list)
    assert len(items) == 33
    open_names = Counter(r["name"] for r in _fixture_records() if not _closed(r))
    assert Counter(item["child"]["name"] for item in items) == open_names
    with closing(sqlite3.connect(imported_db)) as conn:
        ids = {row[0] for row in conn.execute("SELECT id FROM cases WHERE status != 'closed'")}
    assert {item["id"] for item in items} == ids
    assert len(ids) == len(items), "no case listed twice"


def test_cases_are_in_board_order(board: dict[str, Any]) -> None:
    items = board["open"]
    statuses = [item["status"] for item in items]
    assert statuses == sorted(statuses, key=STATUSES.index), "missing before recovered"
    assert set(statuses) == {"missing", "recovered"}
    assert [item["id"] for item in items] == [item["id"] for item in sorted(items, key=_board_key)]


def test_cases_all_includes_the_closed_episodes_last(board: dict[str, Any]) -> None:
    items = board["all"]
    assert len(items) == 38
    closed = [item for item in items if item["status"] == "closed"]
    assert len(closed) == 5
    assert items[-5:] == closed
    assert [item["id"] for item in items] == [item["id"] for item in sorted(items, key=_board_key)]
    open_ids = [item["id"] for item in board["open"]]
    assert [item["id"] for item in items if item["status"] != "closed"] == open_ids


@pytest.mark.parametrize("which", ["open", "all"])
def test_every_case_has_the_contract_keys_and_types(board: dict[str, Any], which: str) -> None:
    for item in board[which]:
        where = f"case {item.get('id')}"
        assert item.keys() >= CASE_KEYS, f"{where}: missing {CASE_KEYS - item.keys()}"
        assert isinstance(item["id"], int)
        child = item["child"]
        assert {"id", "name", "dob", "age"} <= child.keys(), where
        assert isinstance(child["id"], int) and isinstance(child["name"], str)
        assert child["dob"] is None or re.fullmatch(r"\d{4}-\d{2}-\d{2}", child["dob"]), where
        assert child["age"] is None or isinstance(child["age"], int), where
        assert item["status"] in STATUSES
        assert item["tier"] in TIERS
        assert isinstance(item["score"], int)
        assert isinstance(item["reasons"], list)
        for reason in item["reasons"]:
            assert {"factor", "points"} <= reason.keys(), where
            assert isinstance(reason["factor"], str) and isinstance(reason["points"], int)
        assert item["override"] is None or isinstance(item["override"], dict)
        assert isinstance(item["last_seen_where"], str)
        assert isinstance(item["elapsed_s"], int) and item["elapsed_s"] >= 0, where
        assert set(item["clocks"]) >= set(CLOCKS), where
        for name in CLOCKS:
            clock = item["clocks"][name]
            assert {"state", "due_at", "done_at", "ref", "by"} <= clock.keys(), f"{where} {name}"
            assert clock["state"] in CLOCK_STATES, f"{where} {name}: {clock['state']}"
            if clock["state"] == "done":
                assert clock["done_at"] is not None, f"{where} {name}"
        assert item["placement"]["type"] in {
            "foster_home",
            "kin",
            "group_home",
            "residential",
            "shelter",
            "other",
        }
        assert isinstance(item["placement"]["agency"], str)
        assert isinstance(item["packet_complete"], int | float)
        assert 0 <= item["packet_complete"] <= 1, where
        assert isinstance(item["version"], int) and item["version"] >= 1


@pytest.mark.parametrize("which", ["open", "all"])
def test_every_time_is_iso_8601_with_an_offset(board: dict[str, Any], which: str) -> None:
    for item in board[which]:
        where = f"case {item['id']}"
        _assert_time(item["learned_at"], f"{where} learned_at")
        _assert_time(item["last_seen_at"], f"{where} last_seen_at")
        _assert_time(item["last_contact_at"], f"{where} last_contact_at", nullable=True)
        for name in CLOCKS:
            clock = item["clocks"][name]
            _assert_time(clock["due_at"], f"{where} {name}.due_at", nullable=True)
            _assert_time(clock["done_at"], f"{where} {name}.done_at", nullable=True)
        if item["override"] is not None and "at" in item["override"]:
            _assert_time(item["override"]["at"], f"{where} override.at")


def test_elapsed_counts_from_last_seen_for_missing_children(board: dict[str, Any]) -> None:
    before, after = board["window"]
    for item in board["open"]:
        if item["status"] != "missing":
            continue
        last_seen = datetime.fromisoformat(item["last_seen_at"])
        low = int((before - last_seen).total_seconds()) - 1
        high = int((after - last_seen).total_seconds()) + 1
        assert low <= item["elapsed_s"] <= high, f"case {item['id']}"


def test_cases_text_shows_every_open_case(
    board: dict[str, Any], imported_db: Path, run_cli: RunCli
) -> None:
    result = run_cli(imported_db, "cases")
    assert result.returncode == 0, result.stderr
    shown = [int(m.group(1)) for m in re.finditer(r"^\s*(\d+)\s+[A-Z]+\*?\s", result.stdout, re.M)]
    assert shown == [item["id"] for item in board["open"]]
    assert result.stdout.index("-- missing --") < result.stdout.index("-- recovered --")
