"""Ctrl-C and SIGTERM for `simulate`: both stop the batch the same way, never in the middle of an import.

Only the standard library here, so the command line can import it before anything heavy.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

STOP_SIGNALS = tuple(s for s in (getattr(signal, "SIGINT", None), getattr(signal, "SIGTERM", None)) if s is not None)


class Stopped(KeyboardInterrupt):
    """The first Ctrl-C or SIGTERM: the batch stops and reports what finished; `code` is the exit code."""

    def __init__(self, signum: int = 2) -> None:
        super().__init__()
        self.code = 128 + signum


class StopNow(BaseException):
    """A second Ctrl-C or SIGTERM: nothing more is reported. Not a KeyboardInterrupt, so the batch's own
    handler (which reports) lets it through; cleanups in `finally` blocks still run."""

    def __init__(self, signum: int = 2) -> None:
        super().__init__()
        self.code = 128 + signum


def _can_mask() -> bool:
    return hasattr(signal, "pthread_sigmask") and threading.current_thread() is threading.main_thread()


@contextmanager
def signals_blocked() -> Iterator[None]:
    """Block Ctrl-C and SIGTERM for a moment (a worker process starting inherits them blocked and sets its
    own handlers first); a signal that came meanwhile is delivered as usual when the block ends."""
    if not _can_mask():
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


@contextmanager
def exit_on_signal(cleanup: Callable[[], None] | None = None) -> Iterator[None]:
    """While active, Ctrl-C or SIGTERM ends the process at once, quietly (exit code 128 + the signal), after
    `cleanup`. For stretches with nothing to report and nothing left running: module imports (a
    KeyboardInterrupt inside a C extension's import surfaces as a broken ImportError) and drawing a file."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def leave(signum: int, frame: FrameType | None) -> None:
        try:
            if cleanup is not None:
                cleanup()
        finally:
            os._exit(128 + signum)

    old = {sig: signal.signal(sig, leave) for sig in STOP_SIGNALS}
    try:
        yield
    finally:
        for sig, handler in old.items():
            signal.signal(sig, handler)


class StopSignals:
    """While active, Ctrl-C and SIGTERM act alike in the main thread: the first raises Stopped (the batch
    stops and reports what finished), any later one StopNow. `code` is 128 + the last signal."""

    def __init__(self) -> None:
        self.code = 130
        self.count = 0
        self.reporting = False
        self.old: dict[int, Any] = {}

    def _raise(self, signum: int, frame: FrameType | None) -> None:
        self.code = 128 + signum
        self.count += 1
        raise Stopped(signum) if self.count == 1 else StopNow(signum)

    def code_for(self, exc: BaseException) -> int:
        """The exit code an interrupt that ended the command calls for."""
        return exc.code if isinstance(exc, (Stopped, StopNow)) else self.code

    def __enter__(self) -> StopSignals:
        if threading.current_thread() is threading.main_thread():
            for sig in STOP_SIGNALS:
                self.old[sig] = signal.signal(sig, self._raise)
        return self

    def __exit__(self, *exc: object) -> None:
        for sig, handler in self.old.items():
            signal.signal(sig, handler)
