"""The shift handover screen: the report for a window, scrollable, with sign-off and a typed
window start. Every value shown passes through the domain's Markdown view (which cleans typed
text) and reaches the screen as a literal rich Text, never as markup."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import ClassVar, Generic, TypeVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Input, Static

from caseboard import services
from caseboard.domain.errors import CaseboardError
from caseboard.domain.handover import Report
from caseboard.domain.handover_view import report_markdown
from caseboard.domain.textsafe import clean
from caseboard.domain.timefmt import to_iso
from caseboard.heap import collector_paused
from caseboard.services import handover as handover_service
from caseboard.tui.keys import HANDOVER_KEYS, PROMPT_KEYS
from caseboard.tui.longtext import Line, LongText, wrap_lines
from caseboard.tui.scrolling import ScrollActions
from caseboard.tui.styles import CSSPath, css

T = TypeVar("T")
LOADING = "reading the handover report…"


def report_lines(report: Report, zone: tzinfo, redact: bool) -> list[Line]:
    """The Markdown report as plain lines, headings marked (shown bold, without their #)."""
    return [
        # Only the heading marks go: "### #12 Ava" is case #12.
        (line.lstrip("#").lstrip(" "), True) if line.startswith("#") else (line, False)
        for line in report_markdown(report, zone, redact=redact).splitlines()
    ]


class TextPrompt(ModalScreen[T | None], Generic[T]):
    """One line of typed text; `act` runs on enter and its errors show in place, keeping the
    text. Dismisses with what `act` returned, or None on escape."""

    CSS_PATH: ClassVar[CSSPath | None] = css("handover.tcss")
    BINDINGS: ClassVar[list[BindingType]] = list(PROMPT_KEYS)

    def __init__(
        self, title: str, hint: str, act: Callable[[str], T], *, redact: bool = False
    ) -> None:
        super().__init__()
        self.title_text = title
        self.hint = hint
        self.act = act
        self.redact = redact

    def compose(self) -> ComposeResult:
        """Title, input, hint and the error line."""
        with Vertical(id="prompt-box"):
            yield Static(Text(self.title_text, style="bold"), id="prompt-title")
            yield Input(placeholder=self.hint, id="prompt-input")
            yield Static(Text("enter: save · esc: cancel"), id="prompt-hint")
            yield Static(Text(""), id="prompt-error")
        yield Footer()

    @on(Input.Submitted)
    def submit(self, event: Input.Submitted) -> None:
        """Run the action; show its error and stay, or close with its result."""
        try:
            result = self.act(event.value)
        except CaseboardError as exc:
            said = exc.shown(self.redact)
            self.query_one("#prompt-error", Static).update(Text(said))
            return
        self.dismiss(result)

    def action_cancel(self) -> None:
        """Close without doing anything."""
        self.dismiss(None)


def read_report(session: services.Session, since: str | None) -> Report:
    """The handover report on a connection of its own: it runs in a worker thread, and an
    SQLite connection belongs to the thread that opened it."""
    own = services.open_session(
        session.path, session.actor, session.policy, session.zone, session.clock
    )
    try:
        return handover_service.handover(own, since=since)
    finally:
        own.db.conn.close()


@dataclass
class Reading:
    """One read of the report in a worker: its outcome once `done` is set."""

    since: str | None
    done: threading.Event = field(default_factory=threading.Event)
    report: Report | None = None
    lines: list[Line] = field(default_factory=list)
    wrapped: tuple[int, list[Line]] = (0, [])  # the lines wrapped to a width, and that width
    error: CaseboardError | None = None


class HandoverScreen(ScrollActions, Screen[None]):
    """The handover for a window: since the last sign-off unless a start is typed. The report
    is read in a worker thread (up to a second at scale) while the board stays live."""

    class ReportRead(Message):
        """A worker finished reading the report (posted from its thread)."""

        def __init__(self, reading: Reading) -> None:
            super().__init__()
            self.reading = reading

    CSS_PATH: ClassVar[CSSPath | None] = css("handover.tcss")
    BINDINGS: ClassVar[list[BindingType]] = list(HANDOVER_KEYS)

    def __init__(self, session: services.Session, *, redact: bool = False) -> None:
        super().__init__()
        self.session = session
        self.redact = redact
        self.since: str | None = None
        self.report: Report | None = None
        self.reading: Reading | None = None  # the latest read asked for

    def compose(self) -> ComposeResult:
        """A loading line (shown only while a slow read runs), the report in a scroller, and
        the footer."""
        loading = Static(Text(LOADING), id="handover-loading")
        loading.display = False
        yield loading
        yield LongText(id="handover-body")
        yield Footer()

    def on_mount(self) -> None:
        """Read the report and focus the scroller so the keys scroll it."""
        self.refresh_report()
        self._scroller().focus()

    @property
    def is_reading(self) -> bool:
        """True while the latest read has not been shown yet."""
        return self.reading is not None

    def refresh_report(self) -> None:
        """Read the report for the current window again, in a worker; until it arrives the
        report read last stays on screen under a loading line."""
        reading = Reading(self.since)
        self.reading = reading
        view = self._scroller()
        # No wait for it here, not even a frame's: any wait is a frame the board cannot draw.
        self.query_one("#handover-loading", Static).display = True
        self.run_worker(lambda: self._read(reading, view), thread=True, group="handover-read")

    def _read(self, reading: Reading, view: LongText) -> None:
        """The worker: read, lay out and wrap (at 10,000 cases a second, most of a second and
        a tenth), then tell the screen; an error other than a refusal ends in the crash log."""
        try:
            # A collection holds the GIL: run in this thread over the hundreds of thousands of
            # objects a big report is made of, it stopped the board for 20-30 ms at a time.
            # Frozen afterwards, they are not walked by later collections either.
            with collector_paused(freeze=True):
                report = read_report(self.session, reading.since)
                reading.lines = report_lines(report, self.session.zone, self.redact)
                # The view's width read from this thread: a number; if the view was resized
                # meanwhile, the screen wraps again itself.
                width = view.text_width
                reading.wrapped = (width, wrap_lines(reading.lines, width) if width > 0 else [])
            reading.report = report
        except CaseboardError as exc:
            reading.error = exc
        finally:
            reading.done.set()
        self.post_message(self.ReportRead(reading))

    @on(ReportRead)
    def _arrived(self, message: ReportRead) -> None:
        self._shown(message.reading)

    def _shown(self, reading: Reading) -> None:
        """Show the outcome of the latest read once (an older read's is dropped)."""
        if reading is not self.reading:
            return
        self.reading = None
        self.query_one("#handover-loading", Static).display = False
        if reading.error is not None:  # a database error is said, not raised
            said = reading.error.shown(self.redact)
            self.notify(said, title="Handover not read", severity="error", markup=False)
            return
        if reading.report is None:  # the read failed: the worker's error ends the board
            return
        self.report = reading.report
        self._scroller().show(reading.lines, wrapped=reading.wrapped)

    def _window_from(self, text: str) -> str:
        """Check a typed window start by resolving it once ('8h ago' must not slide on each
        refresh): the exact moment is kept. Empty means since the last sign-off."""
        typed = text.strip() or None
        window, _ = handover_service.resolve_window(self.session, since=typed)
        return to_iso(window.since) if typed else ""

    def action_window(self) -> None:
        """Ask for a new window start (a typed time; empty: since the last sign-off)."""

        def done(result: str | None) -> None:
            if result is None:
                return
            self.since = result or None
            self.refresh_report()
            self._scroller().scroll_home(animate=False)

        prompt = TextPrompt(
            "Handover window starts after",
            "e.g. 19:00, 'yesterday 22:00', '8h ago'; empty: the last sign-off",
            self._window_from,
            redact=self.redact,
        )
        self.app.push_screen(prompt, done)

    def action_sign_off(self) -> None:
        """Sign off this handover with an optional note; the window then starts there."""

        def sign(note: str) -> int:
            # The report on screen is what was reviewed: the next window starts where it ends.
            return handover_service.sign_off(self.session, note or None, reviewed=self.report)

        def done(result: int | None) -> None:
            if result is None:
                return
            self.since = None
            self.refresh_report()
            who = clean(self.session.actor.username)
            self.notify(f"handover signed off by {who} (event {result})", markup=False)

        prompt = TextPrompt("Sign off the handover", "note (optional)", sign, redact=self.redact)
        self.app.push_screen(prompt, done)

    def action_refresh(self) -> None:
        """Read the report again (new events, clocks at the new now)."""
        self.refresh_report()

    def action_back(self) -> None:
        """Back to where the handover was opened from."""
        self.dismiss(None)

    def _scroller(self) -> LongText:
        return self.query_one("#handover-body", LongText)

    @property
    def window_since(self) -> datetime | None:
        """Where the shown window starts (for tests and the header)."""
        return None if self.report is None else self.report.window.since
