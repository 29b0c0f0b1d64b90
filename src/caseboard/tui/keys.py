"""Every key binding, declared once: the footer, the help screen and the palette read these."""

from __future__ import annotations

from textual.binding import Binding

# Handled by the board widget (when it has focus).
BOARD_KEYS: tuple[Binding, ...] = (
    Binding("down,j", "cursor_down", "Next case", show=False, id="cursor-down"),
    Binding("up,k", "cursor_up", "Previous case", show=False, id="cursor-up"),
    Binding("pagedown", "page_down", "Page down", show=False, id="page-down"),
    Binding("pageup", "page_up", "Page up", show=False, id="page-up"),
    Binding("g,home", "first", "First case", show=False, id="first"),
    Binding("G,end", "last", "Last case", show=False, id="last"),
    # Short in the footer so n s t r c fit beside it at 80 columns; in full in help (described()).
    Binding("enter", "open_case", "Open", tooltip="Open case", id="open-case"),
)

# Handled by the board screen.
VIEW_KEYS: tuple[Binding, ...] = (
    Binding("1", "view('all')", "View: all open", show=False, id="view-all"),
    Binding("2", "view('urgent')", "View: critical & high", show=False, id="view-urgent"),
    Binding("3", "view('action')", "View: action needed", show=False, id="view-action"),
    Binding(
        "4", "view('recovered')", "View: recovered follow-ups", show=False, id="view-recovered"
    ),
    Binding("slash", "filter", "Filter", key_display="/", id="filter"),
    Binding("escape", "clear_filter", "Clear filter", show=False, id="clear-filter"),
    Binding("l", "toggle_longest", "Longest missing first", id="longest-first"),
)

# Handled by the board screen: live updates.
LIVE_KEYS: tuple[Binding, ...] = (
    # Not in the footer (it is full at 80 columns); the help, the palette and the banner say it.
    Binding("p", "pause", "Pause / resume live updates", show=False, id="pause"),
    # Rows marked "+" changed (by others) since this operator last had the board open.
    Binding("v", "changes", "What changed since you last looked", show=False, id="changes"),
)

# Handled by the case detail screen.
DETAIL_KEYS: tuple[Binding, ...] = (
    Binding("escape", "back", "Back", tooltip="Back to board", id="back"),
    Binding("down,j", "scroll_down", "Scroll down", show=False, id="detail-down"),
    Binding("up,k", "scroll_up", "Scroll up", show=False, id="detail-up"),
    Binding("pagedown", "page_down", "Page down", show=False, id="detail-page-down"),
    Binding("pageup", "page_up", "Page up", show=False, id="detail-page-up"),
    Binding("g,home", "top", "Top", show=False, id="detail-top"),
    Binding("G,end", "bottom", "Bottom", show=False, id="detail-bottom"),
)

# Handled by the case detail screen: the child's photo and the paperwork (tui/photo.py).
PAPER_KEYS: tuple[Binding, ...] = (
    Binding("p", "attach_photo", "Attach a photo", show=False, id="attach-photo"),
    Binding("w", "write_packet", "Write the report packet (PDF)", show=False, id="write-packet"),
    Binding("b", "write_flyer", "Write the BOLO flyer (PDF)", show=False, id="write-flyer"),
)

# Handled by the board screen and the case detail screen: on the case under the cursor / shown.
# The first five show in the footer (n s t r c fit at 80 columns); every one is in help.
ACTION_KEYS: tuple[Binding, ...] = (
    Binding("n", "new_case", "New case", id="new-case"),
    Binding("s", "sighting", "Sighting", id="sighting"),
    Binding("t", "contact", "Contact", id="contact"),
    Binding("r", "recovery", "Recovery", id="recovery"),
    # The footer shows the description; help and the palette the tooltip (described()).
    Binding("c", "confirm", "Confirm", tooltip="Confirm report", id="confirm"),
    Binding("u", "notices", "Recovery notices", show=False, id="notices"),
    Binding("i", "interview", "Return interview", show=False, id="interview"),
    Binding("a", "note", "Note", show=False, id="note"),
    Binding("f", "risk", "Risk factors", show=False, id="risk"),
    Binding("o", "override", "Override tier", show=False, id="override"),
    Binding("x", "close_case", "Close case", show=False, id="close-case"),
    Binding("e", "correct", "Correct an event", show=False, id="correct"),
    Binding("m", "handover_note", "Handover summary / contingency", show=False, id="handover-note"),
    Binding("d", "packet", "Packet details (caseworker, description…)", show=False, id="packet"),
)

# Handled by every form (dialog).
FORM_KEYS: tuple[Binding, ...] = (
    Binding("enter", "submit", "Save", id="form-save"),
    Binding("ctrl+s", "submit", "Save from any field", show=False, id="form-save-anywhere"),
    Binding("escape", "cancel", "Cancel", id="form-cancel"),
)

