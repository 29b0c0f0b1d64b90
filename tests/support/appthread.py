"""One app under `run_test()` on its own thread, driven by a synchronous test (Hypothesis).

Starting the board takes about a second; a `@given` test runs many examples. Here the app starts
once, on a thread with its own event loop, and each example sends it a job (a coroutine taking
the Pilot), run inside the run_test() task so Textual's context is the app's own. Everything
that touches SQLite must be made in `build` (it runs on that thread: sqlite3 connections stay
on the thread that made them).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from textual.pilot import Pilot

from caseboard.tui.app import CaseboardApp

T = TypeVar("T")
Job = Callable[[Pilot[None]], Awaitable[Any]]


class AppThread:
    """`start()`, then `call(job)` as often as needed, then `stop()` (which re-raises what
    ended the app, as run_test does)."""

    def __init__(self, build: Callable[[], CaseboardApp], size: tuple[int, int]) -> None:
        self.build = build
        self.size = size
        self.app: CaseboardApp | None = None
        self.ended: BaseException | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._queue: asyncio.Queue[tuple[Job, concurrent.futures.Future[Any]] | None] | None = None
        self._thread = threading.Thread(target=self._run, name="app-under-test", daemon=True)
        self._ready: concurrent.futures.Future[CaseboardApp] = concurrent.futures.Future()

    def start(self, timeout: float = 120) -> CaseboardApp:
        self._thread.start()
        self.app = self._ready.result(timeout)
        return self.app

    def call(self, job: Callable[[Pilot[None]], Awaitable[T]], timeout: float = 60) -> T:
        """Run `job(pilot)` on the app's loop and return its result (or raise its exception)."""
        assert self._loop is not None and self._queue is not None
        done: concurrent.futures.Future[T] = concurrent.futures.Future()
        self._loop.call_soon_threadsafe(self._queue.put_nowait, (job, done))
        return done.result(timeout)

    def stop(self, timeout: float = 60) -> None:
        if self._loop is not None and self._queue is not None and self._thread.is_alive():
            self._loop.call_soon_threadsafe(self._queue.put_nowait, None)
        self._thread.join(timeout)
        if self.ended is not None:
            raise self.ended

    def _run(self) -> None:
        asyncio.run(self._main())

    async def _main(self) -> None:
        self._loop = asyncio.get_running_loop()
        queue: asyncio.Queue[tuple[Job, concurrent.futures.Future[Any]] | None] = asyncio.Queue()
        self._queue = queue
        try:
            app = self.build()
            async with app.run_test(size=self.size) as pilot:
                await pilot.pause()
                self._ready.set_result(app)
                while (item := await queue.get()) is not None:
                    job, done = item
                    try:
                        done.set_result(await job(pilot))
                    except BaseException as exc:  # handed to the caller's thread
                        done.set_exception(exc)
        except BaseException as exc:
            self.ended = exc
            if not self._ready.done():
                self._ready.set_exception(exc)
