"""`demo`, and the global options --policy and --tz."""

from __future__ import annotations

import json
import os
import re
import sqlite3
from collections.abc import Callable
from contextlib import closing
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

RunCli = Callable[..., Any]
ROW = re.compile(r"^\s*(\d+)\s+(CRITICAL|HIGH|ELEVATED|STANDARD)\*?\s", re.M)


def test_demo_seeds_fixtures_and_synthetic_cases_and_prints_the_board(
    tmp_path: Path, run_cli: RunCli
) -> None:
    env = {key: value for key, value in os.environ.items() if key != "CASEBOARD_DB"}
    env["TMPDIR"] = str(tmp_path)  # the demo's temporary folder lands inside the test's
    result = run_cli(None, "demo", "--cases", "50", env=env)
    assert result.returncode == 0, result.stderr
    found = re.search(r"demo database: (\S+)", result.stderr)
    assert found, result.stderr
    path = Path(found.group(1))
    assert path.is_file()
    assert tmp_path in path.parents
    with closing(sqlite3.connect(path)) as conn:
        assert conn.execute("SELECT COUNT(*) FROM cases").fetchone()[0] == 50
        open_cases = conn.execute("SELECT COUNT(*) FROM cases WHERE status != 'closed'").fetchone()
    out = result.stdout
    assert out.index("-- missing --") < out.index("-- recovered --")
    shown = [int(match.group(1)) for match in ROW.finditer(out)]
    assert len(shown) == open_cases[0]
    # The printed order is the board order that `cases --json` gives for the same database.
    listed = run_cli(path, "cases", "--json")
    assert listed.returncode == 0, listed.stderr
    assert shown == [item["id"] for item in json.loads(listed.stdout)]


def _police_windows(stdout: str) -> set[timedelta]:
    windows = set()
    for item in json.loads(stdout):
        clock = item["clocks"]["police"]
        if clock.get("started_at") and clock["due_at"]:
            started = datetime.fromisoformat(clock["started_at"])
            windows.add(datetime.fromisoformat(clock["due_at"]) - started)
    return windows


def test_a_built_in_policy_name_is_accepted(imported_db: Path, run_cli: RunCli) -> None:
    default = run_cli(imported_db, "cases", "--json")
    strict = run_cli(imported_db, "--policy", "strict-2h", "cases", "--json")
    assert default.returncode == 0, default.stderr
    assert strict.returncode == 0, strict.stderr
    assert _police_windows(default.stdout) == {timedelta(hours=24)}
    assert _police_windows(strict.stdout) == {timedelta(hours=2)}


def test_a_policy_file_is_accepted(imported_db: Path, tmp_path: Path, run_cli: RunCli) -> None:
    policy = tmp_path / "local.toml"
    policy.write_text("[clocks]\npolice_hours = 6\n")
    result = run_cli(imported_db, "--policy", str(policy), "cases", "--json")
    assert result.returncode == 0, result.stderr
    assert _police_windows(result.stdout) == {timedelta(hours=6)}


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("bogus_key = 1\n", "bogus_key"),
        ("[clocks]\npolice_hourz = 2\n", "clocks.police_hourz"),
        ("[risk.points]\nwerewolves = 3\n", "werewolves"),
        ("[clocks\npolice_hours = 2\n", "not valid TOML"),
    ],
    ids=["top-level", "nested", "unknown-factor", "bad-toml"],
)
def test_a_bad_policy_file_is_bad_input_naming_the_key(
    imported_db: Path, tmp_path: Path, run_cli: RunCli, text: str, named: str
) -> None:
    policy = tmp_path / "bad.toml"
    policy.write_text(text)
    result = run_cli(imported_db, "--policy", str(policy), "cases")
    assert result.returncode == 2, result.stderr
    assert named in result.stderr
    assert result.stdout == ""


def test_an_unknown_policy_name_is_bad_input(imported_db: Path, run_cli: RunCli) -> None:
    result = run_cli(imported_db, "--policy", "no-such-profile", "cases")
    assert result.returncode == 2, result.stderr
    assert "--policy" in result.stderr
    assert "strict-2h" in result.stderr, "the message lists the built-in profiles"


