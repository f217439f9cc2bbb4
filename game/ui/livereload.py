"""Live reload: while a game is open on a scenario file, saving that file (or a file it `extends`) reloads
it, keeping the camera. At the start of play the game is rebuilt at once; later F6 restarts it from the
file (after asking, since the turns played are lost). A file that no longer loads shows its located
errors over the map and the game goes on with the last good version.

A background thread watches the files with watchfiles and only posts "these files changed" to a queue
(and a WAKE event so an idle window wakes); the game scene drains the queue on the UI thread in `update`.
The thread stops when the scene ends.
"""

from __future__ import annotations

import contextlib
import os
import queue
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pygame

from .problemview import draw_problems, located

if TYPE_CHECKING:
    from game.scenario import Loaded

    from .scenes.game import GameScene

WAKE = pygame.event.custom_type()
"""Posted by the watcher thread after a change, so a window waiting for input draws again."""
DEBOUNCE_MS = 150
"""Changes closer together than this are one change (an editor's save is often several writes)."""
RELOAD_KEY = pygame.K_F6


def watched_files(path: Path) -> set[str]:
    """The scenario file and every file it extends (real paths)."""
    from game.scenario import parse_file

    files = {os.path.realpath(path)}
    with contextlib.suppress(Exception):  # a file that does not parse is still watched, alone
        files |= {os.path.realpath(p) for p in parse_file(path).parents}
    return files


class FileWatcher:
    """Watches a scenario and its parents in a daemon thread; `changed()` gives what changed since last asked."""

    def __init__(self, path: Path, debounce_ms: int = DEBOUNCE_MS) -> None:
        self.path = path
        self.debounce_ms = debounce_ms
        self.ready = threading.Event()
        """Set once the operating system is watching (changes before that may be missed)."""
        self.error: str | None = None
        self._stop = threading.Event()
        self._queue: queue.SimpleQueue[set[str]] = queue.SimpleQueue()
        self.thread = threading.Thread(target=self._run, name=f"live reload {path.name}", daemon=True)

    def start(self) -> FileWatcher:
        self.thread.start()
        return self

    def stop(self, timeout: float = 3.0) -> None:
        self._stop.set()
        if self.thread.is_alive() and threading.current_thread() is not self.thread:
            self.thread.join(timeout)

    def changed(self) -> set[str]:
        out: set[str] = set()
        while True:
            try:
                out |= self._queue.get_nowait()
            except queue.Empty:
                return out

    def _run(self) -> None:
        import watchfiles

        try:
            while not self._stop.is_set():
                files = watched_files(self.path)
                folders = sorted({os.path.dirname(f) for f in files})
                for changes in watchfiles.watch(*folders, watch_filter=_only(files),
                                                debounce=self.debounce_ms, step=50, stop_event=self._stop,
                                                rust_timeout=400, yield_on_timeout=True, recursive=False,
                                                raise_interrupt=False):
                    self.ready.set()
                    if changes:
                        self._queue.put({os.path.realpath(p) for _, p in changes})
                        wake()
                        if watched_files(self.path) != files:
                            break
        except Exception as exc:  # noqa: BLE001 - a folder that vanished: tell the UI, never crash it
            self.error = f"live reload stopped: {exc}"
            self._queue.put(set())
            wake()


def _only(files: set[str]) -> Callable[[object, str], bool]:
    return lambda _, p: os.path.realpath(p) in files


def wake() -> None:
    """Wake the UI thread's event wait (safe from any thread; a no-op without a display)."""
    with contextlib.suppress(pygame.error):
        pygame.event.post(pygame.event.Event(WAKE))


