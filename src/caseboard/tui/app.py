"""The caseboard Textual app and `run_board`, the entry point the CLI calls."""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Callable
from contextlib import suppress
from datetime import datetime
from pathlib import Path
from typing import ClassVar

from rich.console import Console
from textual import events
from textual.app import App
from textual.binding import BindingType
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.signal import Signal
from textual.worker import WorkerFailed

from caseboard import services
from caseboard.board.live import LiveBoard, LiveReader, Outcome
from caseboard.board.model import BoardModel
from caseboard.clock import system_clock
from caseboard.crashlog import EXIT_INTERNAL, crash_sentence, record_crash
from caseboard.domain.errors import NotAllowed, Unavailable
from caseboard.domain.handover import Signoff
from caseboard.domain.textsafe import clean, clean_lines
from caseboard.heap import collector_paused
from caseboard.services import access
from caseboard.services import handover as handover_service
from caseboard.tui.case_actions import unavailable_reason
from caseboard.tui.context import BoardContext, LiveState, Shared
from caseboard.tui.forms.base import FormScreen
from caseboard.tui.forms.correct import EventPicker
from caseboard.tui.handover import HandoverScreen, TextPrompt
from caseboard.tui.help import HelpScreen
from caseboard.tui.idle import IdleLimits, IdleWatch, duration_text
from caseboard.tui.keys import ACTION_KEYS, APP_KEYS
from caseboard.tui.palette import BoardCommands
from caseboard.tui.privacy import PrivacyScreen
from caseboard.tui.screen import BoardScreen
from caseboard.tui.small import TooSmallScreen, too_small
from caseboard.tui.stats import StatsScreen
from caseboard.tui.styles import CSSPath, css

TICK_S = 1.0
# Ten polls a second keep commit-to-screen latency near 50 ms; an idle poll is one
# PRAGMA data_version and one stat() of the file (benchmarks/live.py measures both).
POLL_S = 0.1


