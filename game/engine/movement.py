"""Where a unit can go this turn, and the movement phase."""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass

import numpy as np

from . import events as ev
from . import query
from .context import TurnContext
from .orders import UNIT_ORDER_POSTURE, Attack, Hold, Move, Withdraw
from .state import State
from .types import Posture


@dataclass(frozen=True)
class Reach:
    """Places a unit can reach this turn: cost spent and the previous place on the cheapest path."""

    cost: dict[int, float]
    prev: dict[int, int]

    def path(self, to: int) -> list[int]:
        out = [to]
        while out[-1] in self.prev:
            out.append(self.prev[out[-1]])
        return out[::-1]


def can_pass(state: State, faction: int, place: int) -> bool:
    """A unit may move through a place held by its side with no enemy or neutral units there."""
    return (query.is_held_by_friend(state, faction, place) and not state.contested[place]
            and not query.has_hostile_units(state, faction, place)
            and not query.has_neutral_units(state, faction, place))


def can_enter(state: State, faction: int, place: int) -> bool:
    """A unit may end a move at a friendly place, or at an empty enemy-held one (taking it)."""
    w = state.world
    owner = int(state.controller[place])
    if not (w.friendly[faction, owner] or w.hostile[faction, owner]):
        return False
    return not query.has_hostile_units(state, faction, place) and not query.has_neutral_units(state, faction, place)


def _passage(state: State, faction: int) -> tuple[list[bool], list[bool]]:
    """`can_pass` and `can_enter` of every place for `faction`, as lists (cached until the state
    changes; worked out for every faction at once, since most factions move every turn)."""
    table = state.cache.get("passage")
    if table is None:
        w = state.world
        unfriendly = state.world.cache.get("unfriendly")
        if unfriendly is None:
            unfriendly = w.cache["unfriendly"] = (~w.friendly).astype(np.int64)
        free = (query.occupancy(state).count @ unfriendly) == 0  # (places × factions): no enemy or neutral units
        held = w.friendly[:, state.controller].T
        passable = held & ~state.contested[:, None] & free
        enterable = (w.friendly | w.hostile)[:, state.controller].T & free
        by_faction: dict[int, tuple[list[bool], list[bool]]] = {}
        table = state.cache["passage"] = (passable.T, enterable.T, by_faction)
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
        hit = OpenRoutes(steps, [sorted({q for q, _ in row}) for row in steps])
        if len(memo) >= 16:
            memo.clear()
        memo[key] = hit
    state.cache["open_routes"] = hit
    return hit  # type: ignore[no-any-return]


def reachable(state: State, unit: int) -> Reach:
    """Cheapest paths within the unit's movement points along open routes (Dijkstra).

    Paths run through passable places only; the last step may enter any enterable place.
    A unit may always move one route, however long: otherwise a long desert road could
    never be crossed. Cached per faction, place and movement points until the state
    changes (do not modify the result).
    """
    faction = int(state.u_faction[unit])
    start = int(state.u_place[unit])
    key = ("reach", faction, start, state.units[unit].type)
    hit = state.cache.get(key)
    if hit is not None:
        return hit  # type: ignore[no-any-return]
    limit = float(state.rules.move_points.get(state.units[unit].type.value, 60.0)) + 1e-9
    passable, enterable = _passage(state, faction)
    adj = open_routes(state).steps
    cost: dict[int, float] = {start: 0.0}
    prev: dict[int, int] = {}
    heap: list[tuple[float, int]] = []
    for q, step in adj[start]:  # the first route may be of any length
        if step < cost.get(q, math.inf) and enterable[q]:
            cost[q] = step
            prev[q] = start
            heapq.heappush(heap, (step, q))
    pop, push, get, inf = heapq.heappop, heapq.heappush, cost.get, math.inf
    while heap:
        c, p = pop(heap)
        if c > cost[p] or not passable[p]:  # a stale entry, or a place to stop at but not pass through
            continue
        for q, step in adj[p]:
            nc = c + step
            if nc <= limit and nc < get(q, inf) and enterable[q]:
                cost[q] = nc
                prev[q] = p
                push(heap, (nc, q))
    del cost[start]
    reach = state.cache[key] = Reach(cost, prev)
    return reach


def adjacent_open(state: State, place: int) -> list[int]:
    """Places one open route away, without repeats, in index order (do not modify the list)."""
    return open_routes(state).adjacent[place]


