"""Allow `python -m caseboard`."""

from caseboard.cli import main

raise SystemExit(main())
