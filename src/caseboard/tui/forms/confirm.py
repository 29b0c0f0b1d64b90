"""Confirm a report (police, NCIC, NCMEC): the reference stops that clock."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.widget import Widget
from textual.widgets import Input, Select

from caseboard.domain.redaction import clock_ref
from caseboard.domain.textsafe import clean
from caseboard.domain.vocab import REPORT_LABELS, REPORTS
from caseboard.services import actions
from caseboard.tui.forms.base import FormScreen, Saved, saved
from caseboard.tui.forms.fields import Field, choice, text_input

REF_HINTS = {
    "police": "the police report number",
    "ncic": "the NIC number: a letter M and nine digits",
    "ncmec": "the NCMEC case number",
}


class ConfirmForm(FormScreen):
    """c: police report (agency, number, officer), NCIC (NIC number) or NCMEC (case number)."""

    REQUIRED: ClassVar[tuple[str, ...]] = ("report", "ref")
    FORM_TITLE: ClassVar[str] = "Confirm a report"
    ALIASES: ClassVar[dict[str, str]] = {"CASE": "report"}

    def _options(self) -> list[tuple[str, str]]:
        assert self.detail is not None
        done = self.detail.summary.state.confirmations
        options = []
        for report in REPORTS:
            label = REPORT_LABELS[report]
            stamp = done.get(report)
            if stamp is not None:
                label += f" (done: {clean(clock_ref(report, stamp.get('ref'), self.redact))})"
            options.append((label, report))
        return options

    def _first_open(self) -> str:
        assert self.detail is not None
        done = self.detail.summary.state.confirmations
        for report in ("police", "ncmec", "ncic"):
            if report not in done:
                return report
        return "police"

    def fields(self) -> Iterable[Widget]:
        """Which report, its reference, police details, and when (default now)."""
        first = self._first_open()
        yield Field("report", "Report *", choice(self._options(), first))
        yield Field("ref", "Reference *", text_input(), hint=REF_HINTS[first])
        yield Field("agency", "Police agency", text_input())
        yield Field("officer", "Officer", text_input())
        yield self.time_field("at", "Confirmed at (time)", optional=True)

    def on_mount(self) -> None:
        """Police details only for the police report."""
        super().on_mount()
        self._show_police(self.value("report"))

    @on(Select.Changed, "#field-report Select")
    def report_chosen(self, event: Select.Changed) -> None:
        """Say what the reference is for this report."""
        report = event.value if isinstance(event.value, str) else "police"
        self._show_ref_hint(report)
        self._show_police(report)

    @on(Input.Changed, "#field-ref Input")
    def ref_typed(self) -> None:
        """Warn as the operator types when an NCIC reference does not look like a NIC number."""
        self._show_ref_hint(self.value("report"))

    def _show_ref_hint(self, report: str | None) -> None:
        typed = str(self.value("ref") or "").strip()
        if report == "ncic" and typed and not actions.looks_like_nic(typed):
            hint = Text(f"⚠ does not look like a NIC number ({actions.NIC_FORMAT}); ", "yellow")
            hint.append("it can still be saved as typed")
            self.field("ref").set_hint(hint)
        else:
            self.field("ref").set_hint(REF_HINTS.get(report or "police", ""))

    def _show_police(self, report: str | None) -> None:
        for key in ("agency", "officer"):
            self.field(key).display = report == "police"

    def save(self) -> Saved:
        """actions.confirm_report; an odd NIC number comes back as a warning, still saved."""
        report = self.value("report") or ""
        raw = self.values("ref", "at")
        if report == "police":
            raw.update(self.values("agency", "officer"))
        record = actions.confirm_report(self.session, self.case_id, report, raw)
        label = REPORT_LABELS.get(report, report)
        return saved(f"{label} confirmed", [record])
