"""A save's JSON text, made cheaply enough to write one every turn: the world (places, routes, factions:
the same on every turn of a game) is encoded once per game and reused, and an autosave is encoded and
written in a background thread from a snapshot taken in the UI thread. The text is the same JSON a
plain `json.dumps` of `Session.to_dict()` gives, so loading and its checks see no difference."""

from __future__ import annotations

import json
import sys
import threading
from collections.abc import Callable
from typing import Any

from game.engine import World

from .session import Session

_MARK = "\u0000world\u0000"
_WORLDS: dict[int, tuple[World, str]] = {}
_LOCK = threading.Lock()


def world_text(world: World) -> str:
    """The world's JSON, encoded once per world (a game's world never changes)."""
    with _LOCK:
        hit = _WORLDS.get(id(world))
        if hit is not None and hit[0] is world:
            return hit[1]
    text = json.dumps(world.to_dict(), separators=(",", ":"), allow_nan=False)
    with _LOCK:
        if len(_WORLDS) >= 4:
            _WORLDS.pop(next(iter(_WORLDS)))
        _WORLDS[id(world)] = (world, text)
    return text


def snapshot(session: Session, summary: dict[str, Any]) -> dict[str, Any]:
    """What a save holds, taken now (cheap: the plan, the chart, the log; the state itself is read later,
    as nothing changes a state once it is played): safe to encode in another thread."""
    data = session.to_dict(world=False, state=False)
    data["log"] = list(data["log"])
    data["summary"] = summary
    data["_state"] = session.state
    return data


def encode(data: dict[str, Any], gently: bool = False) -> str:
    """The JSON text of a snapshot: the state encoded now, the world spliced in from its cached text.
    `gently`: encode piece by piece (slower, but a worker thread then never holds up the window's frames
    for the whole encoding at once, as one call of the C encoder would)."""
    data = dict(data)
    state = data.pop("_state")
    game = {"format": "junction-save", "version": 1, "world": _MARK, "state": state.to_dict()}
    data = {"format": data.pop("format"), "version": data.pop("version"), "game": game, **data}
    if gently:
        text = "".join(json.JSONEncoder(separators=(",", ":"), allow_nan=False).iterencode(data))
    else:
        text = json.dumps(data, separators=(",", ":"), allow_nan=False)
    return text.replace(json.dumps(_MARK), world_text(state.world), 1)  # the first string after fixed keys


class Writer:
    """Writes saves in a background thread, one after another; `wait` before the program ends."""

    def __init__(self) -> None:
        self._threads: list[threading.Thread] = []
        self._order = threading.Lock()

    def start(self, job: Callable[[], None]) -> None:
        def run() -> None:
            with self._order, quick_switches():
                job()

        t = threading.Thread(target=run, name="autosave", daemon=True)
        self._threads = [x for x in self._threads if x.is_alive()] + [t]
        t.start()

    def wait(self, timeout: float = 10.0) -> bool:
        """Let pending writes finish; False if some did not within `timeout` seconds."""
        for t in list(self._threads):
            t.join(timeout)
        return not any(t.is_alive() for t in self._threads)

    @property
    def busy(self) -> bool:
        return any(t.is_alive() for t in self._threads)


WRITER = Writer()
_SWITCHING = [0]
_SWITCH_LOCK = threading.Lock()


class quick_switches:  # noqa: N801 - used as a context manager
    """While worker threads run, Python hands the interpreter between threads every millisecond instead
    of every five, so the window's frames are not held up behind a worker."""

    def __enter__(self) -> None:
        with _SWITCH_LOCK:
            if _SWITCHING[0] == 0:
                _SWITCHING.append(sys.getswitchinterval())
                sys.setswitchinterval(0.001)
            _SWITCHING[0] += 1

    def __exit__(self, *exc: object) -> None:
        with _SWITCH_LOCK:
            _SWITCHING[0] -= 1
            if _SWITCHING[0] == 0 and len(_SWITCHING) > 1:
                sys.setswitchinterval(_SWITCHING.pop())

