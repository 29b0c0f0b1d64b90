"""Correct an earlier event: pick it from the timeline, edit its fields or strike it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from caseboard import services
from caseboard.domain.describe import Entry, describe, timeline
from caseboard.domain.display import local
from caseboard.domain.model import Event, effective
from caseboard.domain.textsafe import clean
from caseboard.domain.timefmt import from_iso
from caseboard.domain.vocab import PLACEMENT_TYPES, SCREEN_RESULTS
from caseboard.services.actions import CORRECTABLE, correct_event
from caseboard.tui.context import Context
from caseboard.tui.forms.base import FormScreen, Saved, saved, subject
from caseboard.tui.forms.fields import Field, FormCheckbox, choice, text_input
from caseboard.tui.keys import FORM_KEYS
from caseboard.tui.styles import CSSPath, css

TIME_KEYS = ("at", "learned_at", "last_seen_at")
FLAG_KEYS = ("confirmed", "police_told")
LABELS = {"at": "When", "last_seen_where": "Last seen where", "placed": "Placed where"}


def correctable(detail: services.CaseDetail) -> list[Event]:
    """The case's events as they stand now (corrections applied, struck ones gone), newest first."""
    kept = [event for event in effective(detail.events) if event.type in CORRECTABLE]
    return sorted(kept, key=lambda event: event.id, reverse=True)


def picker_entries(detail: services.CaseDetail) -> list[Entry]:
    """What the picker lists: every correctable event as the timeline shows it (corrections
    applied, struck ones kept and marked), newest first."""
    kept = [entry for entry in timeline(detail.events) if entry.event.type in CORRECTABLE]
    return sorted(kept, key=lambda entry: entry.event.id, reverse=True)


def entry_label(entry: Entry, zone: Any, redact: bool = False) -> Text:
    """An entry's line in the picker, in the timeline's words: the event as it stands now,
    '(corrected)' after one a correction changed, '[struck out]' before one struck out."""
    event = entry.event
    words = describe(event, redact=redact)
    if entry.struck:
        words = f"[struck out] {words}"
    elif entry.revisions:
        words = f"{words} (corrected)"
    line = f"#{event.id:<5} {local(event.occurred_at, zone)}  {words}"
    label = Text(line[:200], no_wrap=True, overflow="ellipsis")
    if entry.struck:
        label.stylize("dim strike")
    return label


class EventPicker(ModalScreen[int | None]):
    """e: choose the event to correct with the arrows; enter picks it, esc cancels."""

    CSS_PATH: ClassVar[CSSPath | None] = css("forms.tcss")
    BINDINGS: ClassVar[list[BindingType]] = list(FORM_KEYS)

    def __init__(self, detail: services.CaseDetail, zone: Any, redact: bool) -> None:
        super().__init__()
        self.detail = detail
        self.zone = zone
        self.redact = redact

    def compose(self) -> ComposeResult:
        """A title and the list."""
        entries = picker_entries(self.detail)
        with Vertical(id="picker-box"):
            title = f"Correct an event — {subject(self.detail, self.redact)}"
            yield Static(Text(title), id="picker-title")
            # A struck event is listed (it is in the timeline) but cannot be corrected again.
            yield OptionList(
                *[
                    Option(
                        entry_label(entry, self.zone, self.redact),
                        id=str(entry.event.id),
                        disabled=entry.struck,
                    )
                    for entry in entries
                ],
                id="picker-list",
            )
            yield Static(Text("↑/↓ choose · enter correct it · esc cancel"), id="picker-keys")
        yield Footer()

    def action_submit(self) -> None:
        """Pick the highlighted event."""
        options = self.query_one(OptionList)
        if options.highlighted is not None:
            option = options.get_option_at_index(options.highlighted)
            if not option.disabled:
                self.dismiss(int(option.id or 0))

    def action_cancel(self) -> None:
        """Back without choosing."""
        self.dismiss(None)

    @on(OptionList.OptionSelected)
    def picked(self, event: OptionList.OptionSelected) -> None:
        """Enter (or a click) on an event."""
        self.dismiss(int(event.option.id or 0))


def _typed(moment: datetime, zone: Any) -> str:
    """A time as an operator would type it back: '2026-11-27 22:15' in the display zone."""
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M")


def _prefill(event: Event, key: str, zone: Any) -> Any:
    if key == "at" or (key == "learned_at" and event.type == "intake"):
        return _typed(event.occurred_at, zone)
    value = event.data.get(key)
    if key == "last_seen_at" and isinstance(value, str):
        return _typed(from_iso(value), zone)
    if key in FLAG_KEYS:
        return bool(value)
    return None if value is None and key in ("screen", "placement_type") else str(value or "")


class CorrectForm(FormScreen):
    """The chosen event's correctable fields, prefilled; only changed fields are sent."""

    FORM_TITLE: ClassVar[str] = "Correct"

    def __init__(self, context: Context, detail: services.CaseDetail, event: Event):
        super().__init__(context, detail)
        self.event = event
        self.before = {
            key: _prefill(event, key, context.session.zone) for key in CORRECTABLE[event.type]
        }

    def fields(self) -> Iterable[Widget]:
        """The event's fields, then the reason and the strike box."""
        event = self.event
        when: datetime = event.occurred_at
        # The event in the timeline's words, as it stands now (not its vocabulary id).
        words = describe(event, redact=self.redact)
        yield Static(
            Text(f"Event #{event.id}, {local(when, self.session.zone)}: {words}"),
            classes="form-note",
        )
        for key, value in self.before.items():
            label = LABELS.get(key, key.replace("_", " ").capitalize())
            if key in TIME_KEYS:
                yield self.time_field(key, label, value)
            elif key in FLAG_KEYS:
                yield Field(key, "", FormCheckbox(label, value=value))
            elif key == "screen":
                screens = [(text, item) for item, text in SCREEN_RESULTS.items()]
                yield Field(key, label, choice(screens, value))
            elif key == "placement_type":
                places = [(text, item) for item, text in PLACEMENT_TYPES.items()]
                yield Field(key, label, choice(places, value))
            else:
                yield Field(key, label, text_input(value))
        yield Field("why", "Reason for the correction *", text_input())
        if event.type != "intake":
            yield Field("void", "", FormCheckbox("Strike this event (it did not happen)"))

    def field_for(self, name: str) -> Field | None:
        """'--reason' is the correction's reason; '.reason' a close event's own."""
        if name == "--reason":
            return self.field("why")
        return super().field_for(name)

    def save(self) -> Saved:
        """actions.correct_event with the changed fields (or void)."""
        void = self.event.type != "intake" and bool(self.value("void"))
        changes = {}
        if not void:
            for key, before in self.before.items():
                now = self.value(key)
                # Typed text was shown made inert (clean): an untouched field is no change.
                if now != (clean(before) if isinstance(before, str) else before):
                    changes[key] = now
        record = correct_event(self.session, self.event.id, self.value("why"), changes, void=void)
        what = "struck" if void else f"corrected ({', '.join(changes) or 'no change'})"
        return saved(f"event #{self.event.id} {what}", [record])
