"""Sighting, contact and recovery forms: news of a missing child."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from textual.widget import Widget

from caseboard.services import actions
from caseboard.tui.forms.base import FormScreen, Saved, saved
from caseboard.tui.forms.fields import Field, FormCheckbox, choice, text_input

CONTACT_WAYS = (
    ("phone", "phone"),
    ("social media", "social media"),
    ("in person", "in person"),
    ("other", "other"),
)


class SightingForm(FormScreen):
    """s: someone saw the child."""

    REQUIRED: ClassVar[tuple[str, ...]] = ("at", "where")
    FORM_TITLE: ClassVar[str] = "Sighting"

    def fields(self) -> Iterable[Widget]:
        """When, where, who says so, confirmed, police told, note."""
        yield self.time_field("at", "Seen at (time) *")
        yield Field("where", "Where *", text_input())
        yield Field("source", "Source (who said so)", text_input())
        yield Field("confirmed", "", FormCheckbox("Confirmed (restarts the no-news clock)"))
        yield Field("police_told", "", FormCheckbox("Police told of this sighting"))
        yield Field("note", "Note", text_input())

    def save(self) -> Saved:
        """actions.log_sighting."""
        raw = self.values("at", "where", "source", "confirmed", "police_told", "note")
        record = actions.log_sighting(self.session, self.case_id, raw)
        return saved("sighting logged", [record])


class ContactForm(FormScreen):
    """t: the child was reached."""

    REQUIRED: ClassVar[tuple[str, ...]] = ("at", "how")
    FORM_TITLE: ClassVar[str] = "Contact with the child"

    def fields(self) -> Iterable[Widget]:
        """When, how, note."""
        yield self.time_field("at", "Contact at (time) *")
        yield Field("how", "How *", choice(CONTACT_WAYS, "phone"))
        yield Field("note", "Note", text_input())

    def save(self) -> Saved:
        """actions.log_contact."""
        record = actions.log_contact(self.session, self.case_id, self.values("at", "how", "note"))
        return saved("contact logged", [record])


class RecoveryForm(FormScreen):
    """r: the child is back in safe custody."""

    REQUIRED: ClassVar[tuple[str, ...]] = ("at", "where", "by")
    FORM_TITLE: ClassVar[str] = "Recovery"

    def fields(self) -> Iterable[Widget]:
        """When, where, by whom, condition, placed where, note."""
        yield self.time_field("at", "Recovered at (time) *")
        yield Field("where", "Found where *", text_input())
        yield Field("by", "Recovered by *", text_input())
        yield Field("condition", "Condition", text_input())
        yield Field("placed", "Placed where", text_input())
        yield Field("note", "Note", text_input())

    def save(self) -> Saved:
        """actions.record_recovery."""
        raw = self.values("at", "where", "by", "condition", "placed", "note")
        record = actions.record_recovery(self.session, self.case_id, raw)
        return saved("recovery recorded", [record])