def _head_on(s: State, ctx: TurnContext, paths: dict[int, list[int]], rng: np.random.Generator) -> None:
    """Hostile units moving opposite ways along one route meet there; the loser stops short."""
    from .combat import engagement  # combat imports movement helpers

    w = s.world
    faction = s.u_faction.tolist()
    edges: dict[tuple[int, int], list[int]] = {}
    for u, path in paths.items():
        for a, b in zip(path, path[1:]):
            edges.setdefault((a, b), []).append(u)
    for u in sorted(paths):
        path = paths[u]
        for a, b in zip(path, path[1:]):
            against = edges.get((b, a))
            if not against:
                continue
            rivals = [v for v in against if v in paths and (b, a) in zip(paths[v], paths[v][1:])
                      and w.hostile[faction[u], faction[v]]]
            if not rivals:
                continue
            v = rivals[0]
            winner, loser = engagement(s, ctx, u, v, rng)
            lp = paths[loser]
            cut = lp.index(a if loser == u else b)
            paths[loser] = lp[:cut + 1]
            route = w.board.routes[w.board.route_between(a, b)]
            ctx.events.append(ev.Engagement(route.id, s.units[winner].id, s.units[loser].id))
            if loser == u:
                break


def _fit_stacking(s: State, paths: dict[int, list[int]]) -> None:
    """Units stop at the furthest place on their path where their faction has room."""
    counts: dict[tuple[int, int], int] = {}
    faction = s.u_faction.tolist()
    for key in zip(s.u_faction[s.u_strength > 0].tolist(), s.u_place[s.u_strength > 0].tolist()):
        counts[key] = counts.get(key, 0) + 1
    for u in sorted(paths):
        f = faction[u]
        path = paths[u]
        counts[(f, path[0])] -= 1
        k = len(path) - 1
        while k > 0 and counts.get((f, path[k]), 0) >= query.stack_limit(s, path[k]):
            k -= 1
        paths[u] = path[:k + 1]
        counts[(f, path[k])] = counts.get((f, path[k]), 0) + 1


_IN_MOTION = np.isin(np.arange(max(Posture) + 1), [Posture.MOVE, Posture.ATTACK, Posture.WITHDRAW])
"""Indexed by posture: whether it is one a unit holds only for the turn it was ordered."""


def run_movement(s: State, ctx: TurnContext, rng: np.random.Generator) -> State:
    """Set postures, carry out withdrawals, then all moves at once."""
    idx = s.unit_index()
    b = s.world.board
    routed = int(Posture.ROUTED)
    ordered: list[int] = []
    posed: list[int] = []
    postures: list[int] = []
    withdrawals: list[tuple[int, Withdraw]] = []
    moves: list[tuple[int, Move]] = []
    for _, order in ctx.orders:
        kind = type(order)
        posture = UNIT_ORDER_POSTURE.get(kind)
        if posture is None:
            continue
        u = idx[order.unit]  # type: ignore[union-attr]
        ordered.append(u)
        if not (kind is Hold and s.u_posture[u] == routed):
            posed.append(u)
            postures.append(posture)
        if kind is Withdraw:
            withdrawals.append((u, order))  # type: ignore[arg-type]
        elif kind is Move:
            moves.append((u, order))  # type: ignore[arg-type]
        elif kind is Attack:
            ctx.attacks.append((u, b.index[order.target]))  # type: ignore[union-attr]
    s.u_posture[posed] = postures
    stale = _IN_MOTION[s.u_posture]
    stale[ordered] = False
    s.u_posture[stale] = int(Posture.DEFEND)
    for u, order in withdrawals:
        ctx.origin[u] = int(s.u_place[u])
        s.u_place[u] = b.index[order.to]
        ctx.events.append(ev.UnitMoved(order.unit, s.units[u].faction, (b.places[ctx.origin[u]].id, order.to)))
    s.invalidate()
    paths = {u: reachable(ctx.start, u).path(b.index[order.to]) for u, order in moves}
    _head_on(s, ctx, paths, rng)
    _fit_stacking(s, paths)
    for u in sorted(paths):
        path = paths[u]
        ctx.origin[u] = path[0]
        if len(path) > 1 and s.u_strength[u] > 0:
            s.u_place[u] = path[-1]
            ctx.events.append(ev.UnitMoved(s.units[u].id, s.units[u].faction, tuple(b.places[p].id for p in path)))
    s.invalidate()
    return s
