"""Recovery follow-ups: notices to police / NCMEC, and the return interview."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.widget import Widget
from textual.widgets import Select, SelectionList, Static

from caseboard.domain.errors import BadInput, CaseboardError
from caseboard.domain.interview_vocab import OTHER
from caseboard.domain.textsafe import clean
from caseboard.domain.vocab import SCREEN_RESULTS
from caseboard.services import actions
from caseboard.tui.forms.base import FormScreen, Saved, saved
from caseboard.tui.forms.fields import Field, FormCheckbox, choice, text_input
from caseboard.tui.forms.risk import FactorList

NOTICES = (("police", "Police told of the recovery"), ("ncmec", "NCMEC told of the recovery"))
CLEAR_WARNING = (
    "CLEAR CONCERN: police must be told. Tick 'Police told' if they were;"
    " saving without it records the interview with a warning."
)


class NoticeForm(FormScreen):
    """u: police and/or NCMEC were told of the recovery."""

    FORM_TITLE: ClassVar[str] = "Recovery notices"
    ALIASES: ClassVar[dict[str, str]] = {"report": "police"}

    def fields(self) -> Iterable[Widget]:
        """A box per notice (done ones shown, not tickable) and when (default now)."""
        assert self.detail is not None
        notices = self.detail.summary.state.notices
        for report, label in NOTICES:
            stamp = notices.get(report)
            if stamp is None:
                yield Field(report, "", FormCheckbox(label))
            else:
                box = FormCheckbox(f"{label} (done)", value=True, disabled=True)
                yield Field(report, "", box, hint=f"recorded by {clean(stamp.by)}")
        yield self.time_field("at", "Told at (time)", optional=True)

    def save(self) -> Saved:
        """actions.record_notice for each ticked, not yet recorded notice."""
        assert self.detail is not None
        done = self.detail.summary.state.notices
        chosen = [report for report, _ in NOTICES if report not in done and self.value(report)]
        if not chosen:
            raise BadInput("police", "tick who was told: police, NCMEC or both")
        at = self.value("at")
        records = []
        for report in chosen:
            # Two events: if the second is refused, the first stays saved and the message says so.
            try:
                records.append(
                    actions.record_notice(self.session, self.case_id, report, {"at": at})
                )
            except CaseboardError:
                if records:
                    self.context.catch_up()
                    self.notify(f"{chosen[0]} notice was saved; {report} was not", markup=False)
                raise
        names = " and ".join("police" if r == "police" else "NCMEC" for r in chosen)
        return saved(f"{names} told of the recovery", records)


class InterviewForm(FormScreen):
    """i: the return interview as the statute reads (42 U.S.C. 671(a)(35)(B)): the primary
    factors, the experiences while absent with trafficking indicators, both trafficking
    screens, and the response planned."""

    REQUIRED: ClassVar[tuple[str, ...]] = ("at", "screen")
    FORM_TITLE: ClassVar[str] = "Return interview"
    ALIASES: ClassVar[dict[str, str]] = {
        "factor": "factors",
        "indicator": "indicators",
        "labor": "labor_screen",
    }
    KEYS: ClassVar[tuple[str, ...]] = (
        "at", "factors", "other_factor", "experiences", "indicators", "screen", "labor_screen",
        "response", "note", "police_told",
    )  # fmt: skip

    def fields(self) -> Iterable[Widget]:
        """When; why the child went; what happened while away; both screens; the response."""
        vocab = self.session.policy.interview
        yield self.time_field("at", "Interviewed at (time) *")
        yield Field(
            "factors", "Primary factors (space ticks; several may apply)", _ticks(vocab.factors)
        )
        yield Field(
            "other_factor",
            "Other factor (what it was)",
            text_input(),
            hint=f"when '{vocab.factors.get(OTHER, OTHER)}' is ticked",
        )
        yield Field("experiences", "While absent", text_input(), hint=EXPERIENCES_HINT)
        yield Field("indicators", "Trafficking indicators seen", _ticks(vocab.indicators))
        screens = [(label, key) for key, label in SCREEN_RESULTS.items()]
        yield Field("screen", "Sex-trafficking screen *", choice(screens, None))
        yield Field("labor_screen", "Labor-trafficking screen", choice(screens, None))
        yield Static("", id="clear-warning")
        yield Field("response", "Response planned", text_input(), hint=RESPONSE_HINT)
        yield Field("note", "Note", text_input())
        yield Field("police_told", "", FormCheckbox("Police told of the screen result"))

    def on_mount(self) -> None:
        """The clear-concern warning shows only when it applies."""
        super().on_mount()
        self.query_one("#clear-warning", Static).display = False
        self._considered = False

    @on(Select.Changed, "#field-screen Select")
    @on(Select.Changed, "#field-labor_screen Select")
    def screen_chosen(self) -> None:
        """A clear concern of either kind: say prominently that police must be told."""
        warning = self.query_one("#clear-warning", Static)
        warning.update(Text(CLEAR_WARNING))
        warning.display = self._clear()
        self._considered = False

    def _clear(self) -> bool:
        return "clear" in (self.value("screen"), self.value("labor_screen"))

    def save(self) -> Saved:
        """actions.record_interview; a clear concern without police asks once more first."""
        raw = self.values(*self.KEYS)
        if self._clear() and not raw["police_told"] and not self._considered:
            self._considered = True
            raise BadInput(
                "police_told",
                "clear concern and police not marked as told: tick the box if they were,"
                " or save again to record it without",
            )
        record = actions.record_interview(self.session, self.case_id, raw)
        return saved("return interview recorded", [record])


EXPERIENCES_HINT = "where the child stayed and with whom, how needs were met, harm suffered"
RESPONSE_HINT = "placement change, services referral, safety plan…"


def _ticks(words: Mapping[str, str]) -> SelectionList[str]:
    """A checklist of a policy vocabulary, in the practitioner's words (never the ids)."""
    return FactorList(*[(Text(label), key, False) for key, label in words.items()], compact=True)
