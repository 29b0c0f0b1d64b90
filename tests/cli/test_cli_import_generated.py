"""`caseboard import` of generated records (issue 11): every JSON type in every field, huge and
non-finite numbers, nested lists and objects, lone surrogates. The exit code is 0 or 2, never
70; on 2 nothing was written; valid text is stored exactly as typed (less outer whitespace)."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from caseboard.domain.intake import HISTORY_TYPES, INTAKE_KEYS
from support.hostile import CHARACTERS, JSON_VALUES, examples
from support.inprocess import copy_database, demo_database, event_count, run_main

GOOD: dict[str, Any] = {
    "name": "Test Child",
    "age": 14,
    "learned_at": "1h ago",
    "last_seen_at": "2h ago",
    "last_seen_where": "the mall",
    "placement_type": "kin",
    "agency": "County CPS",
}

KEYS = st.one_of(st.sampled_from(sorted(INTAKE_KEYS)), st.text(CHARACTERS, max_size=10))
HISTORY_KEYS = st.sampled_from(
    ["type", "at", "where", "how", "by", "report", "ref", "screen", "text", "reason", "tier",
     "add", "remove", "confirmed", "note"]
)  # fmt: skip


@st.composite
def history_event(draw: st.DrawFn) -> dict[str, Any]:
    item: dict[str, Any] = {"type": draw(st.sampled_from(HISTORY_TYPES)), "at": "30m ago"}
    for key in draw(st.lists(HISTORY_KEYS, max_size=4)):
        item[key] = draw(JSON_VALUES)
    return item


@st.composite
def record(draw: st.DrawFn) -> Any:
    """A valid record with a few fields (or unknown keys) replaced by any JSON value."""
    if draw(st.integers(0, 15)) == 0:
        return draw(JSON_VALUES)  # not even an object
    result: dict[Any, Any] = dict(GOOD)
    for key in draw(st.lists(KEYS, min_size=1, max_size=3)):
        result[key] = draw(JSON_VALUES)
    if draw(st.booleans()):
        result["events"] = draw(st.lists(history_event(), max_size=3))
    return result


@dataclass
class World:
    pristine: Path
    work: Path
    file: Path
    events: int


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    folder = tmp_path_factory.mktemp("import-generated")
    pristine = demo_database(folder / "pristine.db")
    work = copy_database(pristine, folder / "work.db")
    return World(pristine, work, folder / "records.json", event_count(pristine))


def _import(world: World, content: str) -> int:
    world.file.write_text(content, encoding="utf-8")
    ran = run_main(world.work, "import", str(world.file))
    event(f"exit {ran.code}")
    assert ran.code in (0, 2), ran
    if ran.code == 2:
        assert ran.err.startswith("caseboard: "), ran.err
        assert event_count(world.work) == world.events, ran
    return ran.code


@settings(max_examples=examples(60))
@given(records=st.lists(record(), min_size=1, max_size=3), top=st.integers(0, 20))
def test_generated_records_import_whole_or_not_at_all(
    world: World, records: list[Any], top: int
) -> None:
    payload: Any = records if top else records[0]  # now and then not a list at all
    if _import(world, json.dumps(payload)) == 0:
        copy_database(world.pristine, world.work)


@settings(max_examples=examples(10))
@given(digits=st.integers(4000, 6000), depth=st.integers(900, 3000), field=KEYS)
def test_huge_literals_and_deep_nesting_are_refused(
    world: World, digits: int, depth: int, field: str
) -> None:
    """Integers too long to convert and nesting past the recursion limit, placed in a field."""
    base = json.dumps({**GOOD, field: "PLACEHOLDER"})
    for literal in ("9" * digits, "[" * depth + "]" * depth, '{"a":' * depth + "1" + "}" * depth):
        assert _import(world, "[" + base.replace('"PLACEHOLDER"', literal) + "]") == 2


VALID_TEXT = st.text(
    st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), min_size=1, max_size=60
).filter(lambda text: text.strip() != "")


@settings(max_examples=examples(25))
@given(name=VALID_TEXT, where=VALID_TEXT)
def test_valid_text_is_stored_exactly(world: World, name: str, where: str) -> None:
    content = json.dumps([{**GOOD, "name": name, "last_seen_where": where}])
    code = _import(world, content)
    if len(name.strip()) > 120:
        assert code == 2
        return
    assert code == 0
    with closing(sqlite3.connect(world.work)) as conn:
        row = conn.execute(
            "SELECT data FROM events WHERE type = 'intake' ORDER BY id DESC"
        ).fetchone()
    data = json.loads(row[0])
    assert (data["name"], data["last_seen_where"]) == (name.strip(), where.strip())
    copy_database(world.pristine, world.work)