class LiveReload:
    """The game scene's side of live reload: the watcher, the error overlay, F6."""

    def __init__(self, scene: GameScene) -> None:
        self.scene = scene
        self.watcher: FileWatcher | None = None
        self.problems: list[str] = []
        self.hidden = False
        self.waiting: Loaded | None = None
        """A changed file that loads, kept until F6 (or until play is back at its start)."""

    @property
    def path(self) -> Path | None:
        source = self.scene.session.source
        return Path(source).resolve() if source and Path(source).is_file() else None

    def start(self) -> None:
        if self.path is not None and self.watcher is None:
            self.watcher = FileWatcher(self.path).start()

    def stop(self) -> None:
        if self.watcher is not None:
            self.watcher.stop()
            self.watcher = None

    def at_start(self) -> bool:
        """Whether nothing has been played yet: the game can be rebuilt without losing anything."""
        session = self.scene.session
        return session.last is None and len(session.history) <= 1

    def is_busy(self) -> bool:
        return getattr(self.scene, "anim", None) is not None or bool(getattr(self.scene, "resolving", 0))

    # --- per frame

    def update(self) -> None:
        if self.watcher is None:
            return
        if self.watcher.changed():
            self.check(manual=False)
        if self.watcher is not None and self.watcher.error:
            self.scene.app.notify(self.watcher.error, "warn", 8)
            self.stop()

    def handle(self, event: pygame.event.Event) -> bool:
        if event.type != pygame.KEYDOWN:
            return False
        if event.key == RELOAD_KEY:
            self.check(manual=True)
            return True
        if event.key == pygame.K_ESCAPE and self.problems and not self.hidden:
            self.hidden = True
            _redraw(self.scene)
            return True
        return False

    def check(self, manual: bool) -> None:
        """Load the file again: show its errors, or reload it (now, or after asking when turns were played)."""
        from game.scenario.loader import load_checked

        path = self.path or (Path(self.scene.session.source) if self.scene.session.source else None)
        if path is None:
            if manual:
                self.scene.app.notify("This game was not started from a scenario file: nothing to reload.", "warn")
            return
        _, loaded, problems = load_checked(path)
        _redraw(self.scene)
        if loaded is None:
            self.problems = located([p for p in problems if p.is_error] or problems)
            self.hidden = False
            self.waiting = None
            self.scene.app.trace(f"reload refused {path.name}")
            return
        self.problems = []
        if self.at_start() and not self.is_busy():
            self.reload(loaded)
        elif manual:
            self.confirm(loaded)
        else:
            self.waiting = loaded
            self.scene.app.notify(f"{path.name} changed on disk: F6 restarts the game from it.", "info", 6)

    def confirm(self, loaded: Loaded) -> None:
        from .scenes.dialogs import ConfirmScene

        turns = len(self.scene.session.history) - 1
        self.scene.app.push(ConfirmScene(self.scene.app, f"Restart from {Path(loaded.name).name} as it is now? "
                                         f"The {turns} turn{'s' if turns != 1 else ''} played here are lost "
                                         "(the autosaves keep them).", [
                                             ("Restart from the file", lambda: self.reload(loaded), "primary"),
                                             ("Cancel", lambda: None, None)]))

    def reload(self, loaded: Loaded) -> None:
        """A new game on the reloaded scenario, with the same players, orders that still apply, and camera."""
        from .session import Control, new_session

        old = self.scene.session
        seed = old.seed if loaded.world.meta.seed == old.state.world.meta.seed else loaded.world.meta.seed
        controls = {s: old.controls.get(s, Control(False)) for s in loaded.world.sides}
        session = new_session(loaded.state, seed, controls, old.source)
        for side, orders in old.planned.items():
            for order in orders if side in session.planned else ():
                session.plan(side, order)
        camera = self.scene.port.camera
        app = self.scene.app
        self.stop()
        app.start_session(session)
        from .scenes.game import GameScene

        scene = app.find(GameScene)
        if scene is not None:
            scene.port.camera = camera
        app.notify(f"Reloaded {Path(old.source).name}.", "good", 3)
        app.trace(f"reloaded {Path(old.source).name}")

    # --- drawing

    def draw(self, surface: pygame.Surface) -> None:
        if not self.problems or self.hidden:
            return
        name = self.path.name if self.path else "the scenario"
        draw_problems(surface, self.scene.port.rect, f"{name} does not load: still playing the last good version",
                      self.problems, "Fix the file and save it again (or press F6 to check it now). Esc hides this.",
                      getattr(self.scene.app, "scale", None) or self.scene.app.settings.ui_scale or 1.0)


def _redraw(scene: GameScene) -> None:
    """Ask an app that only draws on change to draw the next frame."""
    scene.app.dirty = True  # type: ignore[attr-defined]
