"""`intake` prints the id alone on stdout, refuses bad input naming the field, `show --json`."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from caseboard.identity import os_username

RunCli = Callable[..., Any]
Counts = Callable[[Path], dict[str, int]]

EVENT_KEYS = {"id", "type", "occurred_at", "recorded_at", "actor", "data", "superseded_by"}


def _intake(**options: str) -> list[str]:
    values = {
        "--name": "Quinn Intakeworth",
        "--age": "15",
        "--learned": "1h ago",
        "--last-seen": "2h ago",
        "--where": "Sample Foster Home, 12 Example Ln",
        "--placement": "foster_home",
        "--agency": "Fictional County DCFS",
    }
    values.update(options)
    args = ["intake"]
    for option, value in values.items():
        args.append(f"{option}={value}")
    return args


# A real child process (run_subprocess): stdout and stderr of the real entry point, exit 0.
def test_intake_prints_the_new_case_id_alone_and_show_has_its_events(
    fresh_db: Path, run_subprocess: RunCli, counts: Counts
) -> None:
    before = counts(fresh_db)
    result = run_subprocess(fresh_db, *_intake(), "--risk", "substance_use", "out_of_state")
    assert result.returncode == 0, result.stderr
    assert result.stdout.endswith("\n")
    lines = result.stdout.splitlines()
    assert len(lines) == 1, result.stdout
    assert lines[0].isdigit(), result.stdout
    case_id = int(lines[0])
    assert result.stderr.strip(), "the human message goes to stderr"
    assert str(case_id) in result.stderr
    after = counts(fresh_db)
    assert after["cases"] == before["cases"] + 1
    assert after["events"] == before["events"] + 1

    shown = run_subprocess(fresh_db, "show", str(case_id), "--json")
    assert shown.returncode == 0, shown.stderr
    detail = json.loads(shown.stdout)
    assert detail["id"] == case_id
    assert detail["child"]["name"] == "Quinn Intakeworth"
    assert detail["status"] == "missing"
    assert {r["factor"] for r in detail["reasons"]} >= {"substance_use", "out_of_state"}
    events = detail["events"]
    assert len(events) == 1
    event = events[0]
    assert event.keys() >= EVENT_KEYS
    assert event["type"] == "intake"
    assert event["actor"] == os_username()
    assert event["superseded_by"] is None
    assert event["data"]["name"] == "Quinn Intakeworth"
    for key in ("occurred_at", "recorded_at"):
        assert datetime.fromisoformat(event[key]).utcoffset() is not None
    learned = datetime.fromisoformat(detail["learned_at"])
    assert datetime.fromisoformat(event["occurred_at"]) == learned
    recorded = datetime.fromisoformat(event["recorded_at"])
    assert abs(recorded - datetime.now(UTC)) < timedelta(minutes=2)
    assert abs((recorded - learned) - timedelta(hours=1)) < timedelta(minutes=1)


def test_show_json_events_of_an_imported_case(demo_db: Path, run_cli: RunCli) -> None:
    shown = run_cli(demo_db, "show", "1", "--json")
    assert shown.returncode == 0, shown.stderr
    events = json.loads(shown.stdout)["events"]
    assert len(events) > 1
    assert [e["id"] for e in events] == sorted(e["id"] for e in events)
    for event in events:
        assert event.keys() >= EVENT_KEYS


def _three_hours_ahead_iso() -> str:
    return (datetime.now(UTC) + timedelta(hours=3)).replace(microsecond=0).isoformat()


@pytest.mark.parametrize("when", ["+3h", "iso"])
def test_a_last_seen_time_in_the_future_is_refused(
    fresh_db: Path, run_cli: RunCli, counts: Counts, when: str
) -> None:
    value = _three_hours_ahead_iso() if when == "iso" else when
    before = counts(fresh_db)
    result = run_cli(fresh_db, *_intake(**{"--learned": "now", "--last-seen": value}))
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    assert "--last-seen" in result.stderr, result.stderr
    assert "future" in result.stderr
    assert counts(fresh_db) == before


def test_a_learned_time_in_the_future_is_refused(
    fresh_db: Path, run_cli: RunCli, counts: Counts
) -> None:
    before = counts(fresh_db)
    result = run_cli(fresh_db, *_intake(**{"--learned": "+3h"}))
    assert result.returncode == 2, result.stderr
    assert "--learned" in result.stderr
    assert counts(fresh_db) == before


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"--placement": "boarding_school"}, "--placement"),
        ({"--last-seen": "the day before yesterday-ish"}, "--last-seen"),
        ({"--learned": "3h ago", "--last-seen": "1h ago"}, "--last-seen"),
        ({"--name": "   "}, "--name"),
        ({"--age": "eleven"}, "--age"),
    ],
    ids=["placement", "unreadable-time", "seen-after-learned", "blank-name", "age-not-number"],
)
def test_bad_intake_input_exits_2_naming_the_field(
    fresh_db: Path, run_cli: RunCli, counts: Counts, options: dict[str, str], field: str
) -> None:
    before = counts(fresh_db)
    result = run_cli(fresh_db, *_intake(**options))
    assert result.returncode == 2, result.stderr
    assert field in result.stderr
    assert result.stdout == ""
    assert counts(fresh_db) == before


def test_an_unknown_risk_factor_is_refused(fresh_db: Path, run_cli: RunCli, counts: Counts) -> None:
    before = counts(fresh_db)
    result = run_cli(fresh_db, *_intake(), "--risk", "werewolves")
    assert result.returncode == 2, result.stderr
    assert "--risk" in result.stderr
    assert counts(fresh_db) == before


def test_show_of_a_case_that_does_not_exist_is_bad_input(fresh_db: Path, run_cli: RunCli) -> None:
    result = run_cli(fresh_db, "show", "999", "--json")
    assert result.returncode == 2, result.stderr
    assert "999" in result.stderr
    assert result.stdout == ""
