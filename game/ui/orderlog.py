"""The desktop game's order log: the same JSON-lines log `python main.py run --log` writes (game/sim/log.py),
kept in the saves folder beside the autosaves, so `report`, `replay` and the replay viewer read a game
played at the desk.

The log is written whole again after every turn and every umpire's ruling, from the session's own records
(the save holds them), atomically through the log writer: a crash leaves the old log or the new one. Each
game has its own file name (a time stamp and a random tag), kept in its saves; a save loaded and played
on from an earlier turn than its log reaches starts a log of its own, so no game's log is ever written
over by another's (nor by another line of the same game).
"""

from __future__ import annotations

import datetime as _dt
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any

from game.engine import state_hash
from game.sim.log import LogError, LogWriter, read_log

from . import savetext
from .session import Session

REPORT_SUFFIX = "-report.html"


def new_name() -> str:
    """A file name no other game has: the time now and a random tag."""
    return f"game-{_dt.datetime.now().strftime('%Y%m%d-%H%M%S')}-{secrets.token_hex(3)}.jsonl"


def log_path(session: Session, folder: Path | None = None) -> Path:
    """Where the session's order log is (named now if it has no name yet)."""
    from .saves import saves_dir

    if not session.log_name:
        session.log_name = new_name()
    return (folder or saves_dir()) / session.log_name


def report_path(log: Path) -> Path:
    """Where the after-action report of a log goes: beside it, named after it."""
    return log.with_name(log.stem + REPORT_SUFFIX)


def logged_hashes(path: Path) -> list[str] | None:
    """The hashes of a log's turn and umpire records, or None when it is missing or not a readable log."""
    try:
        _, records = read_log(path)
        return [str(rec.get("hash")) for _, rec in records if rec.get("type") in ("turn", "override", "matrix")]
    except (LogError, OSError):
        return None


def is_continued_by(path: Path, records: list[dict[str, Any]]) -> bool:
    """Whether the log at `path` is missing, or holds a beginning of `records` (so writing them extends it)."""
    if not path.exists() and not path.is_symlink():
        return True
    hashes = logged_hashes(path)
    ours = [str(r.get("hash")) for r in records]
    return hashes is not None and hashes == ours[:len(hashes)]


def write_log(session: Session, folder: Path | None = None, background: bool = False,
              failed: Callable[[str], None] | None = None) -> Path:
    """Write the session's order log again, whole, ended at the state now; a log that another line of play
    wrote under its name is left alone and this one gets a new name. LogError or OSError when it cannot be
    written (`background`: written in the save writer's thread, after any autosave already queued, and
    `failed` hears why when it could not be)."""
    assert session.start is not None
    records = [dict(r) for r in session.log[session.log_base:]]
    path = log_path(session, folder)
    if not is_continued_by(path, records):
        session.log_name = new_name()
        path = log_path(session, folder)
    start, seed, source, final = session.start, session.seed, session.source, state_hash(session.state)

    def write() -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        writer = LogWriter(path, start, seed, source)
        for rec in records:
            writer.copy(rec)
        writer.close(final)

    def write_or_say() -> None:
        try:
            write()
        except (LogError, OSError) as exc:
            if failed is None:
                raise
            failed(str(exc))

    if background:
        savetext.WRITER.start(write_or_say)
    else:
        write()
    return path
