"""Saved games: JSON through the engine's serialisation, in the user's data folder.

Writes are atomic (temporary file, synced, renamed, folder synced), autosaves keep the last few, and a
save is checked completely (`game.engine.integrity`, then the session's own fields) before anything is
built from it: a corrupt, foreign or damaged file is answered with a `SaveError` whose message a player
can read, and the running game is never touched by a failed load.
"""

from __future__ import annotations

import datetime as _dt
import math
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from game.engine import Order
from game.engine.codec import kind_of, shape_problems
from game.engine.integrity import DamagedGame, game_problems, game_turns
from game.session.pins import is_pin_hash
from game.sim import files

from . import savetext
from .session import DEFAULT_LEVEL, Session, ai_levels
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
    """Write JSON to a temporary file in the same folder, rename it over `path` and sync the folder."""
    files.write_json_atomic(path, data)


def clean_temp_files(folder: Path | None = None) -> list[Path]:
    """Remove the temporary files of saves that a killed process left behind (only old ones)."""
    return files.clean_temp_files(folder or saves_dir())


def shown_turn(session: Session) -> int:
    """The turn a save is labelled with: the one being planned, or the last one played once the game is over
    (the state then already counts the turn after it)."""
    s = session.state
    return s.outcome.turn if s.outcome is not None else s.turn


def shown_date(session: Session) -> str:
    s = session.state
    return s.world.date_of(s.outcome.turn) if s.outcome is not None else s.date


def summary_of(session: Session) -> dict[str, Any]:
    """What the load list shows about a save, written into it."""
    s = session.state
    return {"title": s.world.meta.title, "turn": shown_turn(session), "date": shown_date(session),
            "over": s.is_over, "saved_at": _dt.datetime.now().isoformat(timespec="seconds")}


def write_snapshot(data: dict[str, Any], path: Path, gently: bool = False) -> None:
    """Encode a snapshot (`savetext.snapshot`) and write it atomically; SaveError when that fails
    (`gently`: encoding piece by piece, from a worker thread)."""
    try:
        files.write_atomic(path, savetext.encode(data, gently))
    except (OSError, ValueError) as exc:  # ValueError: a number that is not finite (the game is damaged)
        raise SaveError(f"could not save to {path}: {getattr(exc, 'strerror', None) or exc}") from None


def save_session(session: Session, path: Path | None = None) -> Path:
    """Save the game (default: the quick save); marks the session saved."""
    path = path or saves_dir() / QUICKSAVE
    write_snapshot(savetext.snapshot(session, summary_of(session)), path)
    session.unsaved = False
    return path


def _read_json(path: Path) -> Any:
    """The parsed file; SaveError for a missing, unreadable, non-regular (a FIFO is never opened for a
    blocking read) or invalid file."""
    try:
        return files.read_json(path, path.name)
    except FileNotFoundError:
        gone = "a link to a missing file" if path.is_symlink() else "no saved game"
        raise SaveError(f"{gone} at {path}") from None
    except files.FileProblem as exc:
        why = "" if str(exc).endswith("not a file") or not exc.damaged else " (damaged, or not a Junction save)"
        raise SaveError(f"{exc}{why}") from None


def session_from_data(data: Any, name: str) -> Session:
    """A session from parsed save data: a desk session, or a bare engine save (junction-save); every
    field is checked first, so what is built can be played."""
    if not isinstance(data, dict):
        raise SaveError(f"{name} is not a Junction save")
    fmt = data.get("format")
    if fmt == "junction-save":
        data = {"game": data}
    elif fmt != "junction-session":
        shown = "no format" if fmt is None else f"format {str(fmt)[:40]!r}"
        raise SaveError(f"{name} is not a Junction save ({shown})")
    elif data.get("version") != 1 or type(data.get("version")) is not int:
        shown = str(data.get("version"))[:20]
        raise SaveError(f"{name} was written by another version of Junction (save version {shown})")
    try:
        problems = session_problems(data)
        if problems:
            raise DamagedGame(problems)
        return Session.from_dict(data)
    except DamagedGame as exc:
        raise SaveError(f"{name} is damaged and cannot be loaded: {exc}") from None
    except (KeyError, TypeError, ValueError, IndexError, AttributeError, ArithmeticError) as exc:
        raise SaveError(f"{name} is damaged and cannot be loaded ({type(exc).__name__}: {exc})") from None


