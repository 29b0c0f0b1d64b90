"""Keep Python's cyclic garbage collector out of the way of a board holding 10,000 cases."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused(*, freeze: bool = False) -> Iterator[None]:
    """Pause the cyclic collector while building many small objects; optionally freeze them.

    Loading 10,000 cases allocates a few hundred thousand short-lived, acyclic objects, and the
    collector would walk the growing heap again and again (at that size, more time than the
    load itself). Reference counting still frees everything as usual. With `freeze`, what was
    built is moved to the permanent generation afterwards, so later collections (during ticks
    and keypresses) no longer scan the board's data and cause no visible pause.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if was_enabled:
            gc.enable()
