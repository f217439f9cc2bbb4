"""What a bot sees: combat power per unit and place (the engine's own formula), threats,
objective values and distances. Static parts are cached per world. Distances come from searches
bounded by what is asked (one row, or one search from every target at once), never from an all-pairs
table: at 20,000 places such a table takes 3.2 GB."""

from __future__ import annotations

import heapq
import math
import weakref
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, TypeVar

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import shortest_path

from game.engine import Order, State, World, crt
from game.engine.legal import allowed_actions, check_order, helped, in_zone
from game.engine.movement import theatre_mask
from game.engine.supply import supply_distances
from game.engine.support import AIR
from game.engine.types import Posture, Supply

from .weights import Weights

FArr = NDArray[np.float64]
T = TypeVar("T")

_STATIC: weakref.WeakKeyDictionary[World, dict[object, object]] = weakref.WeakKeyDictionary()


def _cached(s: State, key: object, make: Callable[[], T]) -> T:
    """A derived lookup kept in the state's cache (cleared by the engine whenever the state changes)."""
    hit = s.cache.get(key)
    if hit is None:
        hit = s.cache[key] = make()
    return hit  # type: ignore[no-any-return]


def neighbours(world: World) -> list[list[int]]:
    """Places one route away from each place (open or not), cached per world."""
    cache = _STATIC.setdefault(world, {})
    adj = cache.get("neighbours")
    if adj is None:
        b = world.board
        nbr = b.nbr.tolist()
        ptr = b.indptr.tolist()
        adj = cache["neighbours"] = [sorted(set(nbr[ptr[p]:ptr[p + 1]])) for p in range(b.n_places)]
    return adj  # type: ignore[return-value]


class HopRows:
    """Route hops from one place to every other (inf when unconnected): `rows[p]`. Each row is one
    breadth-first search, kept for the world's later turns up to ROWS_KEPT rows, so a bot never needs
    the n × n table (3.2 GB at 20,000 places)."""

    ROWS_KEPT = 64

    def __init__(self, world: World) -> None:
        b = world.board
        n = b.n_places
        self._graph = csr_matrix((np.ones(len(b.nbr)), b.nbr.copy(), b.indptr.copy()), shape=(n, n))
        self._rows: OrderedDict[int, FArr] = OrderedDict()

    def __getitem__(self, place: int) -> FArr:
        row = self._rows.get(place)
        if row is None:
            row = np.asarray(shortest_path(self._graph, unweighted=True, directed=False, indices=place))
            row.flags.writeable = False
            self._rows[place] = row
            if len(self._rows) > self.ROWS_KEPT:
                self._rows.popitem(last=False)
        else:
            self._rows.move_to_end(place)
        return row


def hop_rows(world: World) -> HopRows:
    """The world's hop rows (cached per world)."""
    cache = _STATIC.setdefault(world, {})
    rows = cache.get("hop_rows")
    if rows is None:
        rows = cache["hop_rows"] = HopRows(world)
    return rows  # type: ignore[return-value]


def best_reach(world: World, want: FArr, per_hop: float) -> FArr:
    """For every place p, the best of want[t] - per_hop × hops(p, t) over the places t with a finite
    `want` (-inf where none can be reached). One search from all those places at once (Dijkstra on
    the values, best first), so the cost grows with the routes, not with places².

    The result is exactly the float the dense formula `max_t(want[t] - per_hop * hops[p, t])` gives:
    each label is a (place, hops) pair whose value is computed afresh by that formula, and two labels
    whose values round to the same float are compared exactly (as fractions)."""
    adj = neighbours(world)
    n = len(adj)
    wants = want.tolist()
    label_t = [-1] * n
    label_h = [0] * n
    value = [-math.inf] * n
    heap: list[tuple[float, int]] = []
    for t in np.flatnonzero(np.isfinite(want)).tolist():
        label_t[t], value[t] = t, wants[t]
        heap.append((-wants[t], t))
    heapq.heapify(heap)
    pop, push = heapq.heappop, heapq.heappush
    while heap:
        neg, p = pop(heap)
        if -neg < value[p]:
            continue  # a better label reached p after this entry was pushed
        t, h = label_t[p], label_h[p] + 1
        w = wants[t]
        v = w - per_hop * h
        for q in adj[p]:
            if v > value[q] or (v == value[q] and _exactly_better(w, h, wants[label_t[q]], label_h[q], per_hop)):
                label_t[q], label_h[q], value[q] = t, h, v
                push(heap, (-v, q))
    return np.array(value, dtype=np.float64)


