"""Saved games: JSON through the engine's serialisation, in the user's data folder.

Writes are atomic (temporary file, then rename), autosaves keep the last few, and a
corrupt or foreign file is answered with a `SaveError` whose message a player can read;
the running game is never touched by a failed load.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .session import Session
from .settings import APP_NAME

QUICKSAVE = "quicksave.json"
AUTOSAVE_PREFIX = "autosave-"
KEEP_AUTOSAVES = 5


class SaveError(Exception):
    """A save that cannot be written or read, with a message for the player."""


def saves_dir() -> Path:
    """$JUNCTION_DATA_DIR/saves, else the platform's user data folder/saves."""
    env = os.environ.get("JUNCTION_DATA_DIR")
    if env:
        return Path(env) / "saves"
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "saves"


def write_json_atomic(path: Path, data: Any) -> None:
    """Write JSON to a temporary file in the same folder and rename it over `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, separators=(",", ":"))
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def shown_turn(session: Session) -> int:
    """The turn a save is labelled with: the one being planned, or the last one played once the game is over
    (the state then already counts the turn after it)."""
    s = session.state
    return s.outcome.turn if s.outcome is not None else s.turn


def shown_date(session: Session) -> str:
    s = session.state
    return s.world.date_of(s.outcome.turn) if s.outcome is not None else s.date


def save_session(session: Session, path: Path | None = None) -> Path:
    """Save the game (default: the quick save); marks the session saved."""
    path = path or saves_dir() / QUICKSAVE
    s = session.state
    data = session.to_dict()
    data["summary"] = {"title": s.world.meta.title, "turn": shown_turn(session), "date": shown_date(session),
                       "over": s.is_over, "saved_at": _dt.datetime.now().isoformat(timespec="seconds")}
    try:
        write_json_atomic(path, data)
    except OSError as exc:
        raise SaveError(f"could not save to {path}: {exc.strerror or exc}") from None
    session.unsaved = False
    return path


def _read_json(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SaveError(f"no saved game at {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SaveError(f"cannot read {path.name}: {getattr(exc, 'strerror', None) or exc}") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise SaveError(f"{path.name} is damaged or not a Junction save (not valid JSON, line {exc.lineno})") from None


def session_from_data(data: Any, name: str) -> Session:
    """A session from parsed save data: a desk session, or a bare engine save (junction-save)."""
    if not isinstance(data, dict):
        raise SaveError(f"{name} is not a Junction save")
    fmt = data.get("format")
    if fmt == "junction-save":
        data = {"game": data}
    elif fmt != "junction-session":
        raise SaveError(f"{name} is not a Junction save (format {fmt!r})")
    elif data.get("version") != 1:
        raise SaveError(f"{name} was written by another version of Junction (save version {data.get('version')!r})")
    try:
        return Session.from_dict(data)
    except (KeyError, TypeError, ValueError, IndexError, AttributeError) as exc:
        raise SaveError(f"{name} is damaged and cannot be loaded ({type(exc).__name__}: {exc})") from None


def load_session(path: Path) -> Session:
    """Read a save; raises SaveError with a readable message."""
    return session_from_data(_read_json(path), path.name)


def autosave(session: Session, folder: Path | None = None, keep: int = KEEP_AUTOSAVES) -> Path:
    """Save as a new autosave and delete all but the newest `keep` autosaves."""
    folder = folder or saves_dir()
    stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    path = folder / f"{AUTOSAVE_PREFIX}{stamp}-t{shown_turn(session):03d}.json"
    save_session(session, path)
    old = sorted(folder.glob(f"{AUTOSAVE_PREFIX}*.json"))
    for p in old[:-keep] if keep > 0 else old:
        p.unlink(missing_ok=True)
    return path


@dataclass(frozen=True)
class SaveInfo:
    """What the load list shows about one save."""

    path: Path
    kind: str
    title: str
    turn: int
    date: str
    saved_at: str
    problem: str = ""
    over: bool = False

    def label(self) -> str:
        if self.problem:
            return f"{self.path.name}: {self.problem}"
        turn = f"game over after turn {self.turn}" if self.over else f"turn {self.turn}"
        return f"{self.kind}: {self.title}, {turn} ({self.date}), saved {self.saved_at.replace('T', ' ')}"


def _kind(path: Path) -> str:
    if path.name == QUICKSAVE:
        return "Quick save"
    if path.name.startswith(AUTOSAVE_PREFIX):
        return "Autosave"
    return re.sub(r"[_-]+", " ", path.stem).strip().capitalize() or "Save"


def save_info(path: Path) -> SaveInfo:
    try:
        data = _read_json(path)
        summary = data.get("summary", {}) if isinstance(data, dict) else {}
        if not isinstance(data, dict) or data.get("format") != "junction-session":
            raise SaveError("not a Junction save")
        return SaveInfo(path, _kind(path), str(summary.get("title", "?")), int(summary.get("turn", 0)),
                        str(summary.get("date", "?")), str(summary.get("saved_at", "?")),
                        over=bool(summary.get("over", False)))
    except (SaveError, TypeError, ValueError, AttributeError) as exc:
        return SaveInfo(path, _kind(path), "?", 0, "?", "?", problem=str(exc))


def list_saves(folder: Path | None = None) -> list[SaveInfo]:
    """Every save in the folder, newest first."""
    folder = folder or saves_dir()
    if not folder.is_dir():
        return []
    paths = sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
    return [save_info(p) for p in paths]


def latest_save(folder: Path | None = None) -> Path | None:
    good = [s for s in list_saves(folder) if not s.problem]
    return good[0].path if good else None
