"""The per-case action commands through real subprocesses: output, exit codes, nothing half-done.

Success prints the new event id alone on stdout (exit 0); bad input exits 2 naming the field or
option; a conflict exits 3 naming who and when; --readonly exits 4. Never a traceback (run_cli
checks).
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Callable
from contextlib import closing
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from caseboard.domain.timefmt import from_iso
from caseboard.identity import os_username

RunCli = Callable[..., Any]
Counts = Callable[[Path], dict[str, int]]

MISSING, POLICED, RECOVERED, CLOSED = 1, 2, 3, 4


def _record(
    name: str, learned: str, last_seen: str, events: list[dict[str, Any]]
) -> dict[str, Any]:
    return {
        "name": name,
        "age": 16,
        "learned_at": learned,
        "last_seen_at": last_seen,
        "last_seen_where": "Sample Foster Home, 2 Example Rd, Demoville",
        "placement_type": "foster_home",
        "agency": "Fictional County DCFS",
        "events": events,
    }


RECORDS = [
    _record("Milo Missing", "-1h", "-2h", []),
    _record(
        "Paula Policed",
        "-3h",
        "-4h",
        [
            {"type": "confirm", "at": "-2h", "report": "police", "ref": "26-000321"},
            {"type": "sighting", "at": "-1h", "where": "Sample Mall"},
        ],
    ),
    _record(
        "Remy Recovered",
        "-5h",
        "-6h",
        [{"type": "recovery", "at": "-30m", "where": "Bus Station", "by": "Officer Example"}],
    ),
    _record(
        "Cal Closed",
        "-10h",
        "-12h",
        [
            {"type": "recovery", "at": "-2h", "where": "School", "by": "Teacher"},
            {"type": "close", "at": "-1h", "reason": "returned to placement"},
        ],
    ),
]


def _copy(source: Path, target: Path) -> Path:
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)
    return target


def _rows(db: Path, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    with closing(sqlite3.connect(db)) as conn:
        return list(conn.execute(sql, params))


@pytest.fixture(scope="module")
def actions_template(
    tmp_path_factory: pytest.TempPathFactory, initialised_db: Path, run_cli: RunCli
) -> tuple[Path, dict[str, int]]:
    """An initialised database with the four cases above imported (shared: copy it)."""
    folder = tmp_path_factory.mktemp("actions")
    source = folder / "cases.json"
    source.write_text(json.dumps(RECORDS))
    db = _copy(initialised_db, folder / "caseboard.db")
    result = run_cli(db, "import", str(source))
    assert result.returncode == 0, result.stderr

    def event_id(case: int, kind: str) -> int:
        (row,) = _rows(db, "SELECT id FROM events WHERE case_id = ? AND type = ?", case, kind)
        return int(row[0])

    ids = {
        "sighting": event_id(POLICED, "sighting"),
        "police": event_id(POLICED, "confirm"),
        "recovery": event_id(RECOVERED, "recovery"),
        "close": event_id(CLOSED, "close"),
    }
    return db, ids


@pytest.fixture
def actions_db(actions_template: tuple[Path, dict[str, int]], tmp_path: Path) -> Path:
    """This test's own copy of the prepared database."""
    return _copy(actions_template[0], tmp_path / "caseboard.db")


@pytest.fixture
def event_ids(actions_template: tuple[Path, dict[str, int]]) -> dict[str, int]:
    """Ids of the prepared events (the policed case's sighting and confirmation, ...)."""
    return actions_template[1]


def _args(template: list[str], ids: dict[str, int]) -> list[str]:
    return [part.format(**ids) for part in template]


def _cli(run_cli: RunCli, db: Path, *args: str) -> Any:
    # Messages show times in UTC, so a test can predict them.
    return run_cli(db, "--tz", "UTC", *args)


# --- success: the new event id alone on stdout ----------------------------------------------

