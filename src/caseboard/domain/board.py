"""A case summarised for the board at a moment, and the board's total order."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import cached_property

import msgspec

from caseboard.domain.clocks import Clock, compute
from caseboard.domain.model import CaseState, Child
from caseboard.domain.packet import completeness
from caseboard.domain.policy import Policy
from caseboard.domain.risk import Assessment, age_on, assess_measured, time_missing
from caseboard.domain.vocab import STATUSES, TIER_RANK


class CaseSummary(msgspec.Struct, frozen=True, dict=True):
    """What the board and `cases` show for one case at one moment (`dict` makes room for the
    cached packet completeness)."""

    state: CaseState
    child: Child
    assessment: Assessment
    clocks: dict[str, Clock]
    elapsed_s: int
    age: int | None

    @cached_property
    def packet_complete(self) -> float:
        """Share of the packet filled; computed when first asked for, since the board only
        shows it for the rows on screen and the handover not at all."""
        return completeness(self.state)

    @property
    def case_id(self) -> int:
        """The case id."""
        return self.state.case_id


class UnreadableCase(msgspec.Struct, frozen=True, gc=False):
    """A case whose stored rows cannot be read (its events, or its child record): shown as one
    line saying so, never dropped and never allowed to take the other cases down with it."""

    case_id: int
    child_id: int | None
    why: str

    def line(self) -> str:
        """'case 12 cannot be read (its events cannot be decoded); run caseboard verify'."""
        return f"case {self.case_id} cannot be read ({self.why}); run caseboard verify"


def summarise(
    state: CaseState, child: Child, episodes: Sequence[datetime], policy: Policy, now: datetime
) -> CaseSummary:
    """Assess a case, run its clocks and measure its packet, all at `now`."""
    age, missing = age_on(child, now.date()), time_missing(state, now)
    assessment = assess_measured(state, age, missing, episodes, policy)
    return CaseSummary(
        state=state,
        child=child,
        assessment=assessment,
        clocks=compute(state, assessment.tier, policy, now),
        elapsed_s=int(missing.total_seconds()),
        age=age,
    )


def board_key(status: str, tier: str, score: int, elapsed_s: int, case_id: int) -> tuple[int, ...]:
    """Sort key: section (missing, recovered, closed), tier, score desc, time missing desc, id.

    The case id is unique, so the order is total.
    """
    return (STATUSES.index(status), TIER_RANK[tier], -score, -elapsed_s, case_id)


def summary_key(summary: CaseSummary) -> tuple[int, ...]:
    """board_key for a CaseSummary."""
    return board_key(
        summary.state.status,
        summary.assessment.tier,
        summary.assessment.score,
        summary.elapsed_s,
        summary.case_id,
    )


def in_board_order(summaries: Sequence[CaseSummary]) -> list[CaseSummary]:
    """Summaries sorted into board order."""
    return sorted(summaries, key=summary_key)
