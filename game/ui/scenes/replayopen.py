"""Opening a game log for the replay viewer: a list of the logs found in the usual folders, like the load
dialog, or any path typed in. A log that cannot be played back is answered with a dialog giving the error
with its file and line (`LogError`), never a traceback, and nothing else changes."""

from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import Any

import pygame
from pygame_gui.elements import UITextEntryLine

from game.sim.log import HEADER_PREFIX, LogError

from .. import saves
from ..replaybook import open_book
from . import widgets as w
from .base import key_event
from .dialogs import ConfirmScene, Dialog

LOG_SUFFIX = ".jsonl"


def log_folders() -> list[Path]:
    """Where logs are looked for: the saves folder, a `logs` folder beside it, the working folder and its
    `logs` folder (where `run --log` and `host` usually write them)."""
    data = saves.saves_dir()
    out: list[Path] = []
    for folder in (data, data.parent / "logs", Path.cwd(), Path.cwd() / "logs"):
        if folder.resolve() not in [f.resolve() for f in out]:
            out.append(folder)
    return out


def is_log_file(path: Path) -> bool:
    """Whether the file starts as every Junction log does (a cheap look at its first bytes)."""
    try:
        with path.open("rb") as fh:
            return fh.read(len(HEADER_PREFIX)) == HEADER_PREFIX
    except OSError:
        return False


def log_files(folders: list[Path] | None = None) -> list[Path]:
    """The .jsonl files of the folders, newest first."""
    found: list[tuple[float, Path]] = []
    for folder in folders or log_folders():
        try:
            paths = [p for p in folder.glob(f"*{LOG_SUFFIX}") if p.is_file()]
        except OSError:
            continue
        for p in paths:
            try:
                found.append((p.stat().st_mtime, p))
            except OSError:
                continue  # gone since the folder was read
    return [p for _, p in sorted(found, key=lambda tp: -tp[0])]


def label_of(path: Path) -> str:
    """'game.jsonl · 2024-12-07 10:00 · /its/folder', and a warning when it does not start as a log."""
    try:
        when = _dt.datetime.fromtimestamp(path.stat().st_mtime).strftime("%Y-%m-%d %H:%M")
    except (OSError, ValueError, OverflowError):
        when = "date unknown"
    note = "" if is_log_file(path) else " — not a Junction game log"
    return f"{path.name}  ·  {when}  ·  {path.parent}{note}"


def show_error(app: Any, message: str) -> None:
    """A dialog with the problem, and an OK button."""
    app.push(ConfirmScene(app, message, [("OK", lambda: None, "primary")]))


def open_replay(app: Any, path: str | Path, team: str | None = None) -> bool:
    """Play the log back and show it in the replay viewer; a dialog with the located error otherwise."""
    from .replay import ReplayScene

    try:
        book = open_book(path)
    except LogError as exc:
        show_error(app, f"This game log cannot be replayed: {exc}")
        return False
    except (OSError, ValueError) as exc:
        show_error(app, f"This game log cannot be replayed: {path}: {exc}")
        return False
    if team is not None and team not in book.teams:
        show_error(app, f"No team {team!r} in {path}; the views are {', '.join(book.teams)}")
        return False
    app.push(ReplayScene(app, book, team or "umpire"))
    return True


class ReplayOpenScene(Dialog):
    """Game logs found in the usual folders, newest first; or type a log's path and press Enter."""

    name = "replay-open"
    width, height = 900, 600

    def __init__(self, app: Any) -> None:
        super().__init__(app)
        self.files = log_files()
        self.list = w.ListView(pygame.Rect(0, 0, 1, 1), 16)
        self.entry: UITextEntryLine | None = None

    def build(self) -> None:
        r = self.box()
        self.list.rect = pygame.Rect(r.left + self.s(24), r.top + self.s(80), r.width - self.s(48),
                                     r.height - self.s(230))
        self.list.size = self.s(16)
        self.list.rows = [w.Row(label_of(p), value=k, ink=w.INK if is_log_file(p) else w.WARN)
                          for k, p in enumerate(self.files)]
        y = r.bottom - self.s(136)
        self.entry = UITextEntryLine(pygame.Rect(r.left + self.s(24), y, r.width - self.s(230), self.s(42)),
                                     self.app.manager, placeholder_text="or type a log's path, e.g. game.jsonl")
        self.ui.append(self.entry)
        self.button(pygame.Rect(r.right - self.s(190), y, self.s(166), self.s(42)), "Open path", self.open_typed,
                    tooltip="Open the log whose path is typed (Enter)")
        self.button(pygame.Rect(r.right - self.s(180), r.bottom - self.s(66), self.s(156), self.s(46)), "Cancel",
                    self.close)

    def open_path(self, path: Path) -> None:
        self.close()
        open_replay(self.app, path)

    def open_typed(self) -> None:
        typed = self.entry.get_text().strip() if self.entry is not None else ""
        if typed:
            self.open_path(Path(typed).expanduser())

    def handle(self, event: pygame.event.Event) -> bool:
        if event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
            row = self.list.click(event.pos)
            if row is not None:
                self.open_path(self.files[int(row.value)])  # type: ignore[call-overload]
                return True
        if event.type == pygame.MOUSEWHEEL:
            self.list.wheel(event.y)
            return True
        if key_event(event, pygame.K_RETURN, pygame.K_KP_ENTER):
            self.open_typed()
            return True
        return super().handle(event)

    def draw(self, surface: pygame.Surface) -> None:
        super().draw(surface)
        r = self.box()
        w.text(surface, "Replay a game log", (r.left + self.s(24), r.top + self.s(24)), self.s(26), w.INK, bold=True)
        w.text(surface, w.fit_text("Game logs (.jsonl) in the saves folder, the working folder and their 'logs' "
                                   "folders; each row names its folder", self.s(13), r.width - self.s(48)),
               (r.left + self.s(24), r.top + self.s(56)), self.s(13), w.MUTED)
        if not self.files:
            w.text(surface, "No game logs found here. 'python main.py run SCENARIO --log game.jsonl' writes one.",
                   self.list.rect.topleft, self.s(16), w.MUTED)
        self.list.draw(surface)
