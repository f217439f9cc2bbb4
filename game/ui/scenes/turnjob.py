"""End turn in a worker thread: the bots choose their orders and the engine resolves the turn while the
window keeps drawing (the session itself changes only when the UI thread commits the result)."""

from __future__ import annotations

import threading
from collections.abc import Callable

from ..savetext import quick_switches
from ..session import Session, TurnResult


class TurnJob:
    """One turn being resolved in the background; `done` once `result` (or `error`) is there. `ahead`
    runs in the same thread once the turn is resolved (drawing the new map ahead of time)."""

    def __init__(self, session: Session, background: bool = True,
                 ahead: Callable[[TurnResult], None] | None = None) -> None:
        self.result: TurnResult | None = None
        self.error: str | None = None
        self._done = threading.Event()
        self._session = session
        self._ahead = ahead
        if background:
            threading.Thread(target=self._run, name="turn", daemon=True).start()
        else:
            self._run()

    def _run(self) -> None:
        try:
            with quick_switches():
                self.result = self._session.resolve()
                if self._ahead is not None:
                    self._ahead(self.result)
        except Exception as exc:  # noqa: BLE001 - shown to the player; the game goes on at the old state
            if self.result is None:
                self.error = f"{type(exc).__name__}: {exc}"
        finally:
            self._done.set()

    @property
    def done(self) -> bool:
        return self._done.is_set()

    def wait(self, timeout: float | None = None) -> bool:
        return self._done.wait(timeout)
