"""The board without the screen: rows in order, views, counts and the live loop (no Textual)."""
