"""The architecture rules, enforced by the suite: layers, no wall clock, docstrings. (Lint and
types are steps of the README's test command: ruff and mypy run before pytest.)"""

from __future__ import annotations

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
