"""The patron planner: spend the turn's capacity where the client is most threatened.

A patron surges supply when its client's cohesion nears the breakpoint, sends
reinforcements to the corridor place nearest the client's most endangered
valuable place, and flies air strikes against the hostile stacks that threaten
its client most or that its client can beat with help. An interdictor (a patron
without clients) strikes the largest exposed stacks it may hit.
"""

from __future__ import annotations

import numpy as np

from game.engine import AirStrike, Order, Reinforce, State, SupplySurge
from game.engine.combat import success_chance
from game.engine.legal import patron_orders
from game.engine.orders import order_cost

from .assess import View, make_view
from .weights import Weights


def client_danger(v: View) -> np.ndarray:
    """Value at stake per place for the client: value × chance of losing it."""
    n = len(v.values)
    out = np.zeros(n)
    for p in range(n):
        if v.friend_held[p] and v.threat[p] > 0:
            out[p] = (v.values[p] + 1.0) * v.enemy_chance(p)
    return out


def strike_score(s: State, v: View | None, pi: int, place: int, danger: np.ndarray | None) -> float:
    """What an air strike at `place` is worth: enemy losses, less threat next door, better odds for the client."""
    w = s.world
    r = s.rules
    level = float(s.p_support[pi, 0])
    terrain = w.board.places[place].terrain.value
    frac = min(0.9, r.air_strike_loss * level * r.air_exposure.get(terrain, 1.0))
    if v is None:
        return frac * float(s.u_strength[(s.u_place == place) & (s.u_strength > 0)].sum()) / 1000.0
    hit = float(v.enemy_att[place])
    score = frac * hit / 1000.0
    if danger is not None:
        score += frac * sum(float(danger[q]) for q in v.adj[place]) * 2.0
    own = sum(float(v.own_att[q]) for q in v.adj[place])
    d = max(float(v.enemy_def[place]) * (1.0 - frac), 1e-9)
    if own > 0:
        before = success_chance(own / max(float(v.enemy_def[place]), 1e-9), r)
        after = success_chance(own * (1.0 + r.air_factor * level) / d, r)
        score += (after - before) * (v.values[place] + 1.0) * 2.0
    return score


def _reinforce_choice(s: State, v: View, danger: np.ndarray, options: list[Reinforce]) -> Reinforce | None:
    """The arrival place closest to where the client's danger is greatest."""
    if not options:
        return None
    b = s.world.board
    weight = danger + 0.1 * (v.values + 1.0) * v.friend_held

    def score(o: Reinforce) -> tuple[float, str]:
        p = b.index[o.place]
        reach = weight / (1.0 + v.hops[p])
        return (-float(np.nanmax(np.where(np.isfinite(reach), reach, 0.0))), o.place)

    return min(options, key=score)


def patron_plan(s: State, side: str, w: Weights, rng: np.random.Generator) -> list[Order]:
    """Legal orders within this turn's capacity, most useful first."""
    world = s.world
    pi = world.patron_index[side]
    legal = patron_orders(s, pi)
    if not legal:
        return []
    budget = float(s.p_capacity[pi])
    pat = world.patrons[pi]
    clients = [world.faction_index[c] for c in pat.clients if c in world.faction_index]
    views = {c: make_view(s, c, w) for c in clients}
    dangers = {c: client_danger(views[c]) for c in clients}
    focus = max(clients, key=lambda c: (float(dangers[c].sum()), -c)) if clients else None
    chosen: list[Order] = []

    def take(o: Order) -> bool:
        nonlocal budget
        cost = order_cost(s, o)
        if cost > budget + 1e-9:
            return False
        budget -= cost
        chosen.append(o)
        return True

    surges = [o for o in legal if isinstance(o, SupplySurge)]
    if focus is not None:
        fac = world.factions[focus]
        for surge in surges:
            f = world.faction_index[surge.faction or pat.clients[0]]
            if float(s.f_cohesion[f]) < fac.breakpoint + w.surge_margin or bool(np.any(
                    (s.u_faction == f) & (s.u_supply == 1) & (s.u_strength > 0))):
                take(surge)
                break
        reinf = [o for o in legal if isinstance(o, Reinforce) and world.faction_index[o.faction] == focus]
        per = s.rules.reinforce_strength * float(s.p_support[pi, 1])
        n_reinf = int(np.ceil(float(s.p_reserve[pi]) / max(per, 1e-9))) if per > 0 else 0
        for _ in range(min(n_reinf, 2)):
            send = _reinforce_choice(s, views[focus], dangers[focus], reinf)
            if send is None or not take(send):
                break
    strikes = [o for o in legal if isinstance(o, AirStrike)]
    v = views.get(focus) if focus is not None else None
    danger = dangers.get(focus) if focus is not None else None
    b = world.board
    scored = sorted(strikes, key=lambda o: (-(strike_score(s, v, pi, b.index[o.place], danger) * w.focus
                                              + float(rng.random()) * (0.01 + w.noise)), o.place))
    hits: dict[str, int] = {}
    for strike in scored * 2:
        if hits.get(strike.place, 0) >= 2:
            continue
        if take(strike):
            hits[strike.place] = hits.get(strike.place, 0) + 1
    for surge in surges:
        if surge not in chosen:
            take(surge)
    return chosen
