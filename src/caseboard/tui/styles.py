"""Absolute CSS paths for Textual (it resolves relative ones beside the defining module)."""

from __future__ import annotations

from textual._path import CSSPathType

from caseboard import paths


def css(*names: str) -> CSSPathType:
    """Absolute paths of files in styles/, for a CSS_PATH."""
    return [str(paths.styles_dir() / name) for name in names]
