"""The orders a team may pick, as the team knows the board: the engine's legal orders for its sides,
less those whose legality rests on what the team cannot see (an attack or air strike where it sees no
enemy), each with a stable key a page sends back; and the combat preview of an attack, worked out
from the team's estimates only (bands, terrain and fortification), never from hidden strengths."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass

from game.engine import Order, State, crt, legal_orders
from game.engine.codec import encode
from game.engine.orders import AirStrike, Attack, CloseAir, DepotStrike, Interdict
from game.engine.view import View


@dataclass(frozen=True)
class Option:
    """One order a team may plan: the side giving it, the order, and the key that names it."""

    side: str
    order: Order
    key: str


def order_key(order: Order) -> str:
    """The order's encoding as compact JSON: stable, and all a page needs to send back."""
    return json.dumps(encode(order), sort_keys=True, separators=(",", ":"))


def _seen_enemy_places(view: View) -> frozenset[str]:
    return frozenset(e.place for e in view.estimates)


def _knowable(order: Order, view: View, enemy_at: frozenset[str], seen: frozenset[str]) -> bool:
    """Whether the team could know the order is legal from its view."""
    if isinstance(order, (Attack, AirStrike)):
        return (order.target if isinstance(order, Attack) else order.place) in enemy_at
    if isinstance(order, Interdict):
        return order.a in enemy_at and order.b in seen
    if isinstance(order, (CloseAir, DepotStrike)):
        return order.place in seen
    return True


def team_options(state: State, view: View, sides: Sequence[str]) -> list[Option]:
    """Every order the team may pick this turn, in the engine's order, side by side."""
    enemy_at = _seen_enemy_places(view)
    seen = frozenset(p.id for p in view.places if p.seen)
    out = []
    for side in sides:
        for order in legal_orders(state, side):
            if _knowable(order, view, enemy_at, seen):
                out.append(Option(side, order, order_key(order)))
    return out


@dataclass(frozen=True)
class Preview:
    """An attack's odds as the attacking team can judge them: the chance the defenders give way at the
    low and the high end of their estimated strength, and the column shifts it knows."""

    place: str
    attackers: tuple[str, ...]
    defenders: int
    chance_low: float
    chance_high: float
    shifts: tuple[tuple[str, float], ...]
    unknown: str = "the defenders' posture, supply, quality and cohesion"

    def to_dict(self) -> dict[str, object]:
        return {"place": self.place, "attackers": list(self.attackers), "defenders": self.defenders,
                "chance_low": round(self.chance_low, 3), "chance_high": round(self.chance_high, 3),
                "shifts": [[n, round(c, 2)] for n, c in self.shifts], "unknown": self.unknown}


def _chance(state: State, ratio: float, shift: float) -> float:
    _, logs, faces = crt.table(state)
    last = len(logs) - 1
    column = min(max(crt.base_column(ratio, logs) + shift, 0.0), float(last))
    lo = int(math.floor(column))
    frac = column - lo
    probs = faces[lo] * (1.0 - frac) + (faces[min(lo + 1, last)] * frac if frac > 0 else 0.0)
    return float(sum(p for name, p in zip(crt.RESULTS, probs) if name in crt.SUCCESS))


def attack_preview(state: State, view: View, place: str, attackers: Sequence[str]) -> Preview | None:
    """The preview of the team's units `attackers` (its own, by id) attacking `place`, or None when the
    team sees no enemy there. Enemy strength comes from the view's bands only (full cohesion assumed)."""
    defenders = [e for e in view.estimates if e.place == place]
    index = state.unit_index()
    own = {u.id for u in view.units}
    mine = [index[a] for a in attackers if a in own and a in index]
    if not defenders or not mine or place not in state.world.board.index:
        return None
    rules = state.rules
    attack = sum(crt.unit_power(state, u, False) for u in mine)
    per_type = [rules.type_defence.get(e.type, 1.0) for e in defenders]  # type: ignore[call-overload]
    low = sum(e.low * k for e, k in zip(defenders, per_type))
    top = [e.high if e.high != float("inf") else e.low * 2.5 for e in defenders]
    high = sum(h * k for h, k in zip(top, per_type))
    pl = state.world.board.places[state.world.board.index[place]]
    shifts = tuple((name, c) for name, c in (("terrain", rules.terrain_shift.get(pl.terrain, 0.0)),
                                             ("fortification", rules.fort_shift * pl.fort)) if abs(c) > 1e-9)
    total = sum(c for _, c in shifts)
    return Preview(place, tuple(state.units[u].id for u in mine), len(defenders),
                   _chance(state, attack / max(high, 1e-9), total), _chance(state, attack / max(low, 1e-9), total),
                   shifts)
