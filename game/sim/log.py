"""Order logs (JSON lines): a header with the starting save, then each turn's orders and hash.

Replaying a log re-resolves the logged orders with the same per-turn seeds and
must reproduce every hash.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, Any

from game.engine import Order, State, game_from_dict, game_to_dict
from game.engine.codec import decode, encode

LOG_FORMAT = "junction-log"


def encode_orders(orders: Mapping[str, Sequence[Order]]) -> dict[str, list[Any]]:
    return {side: [encode(o) for o in orders[side]] for side in orders}


def decode_orders(data: Mapping[str, list[Any]]) -> dict[str, list[Order]]:
    return {side: [decode(Order, o) for o in items] for side, items in data.items()}


class LogWriter:
    """Writes one game's log line by line, flushing each turn so a crash keeps what was played."""

    def __init__(self, path: str | Path, start: State, seed: int, source: str = "") -> None:
        self.path = Path(path)
        self._fh: IO[str] = self.path.open("w", encoding="utf-8")
        self._write({"type": "header", "format": LOG_FORMAT, "version": 1, "seed": seed, "source": source,
                     "save": game_to_dict(start)})

    def _write(self, record: dict[str, Any]) -> None:
        self._fh.write(json.dumps(record, separators=(",", ":")) + "\n")
        self._fh.flush()

    def turn(self, turn: int, orders: Mapping[str, Sequence[Order]], state_hash: str) -> None:
        self._write({"type": "turn", "turn": turn, "orders": encode_orders(orders), "hash": state_hash})

    def close(self, final_hash: str) -> None:
        self._write({"type": "end", "hash": final_hash})
        self._fh.close()


class LogError(ValueError):
    """A log that cannot be replayed, with the line it failed on."""


def read_log(path: str | Path) -> tuple[dict[str, Any], Iterator[dict[str, Any]]]:
    """The header record and an iterator over the rest."""
    p = Path(path)
    try:
        fh = p.open(encoding="utf-8")
    except OSError as exc:
        raise LogError(f"{path}: cannot read: {exc.strerror}") from None
    lines = enumerate(fh, start=1)

    def records() -> Iterator[dict[str, Any]]:
        for no, line in lines:
            if line.strip():
                yield _parse(path, no, line)
        fh.close()

    try:
        _, first = next(lines)
    except StopIteration:
        raise LogError(f"{path}:1: empty log") from None
    header = _parse(path, 1, first)
    if header.get("format") != LOG_FORMAT or header.get("type") != "header":
        raise LogError(f"{path}:1: not a Junction order log")
    return header, records()


def _parse(path: str | Path, no: int, line: str) -> dict[str, Any]:
    try:
        rec = json.loads(line)
    except json.JSONDecodeError as exc:
        raise LogError(f"{path}:{no}: not JSON ({exc.msg})") from None
    if not isinstance(rec, dict):
        raise LogError(f"{path}:{no}: expected a JSON object")
    return rec


def start_of(header: dict[str, Any]) -> State:
    """The game the log starts from (LogError when the header lacks it or it is damaged)."""
    if "save" not in header or "seed" not in header:
        raise LogError("the log's header has no starting game or seed (was it cut short?)")
    try:
        return game_from_dict(header["save"])
    except (KeyError, TypeError, ValueError) as exc:
        raise LogError(f"the log's starting game cannot be read: {exc}") from None