SUCCESS = [
    pytest.param(
        ["sighting", "1", "--at", "20m ago", "--where", "Corner Store", "--source", "clerk",
         "--confirmed", "--police-told", "--note", "white jacket"],
        MISSING, "sighting",
        {"where": "Corner Store", "source": "clerk", "confirmed": True, "police_told": True,
         "note": "white jacket"},
        id="sighting",
    ),
    pytest.param(
        ["contact", "1", "--at", "10m ago", "--how", "phone", "--note", "she is safe"],
        MISSING, "contact", {"how": "phone", "note": "she is safe"},
        id="contact",
    ),
    pytest.param(
        ["recover", "1", "--at", "now", "--where", "Bus depot", "--by", "Officer Example",
         "--condition", "unhurt", "--placed", "Sample Shelter"],
        MISSING, "recovery",
        {"where": "Bus depot", "by": "Officer Example", "condition": "unhurt",
         "placed": "Sample Shelter"},
        id="recover",
    ),
    pytest.param(
        ["confirm", "1", "police", "--ref", "26-004242", "--agency", "Example PD",
         "--officer", "Sgt. Mock"],
        MISSING, "confirm",
        {"report": "police", "ref": "26-004242", "agency": "Example PD", "officer": "Sgt. Mock"},
        id="confirm-police",
    ),
    pytest.param(
        ["confirm", "2", "ncic", "--ref", "M260004242"],
        POLICED, "confirm", {"report": "ncic", "ref": "M260004242"},
        id="confirm-ncic",
    ),
    pytest.param(
        ["confirm", "1", "ncmec", "--ref", "1519999", "--at", "5m ago"],
        MISSING, "confirm", {"report": "ncmec", "ref": "1519999"},
        id="confirm-ncmec",
    ),
    pytest.param(
        ["notify", "3", "police"], RECOVERED, "notify", {"report": "police"}, id="notify-police"
    ),
    pytest.param(
        ["notify", "3", "ncmec", "--at", "now"], RECOVERED, "notify", {"report": "ncmec"},
        id="notify-ncmec",
    ),
    pytest.param(
        ["interview", "3", "--at", "now", "--screen", "possible", "--note", "older boyfriend"],
        RECOVERED, "interview",
        {"screen": "possible", "note": "older boyfriend", "police_told": False},
        id="interview",
    ),
    pytest.param(
        ["note", "1", "Aunt in Sampletown called back."],
        MISSING, "note", {"text": "Aunt in Sampletown called back."},
        id="note",
    ),
    pytest.param(
        ["risk", "1", "--add", "substance_use", "out_of_state"],
        MISSING, "risk", {"add": ["substance_use", "out_of_state"], "remove": []},
        id="risk-add",
    ),
    pytest.param(
        ["risk", "1", "--override", "HIGH", "--reason", "older adult picked her up"],
        MISSING, "override", {"tier": "HIGH", "reason": "older adult picked her up"},
        id="risk-override",
    ),
    pytest.param(
        ["correct", "{sighting}", "--reason", "wrong store", "--where", "Food court"],
        POLICED, "correction", None,
        id="correct",
    ),
    pytest.param(
        ["correct", "{sighting}", "--reason", "wrong child", "--void"],
        POLICED, "correction", None,
        id="correct-void",
    ),
    pytest.param(
        ["close", "1", "--reason", "duplicate of another case"],
        MISSING, "close", {"reason": "duplicate of another case"},
        id="close",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("args", "case", "kind", "data"), SUCCESS)
def test_an_action_prints_the_new_event_id_alone(
    actions_db: Path,
    event_ids: dict[str, int],
    run_cli: RunCli,
    counts: Counts,
    args: list[str],
    case: int,
    kind: str,
    data: dict[str, Any] | None,
) -> None:
    before = counts(actions_db)
    result = _cli(run_cli, actions_db, *_args(args, event_ids))
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(r"\d+\n", result.stdout), repr(result.stdout)
    event_id = int(result.stdout)
    assert counts(actions_db)["events"] == before["events"] + 1
    ((stored_case, stored_kind, actor, raw), *_) = _rows(
        actions_db, "SELECT case_id, type, actor, data FROM events WHERE id = ?", event_id
    )
    assert (stored_case, stored_kind, actor) == (case, kind, os_username())
    assert event_id == _rows(actions_db, "SELECT MAX(id) FROM events")[0][0]
    if data is not None:
        assert json.loads(raw) == data
    assert f"event {event_id}" in result.stderr  # the message for the person


def test_a_correction_names_what_it_supersedes(
    actions_db: Path, event_ids: dict[str, int], run_cli: RunCli
) -> None:
    result = _cli(
        run_cli, actions_db, "correct", str(event_ids["sighting"]), "--reason", "typo",
        "--at", "90m ago", "--confirmed",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    ((supersedes, raw),) = _rows(
        actions_db, "SELECT supersedes, data FROM events WHERE id = ?", int(result.stdout)
    )
    assert supersedes == event_ids["sighting"]
    data = json.loads(raw)
    assert (data["reason"], data["void"]) == ("typo", False)
    assert set(data["changes"]) == {"at", "confirmed"}
    assert data["changes"]["confirmed"] is True
    shown = json.loads(_cli(run_cli, actions_db, "show", str(POLICED), "--json").stdout)
    by_id = {event["id"]: event for event in shown["events"]}
    assert by_id[event_ids["sighting"]]["superseded_by"] == int(result.stdout)
    assert shown["last_news_at"] == data["changes"]["at"]


@pytest.mark.parametrize(
    ("args", "warning"),
    [
        (["confirm", "2", "ncic", "--ref", "12345"], "NIC number"),
        (["interview", "3", "--at", "now", "--screen", "clear"], "police"),
    ],
    ids=["odd-nic", "clear-concern-police-not-told"],
)
def test_a_warning_goes_to_stderr_and_the_action_is_recorded(
    actions_db: Path, run_cli: RunCli, counts: Counts, args: list[str], warning: str
) -> None:
    before = counts(actions_db)["events"]
    result = _cli(run_cli, actions_db, *args)
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(r"\d+\n", result.stdout), repr(result.stdout)
    assert re.search(rf"warning: .*{warning}", result.stderr), result.stderr
    assert counts(actions_db)["events"] == before + 1


def test_factors_and_an_override_print_two_ids(actions_db: Path, run_cli: RunCli) -> None:
    result = _cli(
        run_cli, actions_db, "risk", "1", "--add", "pregnancy", "--override", "critical",
        "--reason", "due soon",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    first, second = (int(line) for line in result.stdout.splitlines())
    kinds = _rows(
        actions_db, "SELECT type FROM events WHERE id IN (?, ?) ORDER BY id", first, second
    )
    assert [kind for (kind,) in kinds] == ["risk", "override"]


# --- bad input: exit 2, the field or option named, nothing written ----------------------------

BAD = [
    pytest.param(["sighting", "1", "--at", "+3h", "--where", "X"], "at", id="sighting-future"),
    pytest.param(["sighting", "1", "--at", "now", "--where", ""], "where", id="sighting-where"),
    pytest.param(
        ["sighting", "1", "--at", "3h ago", "--where", "X"], "at", id="sighting-before-last-seen"
    ),
    pytest.param(["contact", "1", "--at", "blue moon", "--how", "phone"], "at", id="contact-at"),
    pytest.param(["contact", "1", "--at", "now", "--how", ""], "how", id="contact-how"),
    pytest.param(
        ["recover", "1", "--at", "now", "--where", "X", "--by", ""], "by", id="recover-by"
    ),
    pytest.param(
        ["recover", "1", "--at", "now", "--where", "", "--by", "Mom"], "where", id="recover-where"
    ),
    pytest.param(["recover", "1", "--where", "X", "--by", "Mom"], "--at", id="recover-no-at"),
    pytest.param(["confirm", "1", "police", "--ref", ""], "ref", id="confirm-ref"),
    pytest.param(["confirm", "1", "ncic", "--ref", "M260000001"], "report", id="ncic-first"),
    pytest.param(["confirm", "1", "fbi", "--ref", "1"], "report", id="confirm-unknown-report"),
    pytest.param(["notify", "1", "police"], "CASE", id="notify-not-recovered"),
    pytest.param(["notify", "3", "police", "--at", "+3h"], "at", id="notify-future"),
    pytest.param(["interview", "3", "--at", "+3h", "--screen", "none"], "at", id="interview-at"),
    pytest.param(
        ["interview", "3", "--at", "now", "--screen", "maybe"], "--screen", id="interview-screen"
    ),
    pytest.param(["note", "1", ""], "text", id="note-empty"),
    pytest.param(["note", "1", "x" * 5000], "text", id="note-too-long"),
    pytest.param(["risk", "1", "--add", "flying"], "add", id="risk-unknown-factor"),
    pytest.param(["risk", "1", "--override", "ULTRA", "--reason", "x"], "override", id="tier"),
    pytest.param(["risk", "1", "--override", "HIGH"], "reason", id="override-without-reason"),
    pytest.param(["correct", "{sighting}", "--reason", "", "--where", "X"], "reason", id="c-why"),
    pytest.param(["correct", "{sighting}", "--reason", "x", "--at", "+3h"], "at", id="c-future"),
    pytest.param(["correct", "{sighting}", "--reason", "x", "--how", "phone"], "how", id="c-how"),
    pytest.param(["correct", "99999", "--reason", "x", "--where", "X"], "EVENT", id="c-unknown"),
    pytest.param(["close", "1", "--reason", ""], "reason", id="close-reason"),
    pytest.param(["sighting", "999", "--at", "now", "--where", "X"], "CASE", id="unknown-case"),
    pytest.param(["note", "abc", "hello"], "case", id="case-not-a-number"),
]


@pytest.mark.parametrize(("args", "field"), BAD)
def test_bad_input_exits_2_naming_the_field_and_writes_nothing(
    actions_db: Path,
    event_ids: dict[str, int],
    run_cli: RunCli,
    counts: Counts,
    args: list[str],
    field: str,
) -> None:
    before = counts(actions_db)
    result = _cli(run_cli, actions_db, *_args(args, event_ids))
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert result.stdout == ""
    assert counts(actions_db) == before, "bad input wrote something"
    # Named as the person knows it: `where` or `--where` (after a space or at the start of a
    # line), not some internal spelling of it.
    name = re.escape(field.removeprefix("--"))
    assert re.search(rf"(?:^|\s)(?:--)?{name}\b", result.stderr, re.MULTILINE), result.stderr


# --- conflicts: exit 3, who and when ----------------------------------------------------------

CONFLICTS = [
    pytest.param(["sighting", "4", "--at", "now", "--where", "X"], "close", id="sighting-closed"),
    pytest.param(["contact", "4", "--at", "now", "--how", "phone"], "close", id="contact-closed"),
    pytest.param(
        ["recover", "4", "--at", "now", "--where", "X", "--by", "Y"], "close", id="recover-closed"
    ),
    pytest.param(["confirm", "4", "police", "--ref", "1"], "close", id="confirm-closed"),
    pytest.param(["notify", "4", "police"], "close", id="notify-closed"),
    pytest.param(["interview", "4", "--at", "now", "--screen", "none"], "close", id="interview"),
    pytest.param(["note", "4", "one more thing"], "close", id="note-closed"),
    pytest.param(["risk", "4", "--add", "pregnancy"], "close", id="risk-closed"),
    pytest.param(["close", "4", "--reason", "again"], "close", id="close-closed"),
    pytest.param(
        ["recover", "3", "--at", "now", "--where", "X", "--by", "Y"], "recovery", id="recover-2nd"
    ),
    pytest.param(
        ["sighting", "3", "--at", "now", "--where", "X"], "recovery", id="sighting-recovered"
    ),
    pytest.param(["confirm", "2", "police", "--ref", "26-9"], "police", id="confirm-2nd"),
]


@pytest.mark.parametrize(("args", "earlier"), CONFLICTS)
def test_a_conflict_exits_3_saying_who_and_when(
    actions_db: Path,
    event_ids: dict[str, int],
    run_cli: RunCli,
    counts: Counts,
    args: list[str],
    earlier: str,
) -> None:
    ((occurred_at, actor),) = _rows(
        actions_db, "SELECT occurred_at, actor FROM events WHERE id = ?", event_ids[earlier]
    )
    when: datetime = from_iso(occurred_at)
    before = counts(actions_db)
    result = _cli(run_cli, actions_db, *args)
    assert result.returncode == 3, (result.returncode, result.stderr)
    assert result.stdout == ""
    assert counts(actions_db) == before
    assert actor in result.stderr
    assert f"{when:%Y-%m-%d %H:%M}" in result.stderr, result.stderr


# --- read-only: exit 4 for every action ------------------------------------------------------


@pytest.mark.parametrize(("args", "case", "kind", "data"), SUCCESS)
def test_readonly_refuses_every_action(
    actions_db: Path,
    event_ids: dict[str, int],
    run_cli: RunCli,
    counts: Counts,
    args: list[str],
    case: int,
    kind: str,
    data: Any,
) -> None:
    before = counts(actions_db)
    result = run_cli(actions_db, "--readonly", *_args(args, event_ids))
    assert result.returncode == 4, (result.returncode, result.stderr)
    assert "read-only" in result.stderr
    assert result.stdout == ""
    assert counts(actions_db) == before, "read-only mode wrote something"