class CaseboardApp(App[None]):
    """The live board of open cases, its detail, help and palette."""

    TITLE = "caseboard"
    # board.tcss is listed here too: Textual loads a screen's CSS_PATH when the screen is pushed,
    # but not for the default screen.
    CSS_PATH: ClassVar[CSSPath | None] = css("app.tcss", "board.tcss")
    BINDINGS: ClassVar[list[BindingType]] = list(APP_KEYS)
    COMMANDS: ClassVar = {BoardCommands}

    def __init__(
        self,
        session: services.Session,
        *,
        redact: bool = False,
        clock: Callable[[], datetime] = system_clock,
        limits: IdleLimits | None = None,
        audit: Callable[[str, str], object] | None = None,
    ) -> None:
        """`limits`: when to lock and, over SSH, when to end (run_board gives the policy's;
        None never locks, as for tests that move the clock by hours); `audit(action, outcome)`
        writes the access log (default: this session's)."""
        super().__init__()
        # Textual prints an unhandled exception's traceback, with local variables (a whole
        # packet), to the terminal on exit. Ours goes to the crash log instead (_handle_exception).
        self.error_console = Console(file=io.StringIO(), markup=False, highlight=False)
        # The first unhandled exception and where its details were written.
        self.crashed: BaseException | None = None
        self.crash_log: Path | None = None
        self.session = session
        self.redact = redact
        self.clock = clock
        fraction = session.policy.due_soon_fraction
        # Read before the cases are: their escalation moments are then never computed late.
        start = clock()
        # 10,000 cases are a few hundred thousand objects: build them without the cyclic GC
        # walking them, then freeze them so later collections (on ticks) skip them too.
        with collector_paused(freeze=True):
            cases = services.read_cases(session)
            self.model = BoardModel(
                cases.summaries,
                fraction,
                redact,
                policy=session.policy,
                now=start,
                unreadable=cases.unreadable,
            )
        # What others changed since this operator last had the board open: marked "+".
        self.since_look = handover_service.changed_since_last_look(session)
        self.model.unseen = set(self.since_look.case_ids)
        signoff = handover_service.last_signoff(session)
        self.model.search = lambda text: services.search_case_ids(session, text, redact=redact)
        self.feed = LiveReader(session)
        self.live = LiveBoard(self.feed, self.model, clock, session.actor.username, redact=redact)
        self.bell_on_alert = session.policy.bell
        self._said_stale = False
        self._seen_event_id = self.feed.last_event_id
        self.idle = IdleWatch(limits or IdleLimits(None), start)
        self.audit: Callable[[str, str], object] = audit or (
            lambda action, outcome: access.record_access(session, action, outcome)
        )
        self.locked: PrivacyScreen | None = None
        # How the board ended, for the log-off entry: "ok" (quit), or why it ended itself.
        self.ended = "ok"
        # What the screens see of the app: they follow its state through these signals.
        self.live_state: Shared[LiveState] = Shared(self, "live-state", LiveState())
        self.signoff: Shared[Signoff | None] = Shared(self, "signoff", signoff)
        self.context = BoardContext(
            session=session,
            clock=clock,
            redact=redact,
            ticks=Signal(self, "tick"),
            catch_up=self.poll,
            model=self.model,
            since_look=self.since_look,
            changed=Signal(self, "board-changed"),
            live=self.live_state,
            signoff=self.signoff,
            toggle_pause=self.toggle_pause,
        )

    @property
    def stale(self) -> bool:
        """True while the database cannot be read (the board shows its last good state)."""
        return self.live.stale_since is not None

    async def on_event(self, event: events.Event) -> None:
        """Every key and click (seen here before any screen) counts as someone at the board."""
        if isinstance(event, events.Key | events.MouseDown) and not event.is_forwarded:
            self.idle.touched(self.clock())
        await super().on_event(event)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every toast (alerts, refusals, conflicts) passes here: stored text in it made inert.

        Messages are plain text, never markup: they quote what operators typed. None while
        the privacy screen is up: a toast may name a child.
        """
        if self.locked is not None:
            return
        super().notify(
            clean_lines(message),
            title=clean(title),
            severity=severity,
            timeout=timeout,
            markup=False,
        )

    def get_default_screen(self) -> Screen[None]:
        """The board."""
        return BoardScreen(self.context)

    def on_mount(self) -> None:
        """Start the tick and the poller; check the terminal size."""
        self.set_interval(TICK_S, self.tick)
        self.set_interval(POLL_S, self.poll)
        self._check_size(self.size.width, self.size.height)

    def on_resize(self, event: events.Resize) -> None:
        """Swap in the too-small message and out again as the terminal changes."""
        self._check_size(event.size.width, event.size.height)

    def _check_size(self, width: int, height: int) -> None:
        if not self.screen_stack:  # starting up or closing
            return
        small = isinstance(self.screen, TooSmallScreen)
        if too_small(width, height) and not small:
            self.push_screen(TooSmallScreen())
        elif not too_small(width, height) and small:
            self.pop_screen()

    def tick(self) -> None:
        """Every second: alert on clocks turning overdue, re-assess the cases whose escalation
        moment passed, and repaint what is visible with the new `now`; lock or end the board
        after a spell without a key."""
        self._check_idle()  # first: alerts of a tick that locks go to the privacy screen
        self._show(self.live.tick())
        self.context.ticks.publish(self.clock())  # the screen on top repaints its times

    def _check_idle(self) -> None:
        due = self.idle.due(self.clock(), locked=self.locked is not None)
        limits = self.idle.limits
        if due == "logout" and limits.logout_after is not None:
            self.ended = f"idle logout: no key for {duration_text(limits.logout_after)}"
            self.exit()
        elif due == "lock" and limits.lock_after is not None and self.screen_stack:
            self.lock(duration_text(limits.lock_after))

    def lock(self, idle: str) -> None:
        """Cover everything with the privacy screen (no names); a key brings the board back."""
        if self.locked is not None:
            return
        self.clear_notifications()  # a toast on screen may name a child
        model = self.model
        self.locked = PrivacyScreen(
            model.tier_counts,
            model.overdue_clocks,
            self.clock,
            self.session.zone,
            idle,
            self.context.ticks,
        )
        self.audit("lock", f"no key for {idle}")
        self.push_screen(self.locked, self._unlocked)

    def _unlocked(self, _: None) -> None:
        self.locked = None
        self.audit("unlock", "ok")

    def poll(self) -> None:
        """A few times a second: apply other operators' commits to the board."""
        self._show(self.live.poll())
        if self.feed.last_event_id != self._seen_event_id:
            self._seen_event_id = self.feed.last_event_id
            self._refresh_signoff()

    def _refresh_signoff(self) -> None:
        """Someone may have signed off (an event with no case): re-read the last sign-off."""
        try:
            signoff = handover_service.last_signoff(self.session)
        except Unavailable:
            return  # the stale indicator already says so
        self.signoff.set(signoff)  # the board's header follows it

    def action_handover(self) -> None:
        """The shift handover since the last sign-off (sign off from there)."""
        if not isinstance(self.screen, HandoverScreen | TextPrompt):
            self.push_screen(HandoverScreen(self.session, redact=self.redact))

    def action_stats(self) -> None:
        """Reporting compliance and shift statistics, with charts (read in a worker)."""
        if not isinstance(self.screen, StatsScreen):
            self.push_screen(StatsScreen(self.session, redact=self.redact))

    async def action_quit(self) -> None:
        """Remember what this operator has seen (for the next "+" marks), then quit."""
        self.record_look()
        await super().action_quit()

    def record_look(self) -> None:
        """Record that the board showed everything up to the last event it applied."""
        # A board that cannot write (read-only, database gone or locked) just does not record.
        with suppress(Unavailable, NotAllowed):
            handover_service.mark_looked(self.session, self.feed.last_event_id)

    def toggle_pause(self) -> None:
        """Hold live changes for reading a moving board, or apply what is held and go live."""
        if self.live.paused:
            self._show(self.live.resume())
        else:
            self.live.pause()
        self._show(Outcome())

    def _show(self, outcome: Outcome) -> None:
        """Alerts as toasts (and the bell), the stale and pause state, the changed rows.
        While locked, alerts are only counted on the privacy screen (the bell still rings)."""
        if self.locked is not None and outcome.alerts:
            self.locked.add_alerts(outcome.alerts)
        for message in outcome.messages:
            # Built from cleaned names but still typed text: never markup.
            self.notify(message, title="Alert", severity="error", markup=False, timeout=15)
        if outcome.messages and self.bell_on_alert:
            self.bell()
        if outcome.error is not None and not self._said_stale:
            # Once per outage: the header keeps saying "stale since" until reads succeed.
            self.notify(outcome.error, title="Board not updating", severity="warning", markup=False)
        self._said_stale = self.stale
        # The idle poll changes nothing: Shared.set tells the screens only of a change.
        self.live_state.set(
            LiveState(self.live.stale_since, self.live.paused, len(self.live.pending))
        )
        if outcome.applied:
            self.context.changed.publish(None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """q must not quit the board from inside a form (a checkbox or select has the focus);
        while the terminal is too small, q is the only key (a screen opened under the message
        would leave it stuck there after the resize)."""
        if self.locked is not None:
            return False  # every key goes to the privacy screen, which unlocks
        if isinstance(self.screen, TooSmallScreen):
            return action == "quit"
        return not (
            action == "quit" and isinstance(self.screen, FormScreen | EventPicker | TextPrompt)
        )

    def action_help(self) -> None:
        """Every key."""
        unavailable = {
            binding.action: why
            for binding in ACTION_KEYS
            if (why := unavailable_reason(self.session, binding.action)) is not None
        }
        self.push_screen(HelpScreen(unavailable))

    def _handle_exception(self, error: Exception) -> None:
        """Textual's one door for an unhandled exception (handlers, timers, workers, screens):
        write it to the crash log first, then let Textual close the app (and re-raise it in
        run_test)."""
        if self.crashed is None:
            cause = error.error if isinstance(error, WorkerFailed) else error
            self.crashed = cause
            self.crash_log = record_crash(cause, redact=self.redact, where="board")
        super()._handle_exception(error)


def run_board(
    session: services.Session,
    *,
    redact: bool = False,
    clock: Callable[[], datetime],
    limits: IdleLimits,
    audit: Callable[[str, str], object] | None = None,
) -> tuple[int, str]:
    """Run the board full screen until the operator quits (or it ends itself: see `limits`);
    the exit status (70 if it failed, after saying where the crash log is: Textual has
    restored the terminal by then) and how it ended, for the log-off entry."""
    # Textual sizes the screen with shutil.get_terminal_size(), which believes COLUMNS and LINES
    # when they are exported; a shell or wrapper that exports them would freeze the board at
    # that size and hide every resize. The board must follow the real terminal.
    for name in ("COLUMNS", "LINES"):
        os.environ.pop(name, None)
    app = CaseboardApp(session, redact=redact, clock=clock, limits=limits, audit=audit)
    app.run()
    if app.crashed is None and not app.return_code:
        return 0, app.ended
    crashed = app.crashed or RuntimeError(f"the board ended with status {app.return_code}")
    what = "the board stopped on an internal error"
    sys.stderr.write(crash_sentence(crashed, app.crash_log, redact=redact, what=what) + "\n")
    return EXIT_INTERNAL, f"exit {EXIT_INTERNAL}: internal error"
