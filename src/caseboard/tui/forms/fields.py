"""Form fields: a labelled control with a hint line and an error line, and the live time field."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta, tzinfo
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Label, Select, SelectionList, Static

from caseboard.domain.display import local
from caseboard.domain.errors import BadInput
from caseboard.domain.textsafe import clean
from caseboard.domain.timefmt import span
from caseboard.domain.timeparse import date_order, parse_date, parse_time


class FormCheckbox(Checkbox, inherit_bindings=False):
    """A checkbox that toggles with space only (enter saves the form) and shows [x] / [ ] so its
    state reads without colour."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "toggle_button", "Toggle", show=False),
    ]

    def __init__(self, label: str, value: bool = False, *, disabled: bool = False) -> None:
        super().__init__(Content(label), value, compact=True, disabled=disabled)

    @property
    def _button(self) -> Content:
        return Content.styled("[x]" if self.value else "[ ]", "bold")


def text_input(value: str = "", placeholder: str = "") -> Input:
    """A one-line, borderless text input (length is checked by the services, with a message).

    A pre-filled value is stored text: it is shown made inert (clean), like everything else.
    """
    return Input(
        value=clean(value), placeholder=clean(placeholder), compact=True, select_on_focus=False
    )


def choice(options: Iterable[tuple[str, str]], value: str | None) -> Select[str]:
    """A borderless select of (label, value) pairs; labels are fixed vocabulary, never typed."""
    pairs = [(Text(label), key) for label, key in options]
    if value is None:
        return Select(pairs, compact=True, prompt="choose…")
    return Select(pairs, compact=True, allow_blank=False, value=value)


class Field(Vertical):
    """One form field: label, control, a hint line and an error line (plain text only)."""

    def __init__(self, key: str, label: str, control: Widget, *, hint: str = "") -> None:
        super().__init__(id=f"field-{key}", classes="field")
        self.key = key
        self.label = label
        self.control = control
        self.hint = hint

    def compose(self) -> ComposeResult:
        """Label and control on one row (a list gets its label above), then hint and error."""
        label = Label(Text(self.label), classes="field-label")
        if isinstance(self.control, Checkbox) or not self.label:
            yield self.control
        elif isinstance(self.control, SelectionList):
            yield label
            yield self.control
        else:
            with Horizontal(classes="field-row"):
                yield label
                yield self.control
        yield Static(Text(self.hint), classes="field-hint")
        yield Static("", classes="field-error", markup=False)

    def on_mount(self) -> None:
        """Empty hint lines take no room."""
        self.query_one(".field-hint", Static).display = bool(self.hint)
        self.query_one(".field-error", Static).display = False

    def set_hint(self, text: Text | str) -> None:
        """Replace the line under the control."""
        hint = self.query_one(".field-hint", Static)
        hint.update(text if isinstance(text, Text) else Text(text))
        hint.display = bool(str(text))

    def show_error(self, message: str | None) -> None:
        """Say what is wrong with this field (None clears it)."""
        error = self.query_one(".field-error", Static)
        error.update(Text(f"✗ {message}") if message else Text(""))
        error.display = bool(message)
        self.set_class(bool(message), "-invalid")

    @on(Input.Changed)
    def forget_error(self) -> None:
        """Typing again makes the last attempt's message stale."""
        self.show_error(None)

    @property
    def value(self) -> Any:
        """The control's value: text, a flag, a choice (None when blank) or a list."""
        control = self.control
        if isinstance(control, Input):
            return control.value
        if isinstance(control, Checkbox):
            return control.value
        if isinstance(control, Select):
            return None if control.is_blank() else control.value
        if isinstance(control, SelectionList):
            return list(control.selected)
        raise TypeError(f"unsupported control {control!r}")


