"""Absolute CSS paths for Textual (it resolves relative ones beside the defining module)."""

from __future__ import annotations

from pathlib import PurePath

from caseboard import paths

# What a CSS_PATH may hold (Textual types it with an alias in a private module: not imported).
CSSPath = str | PurePath | list[str | PurePath]


def css(*names: str) -> CSSPath:
    """Absolute paths of files in styles/, for a CSS_PATH."""
    return [str(paths.styles_dir() / name) for name in names]
