"""Worker processes for local batches that never outlive the parent.

Each worker plays chunks of runs sent down a pipe. Workers leave Ctrl-C to the parent (which
stops the batch and kills them at once), die on SIGTERM, and watch their parent: when it is gone,
even after kill -9, they exit within a fraction of a second.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
import sys
import threading
import time
import traceback
from collections import deque
from collections.abc import Callable, Sequence
from contextlib import suppress
from multiprocessing.connection import Connection, wait
from typing import Any, cast

from .batch_signals import STOP_SIGNALS, signals_blocked

WATCH_SECONDS = 0.2
"""How often a worker checks that its parent is still there."""


class WorkerLost(RuntimeError):
    """A worker process stopped without being asked to (killed, out of memory, …)."""


class WorkerFailed(RuntimeError):
    """A run raised an exception inside a worker; the message holds the worker's traceback."""


def _context() -> Any:
    """fork on Linux (fast: nothing to import or pickle again), spawn elsewhere (fork is unsafe on macOS)."""
    return mp.get_context("fork" if sys.platform.startswith("linux") else "spawn")


def _watch_parent(parent_pid: int) -> None:
    """Exit the worker when its parent is gone (the parent pid changes, or its sentinel closes)."""
    parent = mp.parent_process()
    while True:
        if (hasattr(os, "getppid") and os.getppid() != parent_pid) or (parent is not None and not parent.is_alive()):
            os._exit(3)
        time.sleep(WATCH_SECONDS)


def _worker_main(play: Callable[[Any, Any], Any], spec: Any, conn: Connection, parent_pid: int) -> None:
    """A worker's loop: receive a chunk, send back ("ok", result) or ("error", traceback); stop at end of pipe."""
    if hasattr(signal, "SIGINT"):
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "SIGTERM"):
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
    threading.Thread(target=_watch_parent, args=(parent_pid,), daemon=True, name="watch-parent").start()
    while True:
        try:
            chunk = conn.recv()
        except (EOFError, OSError):
            return
        try:
            reply: tuple[str, Any] = ("ok", play(spec, chunk))
        except Exception:  # noqa: BLE001 - a bug in a run is reported by the parent with this traceback
            reply = ("error", traceback.format_exc())
        try:
            conn.send(reply)
        except (EOFError, OSError):
            return


class WorkerPool:
    """`size` worker processes that each build `spec` once and play the chunks given to `play_all`."""

    def __init__(self, play: Callable[[Any, Any], Any], spec: Any, size: int) -> None:
        self.play = play
        self.spec = spec
        self.size = max(1, size)
        self.procs: list[Any] = []
        self.conns: list[Connection] = []

    def start(self) -> None:
        ctx = _context()
        for i in range(self.size):
            mine, theirs = ctx.Pipe()
            proc = ctx.Process(target=_worker_main, args=(self.play, self.spec, theirs, os.getpid()),
                               name=f"junction-sim-{i + 1}", daemon=True)
            with signals_blocked():
                proc.start()
                self.procs.append(proc)
                self.conns.append(mine)
            theirs.close()

    def play_all(self, chunks: Sequence[Any], done: Callable[[Any], None]) -> None:
        """Play every chunk, one at a time per worker, calling `done(result)` as each finishes."""
        todo = deque(chunks)
        busy: dict[Connection, int] = {}
        for k, conn in enumerate(self.conns):
            if todo:
                conn.send(todo.popleft())
                busy[conn] = k
        while busy:
            for ready in wait(list(busy), timeout=0.5):
                conn = cast(Connection, ready)
                k = busy.pop(conn)
                try:
                    kind, payload = conn.recv()
                except (EOFError, OSError):
                    raise WorkerLost(self._lost(k)) from None
                if kind != "ok":
                    raise WorkerFailed(f"a run failed in worker process {self.procs[k].pid}:\n{payload}")
                done(payload)
                if todo:
                    conn.send(todo.popleft())
                    busy[conn] = k

    def _lost(self, k: int) -> str:
        proc = self.procs[k]
        proc.join(1.0)
        code = proc.exitcode
        how = (f"signal {-code}" if code is not None and code < 0 else f"exit code {code}") if code is not None \
            else "no exit code"
        return f"worker process {proc.pid} stopped ({how})"

    def stop(self, at_once: bool) -> None:
        """End the workers: closing their pipes lets idle ones exit; `at_once` (or a worker that lingers)
        kills them first. Kills are sent before any wait, so an interrupt here still leaves none behind."""
        if at_once:
            with signals_blocked():  # a second Ctrl-C now waits for every kill to be sent
                self.kill()
        for conn in self.conns:
            conn.close()
        deadline = time.monotonic() + 2.0
        for proc in self.procs:
            proc.join(max(0.0, deadline - time.monotonic()))
        if any(p.is_alive() for p in self.procs):
            self.kill()
            for proc in self.procs:
                proc.join(1.0)

    def kill(self) -> None:
        for proc in self.procs:
            if proc.exitcode is None:
                with suppress(OSError, ValueError):
                    proc.kill()