def _exactly_better(w1: float, h1: int, w2: float, h2: int, per_hop: float) -> bool:
    """Whether w1 - per_hop·h1 > w2 - per_hop·h2 in exact arithmetic (their floats are equal)."""
    if w1 == w2:
        return h1 < h2
    step = Fraction(per_hop)
    return Fraction(w1) - step * h1 > Fraction(w2) - step * h2


def objective_values(world: World, faction: int, w: Weights) -> FArr:
    """How much `faction` wants each place: its victory value plus bonuses for victory-condition
    places, supply sources and patron corridors (its own to keep, its enemies' to take or cut)."""
    key = ("objectives", faction, w.victory, w.source, w.corridor)
    cache = _STATIC.setdefault(world, {})
    hit = cache.get(str(key))
    if hit is not None:
        return hit  # type: ignore[return-value]
    b = world.board
    fid = world.factions[faction].id
    values = np.array([p.value for p in b.places], dtype=np.float64)
    rel = world.initial_relations
    friendly = {f.id for i, f in enumerate(world.factions) if rel[faction, i] == 2}
    hostile = {f.id for i, f in enumerate(world.factions) if rel[faction, i] == 0}
    for vc in world.victory:
        mine = vc.faction in friendly
        if not (mine or vc.faction in hostile) or not vc.places:
            continue
        bonus = w.victory * (1.0 + vc.points / 20.0) / len(vc.places) ** 0.5
        for pid in vc.places:
            if pid in b.index:
                values[b.index[pid]] += bonus if mine else 0.6 * bonus
    own_sides = {fid} | ({world.factions[faction].commander} if world.factions[faction].commander else set())
    for bm in world.benchmarks:
        if bm.kind not in ("hold", "capture", "race", "held_turns") or not bm.places:
            continue
        mine = bm.side in own_sides
        if not (mine or bm.side in hostile):
            continue
        bonus = w.victory * (0.5 + bm.weight) / len(bm.places) ** 0.5
        for pid in bm.places:
            if pid in b.index:
                values[b.index[pid]] += bonus if mine else 0.6 * bonus
    named = _sources_named(world)
    for i, p in enumerate(b.places):
        sources_of = set(p.supply_for) | named.get(p.id, set())
        if fid in sources_of or sources_of & friendly:
            values[i] += w.source
        elif sources_of & hostile:
            values[i] += 0.5 * w.source
    for pat in world.patrons:
        if pat.corridor is None or pat.corridor not in b.corridor_index:
            continue
        places = b.corridor_places[b.corridor_index[pat.corridor]]
        if set(pat.clients) & friendly:
            values[list(places)] += w.corridor
        elif set(pat.clients) & hostile:
            values[list(places)] += 0.5 * w.corridor
    cache[str(key)] = values
    return values


def _sources_named(world: World) -> dict[str, set[str]]:
    """For each place some faction lists among its `sources`, those factions (cached per world)."""
    cache = _STATIC.setdefault(world, {})
    hit = cache.get("sources_named")
    if hit is not None:
        return hit  # type: ignore[return-value]
    named: dict[str, set[str]] = {}
    for f in world.factions:
        for pid in f.sources:
            named.setdefault(pid, set()).add(f.id)
    cache["sources_named"] = named
    return named


@dataclass
class Powers:
    """Per-unit combat power estimates, as the engine computes them at the start of the turn."""

    attack: FArr
    defence: FArr
    """Defence before place factors (terrain, fortification), with the posture the unit will likely have."""
    base_defence: FArr
    """Defence before posture and place factors."""


def posture_factor(s: State, posture: str) -> float:
    """The defence multiplier a posture's column shift is worth (the results table folded into powers)."""
    return float(crt.column_factor(s) ** (-s.rules.posture_shift.get(posture, 0.0)))


