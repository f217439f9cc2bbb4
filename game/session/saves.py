"""A hosted game's save and its resumption: the save holds the starting game, the log's records, the
seats (PIN hashes only), the drafts, the ready marks and the turn's time left; resuming plays the
records again from the start, each checked against its hash, so a damaged or edited save is refused
with a message rather than resumed wrong."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from game.engine import Order, game_from_dict, resolve_turn, state_hash, turn_rng
from game.engine.codec import decode
from game.sim import files
from game.sim.log import LogError

from .hosted import CLOSED, FORMAT, OPEN, OVER, VERSION, HostedGame
from .options import order_key
from .pins import is_pin_hash
from .seats import Seat, SessionError


class SaveInUse(SessionError):
    """A new session's save would replace a hosted session's save: that session is resumed, never started
    over. `code` and `turn` name it (None when the save is too damaged to say); `over`: its game has ended
    (after turn `turn` - 1: a finished game's state is at the turn after its last)."""

    def __init__(self, path: Path, code: str | None, turn: int | None, over: bool = False) -> None:
        at = "" if turn is None else f", game over after turn {turn - 1}" if over else f" at turn {turn}"
        super().__init__(f"{path}: holds the hosted session {code or '(code unreadable)'}{at}")
        self.path, self.code, self.turn, self.over = path, code, turn, over


def check_save_target(path: Path) -> None:
    """SessionError unless `path` is free for a new session's save: missing or empty. A hosted session's
    save there is `SaveInUse` (resume it instead); any other file is never overwritten."""
    try:
        data = files.read_json(path, str(path))
    except FileNotFoundError:
        if path.is_symlink():
            raise SessionError(f"{path}: is a link to a missing file; not writing the save through it") from None
        return
    except files.FileProblem as exc:
        if not exc.damaged or not path.is_file():  # unreadable just now, or a folder, a FIFO, a device
            raise SessionError(f"{exc}; the save must go to a new file") from None
        if path.stat().st_size == 0:
            return
        data = None  # not JSON, not UTF-8, or too large: not a save
    if isinstance(data, dict) and data.get("format") == FORMAT:
        code, turn = data.get("code"), data.get("turn")
        raise SaveInUse(path, code if isinstance(code, str) else None, turn if type(turn) is int else None,
                        data.get("phase") == OVER)
    raise SessionError(f"{path}: exists and is not a hosted session's save; not overwriting it "
                       "(choose another file name)")


def resume_game(data: Mapping[str, Any], name: str, now: float, save_path: Path | None = None,
                log_path: Path | None = None) -> HostedGame:
    """A hosted game from its save: the log's records are played again from the start (each checked
    against its hash), then the drafts, ready marks and the turn's clock are restored, and the order log
    is written again (at `log_path` when given, else where the save says; LogError when that file is not
    a Junction order log)."""
    if not isinstance(data, Mapping) or data.get("format") != FORMAT:
        raise SessionError(f"{name} is not a hosted session's save")
    if data.get("version") != VERSION:
        raise SessionError(f"{name} was written by another version of Junction")
    try:
        start = game_from_dict(dict(data["start"]))
        seats = [Seat.from_dict(s) for s in data["seats"]]
        umpire = str(data["umpire_pin_hash"])
        if not is_pin_hash(umpire):
            raise SessionError(f"{name}: the umpire's PIN hash is damaged")
        log = data.get("log")
        game = HostedGame(start, int(data["seed"]), seats, umpire, str(data["code"]), str(data.get("source", "")),
                          log_path or (Path(log) if log else None), save_path)
        _replay(game, list(data["records"]), name)
        for team, items in dict(data.get("drafts", {})).items():
            if team in game.drafts:
                _restore_draft(game, team, items)
        game.phase = str(data.get("phase", CLOSED))
        if game.phase not in (CLOSED, OPEN, OVER) or game.state.is_over:
            game.phase = OVER if game.state.is_over else CLOSED
        game.ready = {t for t in data.get("ready", []) if t in game.drafts} if game.phase == OPEN else set()
        left = data.get("seconds_left")
        game.deadline = now + float(left) if game.phase == OPEN and isinstance(left, (int, float)) else None
    except SessionError:
        raise
    except LogError as exc:
        raise SessionError(f"{name}: its game cannot be played again: {exc}") from None
    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
        raise SessionError(f"{name} is damaged ({type(exc).__name__}: {str(exc)[:200]})") from None
    game.write_log()
    return game


def _restore_draft(game: HostedGame, team: str, items: list[Any]) -> None:
    """A team's saved draft, keeping only the orders it may still give (checked as a page's would be)."""
    options = {o.key: o for o in game.options(team)}
    for _, enc in items:
        option = options.get(order_key(decode(Order, enc)))
        if option is not None and game.over_capacity(team, option) is None:
            game.drafts[team].plan(option.side, option.order)
    game.drafts[team].undo = []


def _replay(game: HostedGame, records: list[dict[str, Any]], name: str) -> None:
    from game.sim.log import check_record, decode_orders

    for no, rec in enumerate(records, start=1):
        kind = check_record(name, no, rec)
        if kind == "turn":
            before = game.state
            orders = decode_orders(rec["orders"])
            after, events = resolve_turn(before, orders, turn_rng(game.seed, before.turn))
            if state_hash(after) != rec["hash"]:
                raise SessionError(f"{name}: record {no}: turn {before.turn} plays out differently from the save")
            game.table.resolved(before, orders, after, events)
            game.recent = list(events)
        elif kind in ("override", "matrix"):
            ruling = game.table.replay_record(name, no, rec)
            game.recent = list(ruling.last.events) if ruling.last is not None else game.recent + list(ruling.events)
        else:
            raise SessionError(f"{name}: record {no}: unexpected {kind} record")
        game.records.append(dict(rec))
    game.revision += 1


def read_save(path: Path, now: float, log_path: Path | None = None) -> HostedGame:
    """A hosted session's save from a file; SessionError with a readable message (LogError when its order
    log, or `log_path` instead, is a file that is not a Junction order log)."""
    try:
        data = files.read_json(path, path.name)
    except FileNotFoundError:
        raise SessionError(f"{path}: no such file") from None
    except files.FileProblem as exc:
        raise SessionError(str(exc)) from None
    return resume_game(data, path.name, now, path, log_path)


