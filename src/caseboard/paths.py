"""The one owner of file locations: styles, fixtures, built-in policies, the default database."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

from platformdirs import user_data_dir

_PACKAGE_DIR = Path(__file__).resolve().parent
# In a wheel, styles/ and fixtures/ are packaged under caseboard/_data; in a checkout (editable
# install) they sit at the repository root, two levels above src/caseboard.
_DATA_DIR = _PACKAGE_DIR / "_data"
_CHECKOUT_DIR = _PACKAGE_DIR.parent.parent


def _shipped(name: str) -> Path:
    packaged = _DATA_DIR / name
    if packaged.is_dir():
        return packaged
    checkout = _CHECKOUT_DIR / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"caseboard's {name}/ folder is missing from this installation")


def styles_dir() -> Path:
    """Folder of the Textual CSS files (absolute)."""
    return _shipped("styles")


def fixtures_dir() -> Path:
    """Folder of the demo and test data."""
    return _shipped("fixtures")


def demo_fixture() -> Path:
    """The demo data set."""
    return fixtures_dir() / "demo.json"


def builtin_policy_text(name: str = "federal") -> str:
    """The text of a built-in policy profile shipped inside the package."""
    return (resources.files("caseboard") / "policies" / f"{name}.toml").read_text("utf-8")


def builtin_policy_names() -> list[str]:
    """Names of the shipped profiles."""
    folder = resources.files("caseboard") / "policies"
    return sorted(item.name[:-5] for item in folder.iterdir() if item.name.endswith(".toml"))


def default_db_path() -> Path:
    """--db, else $CASEBOARD_DB, else caseboard.db in the user data directory."""
    from_env = os.environ.get("CASEBOARD_DB")
    if from_env:
        return Path(from_env)
    return Path(user_data_dir("caseboard", appauthor=False)) / "caseboard.db"
