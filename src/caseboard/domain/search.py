"""Turn what an operator types into a safe FTS5 prefix query: every token quoted."""

from __future__ import annotations

SEARCH_COLUMNS = ("name", "aliases", "agency", "places")
# With --redact only what is shown may match: aliases and places are hidden, so matching them
# would reveal them. (The name is shown as initials; finding a child by a name you already
# know reveals nothing new.)
REDACTED_SEARCH_COLUMNS = ("name", "agency")


def fts_query(text: str, columns: tuple[str, ...] = SEARCH_COLUMNS) -> str | None:
    """`dest mall` -> `{name aliases agency places} : ("dest"* "mall"*)`; None when nothing to find.

    Each token is a quoted string (quotes doubled), so FTS5 operators and stray quotes typed by
    an operator are plain text. Tokens without a letter or digit cannot match and are dropped.
    """
    # Control characters (a pasted NUL, an escape sequence) are not text: FTS5 rejects a NUL
    # inside a string, so they go before tokenising.
    printable = "".join(char if char.isprintable() else " " for char in text)
    tokens = [token for token in printable.split() if any(char.isalnum() for char in token)]
    if not tokens:
        return None
    terms = " ".join('"' + token.replace('"', '""') + '"*' for token in tokens)
    return "{" + " ".join(columns) + "} : (" + terms + ")"