class ReadingField(Field):
    """A text field that shows, below it and on every keystroke, what the typed text reads as
    (`reading`), or why it reads as nothing; a save's error replaces that line."""

    EMPTY_HINT = ""
    CANNOT_READ = "? cannot read that"

    def on_mount(self) -> None:
        """Show the prefilled value's reading at once."""
        super().on_mount()
        self.reread(self.value)

    @on(Input.Changed)
    def show_reading(self, event: Input.Changed) -> None:
        """Re-read the text on every keystroke."""
        self.reread(event.value)

    def show_error(self, message: str | None) -> None:
        """The error replaces the live reading (it usually says the same)."""
        super().show_error(message)
        if message:
            self.query_one(".field-hint", Static).display = False

    def reread(self, typed: str) -> None:
        """Show what the typed text means, or why it means nothing."""
        if not typed.strip():
            self.set_hint(self.empty_hint())
            return
        try:
            hint = self.reading(typed)
        except BadInput as exc:
            hint = f"? {clean(exc.message)}"
        except Exception:  # a preview must never end the app; saving says what is wrong
            hint = self.CANNOT_READ
        self.set_hint(Text(hint))

    def empty_hint(self) -> str:
        """What the line says while nothing is typed."""
        return self.EMPTY_HINT

    def reading(self, typed: str) -> str:
        """What `typed` reads as; raises BadInput when it reads as nothing."""
        raise NotImplementedError


class TimeField(ReadingField):
    """A time typed as people say it; the parsed time (display zone) or the error shows below."""

    CANNOT_READ = "? cannot read that time"

    def __init__(
        self,
        key: str,
        label: str,
        *,
        now: Callable[[], datetime],
        zone: tzinfo,
        max_future: timedelta,
        value: str = "",
        optional: bool = False,
        day_first: bool = False,
    ) -> None:
        placeholder = "e.g. 22:15, yesterday 10pm, 20m ago" + (", or empty" if optional else "")
        super().__init__(key, label, text_input(value, placeholder), hint=" ")
        self.now = now
        self.zone = zone
        self.max_future = max_future
        self.optional = optional
        self.day_first = day_first  # the policy's [input] day_first, as saving reads it

    def empty_hint(self) -> str:
        """Empty means now where the time may be left out."""
        return "empty: now" if self.optional else "a time is required"

    def reading(self, typed: str) -> str:
        """'→ 2026-11-27 21:40 CST (20m ago)'; raises what parsing or showing the time raises."""
        now = self.now()
        moment = parse_time(
            typed,
            now,
            self.zone,
            field=self.key,
            max_future=self.max_future,
            day_first=self.day_first,
        )
        ago = now - moment
        if abs(ago) < timedelta(minutes=1):
            when = "just now"
        else:
            when = f"{span(ago)} ago" if ago > timedelta(0) else f"in {span(ago)}"
        return f"→ {local(moment, self.zone)} ({when})"


def date_placeholder(day_first: bool, extra: str = "") -> str:
    """'YYYY-MM-DD or MM/DD/YYYY' (DD/MM/YYYY when the policy reads the day first)."""
    return f"YYYY-MM-DD or {date_order(day_first)}{extra}"


def spelled(day: date) -> str:
    """'14 March 2012': a date no one can read the wrong way round."""
    return f"{day.day} {day.strftime('%B')} {day.year}"


class DateField(ReadingField):
    """A date typed as YYYY-MM-DD or with slashes in the policy's order; as it is typed, the
    date it reads as shows below with the month spelled out (03/04 is ambiguous to a person)."""

    CANNOT_READ = "? cannot read that date"

    def __init__(
        self, key: str, label: str, *, day_first: bool, value: str = "", extra: str = ""
    ) -> None:
        placeholder = date_placeholder(day_first, extra)
        super().__init__(key, label, text_input(value, placeholder))
        self.day_first = day_first

    def reading(self, typed: str) -> str:
        """'→ 14 March 2012'."""
        return f"→ {spelled(parse_date(typed, field=self.key, day_first=self.day_first))}"
