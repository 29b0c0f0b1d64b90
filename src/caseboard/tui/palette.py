"""The command palette's provider, built from the same binding list as the footer and help."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.dom import DOMNode

from caseboard.tui.board import BoardView
from caseboard.tui.case_actions import CaseActionsScreen, unavailable_reason
from caseboard.tui.detail import DetailScreen
from caseboard.tui.forms.base import FormScreen
from caseboard.tui.handover import HandoverScreen
from caseboard.tui.keys import GROUPS, described, key_text
from caseboard.tui.screen import BoardScreen
from caseboard.tui.stats import StatsScreen

Command = tuple[str, str, Callable[[], Awaitable[bool]]]


class BoardCommands(Provider):
    """Every action that applies to the screen the palette was opened on."""

    def _targets(self) -> dict[str, DOMNode]:
        targets: dict[str, DOMNode] = {"app": self.app}
        if isinstance(self.screen, BoardScreen):
            targets["screen"] = self.screen
            targets["board"] = self.screen.query_one(BoardView)
            targets["case"] = self.screen
        elif isinstance(self.screen, DetailScreen):
            targets["detail"] = self.screen
            targets["case"] = self.screen
        elif isinstance(self.screen, FormScreen):
            targets["form"] = self.screen
        elif isinstance(self.screen, HandoverScreen):
            targets["handover"] = self.screen
        elif isinstance(self.screen, StatsScreen):
            targets["stats"] = self.screen
        return targets

    def _commands(self) -> Iterator[Command]:
        targets = self._targets()
        for title, owner, bindings in GROUPS:
            target = targets.get(owner)
            if target is None:
                continue
            for binding in bindings:
                if binding.action == "command_palette":
                    continue
                help_text = f"{title} · key {key_text(binding)}"
                why = (
                    unavailable_reason(target.context.session, binding.action)
                    if owner == "case" and isinstance(target, CaseActionsScreen)
                    else None
                )
                if why is not None:
                    yield (described(binding), f"unavailable: {why}", partial(self._refuse, why))
                    continue
                yield (
                    described(binding),
                    help_text,
                    partial(self.app.run_action, binding.action, target),
                )

    async def _refuse(self, why: str) -> bool:
        self.app.notify(why, title="Not available", severity="warning", markup=False)
        return True

    async def discover(self) -> Hits:
        """All commands, before anything is typed."""
        for name, help_text, command in self._commands():
            yield DiscoveryHit(name, command, help=help_text)

    async def search(self, query: str) -> Hits:
        """Commands whose name matches what was typed."""
        matcher = self.matcher(query)
        for name, help_text, command in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), command, help=help_text)