def session_problems(d: dict[str, Any]) -> list[str]:
    """Everything that makes a session's save data unplayable: its game (`game_problems`), the bots'
    weights, the seed, the seats and their AI levels, the plan and the chart's history. Empty when
    `Session.from_dict` can build a session that plays on."""
    game = d.get("game")
    out = game_problems(game)
    if out:
        return out
    from game.ai.weights import block_problems

    world = game["world"]
    sides = tuple(x["id"] for key in ("factions", "patrons") for x in world[key])
    out += [f"world.{path}: {message}" for path, message in block_problems(world.get("ai"), sides)]
    seed = d.get("seed", world["meta"].get("seed", 0))
    if type(seed) is not int or not 0 <= seed < 2**63:
        out.append(f"seed: expected a whole number from 0 to 2**63-1, got {repr(seed)[:40]}")
    out += _controls_problems(d.get("controls", {}), sides)
    planned = d.get("planned", {})
    out += shape_problems(dict[str, list[Order]], planned, "planned")
    if isinstance(planned, dict):
        out += [f"planned: unknown side {str(side)[:40]!r}" for side in planned if side not in sides][:1]
    seat = d.get("seat_index", 0)
    if type(seat) is not int or seat < 0:
        out.append(f"seat_index: expected a whole number >= 0, got {repr(seat)[:40]}")
    if not isinstance(d.get("source", ""), str):
        out.append(f"source: expected text, got {kind_of(d['source'])}")
    marked = {b.get("side") for b in world.get("benchmarks", []) or [] if isinstance(b, dict)}
    out += _history_problems(d.get("history", []), len(world["factions"]), game_turns(world), len(marked))
    log = d.get("log", [])
    if not isinstance(log, list) or not all(isinstance(x, dict) for x in log):
        out.append("log: expected a list of turn records")
    pins = d.get("pins", {})
    if not isinstance(pins, dict) or not all(isinstance(k, str) and is_pin_hash(v) for k, v in pins.items()):
        out.append("pins: expected PIN hashes by seat")
    return out + _log_problems(d, world, log)


LOG_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,120}\.jsonl")
"""An order log's file name in a save: a plain name in the saves folder, never a path."""


def _log_problems(d: dict[str, Any], world: Any, log: Any) -> list[str]:
    """The order log's start (a state of the save's world), its base (records before the start) and name."""
    out = []
    if "start" in d:
        out += [f"start.{p}" for p in game_problems({"format": "junction-save", "version": 1, "world": world,
                                                     "state": d["start"]})][:1]
    base = d.get("log_base", 0)
    if type(base) is not int or not 0 <= base <= (len(log) if isinstance(log, list) else 0):
        out.append(f"log_base: expected a whole number from 0 to the log's length, got {repr(base)[:40]}")
    name = d.get("log_name", "game.jsonl")
    if not isinstance(name, str) or not LOG_NAME.fullmatch(name):
        out.append(f"log_name: expected a file name ending .jsonl, got {repr(name)[:60]}")
    return out


def _controls_problems(controls: Any, sides: tuple[str, ...]) -> list[str]:
    """Who plays each side: known sides, human true or false, a known AI level."""
    if not isinstance(controls, dict):
        return [f"controls: expected an object, got {kind_of(controls)}"]
    levels = ai_levels()
    for side, c in controls.items():
        if side not in sides:
            return [f"controls: unknown seat {str(side)[:40]!r}; the sides are {', '.join(sides)}"]
        if not isinstance(c, dict) or type(c.get("human")) is not bool:
            return [f"controls.{side}: expected {{\"human\": true or false, \"level\": ...}}"]
        if c.get("level", DEFAULT_LEVEL) not in levels:
            return [f"controls.{side}.level: unknown AI level {str(c['level'])[:40]!r}; "
                    f"expected one of {', '.join(levels)}"]
    return []


