"""What a person reads about a case, over a fixture with every case event type and corrections:
no raw data anywhere (detail, show, the correction picker, the handover, alerts), corrected
values where the original stood, wrapped timeline lines hanging under their text, and the
handover as a text snapshot."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from caseboard import services
from caseboard.cli import render
from caseboard.domain.alerts import alert_text, change_alerts
from caseboard.domain.handover_view import report_markdown
from caseboard.domain.interview_vocab import BUILTIN
from caseboard.domain.packet import PACKET_FIELDS
from caseboard.domain.vocab import (
    CLOCK_STATES,
    CLOCKS,
    DERIVED_LABELS,
    EVENT_TYPES,
    PLACEMENT_TYPES,
    RISK_FACTORS,
)
from caseboard.services import handover as ho
from caseboard.tui.detail_text import detail_text
from caseboard.tui.forms.correct import entry_label, picker_entries
from cli.conftest import run_caseboard
from support import casefile
from support.formkit import events

ZONE_NAME = "America/Chicago"
# Vocabulary ids that are not words: a person must never read them. (Ids that are plain words,
# such as 'police', 'kin' or 'note', are the words the sentences use.)
IDS = sorted(
    {
        key
        for key in (
            *PLACEMENT_TYPES,
            *RISK_FACTORS,
            *EVENT_TYPES,
            *CLOCKS,
            *CLOCK_STATES,
            *DERIVED_LABELS,
            *(key for key, _label, _section in PACKET_FIELDS),
            *BUILTIN.factors,
            *BUILTIN.indicators,
            "labor_screen",
        )
        if "_" in key
    }
    | {"ncic", "ncmec", "signoff", "police+ncmec", "Dob"}
)
RAW = re.compile(
    r"=|\bTrue\b|\bFalse\b|\bNone\b|"
    + "|".join(rf"(?<![\w+]){re.escape(word)}(?![\w+])" for word in IDS)
)


@pytest.fixture
def built(
    make_session: Callable[..., services.Session],
) -> tuple[services.Session, casefile.Casefile]:
    # A fixed operator: the OS account's name must not reach the snapshot.
    services.add_operator(make_session(), "casefile", "supervisor", "Casefile Operator")
    session = make_session("casefile")
    return session, casefile.build(session)


def raw_data(text: str) -> list[str]:
    """The pieces of `text` that are data rather than words."""
    return RAW.findall(text)


def every_case(made: casefile.Casefile) -> tuple[int, ...]:
    return (made.missing, made.recovered, made.overridden, made.closed)


@pytest.mark.parametrize("redact", [False, True], ids=["plain", "redacted"])
def test_no_text_a_person_reads_holds_raw_data(
    built: tuple[services.Session, casefile.Casefile],
    db_path: Path,
    now: datetime,
    zone: Any,
    redact: bool,
) -> None:
    session, made = built
    kinds = {event.type for case_id in every_case(made) for event in events(session, case_id)}
    assert kinds == set(EVENT_TYPES) - {"signoff", "operator", "key"}  # every case event type
    read: dict[str, str] = {}
    for case_id in every_case(made):
        detail = services.show_case(session, case_id)
        for width in (None, 76):
            shown = detail_text(detail, now, zone, redact, 0.25, width).plain
            read[f"detail {case_id} at {width}"] = shown
        read[f"render {case_id}"] = render.case_text(detail, now, zone, redact, 60)
        flag = ["--redact"] if redact else []
        show = run_caseboard(db_path, "--tz", ZONE_NAME, *flag, "show", str(case_id))
        assert show.returncode == 0, show.stderr
        read[f"show {case_id}"] = show.stdout
        picker = [entry_label(entry, zone, redact).plain for entry in picker_entries(detail)]
        read[f"picker {case_id}"] = "\n".join(picker)
        summary = detail.summary
        read[f"alerts {case_id}"] = "\n".join(
            alert_text(alert, "A. C.") for alert in change_alerts(None, summary, now)
        )
    read["handover"] = report_markdown(ho.handover(session), zone, redact=redact)
    found = {where: raw_data(text) for where, text in read.items() if raw_data(text)}
    assert not found, found
    # The check itself catches what it is for.
    assert raw_data("sighting where=Oak; confirmed=False") == ["=", "=", "False"]
    assert raw_data("placement group_home, life_medication; police+ncmec") == [
        "group_home",
        "life_medication",
        "police+ncmec",
    ]


def test_a_correction_shows_where_the_original_stood(
    built: tuple[services.Session, casefile.Casefile], now: datetime, zone: Any
) -> None:
    session, made = built
    detail = services.show_case(session, made.missing)
    text = detail_text(detail, now, zone, False, 0.25, None)
    plain = text.plain
    entry = plain.index(f"#{made.corrected_sighting} ")
    corrected = plain[entry:].splitlines()
    # Corrected values in place (the time moved, now confirmed), then what the correction did,
    # then the original, dimmed.
    assert "2026-11-27 19:30 CST  Sighting (confirmed) at Oak Street" in corrected[0]
    assert corrected[1].strip().startswith("corrected from 19:00 by ")
    assert (
        corrected[1]
        .strip()
        .endswith(": caller rang back (#" + str(made.corrected_sighting + 1) + ")")
    )
    was = corrected[2].strip()
    assert was.startswith("was 2026-11-27 19:00 CST: Sighting (unconfirmed) at Oak Street")
    start = plain.index(was, entry)
    assert {span.style for span in text.spans if span.start <= start < span.end} == {"dim"}
    # A struck-out note stays, dimmed whole, saying who struck it and why.
    struck = plain.index(f"#{made.struck_note} ")
    assert "struck out by " in plain[struck:].splitlines()[1]
    assert ": entered on the wrong case" in plain[struck:].splitlines()[1]
    assert any(span.style == "dim" and span.start <= struck < span.end for span in text.spans)
    # It is not news any more: the latest news is the corrected sighting.
    assert "Latest news: 2026-11-27 19:30 CST Sighting (confirmed)" in plain


@pytest.mark.parametrize("width", [76, 60, 40])
def test_wrapped_timeline_lines_hang_under_their_text(
    built: tuple[services.Session, casefile.Casefile], now: datetime, zone: Any, width: int
) -> None:
    session, made = built
    detail = services.show_case(session, made.missing)
    for text in (
        detail_text(detail, now, zone, False, 0.25, width).plain,
        render.case_text(detail, now, zone, False, width),
    ):
        timeline = text[text.index("\n  #", text.index("imeline")) + 1 :].split("\n\n")[0]
        lines = timeline.splitlines()
        assert len(lines) > 20
        indent = 31 if width >= 62 else 4
        for line in lines:
            assert len(line) <= width, line
            assert line.startswith("  #") or line.startswith(" " * indent), line


def test_show_wraps_only_on_a_terminal(
    built: tuple[services.Session, casefile.Casefile], db_path: Path
) -> None:
    _session, made = built
    piped = run_caseboard(db_path, "--tz", ZONE_NAME, "show", str(made.missing)).stdout
    entry = next(line for line in piped.splitlines() if "Handover summary" in line)
    assert entry.endswith("· logged 22:00 by " + entry.rsplit(" by ", 1)[1])


def test_the_handover_reads_for_the_next_shift(
    built: tuple[services.Session, casefile.Casefile], zone: Any, snapshot: Any
) -> None:
    session, made = built
    text = report_markdown(ho.handover(session), zone)
    # An override, a clear concern at the return interview, a closure, a note, a correction.
    assert "**⚑ Clear trafficking concern at the return interview: #" in text
    assert "Tier overridden to HIGH: with a grandparent, known address (computed CRITICAL)" in text
    assert "Case closed: entered in error" in text
    assert "Note: Pick-up order requested" in text
    assert "corrected from 19:00 by " in text
    assert "  - was 2026-11-27 19:00 CST: Sighting (unconfirmed) at Oak Street" in text
    assert "wrong case" not in text  # struck out
    assert f"#{made.overridden} Cal Casefile: HIGH (override; computed CRITICAL)" in text
    # The audit head's hash covers the OS account that ran init: it differs from one machine
    # to another (tests/services/test_handover_audit_head.py checks that line).
    lines = [line for line in text.splitlines() if not line.startswith("Audit head:")]
    assert "\n".join(lines) == snapshot