# Handled by the question a form asks when esc would discard what was typed.
DISCARD_KEYS: tuple[Binding, ...] = (
    Binding("y", "discard", "Yes, discard what I typed", id="discard-yes"),
    Binding("n,escape", "keep", "No, back to the form", key_display="n / esc", id="discard-no"),
)

# Handled by the shift handover screen.
HANDOVER_KEYS: tuple[Binding, ...] = (
    Binding("escape", "back", "Back", id="handover-back"),
    Binding("s", "sign_off", "Sign off", id="handover-signoff"),
    Binding("w", "window", "Window start", id="handover-window"),
    Binding("r", "refresh", "Refresh", id="handover-refresh"),
    Binding("down,j", "scroll_down", "Scroll down", show=False, id="handover-down"),
    Binding("up,k", "scroll_up", "Scroll up", show=False, id="handover-up"),
    Binding("pagedown,space", "page_down", "Page down", show=False, id="handover-page-down"),
    Binding("pageup", "page_up", "Page up", show=False, id="handover-page-up"),
    Binding("g,home", "top", "Top", show=False, id="handover-top"),
    Binding("G,end", "bottom", "Bottom", show=False, id="handover-bottom"),
)

# Handled by the statistics screen.
STATS_KEYS: tuple[Binding, ...] = (
    Binding("escape", "back", "Back", id="stats-back"),
    Binding(
        "p",
        "period",
        "Period",
        tooltip="Period: next of 7 days, 30 days, 12 months",
        id="stats-period",
    ),
    Binding("c", "chart", "Chart", tooltip="Chart: the next of three", id="stats-chart"),
    Binding("n", "numbers", "Numbers", tooltip="Numbers behind the chart", id="stats-numbers"),
    Binding("r", "refresh", "Refresh", id="stats-refresh"),
)

# Handled by the one-line prompts of the handover screen (window start, sign-off note);
# enter saves there as in a form.
PROMPT_KEYS: tuple[Binding, ...] = (Binding("escape", "cancel", "Cancel", id="prompt-cancel"),)

# Handled by the list of what others changed since this operator last looked.
CHANGES_KEYS: tuple[Binding, ...] = (
    Binding("escape,v", "close", "Back to board", id="changes-close"),
)

# Handled by the help screen.
HELP_KEYS: tuple[Binding, ...] = (
    Binding("escape,q,question_mark", "close", "Close help", key_display="esc", id="help-close"),
)

# Handled by the app, everywhere.
# Help and quit name the app ("app.help"): the board screen binds them too, ahead of its view
# keys, because the footer lists the app's bindings last and at 80 columns ? and q must stay in
# sight after n s t r c.
HELP_KEY = Binding("question_mark", "app.help", "Help", key_display="?", id="help")
QUIT_KEY = Binding("q", "app.quit", "Quit", id="quit")
APP_KEYS: tuple[Binding, ...] = (
    HELP_KEY,
    Binding("h", "handover", "Shift handover and sign-off", show=False, id="handover"),
    Binding("S", "stats", "Statistics: reports on time, charts", show=False, id="stats"),
    Binding("ctrl+p", "command_palette", "Commands", show=False, id="command-palette"),
    QUIT_KEY,
)

# (title, owner, bindings): owner names who runs the action (the palette offers a group only
# where its owner is on screen).
GROUPS: tuple[tuple[str, str, tuple[Binding, ...]], ...] = (
    ("Case actions (board and detail)", "case", ACTION_KEYS),
    ("Board", "board", BOARD_KEYS),
    ("Views and filter", "screen", VIEW_KEYS),
    ("Live updates", "screen", LIVE_KEYS),
    ("Case detail", "detail", DETAIL_KEYS),
    ("Photo and paperwork (case detail)", "detail", PAPER_KEYS),
    ("In a form (tab / shift+tab move between fields)", "form", FORM_KEYS),
    ("Discarding what was typed (esc in a form)", "discard", DISCARD_KEYS),
    ("Shift handover", "handover", HANDOVER_KEYS),
    ("Handover prompts (enter saves)", "prompt", PROMPT_KEYS),
    ("Statistics", "stats", STATS_KEYS),
    ("Changed since you last looked", "changes", CHANGES_KEYS),
    ("Help", "help", HELP_KEYS),
    ("Everywhere", "app", APP_KEYS),
)


def all_bindings() -> list[Binding]:
    """Every binding, in help order."""
    return [binding for _title, _owner, bindings in GROUPS for binding in bindings]


def described(binding: Binding) -> str:
    """What a binding does, in full (a footer label may be shorter: its tooltip is the full one)."""
    return binding.tooltip or binding.description


def key_text(binding: Binding) -> str:
    """The keys of a binding as the operator types them: 'down / j'."""
    if binding.key_display:
        return binding.key_display
    names = {"question_mark": "?", "slash": "/", "pagedown": "PgDn", "pageup": "PgUp"}
    return " / ".join(names.get(key, key) for key in binding.key.split(","))
