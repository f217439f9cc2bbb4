"""Order logs (JSON lines): a header with the starting save, then each turn's orders and hash, the
umpire's overrides and matrix actions between the turns (each with the hash after it; see
game/sim/umpiring.py and docs/classroom.md), then a final `end` record (or `interrupted`, when the run
was stopped).

Replaying a log re-resolves the logged orders with the same per-turn seeds and must reproduce every
hash. A log is written to a temporary file renamed into place at the end, and `run --log` never
overwrites a file that is not a Junction log. Every record read is checked field by field, so a
damaged log is an error naming its line, never a traceback.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, Any

from game.engine import Order, State, game_from_dict, game_to_dict
from game.engine import events as ev
from game.engine.codec import decode, encode, kind_of, shape_problems
from game.engine.rulings import Change, Modifier
from game.engine.specs import Effect

from . import files

LOG_FORMAT = "junction-log"
LOG_VERSION = 2
"""Version 2 added the umpire's records (`override`, `matrix`); a version 1 log is read as one without them."""
READS_VERSIONS = (1, 2)
HEADER_PREFIX = b'{"type":"header","format":"junction-log"'
"""How every log this program writes begins: `run --log` overwrites only files that begin so."""
HASH = re.compile(r"[0-9a-f]{64}")
RECORD_FIELDS: dict[str, dict[str, Any]] = {
    "turn": {"turn": int, "orders": dict[str, list[Order]], "hash": str},
    "override": {"turn": int, "what": str, "reason": str, "audience": list[str], "change": Change, "hash": str},
    "matrix": {"turn": int, "team": str, "action": str, "arguments": list[str], "reason": str,
               "audience": list[str], "roll": tuple[int, int], "needed": int, "success": bool, "hash": str},
    "end": {"hash": str},
    "interrupted": {"reason": str},
}
"""The fields each kind of record must have, and their types."""
OPTIONAL_FIELDS: dict[str, dict[str, Any]] = {
    "turn": {"rejected": list[dict[str, Any]]},
    "override": {"target": str, "before": str, "after": str, "by": str},
    "matrix": {"counter_arguments": list[str], "modifiers": list[Modifier], "outcome": str,
               "effects": list[Effect]},
    "end": {},
    "interrupted": {"turn": int},
}


class LogError(ValueError):
    """A log that cannot be replayed (or written), with the line it failed on. `cut_short`: the log's last
    line is incomplete (the writer ends every line, so the file was truncated or the writer killed)."""

    def __init__(self, message: str, cut_short: bool = False) -> None:
        super().__init__(message)
        self.cut_short = cut_short


def encode_orders(orders: Mapping[str, Sequence[Order]]) -> dict[str, list[Any]]:
    return {side: [encode(o) for o in orders[side]] for side in orders}


def decode_orders(data: Mapping[str, list[Any]]) -> dict[str, list[Order]]:
    return {side: [decode(Order, o) for o in items] for side, items in data.items()}


def encode_rejected(rejected: Sequence[ev.OrderRejected]) -> list[dict[str, Any]]:
    return [{"side": r.side, "order": encode(r.order), "reason": r.reason} for r in rejected]


def check_log_target(path: Path) -> None:
    """LogError unless `path` is free to be written: missing, empty, or a Junction log already."""
    try:
        with files.open_regular(path) as fh:
            start = fh.read(len(HEADER_PREFIX))
    except FileNotFoundError:
        if path.is_symlink():
            raise LogError(f"{path}: is a link to a missing file; not writing the log through it") from None
        if not path.parent.is_dir():
            raise LogError(f"{path}: the folder {path.parent} does not exist") from None
        return
    except files.FileProblem as exc:
        raise LogError(f"{exc}; the order log must go to a new file or an old log") from None
    if start and start != HEADER_PREFIX:
        raise LogError(f"{path}: exists and is not a Junction order log; not overwriting it "
                       "(choose another file name)")


class LogWriter:
    """Writes one game's log to a temporary file, flushing each turn, and renames it into place when the
    game ends (`close`) or the run is stopped (`abort`, which marks the log as interrupted)."""

    def __init__(self, path: str | Path, start: State, seed: int, source: str = "") -> None:
        self.path = Path(path)
        check_log_target(self.path)
        files.clean_temp_files(self.path.parent, self.path)
        self._fh: IO[str]
        self._fh, self._tmp = files.temp_file(self.path)
        self.last_turn = start.turn - 1
        try:
            self._write({"type": "header", "format": LOG_FORMAT, "version": LOG_VERSION, "seed": seed,
                         "source": source, "save": game_to_dict(start)})
        except BaseException:
            self._discard()
            raise

    def _write(self, record: dict[str, Any]) -> None:
        self._fh.write(json.dumps(record, separators=(",", ":"), allow_nan=False) + "\n")
        self._fh.flush()

    def turn(self, turn: int, orders: Mapping[str, Sequence[Order]], state_hash: str,
             rejected: Sequence[ev.OrderRejected] = ()) -> None:
        """One turn: its orders, the hash after it, and the orders the engine rejected (if any)."""
        record: dict[str, Any] = {"type": "turn", "turn": turn, "orders": encode_orders(orders), "hash": state_hash}
        if rejected:
            record["rejected"] = encode_rejected(rejected)
        self._write(record)
        self.last_turn = turn

    def ruling(self, record: dict[str, Any]) -> None:
        """An umpire's override or matrix action (`umpiring.override_record`, `matrix_record`)."""
        if record.get("type") not in ("override", "matrix"):
            raise ValueError(f"not an umpire's record: {record.get('type')!r}")
        self._write(record)

    def copy(self, record: dict[str, Any]) -> None:
        """A turn, override or matrix record written again as it was (a resumed session rewrites its log)."""
        if record.get("type") not in ("turn", "override", "matrix"):
            raise ValueError(f"not a turn or an umpire's record: {record.get('type')!r}")
        self._write(record)
        if record["type"] == "turn":
            self.last_turn = int(record["turn"])

    def close(self, final_hash: str) -> None:
        """The game is over or the turns asked for are played: the final record, then the log is in place."""
        self._write({"type": "end", "hash": final_hash})
        files.commit(self._fh, self._tmp, self.path)

    def abort(self, reason: str) -> bool:
        """The run stopped early: keep what was played, marked as interrupted (False if even that failed)."""
        try:
            self._write({"type": "interrupted", "reason": reason, "turn": self.last_turn})
            files.commit(self._fh, self._tmp, self.path)
            return True
        except OSError:
            self._discard()
            return False

    def _discard(self) -> None:
        self._fh.close()
        self._tmp.unlink(missing_ok=True)


