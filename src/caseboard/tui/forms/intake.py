"""n: open a case — the minimum first, then risk factors, then the optional packet fields."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.widget import Widget
from textual.widgets import Input, Select, Static

from caseboard import services
from caseboard.domain.packet import OPTIONAL_INTAKE_FIELDS, PACKET_FIELDS
from caseboard.domain.textsafe import clean, initials
from caseboard.domain.vocab import PLACEMENT_TYPES
from caseboard.tui.context import Context
from caseboard.tui.forms.base import FormScreen, Saved
from caseboard.tui.forms.fields import DateField, Field, FormCheckbox, choice, text_input
from caseboard.tui.forms.risk import factor_list

NEW_CHILD = "new"
PACKET_LABELS = {key: label for key, label, _section in PACKET_FIELDS}


class IntakeForm(FormScreen):
    """The intake form; typing a name offers children on file to link (a repeat episode)."""

    REQUIRED: ClassVar[tuple[str, ...]] = (
        "name",
        "learned_at",
        "last_seen_at",
        "last_seen_where",
        "placement_type",
        "agency",
    )
    REQUIRED_ONE_OF: ClassVar[tuple[tuple[str, ...], ...]] = (("dob", "age"),)
    FORM_TITLE: ClassVar[str] = "New case (intake)"
    ALIASES: ClassVar[dict[str, str]] = {"child_id": "child"}

    def __init__(self, context: Context) -> None:
        super().__init__(context, None)
        self.matches: list[services.ChildMatch] = []

    def fields(self) -> Iterable[Widget]:
        """Required core, link to a child on file, risk factors, optional packet."""
        yield Static(Text("Required: * fields. Then risk factors, then what else is known."))
        yield Field("name", "Child's full name *", text_input())
        yield Field("child", "Child on file", choice([("a new child", NEW_CHILD)], NEW_CHILD))
        day_first = self.session.policy.day_first
        yield DateField("dob", "Date of birth * (or age)", day_first=day_first)
        yield Field("age", "Age (if no date of birth)", text_input())
        yield self.time_field("learned_at", "Agency learned of it *", "now")
        yield self.time_field("last_seen_at", "Last seen at *")
        yield Field("last_seen_where", "Last seen where *", text_input())
        places = [(label, key) for key, label in PLACEMENT_TYPES.items()]
        yield Field("placement_type", "Placement type *", choice(places, None))
        yield Field("agency", "Agency with custody *", text_input())
        yield Field("risk_factors", "Risk factors (space ticks)", factor_list(()))
        yield Static(Text("Packet (optional)"), classes="form-section")
        for key in OPTIONAL_INTAKE_FIELDS:
            label = PACKET_LABELS.get(key, key.replace("_", " ").capitalize())
            if key == "photo_on_file":
                yield Field(key, "", FormCheckbox(label))
            elif key == "photo_date":
                yield DateField(key, label, day_first=day_first)
            else:
                yield Field(key, label, text_input())

    def on_mount(self) -> None:
        """No matches until a name is typed."""
        super().on_mount()
        self.field("child").display = False

    # --- linking a child on file ------------------------------------------------------------

    @on(Input.Changed, "#field-name Input, #field-dob Input")
    def offer_children(self) -> None:
        """Children on file matching the name (and DOB), offered for linking."""
        try:
            found = services.find_children(self.session, self.value("name"), self.value("dob"))
        except Exception:  # an offer is a convenience: if it cannot be read, there is none
            found = []
        if [match.id for match in found] == [match.id for match in self.matches]:
            return
        chosen = self.value("child")
        self.matches = found
        field = self.field("child")
        select = field.control
        assert isinstance(select, Select)
        options = [(Text("a new child"), NEW_CHILD)]
        options += [(Text(self._describe(match)), str(match.id)) for match in found]
        select.set_options(options)
        if chosen in [str(match.id) for match in found]:
            select.value = chosen
        field.display = bool(found)
        field.set_hint(
            f"{len(found)} on file with a similar name: choose one to link a repeat episode"
            if found
            else ""
        )

    def _describe(self, match: services.ChildMatch) -> str:
        name = initials(match.name) if self.redact else clean(match.name)
        born = f"born {match.dob}" if match.dob and not self.redact else f"age {match.age or '?'}"
        return f"{name}, {born}, child {match.id}, {match.episodes} episode(s) on file"

    # --- saving -----------------------------------------------------------------------------

    def record(self) -> dict[str, Any]:
        """The intake record as docs/cli.md describes it, only what was typed."""
        core = ("name", "dob", "age", "learned_at", "last_seen_at", "last_seen_where", "agency")
        record: dict[str, Any] = {key: self.value(key) for key in core}
        record = {key: value for key, value in record.items() if value != ""}
        record["placement_type"] = self.value("placement_type")
        record["risk_factors"] = self.value("risk_factors")
        for key in OPTIONAL_INTAKE_FIELDS:
            value = self.value(key)
            if value not in ("", False):
                record[key] = value
        child = self.value("child")
        if child not in (None, NEW_CHILD):
            record["child_id"] = int(child)
        return record

    def save(self) -> Saved:
        """services.open_case."""
        case_id = services.open_case(self.session, self.record())
        linked = " (repeat episode, linked)" if "child_id" in self.record() else ""
        return Saved(case_id, f"case opened{linked}")
