"""The architecture rules, enforced by the suite: layers, no wall clock, docstrings. (Lint and
types are steps of the README's test command: ruff and mypy run before pytest.)"""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOMAIN = ROOT / "src" / "caseboard" / "domain"


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)


def test_import_linter_contracts_hold() -> None:
    lint_imports = shutil.which("lint-imports") or str(Path(sys.executable).parent / "lint-imports")
    result = _run(lint_imports, "pyproject.toml")
    assert result.returncode == 0, result.stdout + result.stderr
    # The contracts must really exist and be checked, not silently skipped.
    assert "Layers: cli -> tui -> board -> services -> store -> domain KEPT" in result.stdout
    assert "No textual or rich below the tui KEPT" in result.stdout


@pytest.mark.parametrize("path", sorted(DOMAIN.glob("*.py")), ids=lambda p: p.name)
def test_domain_never_reads_the_wall_clock(path: Path) -> None:
    source = path.read_text("utf-8")
    forbidden = re.compile(r"\.now\(|\.today\(|utcnow\(|time\.time\(|monotonic\(|import time\b")
    assert not forbidden.search(source), f"{path.name} reads the clock; take `now` as an argument"


def test_every_module_has_a_docstring() -> None:
    missing = []
    for path in (ROOT / "src" / "caseboard").rglob("*.py"):
        text = path.read_text("utf-8").lstrip()
        if not text.startswith('"""'):
            missing.append(str(path.relative_to(ROOT)))
    assert not missing, f"modules without a one-line docstring: {missing}"


def _private_textual_imports(path: Path) -> list[str]:
    """`textual._…` modules (or `_` names from textual) a file imports: Textual's private API."""
    found = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            names = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[0] == "textual" and any(part.startswith("_") for part in parts[1:]):
                shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path.name
                found.append(f"{shown}:{node.lineno} {name}")
                break  # one line each
    return found


def test_no_private_textual_imports(tmp_path: Path) -> None:
    files = [
        path
        for folder in ("src", "tests", "benchmarks")
        for path in sorted((ROOT / folder).rglob("*.py"))
        if ".venv" not in path.parts
    ]
    found = [hit for path in files for hit in _private_textual_imports(path)]
    assert not found, f"private Textual API imported (it may change in any release): {found}"
    # The check itself sees both spellings.
    probe = tmp_path / "probe.py"
    probe.write_text("from textual._path import CSSPathType\nfrom textual import _wait\n")
    assert _private_textual_imports(probe) == [
        "probe.py:1 textual._path",
        "probe.py:2 textual._wait",
    ]