def test_an_unknown_time_zone_is_bad_input(imported_db: Path, run_cli: RunCli) -> None:
    result = run_cli(imported_db, "--tz", "Not/AZone", "cases")
    assert result.returncode == 2, result.stderr
    assert "--tz" in result.stderr
    assert "Not/AZone" in result.stderr
    assert result.stdout == ""


def test_a_time_zone_changes_how_typed_times_are_read(fresh_db: Path, run_cli: RunCli) -> None:
    common = [
        "--age=12",
        "--learned=2020-01-02T10:00",
        "--last-seen=2020-01-02T09:00",
        "--where=Sample Kin Home",
        "--placement=kin",
        "--agency=Fictional County DCFS",
    ]
    ids = {}
    for zone in ("UTC", "America/Chicago"):
        result = run_cli(fresh_db, "--tz", zone, "intake", f"--name=Zoned {zone}", *common)
        assert result.returncode == 0, result.stderr
        ids[zone] = result.stdout.strip()
    learned = {}
    for zone, case_id in ids.items():
        shown = run_cli(fresh_db, "show", case_id, "--json")
        learned[zone] = datetime.fromisoformat(json.loads(shown.stdout)["learned_at"])
    assert learned["America/Chicago"] - learned["UTC"] == timedelta(hours=6)


def chicago_zone_file() -> Path:
    """A compiled zone file that is not UTC (the system's, else the tzdata package's)."""
    import zoneinfo

    for folder in zoneinfo.TZPATH:
        if (Path(folder) / "America/Chicago").is_file():
            return Path(folder) / "America/Chicago"
    try:
        from importlib.resources import files

        found = files("tzdata.zoneinfo").joinpath("America/Chicago")
        if found.is_file():
            return Path(str(found))
    except ModuleNotFoundError:
        pass
    pytest.skip("no compiled zone file for America/Chicago on this machine")


@pytest.mark.parametrize(
    ("tz", "offset_in_january", "name"),
    [
        ("America/Chicago", -6, "CST"),  # an IANA name
        (":America/Chicago", -6, "CST"),  # the glibc spelling with a leading colon
        ("CST6CDT,M3.2.0,M11.1.0", -6, "CST"),  # a POSIX rule (dateutil reads it)
        ("GMT+5", -5, "GMT"),  # POSIX: five hours *behind* UTC, as the C library reads it
        ("../../etc/passwd", 0, "UTC"),  # not a zone: UTC, as the C library does
        ("no such zone", 0, "UTC"),
        ("x" * 300, 0, "UTC"),  # too long for a file name: still UTC, not a crash
    ],
)
def test_without_tz_the_system_zone_is_read_from_TZ(
    tz: str, offset_in_january: int, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from caseboard.cli import system_zone

    monkeypatch.setenv("TZ", tz)
    january = datetime(2027, 1, 15, 12, 0, tzinfo=system_zone())
    assert january.utcoffset() == timedelta(hours=offset_in_january)
    assert january.tzname() == name


def test_TZ_may_name_a_zone_file(monkeypatch: pytest.MonkeyPatch) -> None:
    from caseboard.cli import system_zone

    monkeypatch.setenv("TZ", str(chicago_zone_file()))
    july = datetime(2027, 7, 1, 12, 0, tzinfo=system_zone())
    assert (july.utcoffset(), july.tzname()) == (timedelta(hours=-5), "CDT")


def test_without_TZ_the_system_zone_is_etc_localtime(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from zoneinfo import ZoneInfo

    from caseboard.cli import system_zone

    monkeypatch.delenv("TZ", raising=False)
    zone = system_zone(localtime=chicago_zone_file())
    assert isinstance(zone, ZoneInfo)  # converted in C, not by dateutil's Python tzfile
    january = datetime(2027, 1, 15, 12, 0, tzinfo=zone)
    assert (january.utcoffset(), january.tzname()) == (timedelta(hours=-6), "CST")
    missing = system_zone(localtime=tmp_path / "no-localtime")
    assert datetime(2027, 1, 15, tzinfo=missing).utcoffset() == timedelta(0)


def test_a_tz_option_too_long_for_a_file_name_is_bad_input(
    imported_db: Path, run_cli: RunCli
) -> None:
    result = run_cli(imported_db, "--tz", "x" * 300, "cases")
    assert result.returncode == 2, result.stderr
    assert "--tz" in result.stderr and "internal error" not in result.stderr
