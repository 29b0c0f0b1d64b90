"""`import` is all or nothing, and its errors name the record and the field."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

RunCli = Callable[..., Any]
Counts = Callable[[Path], dict[str, int]]


def _record(name: str | None) -> dict[str, Any]:
    record: dict[str, Any] = {
        "age": 15,
        "learned_at": "-1h",
        "last_seen_at": "-2h",
        "last_seen_where": "Sample Shelter, 3 Example Rd",
        "placement_type": "shelter",
        "agency": "Fictional County DCFS",
    }
    if name is not None:
        record["name"] = name
    return record


def test_a_record_without_a_name_fails_the_whole_import(
    demo_db: Path, tmp_path: Path, run_cli: RunCli, counts: Counts
) -> None:
    source = tmp_path / "batch.json"
    source.write_text(
        json.dumps([_record("First Fineson"), _record("Second Fineson"), _record(None)])
    )
    before = counts(demo_db)
    result = run_cli(demo_db, "import", str(source))
    assert result.returncode == 2, result.stderr
    assert "records[2].name" in result.stderr
    assert result.stdout == ""
    assert counts(demo_db) == before


@pytest.mark.parametrize(
    "content",
    ['[{"name": "Broken Jsonson",', "not json at all", "", '{"name": "not a list"}'],
    ids=["truncated", "text", "empty", "object-not-list"],
)
def test_a_file_that_is_not_a_json_list_is_bad_input(
    fresh_db: Path, tmp_path: Path, run_cli: RunCli, counts: Counts, content: str
) -> None:
    source = tmp_path / "batch.json"
    source.write_text(content)
    before = counts(fresh_db)
    result = run_cli(fresh_db, "import", str(source))
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("caseboard: ")
    assert counts(fresh_db) == before


def test_a_missing_import_file_is_bad_input(
    fresh_db: Path, tmp_path: Path, run_cli: RunCli, counts: Counts
) -> None:
    before = counts(fresh_db)
    result = run_cli(fresh_db, "import", str(tmp_path / "nowhere.json"))
    assert result.returncode == 2, result.stderr
    assert "nowhere.json" in result.stderr
    assert counts(fresh_db) == before


def test_a_bad_field_deep_in_a_history_is_named(
    fresh_db: Path, tmp_path: Path, run_cli: RunCli, counts: Counts
) -> None:
    record = _record("History Haver")
    record["events"] = [{"type": "sighting", "at": "-30m"}]  # a sighting needs `where`
    source = tmp_path / "batch.json"
    source.write_text(json.dumps([_record("Fine Person"), record]))
    before = counts(fresh_db)
    result = run_cli(fresh_db, "import", str(source))
    assert result.returncode == 2, result.stderr
    assert "records[1].events[0].where" in result.stderr
    assert counts(fresh_db) == before
