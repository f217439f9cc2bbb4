"""Where a unit can go this turn, and the movement phase."""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import csr_matrix

from . import events as ev
from . import query
from .context import TurnContext
from .crt import unit_power
from .orders import UNIT_ORDER_POSTURE, Attack, Hold, Move, Withdraw
from .rng import Stream
from .state import State
from .types import Posture


class Reach(NamedTuple):
    """Places a unit can end its move at this turn, with the cost spent, and the previous place on the
    cheapest path of every place it reaches (also those it may only pass through)."""

    cost: dict[int, float]
    prev: dict[int, int]

    def path(self, to: int) -> list[int]:
        prev = self.prev
        out = [to]
        while to in prev:
            to = prev[to]
            out.append(to)
        out.reverse()
        return out


def can_pass(state: State, faction: int, place: int) -> bool:
    """A unit may move through a place held by its side (or, under the `neutral_passage` rule, by a
    neutral faction) within its theatre, not contested, with no hostile units there or next door
    (a light zone of control: a unit stops when it comes next to the enemy) and, unless neutrals
    may pass, no neutral units."""
    return _passage(state, faction)[0][place]


def can_enter(state: State, faction: int, place: int) -> bool:
    """A unit may end a move at a friendly place, or at an empty enemy-held one (taking it), within
    its theatre; never at a place held by a neutral faction or with hostile or neutral units there."""
    return _passage(state, faction)[1][place]


def theatre_mask(state: State) -> NDArray[np.bool_]:
    """(factions × places) where each faction's units may go: its theatre, or everywhere (cached on the world)."""
    w = state.world
    hit = w.cache.get("theatre")
    if hit is None:
        n = w.board.n_places
        hit = np.ones((len(w.factions), n), dtype=bool)
        for f, fac in enumerate(w.factions):
            if fac.theatre:
                hit[f] = False
                hit[f, [w.board.index[p] for p in fac.theatre if p in w.board.index]] = True
        hit.flags.writeable = False
        w.cache["theatre"] = hit
    return hit  # type: ignore[no-any-return]


def open_matrix(state: State) -> csr_matrix:
    """Places × places along open routes (1 where joined; a pair joined by two open routes counts 2),
    cached on the world per pattern of open routes: `open_matrix(s) @ x` sums a per-place quantity over
    each place's neighbours."""
    w = state.world
    key = ("adjacency", state.route_open.tobytes())
    hit = w.cache.get(key)
    if hit is None:
        b = w.board
        n = b.n_places
        live = state.route_open.take(b.nbr_route).astype(np.float64)
        hit = csr_matrix((live, b.nbr, b.indptr), shape=(n, n), copy=True)  # never share the board's arrays
        hit.eliminate_zeros()
        if len(w.cache) > 4096:
            w.cache.pop(next(k for k in w.cache if isinstance(k, tuple) and k[0] == "adjacency"), None)
        w.cache[key] = hit
    return hit  # type: ignore[no-any-return]


def zoc_mask(state: State, present: NDArray[np.bool_]) -> NDArray[np.bool_]:
    """(factions × places) places one open route from living units hostile to each faction (counted
    through `open_matrix`: small whole numbers, exact in floats)."""
    return _near(state, present.astype(np.float64) @ state.tables().float_hostile.T)


def _near(state: State, hostile_here: NDArray[np.float64]) -> NDArray[np.bool_]:
    """`zoc_mask` from the number of factions hostile to each faction with units at each place."""
    near: NDArray[np.bool_] = (open_matrix(state) @ hostile_here).T > 0
    return near


def _passage(state: State, faction: int) -> tuple[list[bool], list[bool]]:
    """`can_pass` and `can_enter` of every place for `faction`, as lists (cached until the state
    changes; worked out for every faction at once, since most factions move every turn)."""
    table = state.cache.get("passage")
    if table is None:
        rel = state.tables()
        r = state.rules
        present = query.occupancy(state).present  # (places × factions)
        units = present.astype(np.float64)  # summed by matrix products: small whole numbers, exact
        hostile_here = units @ rel.float_hostile.T  # (places × factions): units hostile to each there
        no_hostile = hostile_here.T == 0  # (factions × places)
        no_neutral = (units @ rel.float_neutral.T).T == 0
        theatre = theatre_mask(state)
        owner = state.controller.astype(np.intp)  # taking by intp is numpy's fast path
        enterable = rel.get("enter_holders", lambda: rel.friendly | rel.hostile).take(owner, axis=1)
        enterable &= no_hostile & no_neutral & theatre
        holders = rel.get("pass_holders", lambda: rel.friendly | rel.neutral) if r.neutral_passage else rel.friendly
        passable = holders.take(owner, axis=1) & ~state.contested & no_hostile & theatre
        if not r.neutral_passage:
            passable &= no_neutral
        if r.zone_of_control:
            passable &= ~_near(state, hostile_here)
        by_faction: dict[int, tuple[list[bool], list[bool]]] = {}
        table = state.cache["passage"] = (passable, enterable, by_faction)
    lists = table[2].get(faction)
    if lists is None:
        lists = table[2][faction] = (table[0][faction].tolist(), table[1][faction].tolist())
    return lists  # type: ignore[no-any-return]


