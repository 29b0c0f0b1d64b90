"""Risk: tick or untick factors, and (supervisors) override the tier with a reason."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import OptionList, SelectionList, Static
from textual.widgets.option_list import OptionDoesNotExist

from caseboard.domain.textsafe import clean
from caseboard.domain.vocab import RISK_FACTORS, TIERS
from caseboard.services import actions
from caseboard.tui.forms.base import FormScreen, Saved, saved
from caseboard.tui.forms.fields import Field, choice, text_input


class FactorList(SelectionList[str], inherit_bindings=False):
    """A checklist whose boxes read [x] / [ ] (the stock one differs only by colour). Space
    ticks; enter is left to the form, which saves (the stock list toggled the box on enter)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "cursor_down", "Down", show=False),
        Binding("up", "cursor_up", "Up", show=False),
        Binding("home", "first", "First", show=False),
        Binding("end", "last", "Last", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("space", "select", "Tick", show=False),
    ]

    def render_line(self, y: int) -> Strip:
        """The option's line behind a text box showing its state."""
        line = OptionList.render_line(self, y)
        index = round(self.scroll_offset.y) + y
        try:
            option = self.get_option_at_index(index)
        except OptionDoesNotExist:
            return line
        base = next(iter(line)).style or self.rich_style
        box = "[x] " if option.value in self.selected else "[ ] "
        style = base + Style(bold=True) if index == self.highlighted else base
        return Strip([Segment(box, style), *line])


def factor_list(ticked: Iterable[str]) -> SelectionList[str]:
    """Every operator-ticked risk factor (space toggles), the given ones ticked."""
    chosen = set(ticked)
    return FactorList(
        *[(Text(f"{key}: {label}"), key, key in chosen) for key, label in RISK_FACTORS.items()],
        compact=True,
    )


class RiskForm(FormScreen):
    """f: the checklist pre-ticked with the case's factors; saving sends what changed."""

    FORM_TITLE: ClassVar[str] = "Risk factors"
    ALIASES: ClassVar[dict[str, str]] = {"add": "factors", "remove": "factors"}

    def fields(self) -> Iterable[Widget]:
        """The checklist."""
        assert self.detail is not None
        current = self.detail.summary.state.risk_factors
        yield Field("factors", "Risk factors (space ticks / unticks)", factor_list(current))

    def save(self) -> Saved:
        """actions.change_risk with the added and removed factors."""
        assert self.detail is not None
        current = set(self.detail.summary.state.risk_factors)
        ticked = set(self.value("factors"))
        add, remove = sorted(ticked - current), sorted(current - ticked)
        records = actions.change_risk(self.session, self.case_id, add=add, remove=remove)
        parts = [f"+{key}" for key in add] + [f"-{key}" for key in remove]
        return saved(f"risk factors changed ({', '.join(parts)})", records)


class OverrideForm(FormScreen):
    """o: a supervisor sets the tier (or none, clearing the override) with a reason."""

    REQUIRED: ClassVar[tuple[str, ...]] = ("tier", "reason")
    FORM_TITLE: ClassVar[str] = "Override the tier (supervisor)"
    ALIASES: ClassVar[dict[str, str]] = {"override": "tier"}

    def fields(self) -> Iterable[Widget]:
        """What the tier is now, the new tier, the reason."""
        assert self.detail is not None
        risk, state = self.detail.summary.assessment, self.detail.summary.state
        now = f"Computed tier {risk.computed_tier}, {risk.score} points."
        if state.override is not None:
            now += f" Overridden to {risk.override_tier} by {clean(state.override.by)}."
        yield Static(Text(now), classes="form-note")
        tiers = [(tier, tier) for tier in TIERS] + [("none (clear the override)", "none")]
        yield Field("tier", "New tier *", choice(tiers, None))
        yield Field("reason", "Reason *", text_input())

    def save(self) -> Saved:
        """actions.change_risk(override=..., reason=...); the service checks the role."""
        tier, reason = self.value("tier"), self.value("reason")
        if tier is None:
            tier = ""  # the service names the field and the choices
        records = actions.change_risk(self.session, self.case_id, override=tier, reason=reason)
        done = "override cleared" if tier == "none" else f"tier overridden to {tier}"
        return saved(done, records)