def unit_powers(s: State, entrench_guess: bool = True) -> Powers:
    """What each unit brings to the odds, with the column shifts that go with the unit folded in as
    multipliers: strength × type × cohesion factor, × supply, stocks and quality; defence also
    × posture (entrenched when guessed)."""
    r = s.rules
    n = len(s.units)
    if n == 0:
        return Powers(np.zeros(0), np.zeros(0), np.zeros(0))
    step = crt.column_factor(s)
    quality, t_att, t_def, by_supply, post = _unit_tables(s, step)
    sup_shift = by_supply[s.u_supply.astype(np.intp)]
    shifts = -sup_shift + 2.0 * r.stock_shift * (s.u_stock - 0.5) + r.quality_shift * (quality - 1.0)
    floor = r.cohesion_power_floor
    base = s.u_strength * (floor + (1.0 - floor) * np.minimum(np.maximum(s.u_cohesion, 0.0), 1.0)) * step ** shifts
    pnow = post[s.u_posture.astype(np.intp)]
    guess = max(post[int(Posture.DEFEND)], post[int(Posture.ENTRENCH)] if entrench_guess else 0.0)
    routed = s.u_posture == int(Posture.ROUTED)
    pdef = np.where(routed, pnow, np.maximum(pnow, guess))
    att = np.where(routed, 0.0, base * t_att)
    alive = s.u_strength > 0
    return Powers(att * alive, base * t_def * pdef * alive, base * t_def * alive)


UNIT_TABLES_KEPT = 64


def _unit_tables(s: State, step: float) -> tuple[FArr, FArr, FArr, FArr, FArr]:
    """Per unit its quality, type attack and type defence factors; per supply state its column shift; per
    posture its defence multiplier: fixed by the units and the rules, so kept per world for the states that
    share those (a turn's resolutions all do until a unit is destroyed)."""
    memo = _STATIC.setdefault(s.world, {}).setdefault("unit_tables", {})
    assert isinstance(memo, dict)
    key = (id(s.units), id(s.rules), step)
    hit = memo.get(key)
    if hit is None or hit[0] is not s.units or hit[1] is not s.rules:  # held, so their ids are not reused
        r = s.rules
        tables = (np.array([u.quality for u in s.units]),
                  np.array([r.type_attack.get(u.type.value, 1.0) for u in s.units]),
                  np.array([r.type_defence.get(u.type.value, 1.0) for u in s.units]),
                  np.array([r.supply_shift.get(Supply(k).label, 0.0) for k in range(3)]),
                  np.array([step ** (-r.posture_shift.get(Posture(k).label, 0.0)) for k in range(6)]))
        for a in tables:
            a.flags.writeable = False
        while len(memo) >= UNIT_TABLES_KEPT:
            memo.pop(next(iter(memo)))
        hit = memo[key] = (s.units, s.rules, tables)
    return hit[2]  # type: ignore[no-any-return]


