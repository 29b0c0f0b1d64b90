"""d: complete the packet after intake — every optional field, filled with what is on file."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from textual.widget import Widget

from caseboard.domain.errors import BadInput
from caseboard.domain.packet import OPTIONAL_INTAKE_FIELDS, PACKET_FIELDS
from caseboard.domain.textsafe import clean
from caseboard.services import actions
from caseboard.tui.forms.base import FormScreen, Saved, saved
from caseboard.tui.forms.fields import DateField, Field, FormCheckbox, text_input

LABELS = {key: label for key, label, _section in PACKET_FIELDS}


class PacketForm(FormScreen):
    """The packet's optional fields; only a field that was changed is saved (empty clears)."""

    FORM_TITLE: ClassVar[str] = "Packet"

    @property
    def redacting(self) -> bool:
        """With --redact the fields are not shown (they hold phone numbers, descriptions)."""
        return self.redact

    def current(self) -> dict[str, Any]:
        """The packet as it stands."""
        assert self.detail is not None
        return dict(self.detail.summary.state.packet)

    def fields(self) -> Iterable[Widget]:
        """One field per optional packet entry, filled (made inert) unless redacting."""
        now = self.current()
        for key in OPTIONAL_INTAKE_FIELDS:
            label = LABELS.get(key, key)
            if key == "photo_on_file":
                yield Field(key, "", FormCheckbox(label, bool(now.get(key))))
                continue
            if self.redacting:
                shown, hint = "", "[redacted] — type to replace, leave empty to keep"
            else:
                shown, hint = clean(str(now.get(key) or "")), ""
            if key == "photo_date":
                day_first = self.session.policy.day_first
                yield DateField(key, label, day_first=day_first, value=shown)
                continue
            yield Field(key, label, text_input(shown, hint))

    def changes(self) -> dict[str, Any]:
        """What was changed: typed text, an emptied field (''), the photo box."""
        now = self.current()
        changed: dict[str, Any] = {}
        for key in OPTIONAL_INTAKE_FIELDS:
            value = self.value(key)
            if key == "photo_on_file":
                if bool(value) != bool(now.get(key)):
                    changed[key] = bool(value)
            elif self.redacting:
                if str(value).strip():
                    changed[key] = value
            elif " ".join(str(value).split()) != " ".join(clean(str(now.get(key) or "")).split()):
                changed[key] = value
        return changed

    def save(self) -> Saved:
        """actions.update_packet with the fields that changed."""
        changed = self.changes()
        if not changed:
            raise BadInput("aliases", "nothing changed")
        record = actions.update_packet(self.session, self.case_id, changed)
        return saved("packet updated", [record])
