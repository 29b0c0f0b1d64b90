"""Persistence: sqlite-utils only. Migrations, the one write path, queries."""