@dataclass(frozen=True)
class OpenRoutes:
    """The board's adjacency along open routes only, for one pattern of open routes."""

    steps: list[list[tuple[int, float]]]
    """Per place, (neighbour, movement cost) of every open route, in the board's edge order."""
    adjacent: list[list[int]]
    """Per place, its neighbours along open routes, without repeats, in index order."""
    least: list[float]
    """Per place, the cost of its cheapest open route (infinite for a place with none)."""
    anywhere: list[bool]
    """True for every place: passable and enterable to a search that ignores who is where."""
    direct: dict[tuple[int, float], set[int]] = field(default_factory=dict)
    """Per start place and movement points (filled as asked): the neighbours no path reaches more
    cheaply than their cheapest direct route (see `move_path`)."""


def open_routes(state: State) -> OpenRoutes:
    """`OpenRoutes` for this state: cached on the world per pattern of open routes and route costs
    (a few patterns per game), so a phase that drops the state's lookups need not rebuild it."""
    hit = state.cache.get("open_routes")
    if hit is not None:
        return hit  # type: ignore[no-any-return]
    w, cost = state.world, state.rules.route_cost
    key = (state.route_open.tobytes(), tuple(sorted(cost.items())))
    memo = w.cache.setdefault("open_routes", {})
    hit = memo.get(key)
    if hit is None:
        b = w.board
        per_route = np.array([cost.get(r.kind.value, 1.5) for r in b.routes], dtype=np.float64)
        step, is_open = (b.lengths * per_route).tolist(), state.route_open.tolist()
        steps = [[(q, step[rid]) for q, rid in edges if is_open[rid]] for edges in b.edge_lists()]
        hit = OpenRoutes(steps, [sorted({q for q, _ in row}) for row in steps],
                         [min([c for _, c in row], default=math.inf) for row in steps], [True] * b.n_places)
        if len(memo) >= 16:
            memo.clear()
        memo[key] = hit
    state.cache["open_routes"] = hit
    return hit  # type: ignore[no-any-return]


def _move_limit(state: State, kind: str) -> float:
    """Movement points of a unit type this turn (a UnitType is the str of its value), with a
    hair of slack so a path of exactly that cost is within reach despite rounding."""
    return float(state.rules.move_points.get(kind, 60.0)) + 1e-9


def reachable(state: State, unit: int) -> Reach:
    """Cheapest paths within the unit's movement points along open routes (Dijkstra).

    Paths run through passable places only; the last step may enter any enterable place.
    A unit may always move one route, however long: otherwise a long desert road could
    never be crossed. Cached per faction, place and movement points until the state
    changes (do not modify the result).
    """
    faction = state.u_faction.item(unit)
    start = state.u_place.item(unit)
    kind = state.units[unit].type
    key = ("reach", faction, start, kind)
    hit = state.cache.get(key)
    if hit is not None:
        return hit  # type: ignore[no-any-return]
    limit = _move_limit(state, kind)
    passable, enterable = _passage(state, faction)
    reach = state.cache[key] = _search(open_routes(state), start, limit, passable, enterable)
    return reach


def _search(routes: OpenRoutes, start: int, limit: float, passable: list[bool], enterable: list[bool]) -> Reach:
    """`reachable`'s Dijkstra from `start` within `limit`, given which places may be passed and entered
    (a place may be one and not the other: a neutral's, passed through but never stopped at)."""
    adj, least = routes.steps, routes.least
    inf = math.inf
    cost: dict[int, float] = {start: 0.0}  # every place reached, to pass or to enter
    get = cost.get
    prev: dict[int, int] = {}
    heap: list[tuple[float, int]] = []  # places to go on from: passable, with a route short enough left
    pop, push = heapq.heappop, heapq.heappush
    passing = False  # whether a place was reached that may be passed but not entered
    for q, step in adj[start]:  # the first route may be of any length
        if step < get(q, inf) and (enterable[q] or passable[q]):
            cost[q] = step
            prev[q] = start
            passing = passing or not enterable[q]
            if passable[q] and step + least[q] <= limit:
                push(heap, (step, q))
    while heap:
        c, p = pop(heap)
        if c > cost[p]:  # a stale entry: a cheaper path was found after it was pushed
            continue
        for q, step in adj[p]:
            nc = c + step
            if nc <= limit and nc < get(q, inf) and (enterable[q] or passable[q]):
                cost[q] = nc
                prev[q] = p
                passing = passing or not enterable[q]
                if passable[q] and nc + least[q] <= limit:
                    push(heap, (nc, q))
    del cost[start]
    if passing:
        cost = {q: c for q, c in cost.items() if enterable[q]}
    return Reach(cost, prev)


