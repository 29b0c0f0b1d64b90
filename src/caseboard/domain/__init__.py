"""Pure domain logic: no SQLite, no Textual, never the wall clock."""
