"""m: the case's one-line handover summary and its contingency ("if seen at X, call Y")."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from textual.widget import Widget

from caseboard.domain.errors import BadInput
from caseboard.domain.model import Stamp
from caseboard.domain.textsafe import clean
from caseboard.services import actions
from caseboard.tui.forms.base import FormScreen, Saved, saved
from caseboard.tui.forms.fields import Field, text_input


def _text(stamp: Stamp | None) -> str:
    return "" if stamp is None else str(stamp.get("text") or "")


class HandoverNoteForm(FormScreen):
    """Both lines, filled with what is set now; only a line that was changed is saved."""

    FORM_TITLE: ClassVar[str] = "Handover lines"
    ALIASES: ClassVar[dict[str, str]] = {"--summary": "summary", "--contingency": "contingency"}

    def current(self) -> dict[str, str]:
        """The lines as they stand (typed text: shown in an Input, never as markup)."""
        assert self.detail is not None
        state = self.detail.summary.state
        return {"summary": _text(state.handover_summary), "contingency": _text(state.contingency)}

    @property
    def redacting(self) -> bool:
        """With --redact the lines are not shown (they may hold addresses or phone numbers)."""
        return self.redact

    def fields(self) -> Iterable[Widget]:
        """Summary and contingency; an emptied line is cleared (with --redact: left as is)."""
        now = self.current()
        if self.redacting:
            hidden = "[redacted] — type to replace, leave empty to keep"
            yield Field("summary", "One-line summary for the next shift", text_input("", hidden))
            yield Field("contingency", "Contingency (if … then …)", text_input("", hidden))
            return
        yield Field(
            "summary",
            "One-line summary for the next shift",
            text_input(now["summary"], "e.g. likely with older boyfriend; school aware"),
        )
        yield Field(
            "contingency",
            "Contingency (if … then …)",
            text_input(now["contingency"], "e.g. if seen at Demo Mall, call Det. Example"),
            hint="empty a line to clear it",
        )

    def save(self) -> Saved:
        """actions.set_handover_note with the lines that changed."""
        now = self.current()
        if self.redacting:  # nothing was shown, so only what is typed now replaces a line
            changed = {k: self.value(k) for k in now if self.value(k).strip()}
        else:
            # The inputs showed the lines made inert (clean): an untouched line is not re-saved.
            changed = {
                k: self.value(k)
                for k in now
                if " ".join(self.value(k).split()) != " ".join(clean(now[k]).split())
            }
        if not changed:
            raise BadInput("summary", "nothing changed")
        record = actions.set_handover_note(self.session, self.case_id, **changed)
        return saved("handover lines saved", [record])
