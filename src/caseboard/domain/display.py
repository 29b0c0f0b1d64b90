"""Short, plain-text renderings of clocks and times shared by the CLI and the board."""

from __future__ import annotations

import unicodedata
from datetime import datetime, timedelta, tzinfo

from caseboard.domain.clocks import Clock
from caseboard.domain.redaction import clock_ref
from caseboard.domain.textsafe import clean
from caseboard.domain.timefmt import span

CLOCK_TITLES = {
    "police": "Police report",
    "ncmec": "NCMEC report",
    "ncic": "NCIC entry",
    "no_news": "No news",
    "recovery_notice": "Recovery notices",
    "return_interview": "Return interview",
}

# The recovery-notice clock's references are the program's own shorthand (kept as they are in
# JSON); a person reads words.
NOTICE_REFS = {
    "police+ncmec": "police and NCMEC told",
    "police told": "police told",
    "ncmec told": "NCMEC told",
}


def clock_cell(clock: Clock, now: datetime, redact: bool = False) -> str:
    """A clock in a few characters: '✓ 24-0012', 'due 5h', 'soon 40m', 'OVERDUE 3h', '—'.

    With `redact` a report number is hidden (clock_ref): '✓ [redacted]'.
    """
    if clock.state == "done":
        ref = clock_ref(clock.name, clock.ref, redact)
        if clock.name == "recovery_notice" and ref is not None:
            ref = NOTICE_REFS.get(ref, ref)
        return f"✓ {clean(ref)}" if ref else "✓"
    if clock.state == "not_started" or clock.due_at is None:
        return "—"
    left = clock.due_at - now
    if clock.state == "overdue":
        return f"OVERDUE {span(-left)}" if left < timedelta(0) else "OVERDUE"
    prefix = "soon" if clock.state == "due_soon" else "due"
    return f"{prefix} {span(left)}"


def ago(moment: datetime | None, now: datetime) -> str:
    """'5h ago', 'just now', or '—'."""
    if moment is None:
        return "—"
    delta = now - moment
    if delta < timedelta(minutes=1):
        return "just now"
    return f"{span(delta)} ago"


def local(moment: datetime | None, zone: tzinfo, *, with_date: bool = True) -> str:
    """A time in the display zone: '2026-11-27 22:15 CST' (or '22:15')."""
    if moment is None:
        return "—"
    shown = moment.astimezone(zone)
    if not with_date:
        return shown.strftime("%H:%M")
    # isoformat is twice as fast as strftime, and a handover formats tens of thousands of times.
    minute, name = shown.isoformat(" ", "minutes")[:16], shown.tzname()
    return f"{minute} {name}" if name else minute


def percent(share: float) -> str:
    """0.8 -> '80%'."""
    return f"{round(share * 100):d}%"


def cells(text: str) -> int:
    """How many terminal cells cleaned text takes (wide East Asian characters take two)."""
    if text.isascii():
        return len(text)
    return sum(
        0 if unicodedata.combining(char) else 2 if unicodedata.east_asian_width(char) in "WF" else 1
        for char in text
    )


def hanging(head: str, body: str, width: int | None) -> list[str]:
    """`head` then `body`, wrapped at spaces to `width` cells, continuation lines indented to
    where the body began (a hanging indent); no wrapping when `width` is None."""
    if width is None or cells(head) + cells(body) <= width:
        return [head + body]
    indent = cells(head) if cells(head) * 2 <= width else 4
    lines: list[str] = []
    line, used, words = head, cells(head), 0
    for word in body.split(" "):
        gap = 1 if words else 0
        if words and used + gap + cells(word) > width:
            lines.append(line)
            line, used, words, gap = " " * indent, indent, 0, 0
        line, used, words = line + " " * gap + word, used + gap + cells(word), words + 1
    lines.append(line)
    return lines
