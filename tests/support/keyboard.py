"""Typing text into the focused field as keystrokes, without waiting for the app after each one."""

from __future__ import annotations

import unicodedata
from typing import Any

from textual import events
from textual.keys import KEY_NAME_REPLACEMENTS
from textual.pilot import Pilot


def key_name(character: str) -> str:
    """The key Textual names for a printable character ("a", "space", "left_square_bracket")."""
    if character.isalnum():
        return character
    name = unicodedata.name(character, character).lower().replace("-", "_").replace(" ", "_")
    return KEY_NAME_REPLACEMENTS.get(name, name)


async def type_text(pilot: Pilot[Any], text: str) -> None:
    """Send `text` to the app one key event per character, as a terminal delivers typing, then
    wait for the app to handle them.

    `pilot.press(*text)` waits for the app to go idle after every key, and Textual's idle check
    sleeps in 20 ms steps: 60 ms or more a character. A person does not wait between keys; each
    key still goes the terminal's way (app bindings first, then the focused widget), in order,
    so the field handles every prefix as it would from a keyboard. Only printable text: a key
    that moves focus or changes screen would leave the keys after it to the wrong widget.
    """
    for character in text:
        assert character.isprintable(), repr(character)
        pilot.app.post_message(events.Key(key_name(character), character))
    # The app forwards each key to the focused widget's queue; the first pause sees the app
    # through them, the second the widget and the messages its edits posted.
    await pilot.pause()
    await pilot.pause()
