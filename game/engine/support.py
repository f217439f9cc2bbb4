"""Support phase: the patrons' orders, before anyone moves.

Air strikes, close air support, route interdiction and depot strikes (each further mission at a
place doing less); reinforcements along a corridor, to a patron's own arrival places or by airlift
(which an interdictor may hit); supply surges that move stocks to the units near the delivery
points; evacuations of a patron's own forces; and offers of a truce. Every support level acts
through `crt.effect`, with diminishing returns.
"""

from __future__ import annotations

from typing import Any, cast

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from . import events as ev
from . import query
from .context import TurnContext
from .crt import commitment, effect
from .legal import client_index, helped, strike_bits, surge_points
from .morale import contingent_of, unit_factor_row
from .orders import (
    AirStrike,
    CloseAir,
    DepotStrike,
    Evacuate,
    Interdict,
    Negotiate,
    PatronOrder,
    Reinforce,
    SupplySurge,
)
from .rng import Stream
from .state import State, World
from .types import CHANNELS, Channel, Posture, Relation, Supply, UnitInfo

AIR, GROUND, SUPPLY = (CHANNELS.index(c) for c in (Channel.AIR, Channel.GROUND, Channel.SUPPLY))
"""Columns of `State.p_support`."""


def _grown(a: NDArray[Any], value: float) -> NDArray[Any]:
    """`a` with `value` appended, keeping its dtype."""
    out = np.empty(len(a) + 1, dtype=a.dtype)
    out[:-1] = a
    out[-1] = value
    return out


def add_unit(s: State, info: UnitInfo, place: int, strength: float, cohesion: float) -> State:
    """A new state with one more unit (arrays grow by one row)."""
    fi = s.world.faction_index[info.faction]
    new = s.evolve(
        units=s.units + (info,),
        u_faction=_grown(s.u_faction, fi),
        u_place=_grown(s.u_place, place),
        u_strength=_grown(s.u_strength, strength),
        u_cohesion=_grown(s.u_cohesion, max(cohesion, info.floor)),
        u_posture=_grown(s.u_posture, Posture.DEFEND),
        u_supply=_grown(s.u_supply, Supply.SUPPLIED),
        u_stock=_grown(s.u_stock, 0.5),
    )
    _grow_unit_lookups(s, new, info)
    return new


def _grow_unit_lookups(s: State, new: State, info: UnitInfo) -> None:
    """Give `new` (`s` with unit `info` added) the lookups `s` has that derive from its units and rules alone,
    grown by the new unit's row, instead of leaving them to be rebuilt from every unit: `State.unit_index`,
    `morale.unit_factors` and `morale.contingent_patrons` (the same values a rebuild gives)."""
    cache, n = s.cache, len(s.units)
    index = cache.get("unit_index")
    if index is not None:
        grown = dict(index)
        grown[info.id] = n
        new.cache["unit_index"] = grown
    factors = cache.get("unit_factors")
    if factors is not None:
        new.cache["unit_factors"] = tuple(map(_grown, factors, unit_factor_row(s.rules, info)))
    sent_by = cache.get("contingents")
    if sent_by is not None:
        new.cache["contingents"] = _grown(sent_by, contingent_of(s.world, info))


def _mission(s: State, ctx: TurnContext, pi: int, place: int) -> float:
    """The effect of one more air mission by patron `pi` at `place` this turn (each further one there
    does `strike_decay` of the one before)."""
    k = ctx.missions.get(place, 0)
    ctx.missions[place] = k + 1
    return effect(s.p_support.item(pi, AIR), s.rules) * s.rules.strike_decay ** k


def _air_strike(s: State, ctx: TurnContext, pi: int, order: AirStrike) -> None:
    """Every living unit at the place of a faction the patron may strike loses strength and cohesion.

    Keeps no derived lookup of the state up to date: `run_support` drops them all at its end."""
    w, r = s.world, s.rules
    place = w.board.index[order.place]
    power = _mission(s, ctx, pi, place)
    exposure = r.air_exposure.get(w.board.places[place].terrain, 1.0)  # a Terrain is its str value
    frac = min(0.9, r.air_strike_loss * power * exposure)
    hurt = r.air_strike_cohesion * power
    targets = strike_bits(s, pi)
    strength, cohesion, faction = s.u_strength, s.u_cohesion, s.u_faction
    hit = [u for u in (s.u_place == place).nonzero()[0].tolist()
           if strength.item(u) > 0 and targets >> faction.item(u) & 1]
    losses = 0.0
    for u in hit:
        before = strength.item(u)
        loss = before * frac
        strength[u] = before - loss
        cohesion[u] = max(s.units[u].floor, cohesion.item(u) - hurt)
        losses += loss
    ctx.events.append(ev.AirStrike(w.patrons[pi].id, order.place, round(losses, 3),
                                   tuple([s.units[u].id for u in hit])))


def _close_air(s: State, ctx: TurnContext, pi: int, order: CloseAir) -> None:
    place = s.world.board.index[order.place]
    power = _mission(s, ctx, pi, place)
    for f in helped(s.world, pi):
        ctx.air[place, f] += power
        ctx.help[f] += s.rules.air_help * power
    ctx.events.append(ev.CloseAirSupport(s.world.patrons[pi].id, order.place, round(power, 4)))


