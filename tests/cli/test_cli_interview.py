"""`caseboard interview` as the statute reads (#17): factors, experiences, indicators, both
screens and the response; bad ids exit 2 with nothing written; `show` (text and JSON), the
handover, --redact, corrections, and the child's next episode read them in words."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

RunCli = Callable[..., Any]
Counts = Callable[[Path], dict[str, int]]

FULL = (
    "--at", "30m ago", "--screen", "possible", "--labor", "clear",
    "--factor", "family", "--factor", "other", "--other-factor", "to see her brother",
    "--experiences", "slept at a friend's flat on Elm St",
    "--indicator", "exchanged_labor", "--indicator", "gifts_or_new_phone",
    "--response", "weekly supervised visits", "--police-told", "--note", "calm",
)  # fmt: skip


def _recovered(run_cli: RunCli, db: Path, *, child: str | None = None) -> int:
    """A case opened three hours ago and recovered an hour ago (a repeat when `child`)."""
    linked = ["--child", child] if child else []
    opened = run_cli(
        db, "intake", "--name", "Nia Example", "--age", "15", "--learned", "3h ago",
        "--last-seen", "4h ago", "--where", "Sample Group Home", "--placement", "group_home",
        "--agency", "Sample County", *linked,
    )  # fmt: skip
    assert opened.returncode == 0, opened.stderr
    case = int(opened.stdout.strip())
    found = run_cli(db, "recover", str(case), "--at", "1h ago", "--where", "Mall", "--by", "PD")
    assert found.returncode == 0, found.stderr
    return case


def _interview(run_cli: RunCli, db: Path, case: int) -> dict[str, Any]:
    shown = json.loads(run_cli(db, "show", str(case), "--json").stdout)
    (event,) = [event for event in shown["events"] if event["type"] == "interview"]
    return dict(event["data"])


def test_every_statute_field_is_recorded_and_shown_in_words(
    run_cli: RunCli, fresh_db: Path
) -> None:
    case = _recovered(run_cli, fresh_db)
    ran = run_cli(fresh_db, "interview", str(case), *FULL)
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.strip().isdigit()
    assert "warning" not in ran.stderr  # police were told of the clear labour concern
    data = _interview(run_cli, fresh_db, case)
    assert data == {
        "screen": "possible",
        "labor_screen": "clear",
        "factors": ["family", "other"],
        "other_factor": "to see her brother",
        "experiences": "slept at a friend's flat on Elm St",
        "indicators": ["exchanged_labor", "gifts_or_new_phone"],
        "response": "weekly supervised visits",
        "police_told": True,
        "note": "calm",
    }
    flags = json.loads(run_cli(fresh_db, "show", str(case), "--json").stdout)["flags"]
    assert flags == ["labor_trafficking_concern"]
    text = run_cli(fresh_db, "show", str(case)).stdout
    assert "⚑ CLEAR LABOR TRAFFICKING CONCERN at the return interview" in text
    assert "  Primary factors     to be with family, to see her brother" in text
    assert "  While absent        slept at a friend's flat on Elm St" in text
    assert (
        "  Indicators          worked for food, shelter or money,"
        " came back with gifts, money or a new phone"
    ) in text
    assert "  Labor trafficking   clear concern" in text
    assert "  Response planned    weekly supervised visits" in text
    assert "labor trafficking screen — clear concern; factors: to be with family" in text
    for raw in ("exchanged_labor", "gifts_or_new_phone", "labor_screen", "other_factor"):
        assert raw not in text


def test_redact_hides_the_typed_text_and_keeps_the_words(run_cli: RunCli, fresh_db: Path) -> None:
    case = _recovered(run_cli, fresh_db)
    assert run_cli(fresh_db, "interview", str(case), *FULL).returncode == 0
    text = run_cli(fresh_db, "--redact", "show", str(case)).stdout
    for typed in ("to see her brother", "Elm St", "weekly supervised visits"):
        assert typed not in text
    assert "  Primary factors     to be with family, [redacted]" in text
    assert "  Response planned    [redacted]" in text
    assert "worked for food, shelter or money" in text  # vocabulary words stay
    data = json.loads(run_cli(fresh_db, "--redact", "show", str(case), "--json").stdout)
    (event,) = [event for event in data["events"] if event["type"] == "interview"]
    assert event["data"]["factors"] == ["family", "other"]
    assert event["data"]["indicators"] == ["exchanged_labor", "gifts_or_new_phone"]
    assert event["data"]["labor_screen"] == "clear"
    for key in ("other_factor", "experiences", "response", "note"):
        assert event["data"][key] == "[redacted]", key


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("--factor", "runaway"), "--factor: 'runaway' is not one of placement_conflict"),
        (("--indicator", "tattoo"), "--indicator: 'tattoo' is not one of exchanged_sex"),
        (("--factor", "other"), "--other-factor: say what the 'other' factor was"),
        (("--other-factor", "a concert"), "--other-factor: only goes with the factor 'other'"),
        (("--labor", "maybe"), "argument --labor: invalid choice: 'maybe'"),
        (("--response", "r" * 2001), "--response: is 2001 characters long; the limit is 2000"),
    ],
)
def test_bad_input_exits_2_and_writes_nothing(
    run_cli: RunCli, fresh_db: Path, counts: Counts, args: tuple[str, ...], says: str
) -> None:
    case = _recovered(run_cli, fresh_db)
    before = counts(fresh_db)
    ran = run_cli(fresh_db, "interview", str(case), "--at", "10m ago", "--screen", "none", *args)
    assert ran.returncode == 2
    assert says in ran.stderr
    assert ran.stdout == ""
    assert counts(fresh_db) == before


def test_todays_interview_still_records_and_reads(run_cli: RunCli, fresh_db: Path) -> None:
    case = _recovered(run_cli, fresh_db)
    ran = run_cli(fresh_db, "interview", str(case), "--at", "10m ago", "--screen", "clear")
    assert ran.returncode == 0
    assert "warning: clear trafficking concern: police must be told" in ran.stderr
    assert _interview(run_cli, fresh_db, case) == {"screen": "clear", "police_told": False}
    text = run_cli(fresh_db, "show", str(case)).stdout
    assert "Return interview: trafficking screen — clear concern" in text
    assert "Primary factors" not in text  # no empty section for an interview without them


def test_a_clear_labor_concern_without_police_warns(run_cli: RunCli, fresh_db: Path) -> None:
    case = _recovered(run_cli, fresh_db)
    ran = run_cli(
        fresh_db, "interview", str(case), "--at", "10m ago", "--screen", "none", "--labor", "clear"
    )
    assert ran.returncode == 0
    assert "warning: clear labor trafficking concern: police must be told" in ran.stderr


def test_a_correction_changes_factors_and_response(run_cli: RunCli, fresh_db: Path) -> None:
    case = _recovered(run_cli, fresh_db)
    event = run_cli(fresh_db, "interview", str(case), *FULL).stdout.strip()
    bad = run_cli(fresh_db, "correct", event, "--reason", "typo", "--factor", "nope")
    assert bad.returncode == 2 and "'nope' is not one of" in bad.stderr
    fixed = run_cli(
        fresh_db, "correct", event, "--reason", "she said school, not family",
        "--factor", "school", "--other-factor", "", "--labor", "possible",
        "--response", "school liaison meeting",
    )  # fmt: skip
    assert fixed.returncode == 0, fixed.stderr
    text = run_cli(fresh_db, "show", str(case)).stdout
    assert "  Primary factors     trouble at school\n" in text
    assert "  Response planned    school liaison meeting" in text
    assert "CLEAR LABOR TRAFFICKING CONCERN" not in text  # the flag follows the correction
    assert "was " in text and "weekly supervised visits" in text  # the original stays beside


def test_the_next_episode_says_what_happened_last_time(run_cli: RunCli, fresh_db: Path) -> None:
    first = _recovered(run_cli, fresh_db)
    assert run_cli(fresh_db, "interview", str(first), *FULL).returncode == 0
    assert run_cli(fresh_db, "close", str(first), "--reason", "home").returncode == 0
    child = json.loads(run_cli(fresh_db, "show", str(first), "--json").stdout)["child"]["id"]
    again = run_cli(
        fresh_db, "intake", "--name", "Nia Example", "--age", "15", "--learned", "10m ago",
        "--last-seen", "20m ago", "--where", "Sample Group Home", "--placement", "group_home",
        "--agency", "Sample County", "--child", str(child),
    )  # fmt: skip
    second = again.stdout.strip()
    text = run_cli(fresh_db, "show", second).stdout
    said = "last time: to be with family, to see her brother; response: weekly supervised visits"
    assert f"Earlier episode: {said}" in text
    episodes = text[text.index("Other episodes of this child:") :]
    assert f"    {said}" in episodes
    redacted = run_cli(fresh_db, "--redact", "show", second).stdout
    assert "last time: to be with family, [redacted]; response: [redacted]" in redacted
    # The earlier case does not read its own interview as "last time".
    assert "Earlier episode" not in run_cli(fresh_db, "show", str(first)).stdout


def test_the_handover_lists_factors_and_puts_a_clear_labor_concern_on_top(
    run_cli: RunCli, fresh_db: Path
) -> None:
    case = _recovered(run_cli, fresh_db)
    assert run_cli(fresh_db, "interview", str(case), *FULL).returncode == 0
    report = run_cli(fresh_db, "handover", "--since", "6h ago").stdout
    top = report[: report.index("## Counts")]
    assert f"**⚑ Clear labor trafficking concern at the return interview: #{case}" in top
    assert "police told" in top
    section = report[report.index("## Return interviews") :]
    assert "factors: to be with family, to see her brother" in section
    assert "response: weekly supervised visits" in section
    redacted = run_cli(fresh_db, "--redact", "handover", "--since", "6h ago").stdout
    assert "weekly supervised visits" not in redacted
    assert "factors: to be with family, [redacted]" in redacted
    data = json.loads(run_cli(fresh_db, "handover", "--since", "6h ago", "--format", "json").stdout)
    (item,) = data["interviews"]
    assert item["factors"] == ["family", "other"]
    assert item["labor_screen"] == "clear"
    assert item["response"] == "weekly supervised visits"


def test_stats_count_factors_and_indicators(run_cli: RunCli, fresh_db: Path) -> None:
    case = _recovered(run_cli, fresh_db)
    assert run_cli(fresh_db, "interview", str(case), *FULL).returncode == 0
    other = _recovered(run_cli, fresh_db)
    ran = run_cli(
        fresh_db, "interview", str(other), "--at", "10m ago", "--screen", "none",
        "--factor", "family", "--factor", "school", "--indicator", "harmed",
    )  # fmt: skip
    assert ran.returncode == 0, ran.stderr
    data = json.loads(run_cli(fresh_db, "stats", "--format", "json").stdout)
    assert data["factors"] == [
        {"factor": "family", "episodes": 2},
        {"factor": "other", "episodes": 1},
        {"factor": "school", "episodes": 1},
    ]
    assert data["indicators"] == [
        {"indicator": "exchanged_labor", "episodes": 1},
        {"indicator": "gifts_or_new_phone", "episodes": 1},
        {"indicator": "harmed", "episodes": 1},
    ]
    text = run_cli(fresh_db, "stats").stdout
    family = next(line for line in text.splitlines() if line.startswith("| to be with family "))
    assert family.replace(" ", "") == "|tobewithfamily|2|"
    row = next(line for line in text.splitlines() if line.startswith("| group home"))
    assert row.rstrip(" |").endswith(
        "to be with family (2), another reason (1), trouble at school (1)"
    )


def test_a_policy_of_its_own_words_is_read_everywhere(
    run_cli: RunCli, fresh_db: Path, tmp_path: Path
) -> None:
    policy = tmp_path / "county.toml"
    policy.write_text(
        '[interview.factors]\ncurfew = "missed curfew at the placement"\nother = "other"\n'
        '[interview.indicators]\nbranded_tattoo = "a new tattoo of a name"\n',
        encoding="utf-8",
    )
    local = ("--policy", str(policy))
    case = _recovered(run_cli, fresh_db)
    refused = run_cli(
        fresh_db, *local, "interview", str(case), "--at", "5m ago", "--screen", "none",
        "--factor", "family",
    )  # fmt: skip
    assert refused.returncode == 2
    assert "--factor: 'family' is not one of curfew, other" in refused.stderr
    ran = run_cli(
        fresh_db, *local, "interview", str(case), "--at", "5m ago", "--screen", "none",
        "--factor", "curfew", "--indicator", "branded_tattoo", "--response", "later curfew",
    )  # fmt: skip
    assert ran.returncode == 0, ran.stderr
    text = run_cli(fresh_db, *local, "show", str(case)).stdout
    assert "  Primary factors     missed curfew at the placement" in text
    assert "factors: missed curfew at the placement; " in text
    assert "indicators: a new tattoo of a name" in text
    report = run_cli(fresh_db, *local, "handover", "--since", "6h ago").stdout
    assert "factors: missed curfew at the placement" in report
    stats = run_cli(fresh_db, *local, "stats").stdout
    assert "| missed curfew at the placement |" in stats
    # Without the file the id still reads as words, never as the id itself.
    assert "  Primary factors     curfew\n" in run_cli(fresh_db, "show", str(case)).stdout