def can_reach(state: State, unit: int, dest: int) -> bool:
    """`dest in reachable(state, unit).cost`, without the search when `dest` is one open route
    away: the first route may be of any length, so a neighbour is reachable iff it is enterable."""
    start = state.u_place.item(unit)
    if dest in open_routes(state).adjacent[start]:
        return dest != start and _passage(state, state.u_faction.item(unit))[1][dest]
    return dest in reachable(state, unit).cost


def move_path(state: State, unit: int, dest: int) -> list[int]:
    """`reachable(state, unit).path(dest)` for a place the unit can reach. Without the search when
    `dest` is a neighbour no path reaches more cheaply than the direct route even if every place
    could be passed (found once per place and movement points): places the unit may not pass only
    take paths away, so the search's path is then the direct route."""
    start = state.u_place.item(unit)
    limit = _move_limit(state, state.units[unit].type)
    routes = open_routes(state)
    direct = routes.direct.get((start, limit))
    if direct is None:
        free = _search(routes, start, limit, routes.anywhere, routes.anywhere)
        direct = routes.direct[(start, limit)] = {q for q in routes.adjacent[start] if free.prev.get(q) == start}
    if dest in direct:
        return [start, dest]
    return reachable(state, unit).path(dest)


def adjacent_open(state: State, place: int) -> list[int]:
    """Places one open route away, without repeats, in index order (do not modify the list)."""
    return open_routes(state).adjacent[place]


def engagement(s: State, u: int, v: int, rng: Stream) -> tuple[int, int]:
    """Two hostile units meet on a route: power against power, no terrain. Returns (winner, loser)."""
    r = s.rules
    pu, pv = max(unit_power(s, u, False), 1e-9), max(unit_power(s, v, False), 1e-9)
    p = 1.0 / (1.0 + math.exp(-r.combat_k * math.log(pu / pv)))
    winner, loser = (u, v) if rng.random() < p else (v, u)
    ratio = pu / pv if winner == u else pv / pu
    e = r.loss_ratio_exponent
    w_rate = min(r.attacker_loss_rate * ratio ** (-e), r.loss_cap)
    l_rate = min(r.defender_loss_rate * ratio ** e * r.loser_loss_multiplier, r.loss_cap)
    s.u_strength[winner] *= 1.0 - w_rate
    s.u_strength[loser] *= 1.0 - l_rate
    s.u_cohesion[loser] = max(s.units[loser].floor, s.u_cohesion.item(loser) - r.combat_cohesion_loss)
    return winner, loser


def _head_on(s: State, ctx: TurnContext, paths: dict[int, list[int]], key: int) -> None:
    """Hostile units moving opposite ways along one route meet there; the loser stops short."""
    n = s.world.board.n_places
    up: set[int] = set()  # the routes someone takes from the lower place to the higher, as lower * n + higher
    down: set[int] = set()  # and those someone takes the other way
    for path in paths.values():
        a = path[0]
        for b in path[1:]:
            if a < b:
                up.add(a * n + b)
            else:
                down.add(b * n + a)
            a = b
    crossing = up & down
    if not crossing:
        return
    edges: dict[tuple[int, int], list[int]] = {}  # the units taking each of those steps
    for u, path in paths.items():
        for a, b in zip(path, path[1:]):
            if (a * n + b if a < b else b * n + a) in crossing:
                edges.setdefault((a, b), []).append(u)
    w = s.world
    hostile = s.hostile
    faction = s.u_faction.tolist()
    for u in sorted({u for units in edges.values() for u in units}):  # only these units can meet anyone
        path = paths[u]
        for a, b in zip(path, path[1:]):
            against = edges.get((b, a))
            if not against:
                continue
            rivals = [v for v in against if v in paths and (b, a) in zip(paths[v], paths[v][1:])
                      and hostile[faction[u], faction[v]]]
            if not rivals:
                continue
            v = rivals[0]
            winner, loser = engagement(s, u, v, Stream(key, u, v))  # the dice of this meeting, whoever else meets
            lp = paths[loser]
            cut = lp.index(a if loser == u else b)
            paths[loser] = lp[:cut + 1]
            route = w.board.routes[w.board.route_between(a, b)]
            ctx.events.append(ev.Engagement(route.id, s.units[winner].id, s.units[loser].id))
            if loser == u:
                break