def read_log(path: str | Path) -> tuple[dict[str, Any], Iterator[tuple[int, dict[str, Any]]]]:
    """The checked header record and an iterator over (line number, record) for the rest; a file that is
    not a regular file (a FIFO, a folder) is refused without being read."""
    try:
        fh = files.open_regular(Path(path), str(path))
    except FileNotFoundError:
        raise LogError(f"{path}: cannot read: no such file") from None
    except files.FileProblem as exc:
        raise LogError(str(exc)) from None
    lines = enumerate(fh, start=1)
    try:
        first = next(lines, (1, b""))[1]
        if not first.strip():
            raise LogError(f"{path}:1: empty log")
        header = _parse(path, 1, first, last=not first.endswith(b"\n"))
        check_header(path, header)
    except BaseException:
        fh.close()
        raise

    def records() -> Iterator[tuple[int, dict[str, Any]]]:
        with fh:
            for no, line in lines:
                if line.strip():
                    yield no, _parse(path, no, line, last=not line.endswith(b"\n"))

    return header, records()


def _parse(path: str | Path, no: int, line: bytes, last: bool = False) -> dict[str, Any]:
    """One line's record; `last`: the line has no newline, so a parse error means the log was cut there."""
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        raise LogError(f"{path}:{no}: not UTF-8 text") from None
    try:
        rec = files.parse_json(text.strip(), str(path), no)
    except files.FileProblem as exc:
        if last:
            what = "its header (the first line)" if no == 1 else "its last line"
            raise LogError(f"{path}:{no}: the log is cut short: {what} is incomplete", cut_short=True) from None
        raise LogError(str(exc)) from None
    if not isinstance(rec, dict):
        raise LogError(f"{path}:{no}: expected a JSON object, got {kind_of(rec)}")
    return rec


def check_header(path: str | Path, header: dict[str, Any]) -> None:
    """LogError naming line 1 unless the header is a Junction log header of a version this program reads."""
    if header.get("format") != LOG_FORMAT or header.get("type") != "header":
        raise LogError(f"{path}:1: not a Junction order log")
    version = header.get("version")
    if type(version) is not int or version not in READS_VERSIONS:
        shown = repr(version)[:20] if "version" in header else "none"
        raise LogError(f"{path}:1: log version {shown}; this program reads logs of versions "
                       f"{', '.join(map(str, READS_VERSIONS))} (a newer program wrote this one?)")
    for key in ("seed", "save"):
        if key not in header:
            raise LogError(f"{path}:1: the log's header has no {key} (was it cut short?)")
    seed = header["seed"]
    if type(seed) is not int or seed < 0:
        raise LogError(f"{path}:1: seed: expected a whole number >= 0, got {repr(seed)[:40]}")
    if not isinstance(header.get("source", ""), str):
        raise LogError(f"{path}:1: source: expected text, got {kind_of(header['source'])}")


def a(word: str) -> str:
    """'an override', 'a turn'."""
    return f"{'an' if word[:1] in 'aeiou' else 'a'} {word}"


def check_record(path: str | Path, no: int, rec: dict[str, Any]) -> str:
    """The record's type, after checking every field's type; LogError naming the line otherwise."""
    kind = rec.get("type")
    if kind not in RECORD_FIELDS:
        shown = f"unknown record type {repr(kind)[:40]}" if "type" in rec else "a record without a type"
        raise LogError(f"{path}:{no}: {shown}; expected {', '.join(RECORD_FIELDS)}")
    known = RECORD_FIELDS[kind] | OPTIONAL_FIELDS[kind]
    for key in rec:
        if key != "type" and key not in known:
            raise LogError(f"{path}:{no}: unknown field {str(key)[:40]!r} in {a(kind)} record")
    for key, tp in known.items():
        if key not in rec:
            if key in RECORD_FIELDS[kind]:
                raise LogError(f"{path}:{no}: {a(kind)} record without {key!r}")
            continue
        problems = shape_problems(tp, rec[key], key)
        if problems:
            raise LogError(f"{path}:{no}: {problems[0]}")
    if "hash" in rec and not HASH.fullmatch(rec["hash"]):
        raise LogError(f"{path}:{no}: hash: expected 64 hexadecimal digits, got {rec['hash'][:70]!r}")
    return str(kind)


def start_of(header: dict[str, Any]) -> State:
    """The game the log starts from (LogError when the header lacks it or it is damaged)."""
    if "save" not in header or "seed" not in header:
        raise LogError("the log's header has no starting game or seed (was it cut short?)")
    try:
        return game_from_dict(header["save"])
    except (KeyError, TypeError, ValueError) as exc:
        raise LogError(f"the log's starting game is damaged: {exc}") from None
