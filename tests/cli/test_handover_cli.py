"""`caseboard handover`, `signoff` and `handover-note` through a real subprocess: output formats,
--out, --redact and the exit codes of docs/cli.md."""

from __future__ import annotations

import json
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

from caseboard.identity import os_username

RunCli = Callable[..., Any]
Counts = Callable[[Path], dict[str, int]]
KEYS = (
    "window", "counts", "new_cases", "recoveries", "sightings", "confirmations", "breaches",
    "due_next", "tier_changes", "open_cases",
)  # fmt: skip


def test_handover_json_has_the_contract_keys(run_cli: RunCli, demo_db: Path) -> None:
    result = run_cli(demo_db, "--tz", "America/Chicago", "handover", "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    for key in KEYS:
        assert key in data
    assert data["signoff"] is None
    assert data["counts"]["open_cases"] == len(data["open_cases"]) == 33
    for case in data["open_cases"]:
        assert {"id", "tier", "summary", "actions", "contingency"} <= set(case)


def test_signoff_then_handover_starts_at_it(run_cli: RunCli, demo_db: Path) -> None:
    signed = run_cli(demo_db, "signoff", "--note", "all read back")
    assert signed.returncode == 0, signed.stderr
    event_id = int(signed.stdout.strip())
    assert "signed off" in signed.stderr
    report = json.loads(run_cli(demo_db, "handover", "--format", "json").stdout)
    assert report["signoff"]["event_id"] == event_id
    assert report["signoff"]["note"] == "all read back"
    assert report["window"]["since"] == report["signoff"]["at"]
    markdown = run_cli(demo_db, "--tz", "America/Chicago", "handover").stdout
    assert markdown.startswith("# Shift handover\n")
    assert '"all read back"' in markdown


def test_handover_note_prints_the_event_id(run_cli: RunCli, demo_db: Path) -> None:
    result = run_cli(
        demo_db, "handover-note", "6", "--summary", "Seen at the mall",
        "--contingency", "If seen at Demo Mall, call Det. Example",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    event_id = int(result.stdout.strip())
    shown = json.loads(run_cli(demo_db, "show", "6", "--json").stdout)
    assert shown["events"][-1]["id"] == event_id
    assert shown["events"][-1]["type"] == "handover_note"
    report = json.loads(run_cli(demo_db, "handover", "--format", "json").stdout)
    (case,) = [c for c in report["open_cases"] if c["id"] == 6]
    assert case["summary"] == "Seen at the mall"
    assert case["contingency"] == "If seen at Demo Mall, call Det. Example"
    assert run_cli(demo_db, "handover-note", "6").returncode == 2


def test_out_writes_the_file_whole_and_says_where(
    run_cli: RunCli, demo_db: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "handover.md"
    result = run_cli(demo_db, "--redact", "handover", "--since", "3h ago", "--out", str(target))
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert str(target) in result.stderr
    text = target.read_text("utf-8")
    assert text.startswith("# Shift handover") and "Maya Testwood" not in text
    assert stat.S_IMODE(target.stat().st_mode) & 0o044  # not a private temp file's 0600
    assert [p.name for p in folder.iterdir()] == ["handover.md"]  # no temporary left over
    missing = run_cli(demo_db, "handover", "--out", str(tmp_path / "no" / "such.md"))
    assert missing.returncode == 2
    assert "--out" in missing.stderr


def test_bad_since_is_exit_2_and_writes_nothing(
    run_cli: RunCli, demo_db: Path, counts: Counts
) -> None:
    before = counts(demo_db)
    result = run_cli(demo_db, "handover", "--since", "half past never")
    assert result.returncode == 2
    assert "--since" in result.stderr
    assert run_cli(demo_db, "handover", "--since", "1h ago", "--until", "3h ago").returncode == 2
    assert counts(demo_db) == before


def test_readonly_signoff_is_exit_4(run_cli: RunCli, demo_db: Path, counts: Counts) -> None:
    before = counts(demo_db)
    result = run_cli(demo_db, "--readonly", "signoff", "--note", "x")
    assert result.returncode == 4
    assert "read-only" in result.stderr
    assert counts(demo_db) == before
    assert run_cli(demo_db, "--readonly", "handover").returncode == 0


def test_viewer_may_read_the_handover_but_not_sign_off(
    run_cli: RunCli, demo_db: Path, counts: Counts
) -> None:
    me = os_username()
    # Hand supervision to another account, then make this one a viewer.
    assert run_cli(demo_db, "operators", "add", "boss", "--role", "supervisor").returncode == 0
    assert run_cli(demo_db, "operators", "add", me, "--role", "viewer").returncode == 0
    before = counts(demo_db)
    result = run_cli(demo_db, "signoff")
    assert result.returncode == 4
    assert "viewer" in result.stderr
    assert run_cli(demo_db, "handover-note", "6", "--summary", "x").returncode == 4
    assert counts(demo_db)["events"] == before["events"]
    assert run_cli(demo_db, "handover", "--format", "json").returncode == 0