_IN_MOTION = np.isin(np.arange(max(Posture) + 1), [Posture.MOVE, Posture.ATTACK, Posture.WITHDRAW])
"""Indexed by posture: whether it is one a unit holds only for the turn it was ordered."""

_POSTURE_CODE = {kind: int(posture) for kind, posture in UNIT_ORDER_POSTURE.items()}
"""`UNIT_ORDER_POSTURE` as plain ints, as stored in the posture array."""


def run_movement(s: State, ctx: TurnContext, key: int) -> State:
    """Set postures, carry out withdrawals, then all moves at once: hostile units meeting head on
    fight on the route, then each unit (in index order) stops at the furthest place on its path
    that it may enter and where its faction has room under the stacking limit."""
    start = ctx.start
    idx = s.unit_index()
    b = s.world.board
    index = b.index
    routed = int(Posture.ROUTED)
    s.u_posture[_IN_MOTION[s.u_posture]] = int(Posture.DEFEND)  # units given no new order stop moving
    postures = s.u_posture.tolist()
    withdrawals: list[tuple[int, Withdraw]] = []
    paths: dict[int, list[int]] = {}  # the cheapest path of every move, found at the start of the turn
    for _, order in ctx.orders:
        kind = type(order)
        posture = _POSTURE_CODE.get(kind)
        if posture is None:
            continue
        u = idx[order.unit]  # type: ignore[union-attr]
        if not (kind is Hold and postures[u] == routed):  # a routed unit told to hold stays routed
            postures[u] = posture
        if kind is Move:
            paths[u] = move_path(start, u, index[order.to])  # type: ignore[union-attr]
        elif kind is Withdraw:
            withdrawals.append((u, order))  # type: ignore[arg-type]
        elif kind is Attack:
            ctx.attacks.append((u, index[order.target]))  # type: ignore[union-attr]
    s.u_posture[:] = postures
    for u, order in withdrawals:
        ctx.origin[u] = int(s.u_place[u])
        s.u_place[u] = index[order.to]
        ctx.events.append(ev.UnitMoved(order.unit, s.units[u].faction, (b.places[ctx.origin[u]].id, order.to)))
    s.invalidate()
    _head_on(s, ctx, paths, key)
    nf = len(s.world.factions)
    alive = s.u_strength > 0
    counts = np.bincount(s.u_place[alive] * nf + s.u_faction[alive], minlength=b.n_places * nf).tolist()
    limits = query.stack_limits(s)
    faction = s.u_faction.tolist()
    places, strength = b.places, s.u_strength
    moved: list[int] = []
    to: list[int] = []
    for u in sorted(paths):
        f = faction[u]
        path = paths[u]
        counts[path[0] * nf + f] -= 1
        k = len(path) - 1
        enter = _passage(start, f)[1]  # stopped short, it never stops at a place it may only pass (a neutral's)
        while k > 0 and (counts[path[k] * nf + f] >= limits[path[k]] or not enter[path[k]]):
            k -= 1
        counts[path[k] * nf + f] += 1
        ctx.origin[u] = path[0]
        if k > 0 and strength.item(u) > 0:
            moved.append(u)
            to.append(path[k])
            info = s.units[u]
            ctx.events.append(ev.UnitMoved(info.id, info.faction, tuple([places[p].id for p in path[:k + 1]])))
    s.u_place[moved] = to
    if ctx.interdicted:
        _interdiction_losses(s, ctx, {u: paths[u][:paths[u].index(p) + 1] for u, p in zip(moved, to)})
    s.invalidate()
    return s


def _interdiction_losses(s: State, ctx: TurnContext, travelled: dict[int, list[int]]) -> None:
    """Units that moved along a route an enemy's air watched lose strength (once per route)."""
    b, r = s.world.board, s.rules
    bits = {rid: 0 for rid in ctx.interdicted}
    for rid, factions in ctx.interdictors.items():
        for f in factions:
            bits[rid] |= 1 << f
    enemies = query.faction_bits(s)[1]
    losses = dict.fromkeys(ctx.interdicted, 0.0)
    for u, path in sorted(travelled.items()):
        f = s.u_faction.item(u)
        for a, c in zip(path, path[1:]):
            rid = b.route_between(a, c)
            if rid in bits and bits[rid] & enemies[f]:
                loss = s.u_strength.item(u) * min(r.interdict_loss * ctx.interdicted[rid], r.loss_cap)
                s.u_strength[u] -= loss
                losses[rid] += loss
    for rid, lost in losses.items():
        if lost > 0:
            ctx.events.append(ev.RouteInterdicted(ctx.interdicted_by.get(rid, ""), b.routes[rid].id,
                                                  round(ctx.interdicted[rid], 4), round(lost, 3)))
