"""Seats of a classroom session, from the scenario's `teams:`: each team human (with a PIN) or played by a
bot of some level; the umpire's seat has a PIN too. PINs are kept only as hashes (pins.py)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from game.engine import World
from game.engine.sight import UMPIRE

from .pins import hash_pin, is_pin_hash, new_pin

DEFAULT_LEVEL = "normal"


class SessionError(ValueError):
    """A session that cannot be set up or resumed, with a message for the facilitator."""


@dataclass(frozen=True)
class Seat:
    """One team at the table: who it is, the sides it orders, human or bot (and its level), its PIN hash."""

    id: str
    name: str
    sides: tuple[str, ...]
    human: bool = True
    level: str = DEFAULT_LEVEL
    pin_hash: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "sides": list(self.sides), "human": self.human,
                "level": self.level, "pin_hash": self.pin_hash}

    @staticmethod
    def from_dict(d: Mapping[str, Any]) -> Seat:
        seat = Seat(str(d["id"]), str(d["name"]), tuple(str(s) for s in d["sides"]), bool(d["human"]),
                    str(d.get("level", DEFAULT_LEVEL)), str(d.get("pin_hash", "")))
        if seat.human and not is_pin_hash(seat.pin_hash):
            raise SessionError(f"seat {seat.id}: its PIN hash is damaged")
        return seat


def ai_levels() -> tuple[str, ...]:
    from game.ai import LEVELS

    return tuple(LEVELS) or (DEFAULT_LEVEL,)


def team_list(world: World) -> list[tuple[str, str, tuple[str, ...]]]:
    """(id, name, sides) of the scenario's teams, or one team per side when it has none; SessionError when
    a side is in two teams (a hosted session needs each side ordered by one team)."""
    teams = [(t.id, t.name, tuple(t.sides)) for t in world.teams] or [(s, s, (s,)) for s in world.sides]
    owner: dict[str, str] = {}
    for tid, _, sides in teams:
        for s in sides:
            if s in owner:
                raise SessionError(f"side {s!r} is in the teams {owner[s]!r} and {tid!r}; a hosted session needs "
                                   "each side in one team (edit the scenario's teams:)")
            owner[s] = tid
    return teams


def make_seats(world: World, ai: Mapping[str, str] | None = None,
               pins: Mapping[str, str] | None = None) -> tuple[list[Seat], dict[str, str]]:
    """The seats of a new session and the PINs to hand out (by team id, and "umpire"). `ai`: team id ->
    bot level for teams the computer plays; `pins`: PINs chosen by the facilitator (others are random)."""
    ai, pins = dict(ai or {}), dict(pins or {})
    teams = team_list(world)
    known = {t[0] for t in teams}
    for name, where in ((t, "--ai") for t in ai):
        if name not in known:
            raise SessionError(f"{where} {name}: no such team; the teams are {', '.join(sorted(known))}")
    for name in pins:
        if name not in known and name != UMPIRE:
            raise SessionError(f"--pin {name}: no such team; the teams are {', '.join(sorted(known))} and umpire")
    levels = ai_levels()
    shown: dict[str, str] = {}
    seats = []
    for tid, name, sides in teams:
        if tid in ai:
            if ai[tid] not in levels:
                raise SessionError(f"--ai {tid}={ai[tid]}: unknown level; expected one of {', '.join(levels)}")
            seats.append(Seat(tid, name, sides, False, ai[tid]))
            continue
        pin = pins.get(tid) or new_pin()
        shown[tid] = pin
        seats.append(Seat(tid, name, sides, True, DEFAULT_LEVEL, hash_pin(pin)))
    shown[UMPIRE] = pins.get(UMPIRE) or new_pin(6)
    for who, pin in shown.items():
        if not (pin.isdigit() and 4 <= len(pin) <= 12):
            raise SessionError(f"--pin {who}: a PIN is 4 to 12 digits")
    return seats, shown