def _interdict(s: State, ctx: TurnContext, pi: int, order: Interdict) -> None:
    b = s.world.board
    a, c = b.index[order.a], b.index[order.b]
    rid = b.route_between(a, c)
    power = _mission(s, ctx, pi, a)
    ctx.interdicted[rid] = min(1.0, ctx.interdicted.get(rid, 0.0) + power)
    ctx.interdictors.setdefault(rid, set()).update(helped(s.world, pi))
    ctx.interdicted_by.setdefault(rid, s.world.patrons[pi].id)
    ctx.events.append(ev.RouteInterdicted(s.world.patrons[pi].id, b.routes[rid].id, round(power, 4)))


def _depot_strike(s: State, ctx: TurnContext, pi: int, order: DepotStrike) -> None:
    place = s.world.board.index[order.place]
    power = _mission(s, ctx, pi, place)
    s.depot[place] = max(0.0, s.depot.item(place) - s.rules.depot_strike_damage * power)
    ctx.events.append(ev.DepotStruck(s.world.patrons[pi].id, order.place, round(s.depot.item(place), 4)))


def _intercepted(s: State, ctx: TurnContext, pi: int, place: str, strength: float, rng: Stream) -> bool:
    """Whether an interdictor of patron `pi` destroys this convoy or airlift (each tries in turn)."""
    w, r = s.world, s.rules
    pat = w.patrons[pi]
    for ii, other in enumerate(w.patrons):
        if pat.id in other.interdicts:
            chance = r.interdiction_chance * effect(s.p_support.item(ii, AIR), r)
            roll = rng.random()  # drawn whatever the chance, so the next interdictor's roll is the same
            if chance > 0 and roll < chance:
                ctx.events.append(ev.ConvoyInterdicted(pat.id, other.id, place, round(strength, 3)))
                return True
    return False


def _reinforce(s: State, ctx: TurnContext, pi: int, order: Reinforce, rng: Stream) -> State:
    w, r = s.world, s.rules
    pat = w.patrons[pi]
    fi = client_index(s, pi, order.faction)
    assert fi is not None
    strength = min(s.p_reserve.item(pi), r.reinforce_strength * effect(s.p_support.item(pi, GROUND), r))
    s.p_reserve[pi] -= strength
    if strength <= 0 or _intercepted(s, ctx, pi, order.place, strength, rng):
        return s
    prefix = f"{pat.id}_t{s.turn}_"
    uid = prefix + str(sum(1 for u in s.units if u.id.startswith(prefix)))
    info = UnitInfo(uid, w.factions[fi].id, f"{pat.name} reinforcements ({s.date})", pat.unit_type,
                    r.reinforce_quality, command=pat.id if pat.own_command else "")
    # a contingent's will is its patron's commitment
    will = commitment(s.p_support.item(pi, GROUND), r) if pat.own_command else 0.8
    s = add_unit(s, info, w.board.index[order.place], strength, will)
    ctx.help[fi] += strength / max(r.reinforce_strength, 1e-9)
    ctx.events.append(ev.ReinforcementsArrived(pat.id, info.faction, uid, order.place, round(strength, 3)))
    return s


def _road_km(w: World) -> csr_matrix:
    """The board as a graph of route lengths (cached on the world)."""
    hit = w.cache.get("road_km")
    if hit is None:
        b = w.board
        n = b.n_places
        hit = w.cache["road_km"] = csr_matrix((b.lengths[b.nbr_route], b.nbr, b.indptr), shape=(n, n), copy=True)
    return hit  # type: ignore[no-any-return]


def _within_range(w: World, points: list[int], km: float) -> NDArray[np.bool_]:
    """Per place: whether it lies within `km` of a delivery point by road, open or not (cached on the
    world per set of points: a game has a few)."""
    memo = w.cache.setdefault("surge_reach", {})
    key = (tuple(points), km)
    hit = memo.get(key)
    if hit is None:
        dist = dijkstra(_road_km(w), directed=True, indices=points, min_only=True, limit=km)
        hit = np.isfinite(dist)
        hit.flags.writeable = False
        if len(memo) >= 64:
            memo.clear()
        memo[key] = hit
    return hit  # type: ignore[no-any-return]


def surged_stock(stock: NDArray[np.float64], add: float) -> NDArray[np.float64]:
    """Stock after a surge worth `add` from a normal stock of 0.5: it closes that share (`add / 0.5`) of
    the gap to a full 1.0, so a full-effect surge still fills a unit, while each further surge from
    another patron adds less than the one before (diminishing returns, and an order-free result:
    1 - stock multiplies by (1 - share) whichever patron comes first)."""
    share = min(max(add / 0.5, 0.0), 1.0)
    return np.minimum(1.0, stock + np.maximum(1.0 - stock, 0.0) * share)


