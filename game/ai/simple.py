"""The first built-in bot, kept as a reference: greedy, legal-by-construction orders for any faction or patron
(`game.ai.choose_orders` is now the normal planner of game/ai/bot.py).

It picks only from `legal_orders`, estimates attack odds with the engine's own
combat curve, takes empty enemy places, closes on the enemy otherwise, and
spends a patron's capacity on supply, air strikes and reinforcements.
"""

from __future__ import annotations

from collections import deque

import numpy as np

from game.engine import AirStrike, Attack, Entrench, Hold, Move, Order, Reinforce, State, SupplySurge, Withdraw, query
from game.engine.crt import column_factor, success_chance
from game.engine.legal import legal_orders
from game.engine.types import Posture, Supply


def hops_to_enemy(state: State, faction: int) -> np.ndarray:
    """Route hops from every place to the nearest place held by an enemy of `faction`."""
    b = state.world.board
    dist = np.full(b.n_places, 10**6, dtype=np.int64)
    enemy = state.hostile[faction, state.controller]
    queue = deque(int(p) for p in np.flatnonzero(enemy))
    dist[enemy] = 0
    while queue:
        p = queue.popleft()
        for q in b.neighbours(p):
            if dist[q] > dist[p] + 1:
                dist[q] = dist[p] + 1
                queue.append(int(q))
    return dist


def attack_odds(state: State, unit: int, target: int) -> float:
    """A quick estimate of one unit's chance against everything hostile at `target`."""
    r = state.rules
    f = int(state.u_faction[unit])
    at = query.units_at(state, target)
    hostile = at[state.hostile[f, state.u_faction[at]]]
    place = state.world.board.places[target]
    defence = float((state.u_strength[hostile] * np.maximum(state.u_cohesion[hostile], 0.1)).sum())
    defence *= column_factor(state) ** -(r.terrain_shift.get(place.terrain.value, 0.0) + r.fort_shift * place.fort)
    attack = float(state.u_strength[unit] * max(float(state.u_cohesion[unit]), 0.1) * state.units[unit].quality)
    return success_chance(state, attack / max(defence, 1e-9))


def _unit_order(state: State, u: int, options: list[Order], hops: np.ndarray, rng: np.random.Generator) -> Order:
    b = state.world.board
    here = int(state.u_place[u])
    f = int(state.u_faction[u])
    best: tuple[float, int] = (-1e9, 0)
    for k, o in enumerate(options):
        score = 0.0
        if isinstance(o, Attack):
            t = b.index[o.target]
            p = attack_odds(state, u, t)
            score = p * (2.0 + b.places[t].value) - (1 - p) * 1.5 if p > 0.4 else -1.0
        elif isinstance(o, Move):
            t = b.index[o.to]
            if query.is_held_by_enemy(state, f, t):
                score = 1.5 + b.places[t].value
            else:
                score = 0.3 * float(hops[here] - hops[t])
        elif isinstance(o, Entrench):
            score = 0.2 if hops[here] <= 1 else 0.0
        elif isinstance(o, Hold):
            score = 0.05
        elif isinstance(o, Withdraw):
            routed = int(state.u_posture[u]) == int(Posture.ROUTED)
            cut = int(state.u_supply[u]) == int(Supply.CUT)
            score = 0.5 * float(hops[b.index[o.to]] - hops[here]) if (routed or cut) else -0.5
        score += float(rng.random()) * 0.01
        if score > best[0]:
            best = (score, k)
    return options[best[1]]


def _patron_orders(state: State, side: str, legal: list[Order], rng: np.random.Generator) -> list[Order]:
    w = state.world
    pi = w.patron_index[side]
    budget = float(state.p_capacity[pi])
    r = state.rules
    chosen: list[Order] = []
    surges = [o for o in legal if isinstance(o, SupplySurge)]
    strikes = [o for o in legal if isinstance(o, AirStrike)]
    reinf = [o for o in legal if isinstance(o, Reinforce)]

    def threat(o: AirStrike) -> float:
        p = w.board.index[o.place]
        return sum(query.place_power(state, int(q), w.faction_index[c]) for q in w.board.neighbours(p)
                   for c in w.patrons[pi].clients if c in w.faction_index) + float(rng.random())

    for surge in surges[:1]:
        if budget >= r.cost_supply_surge:
            chosen.append(surge)
            budget -= r.cost_supply_surge
    for strike in sorted(strikes, key=threat, reverse=True):
        if budget < r.cost_air_strike:
            break
        chosen.append(strike)
        budget -= r.cost_air_strike
    if reinf and budget >= r.cost_reinforce:
        chosen.append(reinf[-1])
    return chosen


def choose_orders(state: State, side: str, rng: np.random.Generator) -> list[Order]:
    """Legal orders for every unit of a faction, or a patron's spending for the turn."""
    legal = legal_orders(state, side)
    w = state.world
    if side in w.patron_index:
        return _patron_orders(state, side, legal, rng)
    by_unit: dict[str, list[Order]] = {}
    for o in legal:
        by_unit.setdefault(o.unit, []).append(o)  # type: ignore[union-attr]
    hops = hops_to_enemy(state, w.faction_index[side])
    idx = state.unit_index()
    return [_unit_order(state, idx[uid], opts, hops, rng) for uid, opts in by_unit.items()]
