"""Dates typed with slashes on the command line: month first by default, day first when the
policy says `[input] day_first = true`; a date that reads as no date is refused, nothing written."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from cli.conftest import RunCli

Counts = Callable[[Path], dict[str, int]]
INTAKE = (
    "--tz", "America/Chicago", "intake", "--name", "Slash Date", "--learned", "1h ago",
    "--last-seen", "03/14/2026 22:00",
    "--where", "Example Park", "--placement", "kin", "--agency", "Fictional County DCFS",
)  # fmt: skip


def test_dates_with_slashes_follow_the_policy(
    demo_db: Path, run_cli: RunCli, counts: Counts, tmp_path: Path
) -> None:
    opened = run_cli(demo_db, *INTAKE, "--dob", "03/14/2012")
    assert opened.returncode == 0, opened.stderr
    case_id = opened.stdout.strip()
    shown = json.loads(run_cli(demo_db, "show", case_id, "--json").stdout)
    assert shown["child"]["dob"] == "2012-03-14"
    assert shown["last_seen_at"].startswith("2026-03-15T03:00")  # 22:00 CDT, in UTC

    before = counts(demo_db)
    refused = run_cli(demo_db, "update", case_id, "--photo-date", "14/03/2026")
    assert refused.returncode == 2
    assert "photo" in refused.stderr and "MM/DD/YYYY" in refused.stderr
    assert counts(demo_db) == before

    day_first = tmp_path / "day-first.toml"
    day_first.write_text("[input]\nday_first = true\n", encoding="utf-8")
    updated = run_cli(demo_db, "--policy", str(day_first), "update", case_id, "--photo-date",
                      "14/03/2026")  # fmt: skip
    assert updated.returncode == 0, updated.stderr
    shown = json.loads(run_cli(demo_db, "show", case_id, "--json").stdout)
    assert shown["packet"]["photo_date"] == "2026-03-14"


def test_times_given_to_audit_and_restore_follow_the_policy(
    demo_db: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    day_first = tmp_path / "day-first.toml"
    day_first.write_text("[input]\nday_first = true\n", encoding="utf-8")
    policy = ("--policy", str(day_first))
    # January 11 before February 10 month first; 1 November after 2 October day first.
    window = ("audit", "--since", "01/11/2026", "--until", "02/10/2026")
    assert run_cli(demo_db, *window).returncode == 0
    refused = run_cli(demo_db, *policy, *window)
    assert refused.returncode == 2 and "is after --until" in refused.stderr
    # 11/12/2026: 12 November month first (past), 11 December day first (in the future);
    # restore reads --at before it looks for the replica (there is none here).
    dest = str(tmp_path / "restored.db")
    at = ("restore", "--from", str(tmp_path / "no-replica"), "--at", "11/12/2026", dest)
    month_first = run_cli(None, *at)
    assert "--at" not in month_first.stderr and month_first.returncode != 0
    future = run_cli(None, *policy, *at)
    assert future.returncode == 2 and "--at" in future.stderr


def test_handover_and_stats_windows_follow_the_policy(
    demo_db: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    day_first = tmp_path / "day-first.toml"
    day_first.write_text("[input]\nday_first = true\n", encoding="utf-8")
    # 01/11/2026 .. 02/10/2026: January to February month first; day first, 1 November is
    # after 2 October and the window is refused as backwards.
    for command in ("handover", "stats"):
        window = (command, "--since", "01/11/2026", "--until", "02/10/2026", "--format", "json")
        month_first = run_cli(demo_db, *window)
        assert month_first.returncode == 0, month_first.stderr
        since = json.loads(month_first.stdout)["window"]["since"]
        assert since.startswith("2026-01-11"), (command, since)
        refused = run_cli(demo_db, "--policy", str(day_first), *window)
        assert refused.returncode == 2, (command, refused.stderr)
        assert "--since" in refused.stderr or "--until" in refused.stderr