def _surge(s: State, ctx: TurnContext, pi: int, order: SupplySurge, rng: Stream) -> None:
    """Supplies reach the client's units within range of the delivery points: stock rises, and limited
    units count as supplied this turn."""
    w, r = s.world, s.rules
    fi = client_index(s, pi, order.faction)
    assert fi is not None
    points = surge_points(s, pi, fi)
    pat = w.patrons[pi]
    by_air = not (pat.corridor and pat.corridor in w.board.corridor_index
                  and any(p in w.board.corridor_places[w.board.corridor_index[pat.corridor]] for p in points))
    if by_air and _intercepted(s, ctx, pi, w.board.places[points[0]].id, 0.0, rng):
        return
    # the client's living units within range, at places held by a friend: the faction's units found by numpy,
    # then looked at one by one (fewer small numpy calls)
    within, place, controller = _within_range(w, points, r.surge_range_km), s.u_place, s.controller
    friends = query.faction_bits(s)[0][fi]
    reached = [u for u in np.flatnonzero((s.u_faction == fi) & (s.u_strength > 0)).tolist()
               if within.item(place.item(u)) and friends >> controller.item(place.item(u)) & 1]
    power = effect(s.p_support.item(pi, SUPPLY), r)
    rows = np.array(reached, dtype=np.intp)
    s.u_stock[rows] = surged_stock(s.u_stock[rows], r.surge_stock * power)
    ctx.surge.add(fi)
    if reached:  # help actually delivered: a surge that reached nobody lifts no one's spirits
        ctx.help[fi] += r.surge_help * power
    ctx.surged.update(reached)
    ctx.events.append(ev.SupplySurged(pat.id, w.factions[fi].id, len(reached), by_air))


def _evacuate(s: State, ctx: TurnContext, pi: int, order: Evacuate) -> None:
    w = s.world
    place = w.board.index[order.place]
    forces = w.commanded_by(w.patrons[pi].id)
    gone = [u for u in (s.u_place == place).nonzero()[0].tolist()
            if s.u_strength.item(u) > 0 and s.u_faction.item(u) in forces]
    total = float(sum(s.u_strength.item(u) for u in gone))
    s.u_strength[gone] = 0.0
    s.p_evacuated[pi] += total
    ctx.events.append(ev.ForcesEvacuated(w.patrons[pi].id, order.place, tuple(s.units[u].id for u in gone),
                                         round(total, 3)))


def _negotiate(s: State, ctx: TurnContext, pi: int, order: Negotiate, rng: Stream) -> State:
    w = s.world
    g = w.faction_index[order.faction]
    taken = bool(rng.random() < s.rules.negotiate_chance)
    ctx.events.append(ev.TruceOffered(w.patrons[pi].id, order.faction, taken))
    if not taken:
        return s
    rel = s.relations.copy()
    for f in w.commanded_by(w.patrons[pi].id):
        if rel[f, g] == int(Relation.HOSTILE):
            rel[f, g] = rel[g, f] = int(Relation.NEUTRAL)
            ctx.events.append(ev.RelationChanged(w.factions[f].id, order.faction, Relation.NEUTRAL.label))
    return s.evolve(relations=rel)


_PATRON_ORDERS = frozenset((AirStrike, CloseAir, Interdict, DepotStrike, Reinforce, SupplySurge, Evacuate, Negotiate))
"""The kinds of order this phase carries out (matched by exact type: cheaper than `isinstance` on
every order of the turn)."""


def run_support(s: State, ctx: TurnContext, key: int) -> State:
    """Carry out the patrons' orders in the order accepted."""
    w = s.world
    orders = cast("list[PatronOrder]", [o for _side, o in ctx.orders if type(o) in _PATRON_ORDERS])
    seen: dict[tuple[int, ...], int] = {}

    def dice(*tags: int) -> Stream:
        """The dice of one order, keyed by what it is (the patron, the kind, where, how many such before)."""
        n = seen[tags] = seen.get(tags, -1) + 1
        return Stream(key, *tags, n)

    for order in orders:
        pi = w.patron_index[order.patron]
        kind = type(order)
        if kind is AirStrike:
            _air_strike(s, ctx, pi, order)  # type: ignore[arg-type]
        elif kind is CloseAir:
            _close_air(s, ctx, pi, order)  # type: ignore[arg-type]
        elif kind is Interdict:
            _interdict(s, ctx, pi, order)  # type: ignore[arg-type]
        elif kind is DepotStrike:
            _depot_strike(s, ctx, pi, order)  # type: ignore[arg-type]
        elif kind is Reinforce:
            ro = cast(Reinforce, order)
            s = _reinforce(s, ctx, pi, ro, dice(pi, 1, w.board.index[ro.place]))
        elif kind is SupplySurge:
            so = cast(SupplySurge, order)
            _surge(s, ctx, pi, so, dice(pi, 2, w.faction_index.get(so.faction, 0)))
        elif kind is Evacuate:
            _evacuate(s, ctx, pi, order)  # type: ignore[arg-type]
        else:
            no = cast(Negotiate, order)
            s = _negotiate(s, ctx, pi, no, dice(pi, 3, w.faction_index[no.faction]))
    s.invalidate()
    return s
