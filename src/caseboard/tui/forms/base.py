"""The shared form dialog: fields in a scroll, save/cancel, and service errors shown in place."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Footer, Input, Static

from caseboard import services
from caseboard.crashlog import record_crash
from caseboard.domain.errors import BadInput, CaseboardError, Conflict, NotAllowed
from caseboard.domain.textsafe import clean, clean_lines, initials
from caseboard.services.actions import Recorded
from caseboard.tui.context import Context
from caseboard.tui.forms.discard import DiscardQuestion
from caseboard.tui.forms.fields import Field, TimeField
from caseboard.tui.keys import FORM_KEYS
from caseboard.tui.styles import CSSPath, css


@dataclass(frozen=True)
class Saved:
    """What a form wrote: the case, a one-line summary, and the services' warnings."""

    case_id: int
    summary: str
    warnings: tuple[str, ...] = ()


def saved(summary: str, records: Iterable[Recorded]) -> Saved:
    """A Saved from the services' Recorded outcomes (all of one case)."""
    records = list(records)
    warnings = tuple(warning for record in records for warning in record.warnings)
    return Saved(records[0].case_id, summary, warnings)


def blank(value: Any) -> bool:
    """An empty field: no text, no choice, nothing ticked."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list | tuple):
        return not value
    return False


def subject(detail: services.CaseDetail | None, redact: bool) -> str:
    """'case 12: Jordan Avery' (initials when redacting), cleaned for display."""
    if detail is None:
        return "new case"
    name = detail.summary.child.name
    return f"case {detail.summary.case_id}: {initials(name) if redact else clean(name)}"


class FormScreen(ModalScreen[Saved | None]):
    """A dialog of fields; `save()` calls one service and raises its errors, shown in place."""

    CSS_PATH: ClassVar[CSSPath | None] = css("forms.tcss")
    BINDINGS: ClassVar[list[BindingType]] = list(FORM_KEYS)
    FORM_TITLE: ClassVar[str] = "Form"
    # Service field names that differ from this form's field keys.
    ALIASES: ClassVar[dict[str, str]] = {}
    # Fields the service requires: checked before saving, every empty one named at once.
    REQUIRED: ClassVar[tuple[str, ...]] = ()
    # Groups of fields where one is enough (intake: date of birth or age); the first is marked.
    REQUIRED_ONE_OF: ClassVar[tuple[tuple[str, ...], ...]] = ()

    def __init__(self, context: Context, detail: services.CaseDetail | None) -> None:
        super().__init__()
        self.context = context
        self.session = context.session
        self.redact = context.redact
        self.detail = detail

    @property
    def case_id(self) -> int:
        """The case this form acts on."""
        assert self.detail is not None
        return self.detail.summary.case_id

    def compose(self) -> ComposeResult:
        """Title, the fields in a scroll, a message line, the buttons and a key reminder."""
        with Vertical(id="form-box"):
            yield Static(
                Text(f"{self.FORM_TITLE} — {subject(self.detail, self.redact)}"), id="form-title"
            )
            # Not a tab stop of its own: tab goes field to field, and the form scrolls to the
            # focused one (a focusable scroll also restyled every field each time it took or
            # lost focus, on opening every form).
            with VerticalScroll(id="form-body", can_focus=False):
                yield from self.fields()
            yield Static("", id="form-error", markup=False)
            with Horizontal(id="form-buttons"):
                yield Button("Save", id="form-save", variant="primary", compact=True)
                yield Button("Cancel", id="form-cancel", compact=True)
            yield Static(
                Text("enter saves · esc cancels · tab / shift+tab next / previous field"),
                id="form-keys",
            )
        # The form's own keys, over the board's footer (which would otherwise show through).
        yield Footer()

    def fields(self) -> Iterable[Widget]:
        """The form's fields (subclasses)."""
        return ()

    def save(self) -> Saved:
        """Call the service; raise its BadInput / Conflict / NotAllowed unchanged (subclasses)."""
        raise NotImplementedError

    def on_mount(self) -> None:
        """Start in the first field; hide the empty message line; remember what each field
        opened with (esc asks before discarding anything typed since)."""
        self.query_one("#form-error", Static).display = False
        self._opened_with = {field.key: field.value for field in self.query(Field)}
        for field in self.query(Field):
            if not field.control.disabled:
                field.control.focus()
                break

    # --- reading fields -------------------------------------------------------------------

    def field(self, key: str) -> Field:
        """A field by key."""
        return self.query_one(f"#field-{key}", Field)

    def value(self, key: str) -> Any:
        """A field's current value."""
        return self.field(key).value

    def values(self, *keys: str) -> dict[str, Any]:
        """Several fields' values, by key."""
        return {key: self.value(key) for key in keys}

    def time_field(self, key: str, label: str, value: str = "", optional: bool = False) -> Field:
        """A time field reading in the session's zone at the app's clock."""
        session = self.session
        return TimeField(
            key,
            label,
            now=session.now,
            zone=session.zone,
            max_future=session.policy.max_future,
            value=value,
            optional=optional,
            day_first=session.policy.day_first,
        )

    # --- saving ---------------------------------------------------------------------------

    def action_submit(self) -> None:
        """Save through the service; on any refusal keep the form open with everything typed."""
        self.clear_errors()
        if self.show_empty_required():
            return
        try:
            result = self.save()
        except BadInput as exc:
            self.show_bad_input(exc)
        except (Conflict, NotAllowed) as exc:
            # A conflict quotes stored places and reasons: redacted and made inert (shown()).
            said = exc.shown(self.redact)
            self.show_message(said)
            self.notify(said, title="Not saved", severity="error", markup=False, timeout=15)
        except CaseboardError as exc:
            said = exc.shown(self.redact)
            self.show_message(said)
            self.notify(said, title="Not saved", severity="error", markup=False)
        except Exception as exc:  # a bug met by some input: the form, and the board, stay up
            self.show_internal_error(exc)
        else:
            self.dismiss(result)

    def typed_something(self) -> bool:
        """True when a field holds something other than what the form opened with."""
        opened = getattr(self, "_opened_with", None)
        if opened is None:
            return False
        return any(field.value != opened.get(field.key) for field in self.query(Field))

    def action_cancel(self) -> None:
        """Close without writing anything; if something was typed, ask first."""
        if not self.typed_something():
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(DiscardQuestion(), answered)

    @on(Input.Submitted)
    def submit_from_input(self, event: Input.Submitted) -> None:
        """Enter in a text field saves."""
        event.stop()
        self.action_submit()

    @on(Button.Pressed, "#form-save")
    def submit_from_button(self) -> None:
        """The Save button."""
        self.action_submit()

    @on(Button.Pressed, "#form-cancel")
    def cancel_from_button(self) -> None:
        """The Cancel button."""
        self.action_cancel()

    # --- errors ---------------------------------------------------------------------------

    def clear_errors(self) -> None:
        """Forget the previous attempt's messages."""
        for field in self.query(Field):
            field.show_error(None)
        self.show_message(None)

    def show_message(self, message: str | None) -> None:
        """A message for the whole form (plain text)."""
        line = self.query_one("#form-error", Static)
        line.update(Text(f"✗ {clean_lines(message)}") if message else Text(""))
        line.display = bool(message)

    def show_internal_error(self, exc: Exception) -> None:
        """Say that nothing was saved and where the details are; everything typed stays."""
        log = record_crash(exc, redact=self.redact, where=f"form: {self.FORM_TITLE}")
        where = f"details in {log}" if log is not None else "no crash log could be written"
        message = (
            f"Not saved: an internal error ({type(exc).__name__}). What you typed is kept; {where}."
        )
        self.show_message(message)
        self.notify(message, title="Not saved", severity="error", markup=False, timeout=15)

    def field_for(self, name: str) -> Field | None:
        """The field a service's BadInput.field names ('at', '.where', '--reason'), if shown."""
        key = name.lstrip(".-").replace("-", "_")
        key = self.ALIASES.get(key, key)
        found = self.query(f"#field-{key}")
        return found.first(Field) if found else None

    def _shown_field(self, key: str) -> Field | None:
        found = self.query(f"#field-{key}")
        field = found.first(Field) if found else None
        return field if field is not None and field.display else None

    def empty_required(self) -> list[tuple[Field, str]]:
        """The required fields left empty, in form order, with what to say under each."""
        empty: list[tuple[Field, str]] = []
        for key in self.REQUIRED:
            field = self._shown_field(key)
            if field is not None and blank(field.value):
                empty.append((field, "is required"))
        for keys in self.REQUIRED_ONE_OF:
            fields = [field for key in keys if (field := self._shown_field(key)) is not None]
            if fields and all(blank(field.value) for field in fields):
                others = " or ".join(
                    field.label.split(" (")[0].rstrip(" *").lower() for field in fields[1:]
                )
                empty.append((fields[0], f"is required (or {others})" if others else "is required"))
        order = {field.key: n for n, field in enumerate(self.query(Field))}
        return sorted(empty, key=lambda pair: order.get(pair[0].key, 0))

    def show_empty_required(self) -> bool:
        """Say 'is required' under every empty required field; True when any was (no save)."""
        empty = self.empty_required()
        if not empty:
            return False
        for field, message in empty:
            field.show_error(message)
        names = ", ".join(field.label.split(" *")[0] or field.key for field, _ in empty)
        self.show_message(f"Not saved: required, still empty: {names}.")
        first = empty[0][0]
        first.control.focus()
        first.scroll_visible(animate=False)
        return True

    def show_bad_input(self, exc: BadInput) -> None:
        """Put the message under the field it names and focus that field."""
        field = self.field_for(exc.field)
        if field is None:
            self.show_message(str(exc))
            return
        field.show_error(exc.message)
        field.control.focus()
        field.scroll_visible(animate=False)
