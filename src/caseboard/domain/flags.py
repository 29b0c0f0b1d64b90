"""Flags that must stand out wherever a case is shown (words, never colour alone)."""

from __future__ import annotations

from caseboard.domain.model import CaseState

FLAG_MARK = "⚑"
TRAFFICKING_CONCERN = "trafficking_concern"
LABOR_CONCERN = "labor_trafficking_concern"
FLAG_WORDS = {
    TRAFFICKING_CONCERN: "CLEAR TRAFFICKING CONCERN",
    LABOR_CONCERN: "CLEAR LABOR TRAFFICKING CONCERN",
}


def case_flags(state: CaseState) -> tuple[str, ...]:
    """The case's flags: a return interview that found a clear sex-trafficking concern and/or a
    clear labour-trafficking concern."""
    interview = state.interview
    if interview is None:
        return ()
    flags = []
    if interview.get("screen") == "clear":
        flags.append(TRAFFICKING_CONCERN)
    if interview.get("labor_screen") == "clear":
        flags.append(LABOR_CONCERN)
    return tuple(flags)


def police_told_of_concern(state: CaseState) -> bool | None:
    """Whether the interview recorded that police were told (None: not recorded)."""
    if state.interview is None:
        return None
    told = state.interview.get("police_told")
    return None if told is None else bool(told)
