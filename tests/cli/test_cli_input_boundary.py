"""Bad input that used to end in "internal error" (exit 70) now gets exit 2, a message naming
the field or argument, and nothing written (issue 11, "What was found")."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from caseboard.cli import system_zone
from support.inprocess import copy_database, demo_database, event_count, open_case_ids, run_main

GOOD = {
    "name": "Test Child",
    "age": 14,
    "learned_at": "1h ago",
    "last_seen_at": "2h ago",
    "last_seen_where": "the mall",
    "placement_type": "kin",
    "agency": "County CPS",
}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo database, made in process on the frozen clock (shared: nothing here writes)."""
    return demo_database(tmp_path_factory.mktemp("boundary") / "caseboard.db")


@pytest.fixture(scope="module")
def open_case(demo: Path) -> str:
    return str(open_case_ids(demo)[0])


def refused(db: Path, *argv: str, naming: str, **options: Any) -> str:
    """Run; expect exit 2 naming `naming` on stderr and no new event; return stderr."""
    before = event_count(db)
    ran = run_main(db, *argv, **options)
    assert ran.code == 2, ran
    assert naming in ran.err, ran.err
    assert event_count(db) == before
    return ran.err


def import_file(tmp_path: Path, content: str) -> str:
    path = tmp_path / "records.json"
    path.write_text(content, encoding="utf-8")
    return str(path)


# --- ids -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("case", ["99999999999999999999", "9223372036854775808", "٣", "1_0", "0"])
def test_a_case_id_sqlite_cannot_hold_is_refused_by_name(demo: Path, case: str) -> None:
    refused(demo, "note", case, "hi", naming="argument case")


def test_an_event_id_too_large_is_refused_by_name(demo: Path) -> None:
    refused(demo, "correct", "99999999999999999999", "--reason", "x", "--note", "y", naming="EVENT")


@pytest.mark.parametrize("age", ["²", "٣", "99999999999999999999999", "1_0"])
def test_an_age_option_of_non_ascii_digits_is_refused_by_name(demo: Path, age: str) -> None:
    rest = ["--learned", "now", "--last-seen", "1h ago", "--where", "x", "--placement", "kin"]
    refused(demo, "intake", "--name", "A", "--age", age, *rest, "--agency", "y", naming="--age")


def test_demo_cases_beyond_the_bound_are_refused(demo: Path) -> None:
    refused(demo, "demo", "--cases", "99999999999", naming="--cases")


def test_the_largest_case_id_is_read_and_simply_not_found(demo: Path) -> None:
    refused(demo, "note", str(2**63 - 1), "hi", naming="CASE: there is no case")


@pytest.mark.parametrize("child_id", ["100000000000000000000", "1e20", "9223372036854775808"])
def test_an_imported_child_id_too_large_is_refused_by_field(
    demo: Path, tmp_path: Path, child_id: str
) -> None:
    record = json.dumps(GOOD)[:-1] + f', "child_id": {child_id}}}'
    refused(demo, "import", import_file(tmp_path, f"[{record}]"), naming="records[0].child_id")


# --- text that is not valid Unicode --------------------------------------------------------------


def test_a_lone_surrogate_in_an_import_file_is_refused_by_field(demo: Path, tmp_path: Path) -> None:
    record = json.dumps({**GOOD, "name": "PLACEHOLDER"}).replace("PLACEHOLDER", "\\ud800")
    refused(demo, "import", import_file(tmp_path, f"[{record}]"), naming="records[0].name")


def test_a_lone_surrogate_in_history_is_refused_by_field(demo: Path, tmp_path: Path) -> None:
    events = [{"type": "note", "at": "30m ago", "text": "PLACEHOLDER"}]
    record = json.dumps({**GOOD, "events": events}).replace("PLACEHOLDER", "a \\udfff b")
    refused(
        demo, "import", import_file(tmp_path, f"[{record}]"), naming="records[0].events[0].text"
    )


@pytest.mark.parametrize(
    ("option", "argv"),
    [
        ("argument text", ["note", "{case}", "\udcff\udcfe"]),
        ("--where", ["sighting", "{case}", "--at", "now", "--where", "\udcff"]),
        ("--note", ["sighting", "{case}", "--at", "now", "--where", "x", "--note", "a\udc80"]),
        ("--name", ["intake", "--name", "\udcff", "--age", "3", "--learned", "now",
                    "--last-seen", "1h ago", "--where", "x", "--placement", "kin",
                    "--agency", "y"]),
        ("--reason", ["close", "{case}", "--reason", "\udcff"]),
        ("--summary", ["handover-note", "{case}", "--summary", "\udcff"]),
        ("--tz", ["--tz", "\udcff", "cases"]),
        ("argument file", ["import", "/tmp/\udcff.json"]),
    ],
)  # fmt: skip
def test_undecodable_bytes_in_an_argument_are_refused_by_name(
    demo: Path, open_case: str, option: str, argv: list[str]
) -> None:
    """Bytes that are not UTF-8 in argv reach Python as lone surrogates (surrogateescape)."""
    refused(demo, *[part.replace("{case}", open_case) for part in argv], naming=option)