def _history_problems(history: Any, factions: int, turns: int, sides: int = 0) -> list[str]:
    """The chart's rows: [turn, date, one score per faction, one cohesion per faction], and (saves since the
    standings were kept) one standing per side with benchmarks (`sides` of them)."""
    if not isinstance(history, list):
        return [f"history: expected a list, got {kind_of(history)}"]
    for i, row in enumerate(history):
        ok = (isinstance(row, list) and len(row) in (4, 5) and type(row[0]) is int and 1 <= row[0] <= turns + 1
              and isinstance(row[1], str) and all(isinstance(x, list) and len(x) == factions for x in row[2:4])
              and (len(row) == 4 or (isinstance(row[4], list) and len(row[4]) == sides))
              and not shape_problems(list[float], [x for part in row[2:] for x in part], "history"))
        if not ok:
            return [f"history[{i}]: expected [turn, date, {factions} scores, {factions} cohesions"
                    + (f", and optionally {sides} standings]" if sides else "]")]
    return []


def load_session(path: Path) -> Session:
    """Read a save; raises SaveError with a readable message."""
    return session_from_data(_read_json(path), path.name)


def autosave(session: Session, folder: Path | None = None, keep: int = KEEP_AUTOSAVES,
             background: bool = False, failed: Callable[[str], None] | None = None) -> Path:
    """Save as a new autosave and delete all but the newest `keep` autosaves. `background`: take the
    snapshot now and encode and write it in a worker thread (`failed` hears why, if it could not be
    written), so that End turn never waits for the disk."""
    folder = folder or saves_dir()
    stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    path = folder / f"{AUTOSAVE_PREFIX}{stamp}-t{shown_turn(session):03d}.json"
    data = savetext.snapshot(session, summary_of(session))

    def write() -> None:
        try:
            write_snapshot(data, path, gently=background)
        except SaveError as exc:
            if failed is None:
                raise
            failed(str(exc))
            return
        old = sorted(folder.glob(f"{AUTOSAVE_PREFIX}*.json"))
        for p in old[:-keep] if keep > 0 else old:
            p.unlink(missing_ok=True)

    if background:
        savetext.WRITER.start(write)
    else:
        write()
    session.unsaved = False
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


def _shown(summary: dict[str, Any], key: str) -> str:
    value = summary.get(key, "?")
    return (value if isinstance(value, str) else "?")[:60]


def save_info(path: Path) -> SaveInfo:
    """What the list shows about one file: its summary, or why it is not a save (never raises)."""
    try:
        data = _read_json(path)
        if not isinstance(data, dict) or data.get("format") != "junction-session":
            raise SaveError("not a Junction save")
        summary = data.get("summary") if isinstance(data.get("summary"), dict) else {}
        turn = summary.get("turn", 0)
        turn = turn if isinstance(turn, int) and not isinstance(turn, bool) and 0 <= turn < 10**6 else 0
        return SaveInfo(path, _kind(path), _shown(summary, "title"), turn, _shown(summary, "date"),
                        _shown(summary, "saved_at"), over=summary.get("over") is True)
    except SaveError as exc:
        problem = re.sub(rf"^{re.escape(path.name)}:(\d+): ", r"line \1: ", str(exc)).removeprefix(f"{path.name}: ")
        return SaveInfo(path, _kind(path), "?", 0, "?", "?", problem=problem)


def _modified(path: Path) -> float:
    """When a file was last changed (a dangling link: when the link was made); never raises."""
    for follow in (True, False):
        try:
            t = os.stat(path, follow_symlinks=follow).st_mtime
            return t if math.isfinite(t) else 0.0
        except OSError:
            continue
    return 0.0


def list_saves(folder: Path | None = None) -> list[SaveInfo]:
    """Every `*.json` in the folder, newest first; broken ones (a dangling link, a FIFO, bad JSON, ...) are
    listed with their problem."""
    folder = folder or saves_dir()
    try:
        paths = sorted(folder.glob("*.json"), key=_modified, reverse=True)
    except OSError:
        return []
    return [save_info(p) for p in paths]


def latest_save(folder: Path | None = None) -> Path | None:
    good = [s for s in list_saves(folder) if not s.problem]
    return good[0].path if good else None
