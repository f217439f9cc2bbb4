"""The faction planner's groundwork: what a faction's plan needs that depends on neither the weights nor
the dice, worked out once per state and faction and kept in the state's cache (the hard bot plans one
state under several personalities, and predicts every other side's plan on it). Everything here is
shared by the planners of one state: read it, never change it."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from game.engine import Attack, Move, Order, State, Withdraw, query
from game.engine.context import TurnContext
from game.engine.legal import unit_orders
from game.engine.morale import fail_chance, morale_modifiers
from game.engine.types import Posture

from .assess import View, _cached, open_matrix


def morale_fail(s: State) -> NDArray[np.float64]:
    """Per unit: the chance it fails a morale check this turn, as the engine would judge it now
    (the same for every side: worked out once per state)."""
    return _cached(s, "ai_morale_fail", lambda: _frozen(fail_chance(s, s.u_cohesion + morale_mod(s))))


def morale_mod(s: State) -> NDArray[np.float64]:
    """Per unit: the engine's morale check modifier at the start of the turn (worked out once per state)."""
    return _cached(s, "ai_morale_mod", lambda: _frozen(morale_modifiers(s, TurnContext(start=s))[0]))


def _frozen(a: NDArray[np.float64]) -> NDArray[np.float64]:
    """`a`, made read-only (every planner of the state shares it)."""
    a.flags.writeable = False
    return a


def cities(s: State) -> list[bool]:
    """Per place: urban ground or strongly fortified, where fighting goes on in the streets (cached)."""
    hit = s.world.cache.get("ai_cities")
    if hit is None:
        hit = s.world.cache["ai_cities"] = [p.terrain.value == "urban" or p.fort >= 2 for p in s.world.board.places]
    return hit  # type: ignore[no-any-return]


@dataclass(frozen=True)
class Groundwork:
    """One faction's units and their legal orders, indexed the ways the planner looks them up."""

    units: list[int]
    options: dict[int, list[Order]]
    moves: dict[int, dict[int, Move]]
    attacks: dict[int, dict[int, Attack]]
    withdraws: dict[int, dict[int, Withdraw]]
    movers_to: dict[int, list[int]]
    """Units that may move to a place, in unit order (so no phase scans every unit for every place)."""
    attackers_to: dict[int, list[int]]
    units_at: dict[int, list[int]]
    count: NDArray[np.int64]
    """The faction's units per place (read-only: the planner books moves on a copy)."""
    facing: NDArray[np.bool_]
    """Per place: whether units of the side or its allies stand there or next door."""
    no_stand: NDArray[np.float64]
    """Per place: the chance none of the hostile units there stands on a retreat result (all fail their check)."""


def groundwork(s: State, v: View) -> Groundwork:
    """The groundwork of `v.faction`'s plan on `s` (cached in the state)."""
    return _cached(s, f"ai_groundwork_{v.faction}", lambda: _make(s, v))


def _make(s: State, v: View) -> Groundwork:
    n = s.world.board.n_places
    idx = s.world.board.index
    units = [int(u) for u in query.units_of(s, v.faction)]
    options = {u: unit_orders(s, u) for u in units}
    moves: dict[int, dict[int, Move]] = {}
    attacks: dict[int, dict[int, Attack]] = {}
    withdraws: dict[int, dict[int, Withdraw]] = {}
    for u, opts in options.items():
        moves[u] = {idx[o.to]: o for o in opts if isinstance(o, Move)}
        attacks[u] = {idx[o.target]: o for o in opts if isinstance(o, Attack)}
        withdraws[u] = {idx[o.to]: o for o in opts if isinstance(o, Withdraw)}
    movers_to: dict[int, list[int]] = {}
    attackers_to: dict[int, list[int]] = {}
    units_at: dict[int, list[int]] = {}
    for u in units:
        units_at.setdefault(int(s.u_place[u]), []).append(u)
        for q in moves[u]:
            movers_to.setdefault(q, []).append(u)
        for q in attacks[u]:
            attackers_to.setdefault(q, []).append(u)
    count = np.bincount(s.u_place[units], minlength=n) if units else np.zeros(n, dtype=np.int64)
    att = np.bincount(s.u_place[v.friend_u], weights=v.powers.attack[v.friend_u], minlength=n)
    facing = (att + open_matrix(s) @ att) > 0
    no_stand = np.ones(n)
    fail = morale_fail(s)
    for u in np.flatnonzero(v.hostile_u).tolist():
        if float(s.u_cohesion[u]) >= s.rules.stand_cohesion and int(s.u_posture[u]) != int(Posture.ROUTED):
            no_stand[int(s.u_place[u])] *= float(fail[u])
    for a in (count, facing, no_stand):
        a.flags.writeable = False
    return Groundwork(units, options, moves, attacks, withdraws, movers_to, attackers_to, units_at, count, facing,
                      no_stand)
