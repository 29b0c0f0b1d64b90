"""The case actions (n s t r c u i a f o x m d e) shared by the board and detail screens."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.screen import Screen

from caseboard import services
from caseboard.crashlog import record_crash
from caseboard.domain.errors import CaseboardError
from caseboard.domain.roles import Action
from caseboard.tui.context import Context
from caseboard.tui.forms.base import FormScreen, Saved
from caseboard.tui.forms.closing import CloseForm, NoteForm
from caseboard.tui.forms.confirm import ConfirmForm
from caseboard.tui.forms.correct import CorrectForm, EventPicker, correctable
from caseboard.tui.forms.followup import InterviewForm, NoticeForm
from caseboard.tui.forms.handover_note import HandoverNoteForm
from caseboard.tui.forms.intake import IntakeForm
from caseboard.tui.forms.news import ContactForm, RecoveryForm, SightingForm
from caseboard.tui.forms.packet import PacketForm
from caseboard.tui.forms.risk import OverrideForm, RiskForm
from caseboard.tui.keys import ACTION_KEYS, PAPER_KEYS, described

FormFactory = Callable[[Context, services.CaseDetail], FormScreen]

# The right (an Action of the role rules) each case action needs. Confirming asks for the least
# of its reports (police, NCIC); the service refuses an NCMEC confirmation to a liaison on save.
ACTION_RIGHTS: dict[str, Action] = {
    "new_case": Action.INTAKE,
    "sighting": Action.SIGHTING,
    "contact": Action.CONTACT,
    "recovery": Action.RECOVERY,
    "confirm": Action.CONFIRM_POLICE,
    "notices": Action.NOTIFY,
    "interview": Action.INTERVIEW,
    "note": Action.NOTE,
    "risk": Action.RISK,
    "override": Action.OVERRIDE,
    "close_case": Action.CLOSE,
    "correct": Action.CORRECT,
    "handover_note": Action.HANDOVER_NOTE,
    "packet": Action.PACKET,
    "attach_photo": Action.PHOTO,
}

_LABELS = {binding.action: described(binding) for binding in (*ACTION_KEYS, *PAPER_KEYS)}


def _roles_text(roles: tuple[str, ...]) -> str:
    ordered = [role for role in ("supervisor", "dispatcher", "liaison") if role in roles]
    if len(ordered) == 1:
        return f"a {ordered[0]}"
    return "a " + ", ".join(ordered[:-1]) + f" or {ordered[-1]}"


def unavailable_reason(session: services.Session, action: str) -> str | None:
    """Why this operator may not run a case action (its role, or --readonly); None when they may."""
    right = ACTION_RIGHTS.get(action)
    if right is None:
        return None
    label = _LABELS.get(action, action)
    if session.actor.readonly:
        return f"{label}: not available in read-only mode (--readonly)."
    roles = services.ROLES_FOR.get(right, services.SUPERVISOR)
    if session.role in roles:
        return None
    you = f"you are a {session.role}" if session.role else "you are not an active operator"
    return f"{label} needs {_roles_text(roles)}; {you}."


class CaseActionsScreen(Screen[None]):
    """A screen showing one current case; opens the action forms on it and shows the outcome."""

    BINDINGS: ClassVar[list[BindingType]] = list(ACTION_KEYS)
    # The case-action keys this screen binds: one the operator may not use says why.
    CASE_ACTION_KEYS: ClassVar[tuple[Binding, ...]] = ACTION_KEYS

    def __init__(self, context: Context) -> None:
        super().__init__()
        self.context = context

    def current_case(self) -> int | None:
        """The case the actions apply to (the board's cursor, the detail's case)."""
        raise NotImplementedError

    def after_save(self, saved: Saved) -> None:
        """Hook for the screen to show the change (the board follows its case by itself)."""

    # --- what this operator may do ---------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """An action the role (or --readonly) does not allow shows disabled (footer, palette)."""
        if unavailable_reason(self.context.session, action) is not None:
            return None
        return True

    def on_key(self, event: events.Key) -> None:
        """A disabled action's key says why instead of doing nothing (no form opens)."""
        for binding in self.CASE_ACTION_KEYS:
            if event.key in binding.key.split(","):
                reason = unavailable_reason(self.context.session, binding.action)
                if reason is not None:
                    event.stop()
                    event.prevent_default()
                    self.notify(reason, title="Not available", severity="warning", markup=False)
                return

    # --- opening forms ----------------------------------------------------------------------

    def _case_detail(self) -> services.CaseDetail | None:
        case_id = self.current_case()
        if case_id is None:
            self.notify("No case selected.", severity="warning")
            return None
        try:
            return services.show_case(self.context.session, case_id)
        except CaseboardError as exc:
            self.notify(exc.shown(self.context.redact), severity="error", markup=False)
            return None

    def open_form(self, factory: FormFactory) -> None:
        """Read the case fresh and open a form on it."""
        detail = self._case_detail()
        if detail is not None:
            self.app.push_screen(factory(self.context, detail), self._saved)

    def _saved(self, result: Saved | None) -> None:
        """Show the change at once: poll the live feed (it sees our own commit), then say so."""
        if result is None:
            return
        try:
            self.context.catch_up()
            self.after_save(result)
        except CaseboardError as exc:  # saved; only showing it failed (e.g. a locked database)
            self.notify(str(exc), title="Saved, not shown yet", severity="warning", markup=False)
        except Exception as exc:  # saved; a bug in showing it must not end the board
            log = record_crash(exc, redact=self.context.redact, where="showing a save")
            where = f"details in {log}" if log is not None else "no crash log could be written"
            message = f"Saved, but not shown: an internal error ({type(exc).__name__}); {where}."
            self.notify(message, title="Saved", severity="error", markup=False, timeout=15)
        self.notify(f"Case {result.case_id}: {result.summary}.", markup=False)
        for warning in result.warnings:
            self.notify(warning, title="Warning", severity="warning", markup=False, timeout=20)

    # --- actions ----------------------------------------------------------------------------

    def action_new_case(self) -> None:
        """Open a new case (intake)."""
        self.app.push_screen(IntakeForm(self.context), self._saved)

    def action_sighting(self) -> None:
        """Log a sighting."""
        self.open_form(SightingForm)

    def action_contact(self) -> None:
        """Log contact with the child."""
        self.open_form(ContactForm)

    def action_recovery(self) -> None:
        """Record the recovery."""
        self.open_form(RecoveryForm)

    def action_confirm(self) -> None:
        """Confirm the police report, NCIC entry or NCMEC report."""
        self.open_form(ConfirmForm)

    def action_notices(self) -> None:
        """Record that police / NCMEC were told of the recovery."""
        self.open_form(NoticeForm)

    def action_interview(self) -> None:
        """Record the return interview."""
        self.open_form(InterviewForm)

    def action_note(self) -> None:
        """Add a note."""
        self.open_form(NoteForm)

    def action_risk(self) -> None:
        """Tick or untick risk factors."""
        self.open_form(RiskForm)

    def action_override(self) -> None:
        """Override the tier (supervisors)."""
        self.open_form(OverrideForm)

    def action_close_case(self) -> None:
        """Close the case."""
        self.open_form(CloseForm)

    def action_handover_note(self) -> None:
        """Set the case's handover summary and contingency."""
        self.open_form(HandoverNoteForm)

    def action_packet(self) -> None:
        """Add or change the packet's fields (caseworker, description, destinations…)."""
        self.open_form(PacketForm)

    def action_correct(self) -> None:
        """Pick an earlier event, then correct or strike it."""
        if self.context.redact:
            # The correction form shows the event's typed values (places, names) to edit them.
            self.notify(
                "Corrections show what was typed (names, places): not available with --redact.",
                severity="warning",
                markup=False,
            )
            return
        detail = self._case_detail()
        if detail is None:
            return
        events = {event.id: event for event in correctable(detail)}
        context = self.context

        def chosen(event_id: int | None) -> None:
            if event_id is not None and event_id in events:
                self.app.push_screen(CorrectForm(context, detail, events[event_id]), self._saved)

        self.app.push_screen(EventPicker(detail, context.session.zone, context.redact), chosen)