def hostile_air(s: State, faction: int) -> FArr:
    """Per place: the close air support `faction`'s enemies may fly over their own defenders there this
    turn (the support effect × the share of its contact places a patron can afford to cover; at most 1).
    The combat preview cannot show it before the patrons have spoken; an attacker should expect it."""
    def make() -> FArr:
        w, r = s.world, s.rules
        n = w.board.n_places
        out = np.zeros(n)
        mine = s.u_strength > 0
        near = np.zeros(n, dtype=bool)
        b = w.board
        ours = np.unique(s.u_place[mine & (s.u_faction == faction)])
        for p in ours.tolist():
            near[b.neighbours(p)] = True
        for pi in range(len(w.patrons)):
            if "close_air" not in allowed_actions(w, pi):
                continue
            level = crt.effect(float(s.p_support[pi, AIR]), r)
            missions = int(float(s.p_capacity[pi]) // max(r.cost_air_strike, 1e-9))
            helps = helped(w, pi)
            if level <= 0 or missions <= 0 or not any(s.hostile[faction, h] for h in helps):
                continue
            held = near & np.isin(s.controller, helps) & s.hostile[faction, s.controller]
            spots = [p for p in np.flatnonzero(held).tolist() if in_zone(w, pi, p)]
            if spots:
                out[spots] += level * min(1.0, missions / len(spots))
        return np.minimum(out, 1.0)
    return _cached(s, f"ai_hostile_air_{faction}", make)


@dataclass
class Foresight:
    """What the other sides are expected to order this turn (the hard bot predicts them as the normal bot
    would play them): where each unit will stand once it has moved, and the close air each faction's
    patrons will fly over each place."""

    place: NDArray[np.intp]
    """Per unit: its place after this turn's moves and withdrawals."""
    moving: NDArray[np.bool_]
    """Per unit: whether it arrives by a move (and fights in the open posture of a unit on the move)."""
    air: FArr
    """Places × factions: the close air support effect flown for each faction there (at most 1)."""


def foresee(s: State, orders: Mapping[str, Sequence[object]]) -> Foresight:
    """The Foresight of a set of orders (units and patrons not named keep their place and fly nothing)."""
    w = s.world
    b = w.board
    place = s.u_place.astype(np.intp).copy()
    moving = np.zeros(len(s.units), dtype=bool)
    air = np.zeros((b.n_places, len(w.factions)))
    idx = s.unit_index()
    for side_orders in orders.values():
        for o in side_orders:
            to = getattr(o, "to", None)
            unit = getattr(o, "unit", None)
            if unit is not None and to is not None and unit in idx and to in b.index:
                place[idx[unit]] = b.index[to]
                moving[idx[unit]] = type(o).__name__ == "Move"
            elif type(o).__name__ == "CloseAir":
                pi = w.patron_index.get(getattr(o, "patron", ""))
                p = b.index.get(getattr(o, "place", ""))
                if pi is not None and p is not None:
                    air[p, helped(w, pi)] += crt.effect(float(s.p_support[pi, AIR]), s.rules)
    return Foresight(place, moving, np.minimum(air, 1.0))


def place_factor(s: State) -> FArr:
    """Defender's multiplier per place: its terrain and fortification shifts folded into power (cached in the state)."""
    return _cached(s, "ai_place_factor", lambda: _place_factor(s))


def _place_factor(s: State) -> FArr:
    r = s.rules
    step = crt.column_factor(s)
    return np.array([step ** (-(r.terrain_shift.get(p.terrain.value, 0.0) + r.fort_shift * p.fort))
                     for p in s.world.board.places])


def result_chances(s: State, ratio: float) -> tuple[float, float, float]:
    """(rout, retreat, engaged) on the results table at a folded power ratio, between columns as the engine
    reads them. A retreat takes the place only from defenders who do not stand; a rout always does."""
    rows = s.cache.get("ai_result_rows")
    if rows is None:
        _, logs, faces = crt.table(s)
        cols = [crt.RESULTS.index(x) for x in ("rout", "retreat", "engaged")]
        rows = s.cache["ai_result_rows"] = (logs, faces[:, cols].tolist())
    logs, table = rows
    last = len(table) - 1
    col = min(max(crt.base_column(ratio, logs), 0.0), float(last))
    lo = int(col)
    frac = col - lo
    hi = min(lo + 1, last)
    a, b = table[lo], table[hi]
    return (a[0] * (1 - frac) + b[0] * frac, a[1] * (1 - frac) + b[1] * frac, a[2] * (1 - frac) + b[2] * frac)


def success_chance(s: State, ratio: float) -> float:
    """The engine's chance that an attack at this (folded) power ratio makes the defenders give way."""
    return crt.success_chance(s, ratio)


@dataclass
class View:
    """One faction's picture of the board at the start of a turn."""

    state: State
    faction: int
    weights: Weights
    powers: Powers
    friend_u: NDArray[np.bool_]
    """Units of the faction or its allies."""
    hostile_u: NDArray[np.bool_]
    own_att: FArr
    """Attack power per place of the faction's own units."""
    friend_def: FArr
    """Defence power per place of friendly units, with place factors."""
    enemy_def: FArr
    """Defence power per place of hostile units, with place factors."""
    enemy_att: FArr
    """Attack power per place of hostile units."""
    enemy_base_def: FArr
    """Defence power per place of hostile units before posture and place factors."""
    threat: FArr
    """Hostile attack power at each place, and one open route away where it may attack in (its theatre)."""
    enemy_held: NDArray[np.bool_]
    friend_held: NDArray[np.bool_]
    values: FArr
    hops: HopRows
    """Route hops from a place to every other: `hops[p]` (one search per row, no n × n table)."""
    adj: list[list[int]]

    @property
    def supply_km(self) -> FArr:
        """Per place: the faction's supply distance (traced when first asked: the lookahead's evaluation
        makes views that never ask)."""
        s = self.state
        dist: FArr = _cached(s, "ai_supply", lambda: supply_distances(s))[self.faction]
        return dist

    def enemy_chance(self, place: int, extra_defence: float = 0.0) -> float:
        """Estimated chance that the hostile units next to `place` take it from its defenders."""
        threat = float(self.threat[place])
        if threat <= 0:
            return 0.0
        return success_chance(self.state, threat / max(float(self.friend_def[place]) + extra_defence, 1e-9))


def open_adjacency(s: State) -> list[list[int]]:
    """Per place, its neighbours along open routes (cached per world and pattern of open routes, since the
    hard bot's foresight views many states of one turn)."""
    cache = _STATIC.setdefault(s.world, {})
    key = ("adjacency", s.route_open.tobytes())
    hit = cache.get(key)
    if hit is None:
        b = s.world.board
        nbr, ptr = b.nbr.tolist(), b.indptr.tolist()
        is_open = s.route_open[b.nbr_route].tolist()
        hit = [sorted({nbr[i] for i in range(ptr[p], ptr[p + 1]) if is_open[i]}) for p in range(b.n_places)]
        _keep(cache, key, hit)
    return hit  # type: ignore[return-value]


def open_matrix(s: State) -> csr_matrix:
    """Places × places, 1 where an open route joins them (sparse; cached per world and pattern of open
    routes): `open_matrix(s) @ x` sums a per-place quantity over each place's neighbours."""
    cache = _STATIC.setdefault(s.world, {})
    key = ("matrix", s.route_open.tobytes())
    hit = cache.get(key)
    if hit is None:
        b = s.world.board
        n = b.n_places
        live = s.route_open.take(b.nbr_route).astype(np.float64)
        hit = csr_matrix((live, b.nbr, b.indptr), shape=(n, n), copy=True)
        hit.eliminate_zeros()
        _keep(cache, key, hit)
    return hit  # type: ignore[no-any-return]


SMALL_SUM = 8
"""numpy sums fewer values than this one after another, as Python's `sum` does (tests/ai/test_scale.py checks)."""


def next_to(per_place: FArr, adj: list[list[int]], summer: NeighbourSum | None = None) -> FArr:
    """For each place, the sum of `per_place` over its neighbours: bit for bit numpy's `per_place[a].sum()`,
    with Python's float sum where that is the same thing (short lists), which is several times faster; with
    `summer` (the same lists as a sparse matrix) short lists are summed by one matrix product instead."""
    if summer is not None:
        return summer(per_place)
    values = per_place.tolist()
    return np.array([sum([values[q] for q in a], 0.0) if len(a) < SMALL_SUM else float(per_place[a].sum())
                     for a in adj], dtype=np.float64)


class NeighbourSum:
    """`next_to` over one set of neighbour lists as a sparse product. scipy's product adds a row's entries
    one after another from 0.0 in the stored order (each list's own), as Python's `sum` does, and each entry is
    1.0 times the value, which is exact: the short lists come out bit for bit as numpy's sum. Lists of
    `SMALL_SUM` or more, which numpy sums pairwise, are summed by numpy afterwards. Not `open_matrix`: that
    counts a pair of places joined by two routes twice, where the neighbour lists name the neighbour once."""

    __slots__ = ("matrix", "long")

    def __init__(self, adj: list[list[int]]) -> None:
        indptr = np.zeros(len(adj) + 1, dtype=np.int64)
        indptr[1:] = np.cumsum([len(a) for a in adj])
        cols = np.fromiter((q for a in adj for q in a), dtype=np.int64, count=int(indptr[-1]))
        self.matrix = csr_matrix((np.ones(len(cols)), cols, indptr), shape=(len(adj), len(adj)))
        self.long = [(p, np.asarray(a, dtype=np.int64)) for p, a in enumerate(adj) if len(a) >= SMALL_SUM]

    def __call__(self, per_place: FArr) -> FArr:
        out = np.asarray(self.matrix @ per_place, dtype=np.float64)
        for p, a in self.long:
            out[p] = per_place[a].sum()
        return out


def neighbour_sum(s: State) -> NeighbourSum:
    """`NeighbourSum` of `open_adjacency(s)`, cached beside it per world and pattern of open routes."""
    cache = _STATIC.setdefault(s.world, {})
    key = ("neighbour_sum", s.route_open.tobytes())
    hit = cache.get(key)
    if hit is None:
        hit = NeighbourSum(open_adjacency(s))
        _keep(cache, key, hit)
    return hit  # type: ignore[return-value]


PATTERNS_KEPT = 32
"""Patterns of open routes whose adjacency lists and matrices are kept per world (oldest dropped first)."""


def _keep(cache: dict[object, object], key: tuple[str, bytes], value: object) -> None:
    """Store a per-pattern entry, dropping the oldest of its kind beyond PATTERNS_KEPT."""
    kind = [k for k in cache if isinstance(k, tuple) and k[0] == key[0]]
    if len(kind) >= PATTERNS_KEPT:
        cache.pop(kind[0], None)
    cache[key] = value


HALVING_HOPS = 60
"""How far `halving_reach` looks: a value halved 60 times is below a double's precision next to 1."""


def halving_reach(world: World, want: FArr, hops: int = HALVING_HOPS) -> FArr:
    """For every place p, the largest want[t] × 0.5 ** hops(p, t) over the places t at most `hops` route hops
    away (p itself included), and at least 0; `want` is not negative. Each round halves the best value next
    door, so after h rounds a place holds the best over h hops, with no n × n table (O(routes) per round;
    halving is exact in floats, so within the hop limit this is the dense formula's float)."""
    b = world.board
    value = np.maximum(np.asarray(want, dtype=np.float64), 0.0)
    linked = np.flatnonzero(np.diff(b.indptr) > 0)
    if not len(linked) or not value.any():
        return value
    starts = b.indptr[linked]
    for _ in range(hops):
        near = np.zeros_like(value)
        near[linked] = np.maximum.reduceat(value[b.nbr], starts) * 0.5
        better = near > value
        if not better.any():
            break
        value = np.where(better, near, value)
    return value


def make_view(s: State, faction: int, w: Weights) -> View:
    """Sum the powers per place and look one route out for threats. What does not depend on the weights is
    worked out once per state and faction (the hard bot plans one state under several personalities)."""
    parts = _cached(s, f"ai_view_{faction}", lambda: _view_parts(s, faction))
    return View(state=s, faction=faction, weights=w, values=objective_values(s.world, faction, w), **parts)


def _view_parts(s: State, faction: int) -> dict[str, Any]:
    """The weight-free fields of `faction`'s View (read-only arrays: every View of the state shares them)."""
    world = s.world
    n = world.board.n_places
    pw = _cached(s, "ai_powers", lambda: unit_powers(s))
    alive = s.u_strength > 0
    friend_u = s.friendly[faction, s.u_faction] & alive
    hostile_u = s.hostile[faction, s.u_faction] & alive
    pf = place_factor(s)
    places = s.u_place

    def per_place(mask: NDArray[np.bool_], power: FArr) -> FArr:
        return np.bincount(places[mask], weights=power[mask], minlength=n).astype(np.float64)

    own = alive & (s.u_faction == faction)
    enemy_att = per_place(hostile_u, pw.attack)
    adj = _cached(s, "ai_adjacency", lambda: open_adjacency(s))
    # hostile attack power inside (street fighting), and next door where it may attack in (within its theatre,
    # as the engine's attack and morale rules read it)
    threat = enemy_att + _reaching(s, faction, enemy_att, hostile_u, pw.attack, adj, per_place)
    parts: dict[str, Any] = dict(
        powers=pw, friend_u=friend_u, hostile_u=hostile_u,
        own_att=per_place(own, pw.attack), friend_def=per_place(friend_u, pw.defence) * pf,
        enemy_def=per_place(hostile_u, pw.defence) * pf, enemy_att=enemy_att,
        enemy_base_def=per_place(hostile_u, pw.base_defence), threat=threat,
        enemy_held=s.hostile[faction, s.controller], friend_held=s.friendly[faction, s.controller],
        hops=hop_rows(world), adj=adj)
    for x in parts.values():
        if isinstance(x, np.ndarray):
            x.flags.writeable = False
    return parts


def _reaching(s: State, faction: int, enemy_att: FArr, hostile_u: NDArray[np.bool_], attack: FArr,
              adj: list[list[int]], per_place: Callable[[NDArray[np.bool_], FArr], FArr]) -> FArr:
    """Per place: the hostile attack power next door that may attack into it. A foe limited to a theatre
    threatens only the places in it (an enemy that can never come is no threat); with no such foe, all of it."""
    theatre = theatre_mask(s)
    foes = np.flatnonzero(s.hostile[faction]).tolist()
    summer = neighbour_sum(s)
    if all(theatre[f].all() for f in foes):
        return next_to(enemy_att, adj, summer)
    out = np.zeros(s.world.board.n_places)
    for f in foes:
        mine = hostile_u & (s.u_faction == f)
        if mine.any():
            out += next_to(per_place(mine, attack), adj, summer) * theatre[f]
    return out


def first_legal(s: State, side: str, options: Sequence[Order]) -> Order | None:
    """The first of `options` that `side` may give now, or None."""
    return next((o for o in options if check_order(s, side, o) is None), None)