def test_undecodable_bytes_from_a_real_shell_get_exit_2(demo: Path, open_case: str) -> None:
    """`caseboard note CASE $'\\xff\\xfe'` as a shell would run it."""
    before = event_count(demo)
    result = subprocess.run(
        [sys.executable, "-m", "caseboard", "--db", str(demo), "note", open_case, b"\xff\xfe"],
        capture_output=True,
        check=False,
    )
    assert result.returncode == 2, result.stderr
    assert b"argument text" in result.stderr
    assert b"Traceback" not in result.stderr
    assert event_count(demo) == before


# --- times ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "at",
    [
        "1000000d ago",
        "0001-01-01",
        "9999-12-31T23:59-14:00",
        "2024-06-01T10:00+25:00",
        "1/1/0001 10pm",
        "3000000d ago",
    ],
)
def test_an_out_of_range_time_is_refused_by_option(demo: Path, open_case: str, at: str) -> None:
    err = refused(demo, "sighting", open_case, "--at", at, "--where", "x", naming="at:")
    assert "out of range" in err


@pytest.mark.parametrize("option", ["--since", "--until"])
def test_handover_window_out_of_range_is_refused_by_option(demo: Path, option: str) -> None:
    refused(demo, "handover", option, "0001-01-01", naming=option)


# --- numbers and nesting in import files ---------------------------------------------------------


@pytest.mark.parametrize("age", ['"²"', '"٣"', "1e400", "NaN", "-1e400", "12345678901234567890"])
def test_an_age_of_non_ascii_digits_or_huge_numbers_is_refused(
    demo: Path, tmp_path: Path, age: str
) -> None:
    record = json.dumps(GOOD).replace('"age": 14', f'"age": {age}')
    refused(demo, "import", import_file(tmp_path, f"[{record}]"), naming="records[0].age")


def test_json_nested_100000_deep_is_refused(demo: Path, tmp_path: Path) -> None:
    deep = "[" * 100_000 + "]" * 100_000
    refused(demo, "import", import_file(tmp_path, deep), naming="FILE")


def test_json_nested_deep_inside_a_field_is_refused_by_field(demo: Path, tmp_path: Path) -> None:
    record = json.dumps(GOOD).replace('"kin"', "[" * 500 + "]" * 500)
    refused(demo, "import", import_file(tmp_path, f"[{record}]"), naming="placement_type")


def test_an_endless_import_file_is_refused_by_size(demo: Path) -> None:
    refused(demo, "import", "/dev/zero", naming="FILE")


def test_an_integer_too_long_to_read_is_refused(demo: Path, tmp_path: Path) -> None:
    record = json.dumps(GOOD).replace('"age": 14', '"age": ' + "9" * 5000)
    refused(demo, "import", import_file(tmp_path, f"[{record}]"), naming="FILE")


# --- file names the file system refuses ---------------------------------------------------------

LONG = "x" * 3000


@pytest.mark.parametrize(
    ("argv", "naming"),
    [
        (["--policy", LONG, "cases"], "--policy"),
        (["backup", "{folder}/" + LONG], "DEST"),
        (["export", "--out", "{folder}/" + LONG], "--out"),
        (["handover", "--out", "{folder}/" + "y" * 256], "--out"),
        (["import", LONG], "argument file"),
    ],
)
def test_a_file_name_too_long_is_refused_by_name(
    demo: Path, tmp_path: Path, argv: list[str], naming: str
) -> None:
    refused(demo, *[part.replace("{folder}", str(tmp_path)) for part in argv], naming=naming)


def test_a_database_name_too_long_is_refused(tmp_path: Path) -> None:
    ran = run_main(None, "--db", str(tmp_path / LONG), "cases")
    assert ran.code == 2
    assert "--db" in ran.err


@pytest.mark.parametrize("value", [LONG, "/tmp/\udcff.db"])
def test_a_caseboard_db_variable_the_file_system_cannot_use_is_refused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, value: str
) -> None:
    monkeypatch.setenv("CASEBOARD_DB", value)
    ran = run_main(None, "cases")
    assert ran.code == 2, ran
    assert "$CASEBOARD_DB" in ran.err


# --- policy and environment ----------------------------------------------------------------------


def test_a_policy_value_of_1e308_is_refused_by_key(demo: Path, tmp_path: Path) -> None:
    policy = tmp_path / "policy.toml"
    policy.write_text("[clocks]\npolice_hours = 1e308\n", encoding="utf-8")
    refused(demo, "--policy", str(policy), "cases", naming="clocks.police_hours")


@pytest.mark.parametrize("rule", ["UTC+24", "UTC-24", "XYZ+25", "EST5EDT+30,M3.2.0,M11.1.0"])
def test_a_posix_tz_offset_of_a_day_or_more_falls_back_to_utc(
    demo: Path, monkeypatch: pytest.MonkeyPatch, rule: str
) -> None:
    monkeypatch.setenv("TZ", rule)
    assert str(system_zone()) == "UTC"
    ran = run_main(demo, "cases", tz=None)
    assert ran.code == 0, ran.err


def test_a_valid_posix_tz_rule_is_still_used(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "UTC+5")
    zone = system_zone()
    assert str(zone) != "UTC"


def test_writes_after_refusals_still_work(demo: Path, tmp_path: Path, open_case: str) -> None:
    """A copy, so the shared database stays as it was: the boundary refuses, it does not break."""
    db = copy_database(demo, tmp_path / "copy.db")
    before = event_count(db)
    ran = run_main(db, "note", open_case, "ordinary text, Zoë ✓")
    assert ran.code == 0, ran.err
    assert event_count(db) == before + 1
