"""`caseboard stats` in process on the frozen clock: formats, --out, --redact, bad options."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from syrupy.assertion import SnapshotAssertion

from support.damage import BAD_UTF8, case_with_intake, set_event, set_state
from support.inprocess import demo_database, run_main


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    """The demo fixture imported at the frozen clock (2026-11-28 04:00 UTC)."""
    return demo_database(tmp_path / "caseboard.db")


def test_markdown_report(demo: Path, snapshot: SnapshotAssertion) -> None:
    ran = run_main(demo, "stats", "--since", "7 days ago", "--by", "day")
    assert ran.code == 0, ran.err
    assert ran.out.startswith("# Reporting compliance and shift statistics\n")
    assert ran.out == snapshot


def test_json_keys_and_csv_rows(demo: Path) -> None:
    data = json.loads(run_main(demo, "stats", "--format", "json").out)
    assert list(data) == [
        "window", "episodes", "reports", "recovery", "repeat", "interviews", "screens",
        "by_placement", "series", "factors", "indicators",
    ]  # fmt: skip
    assert set(data["reports"]) == {"police", "ncic", "ncmec"}
    for figures in data["reports"].values():
        assert list(figures) == [
            "on_time", "late", "missed", "pending", "not_started", "on_time_share",
            "median_hours", "p90_hours",
        ]  # fmt: skip
    cases = json.loads(run_main(demo, "cases", "--all", "--json").out)
    since, until = (datetime.fromisoformat(data["window"][k]) for k in ("since", "until"))
    inside = [c for c in cases if since < datetime.fromisoformat(c["learned_at"]) <= until]
    assert 0 < data["episodes"]["opened"] == len(inside) < len(cases)  # some are older
    lines = run_main(demo, "stats", "--format", "csv", "--by", "week").out.splitlines()
    assert lines[0] == "start,opened,recovered,ncmec_on_time_share"
    assert sum(int(line.split(",")[1]) for line in lines[1:]) == len(inside)


def test_out_and_redact(demo: Path, tmp_path: Path) -> None:
    target = tmp_path / "stats.md"
    ran = run_main(demo, "--redact", "stats", "--out", str(target))
    assert ran.code == 0 and ran.out == ""
    assert str(target) in ran.err
    text = target.read_text("utf-8")
    plain = run_main(demo, "stats").out
    assert "- Case " in text and "Missed, by case" in text
    names = [line.split(" · ")[1] for line in plain.splitlines() if line.startswith("- Case ")]
    assert names and not any(name in text for name in names if "." not in name)


@pytest.mark.parametrize(
    "args",
    [
        ("stats", "--by", "year"),
        ("stats", "--format", "pdf"),
        ("stats", "--since", "not a time"),
        ("stats", "--since", "now", "--until", "1h ago"),
        ("stats", "--until", "tomorrow 10:00"),
    ],
)
def test_bad_options_exit_2(demo: Path, args: tuple[str, ...]) -> None:
    ran = run_main(demo, *args)
    assert ran.code == 2
    assert ran.out == ""


@pytest.mark.parametrize(
    "text", ['{"case_id": 1, "broken', "not json at all", '{"case_id": "x"}', BAD_UTF8]
)
def test_a_damaged_projection_is_rebuilt_from_its_events(demo: Path, text: object) -> None:
    before = json.loads(run_main(demo, "stats", "--format", "json").out)
    case_id, _child, _event = case_with_intake(demo)
    set_state(demo, case_id, text)
    ran = run_main(demo, "stats", "--format", "json")
    assert ran.code == 0, ran.err
    assert json.loads(ran.out) == before  # the same figures, folded afresh from the events


def test_a_case_that_cannot_be_read_is_named_and_left_out(demo: Path) -> None:
    before = json.loads(run_main(demo, "stats", "--format", "json").out)
    case_id, _child, event_id = case_with_intake(demo)
    set_state(demo, case_id, "not json")
    set_event(demo, event_id, "data", '{"name": "Ava')
    ran = run_main(demo, "stats", "--format", "json")
    assert ran.code == 0, ran.err
    assert f"warning: case {case_id} cannot be read" in ran.err
    assert json.loads(ran.out)["episodes"]["opened"] == before["episodes"]["opened"] - 1


def test_a_read_only_session_reads_them(demo: Path) -> None:
    ran = run_main(demo, "--readonly", "stats", "--format", "csv")
    assert ran.code == 0, ran.err
    assert ran.out.startswith("start,opened,recovered,ncmec_on_time_share\n")
