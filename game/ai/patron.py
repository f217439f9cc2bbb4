"""The patron planner: spend the turn's capacity where it helps the clients most, and command the
patron's own forces.

Every candidate order is scored by what it is worth to the client side (place value at stake ×
the change in the chance of holding or taking it) per capacity point, and the best are bought
until the capacity runs out. Close air support goes to the client's most endangered places and
its best attacks; air strikes at the hostile stacks that threaten it most; interdiction on the
routes those stacks would attack along; reinforcements and supply where the danger is; depot
strikes, evacuations and truces when the scenario allows them and the situation calls for them
(a patron's forces leave a place they cannot hold; it seeks a truce when its client is broken).
Only legal orders are considered, so a patron never strikes outside its declared targets or zone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from game.engine import Order, State, query
from game.engine.crt import column_factor, effect
from game.engine.legal import helped, patron_orders, strike_targets
from game.engine.morale import fail_chance
from game.engine.orders import (
    PATRON_ORDERS,
    AirStrike,
    CloseAir,
    DepotStrike,
    Evacuate,
    Interdict,
    Negotiate,
    PatronOrder,
    Reinforce,
    SupplySurge,
    channel_of,
    order_cost,
)
from game.engine.support import AIR, GROUND, SUPPLY

from .assess import View, make_view, success_chance
from .faction import Planner
from .groundwork import morale_mod
from .weights import Weights


def client_danger(v: View) -> np.ndarray:
    """Value at stake per place for the client: (value + 1) × chance of losing it."""
    n = len(v.values)
    out = np.zeros(n)
    for p in range(n):
        if v.friend_held[p] and v.threat[p] > 0:
            out[p] = (v.values[p] + 1.0) * v.enemy_chance(p)
    return out


def _hops_from(s: State, place: int) -> np.ndarray:
    """Route hops from `place` to every place, up to 12 (inf beyond or where unconnected); cached on the world."""
    w = s.world
    memo = w.cache.setdefault("ai_hops_from", {})
    hit = memo.get(place)
    if hit is None:
        b = w.board
        n = b.n_places
        graph = csr_matrix((np.ones(len(b.nbr)), b.nbr, b.indptr), shape=(n, n), copy=True)
        hit = memo[place] = np.asarray(dijkstra(graph, unweighted=True, directed=False, indices=[place], limit=12))[0]
        hit.flags.writeable = False
    return hit  # type: ignore[no-any-return]



def _among(values: np.ndarray, members: Sequence[int], size: int) -> np.ndarray:
    """`np.isin(values, members)` for indices below `size`, by a lookup table (cheaper on small arrays)."""
    table = np.zeros(size, dtype=bool)
    table[list(members)] = True
    return table[values]  # type: ignore[no-any-return]

class PatronPlanner:
    """Scores a patron's legal orders for one turn and buys the best within its capacity."""

    def __init__(self, s: State, side: str, w: Weights, rng: np.random.Generator) -> None:
        self.s, self.w, self.rng = s, w, rng
        world = s.world
        self.pi = world.patron_index[side]
        self.pat = world.patrons[self.pi]
        self.legal = patron_orders(s, self.pi)
        self.mine = helped(world, self.pi)
        clients = [world.faction_index[c] for c in self.pat.clients if c in world.faction_index]
        self.focus = clients[0] if clients else (self.mine[0] if self.mine else None)
        self.view = make_view(s, self.focus, w) if self.focus is not None else None
        self.step = column_factor(s)
        self.morale_mod = morale_mod(s)
        self.danger = self.client_danger() if self.view is not None else np.zeros(world.board.n_places)
        self._targets_at: dict[int, list[int]] | None = None

    def client_danger(self) -> np.ndarray:
        """Value at stake per place for the client side: (value + 1) × the larger of the chance of losing
        it in battle and the chance its defenders fail their morale (the collapse of December 2024 was
        one of will more than of battles)."""
        v, s = self.view, self.s
        assert v is not None
        out = client_danger(v)
        alive = (s.u_strength > 0) & _among(s.u_faction, self.mine, len(s.world.factions))
        fail = fail_chance(s, s.u_cohesion + self.morale_mod)
        for p in np.flatnonzero(v.friend_held & (v.threat > 0)).tolist():
            here = alive & (s.u_place == p)
            if here.any():
                risk = float((fail[here] * s.u_strength[here]).sum() / s.u_strength[here].sum())
                out[p] = max(out[p], (v.values[p] + 1.0) * risk)
        return out

    def level(self, channel: int) -> float:
        return effect(float(self.s.p_support[self.pi, channel]), self.s.rules)

    def jitter(self) -> float:
        return float(self.rng.random()) * (0.01 + self.w.noise)

    # --- what each kind of order is worth

    def close_air(self, p: int) -> float:
        """What close air support at `p` is worth: better odds for the client's battle there (defending or
        attacking), and steadier units (fewer failed morale checks)."""
        v = self.view
        if v is None:
            return 0.0
        s, r = self.s, self.s.rules
        boost = self.step ** (r.air_shift * self.level(AIR))
        worth = 0.0
        ours = _among(s.u_faction, self.mine, len(s.world.factions))
        mine = np.flatnonzero((s.u_place == p) & (s.u_strength > 0) & ours)
        if len(mine) and v.threat[p] > 0:
            e = s.u_cohesion[mine] + self.morale_mod[mine]
            saved = fail_chance(s, e) - fail_chance(s, e + r.morale_air * self.level(AIR))
            worth += float((saved * s.u_strength[mine]).sum()) / 1000.0 * (v.values[p] + 1.0) * 0.5
        if v.friend_held[p] and v.threat[p] > 0:  # defend: the attackers' odds fall
            before = v.enemy_chance(p)
            after = success_chance(self.s, float(v.threat[p]) / max(float(v.friend_def[p]) * boost, 1e-9))
            worth += (before - after) * (v.values[p] + 1.0) * 2.0
        own = sum(float(v.own_att[q]) for q in v.adj[p])
        if v.enemy_held[p] and own > 0 and v.enemy_def[p] > 0:  # attack: the client's odds rise
            d = max(float(v.enemy_def[p]), 1e-9)
            worth += (success_chance(self.s, own * boost / d) - success_chance(self.s, own / d)) \
                * (v.values[p] + 1.0) * self.w.aggression
        return worth

    def strike(self, p: int) -> float:
        s, r = self.s, self.s.rules
        terrain = s.world.board.places[p].terrain.value
        frac = min(0.9, r.air_strike_loss * self.level(AIR) * r.air_exposure.get(terrain, 1.0))
        here = self.strike_targets_at().get(p, [])
        worth = frac * float(s.u_strength[here].sum()) / 1000.0
        v = self.view
        if v is not None:
            worth += frac * sum(float(self.danger[q]) for q in v.adj[p]) * 2.0
        return worth

    def strike_targets_at(self) -> dict[int, list[int]]:
        """The living units the patron may strike, by place, in unit order (found once, not per candidate:
        a 20,000-place map has over ten thousand candidate strikes)."""
        if self._targets_at is None:
            s = self.s
            units = np.flatnonzero((s.u_strength > 0) & strike_targets(s, self.pi)[s.u_faction])
            self._targets_at = {}
            for u, p in zip(units.tolist(), s.u_place[units].tolist()):
                self._targets_at.setdefault(p, []).append(u)
        return self._targets_at

    def interdict(self, a: int, b: int) -> float:
        """Watching the route from hostile stack `a` to the client's place `b`."""
        v = self.view
        if v is None or not v.friend_held[b]:
            return 0.0
        return float(self.danger[b]) * 0.6 * self.level(AIR)

    def reinforce(self, p: int) -> float:
        v = self.view
        if v is None:
            return 0.0
        near = _hops_from(self.s, p)
        weight = self.danger + 0.1 * (v.values + 1.0) * v.friend_held
        reach = np.where(np.isfinite(near), weight / (1.0 + 0.5 * near), 0.0)  # a neighbour joins next turn
        return float(reach.max()) * self.level(GROUND) * 1.5

    def surge(self) -> float:
        s, f = self.s, self.focus
        if f is None:
            return 0.0
        units = (s.u_faction == f) & (s.u_strength > 0)
        short = float(np.clip(0.6 - s.u_stock[units], 0.0, None).sum()) + float((s.u_supply[units] > 0).sum())
        return (0.2 * short + 0.05 * float(self.danger.sum())) * self.level(SUPPLY)

    def depot(self, p: int) -> float:
        """A depot is struck once its holder is broken or has lost its capital: before the weapons change hands."""
        s = self.s
        holder = int(s.controller[p])
        falling = bool(s.f_collapsed[holder]) or _capital_lost(s, holder)
        return float(s.depot[p]) * 2.0 if falling else 0.0

    def evacuate(self, p: int) -> float:
        """Forces at a place they are likely to lose (and cannot be reinforced) leave it, safely."""
        s = self.s
        forces = s.world.commanded_by(self.pat.id)
        mine = (s.u_place == p) & (s.u_strength > 0) & _among(s.u_faction, forces, len(s.world.factions))
        if not mine.any():
            return 0.0
        f = int(s.u_faction[np.flatnonzero(mine)[0]])
        v = make_view(s, f, self.w)
        risk = v.enemy_chance(p)
        if bool(s.f_collapsed[f]):  # a broken command's men desert wherever they stand: those at a way out take it
            risk = 1.0
        if risk < 0.5:  # a post they can hold is kept (a truce may keep it safe)
            return 0.0
        return risk * float(s.u_strength[mine].sum()) / 1000.0 * (1.0 - self.level(GROUND))

    def negotiate(self, g: int) -> float:
        """A truce for the patron's forces, once its client is broken or has lost its capital: the more the
        other side has around the forces' posts, the more urgent."""
        s = self.s
        if self.focus is None or not (bool(s.f_collapsed[self.focus]) or _capital_lost(s, self.focus)):
            return 0.0
        forces = s.world.commanded_by(self.pat.id)
        alive = s.u_strength > 0
        posts = np.unique(s.u_place[alive & _among(s.u_faction, forces, len(s.world.factions))]).tolist()
        if not posts:
            return 0.0
        b = s.world.board
        around = sorted({q for p in posts for q in [p, *b.neighbours(p).tolist()]})
        near = _among(s.u_place, around, s.world.board.n_places)
        theirs = float(s.u_strength[alive & (s.u_faction == g) & near].sum())
        ours = float(s.u_strength[alive & _among(s.u_faction, forces, len(s.world.factions))].sum())
        return 1.0 + 10.0 * theirs / max(ours, 1.0)

    # --- buying

    def score(self, o: Order) -> float:
        b = self.s.world.board
        if isinstance(o, CloseAir):
            return self.close_air(b.index[o.place])
        if isinstance(o, AirStrike):
            return self.strike(b.index[o.place])
        if isinstance(o, Interdict):
            return self.interdict(b.index[o.a], b.index[o.b])
        if isinstance(o, Reinforce):
            return self.reinforce(b.index[o.place])
        if isinstance(o, SupplySurge):
            return self.surge()
        if isinstance(o, DepotStrike):
            return self.depot(b.index[o.place])
        if isinstance(o, Evacuate):
            return self.evacuate(b.index[o.place])
        if isinstance(o, Negotiate):
            return self.negotiate(self.s.world.faction_index[o.faction])
        return 0.0

    def plan(self) -> list[Order]:
        s = self.s
        own = [o for o in self.legal if isinstance(o, PATRON_ORDERS)]
        capacity = float(s.p_capacity[self.pi])
        spent: dict[object, float] = {}  # per support channel, as the engine counts it
        scored: list[tuple[float, int, PatronOrder]] = []
        for o in own:
            worth = self.score(o) * self.w.focus + self.jitter()
            cost = max(order_cost(s, o), 1e-9)
            if worth > 0.05:
                scored.append((-worth / cost, len(scored), o))
        scored.sort(key=lambda t: (t[0], t[1]))
        chosen: list[Order] = []
        reinforced = 0
        for _, _, o in scored:
            cost = order_cost(s, o)
            channel = channel_of(o)  # type: ignore[arg-type]
            if spent.get(channel, 0.0) + cost > capacity + 1e-9:
                continue
            if isinstance(o, Reinforce):
                if reinforced >= 2:
                    continue
                reinforced += 1
            if isinstance(o, (SupplySurge, Negotiate)) and any(type(c) is type(o) and c == o for c in chosen):
                continue
            spent[channel] = spent.get(channel, 0.0) + cost
            chosen.append(o)
        evacuated = {o.place for o in chosen if isinstance(o, Evacuate)}
        forces_w = replace(self.w, aggression=min(self.w.aggression, 0.2), reserve=1.0)  # they guard their posts
        for f in s.world.commanded_by(self.pat.id):
            orders = Planner(s, f, forces_w, self.rng).plan()
            idx = s.unit_index()
            chosen += [o for o in orders if not hasattr(o, "unit")
                       or s.world.board.places[int(s.u_place[idx[o.unit]])].id not in evacuated]
        return chosen


def _capital_lost(s: State, f: int) -> bool:
    cap = s.world.factions[f].capital
    if not cap:
        return False
    p = s.world.board.index.get(cap)
    return p is not None and not query.is_held_by_friend(s, f, p)


def patron_plan(s: State, side: str, w: Weights, rng: np.random.Generator) -> list[Order]:
    """Legal orders within this turn's capacity, most useful first, and its forces' orders."""
    return PatronPlanner(s, side, w, rng).plan()
