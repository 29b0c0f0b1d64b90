"""The command line: `main` (the console script) and what tests and tools use, re-exported.

One module per command group: main.py (the command table and dispatch), runner.py (global
options, policy, zone), parser.py (the grammar), and the groups themselves.
"""

from caseboard.cli.main import COMMANDS, dispatch, main
from caseboard.cli.parser import build_parser
from caseboard.cli.runner import Runner, load_policy, load_zone, say, system_zone

__all__ = [
    "COMMANDS",
    "Runner",
    "build_parser",
    "dispatch",
    "load_policy",
    "load_zone",
    "main",
    "say",
    "system_zone",
]
