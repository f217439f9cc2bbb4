"""Support phase: patrons' air strikes, reinforcements (with interdiction) and supply surges."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from . import events as ev
from .context import TurnContext
from .legal import client_index, strike_targets
from .orders import AirStrike, Reinforce, SupplySurge, order_cost, support_level
from .query import weakened
from .state import State
from .types import Channel, Posture, Supply, UnitInfo


def _grown(a: NDArray[Any], value: float) -> NDArray[Any]:
    """`a` with `value` appended, keeping its dtype."""
    return np.concatenate((a, [value]), dtype=a.dtype)


def add_unit(s: State, info: UnitInfo, place: int, strength: float, cohesion: float) -> State:
    """A new state with one more unit (arrays grow by one row)."""
    fi = s.world.faction_index[info.faction]
    new = s.evolve(
        units=s.units + (info,),
        u_faction=_grown(s.u_faction, fi),
        u_place=_grown(s.u_place, place),
        u_strength=_grown(s.u_strength, strength),
        u_cohesion=_grown(s.u_cohesion, cohesion),
        u_posture=_grown(s.u_posture, Posture.DEFEND),
        u_supply=_grown(s.u_supply, Supply.SUPPLIED),
    )
    return new


def _air_strike(s: State, ctx: TurnContext, pi: int, order: AirStrike) -> None:
    w, r = s.world, s.rules
    place = w.board.index[order.place]
    level = support_level(s, pi, Channel.AIR)
    terrain = w.board.places[place].terrain.value
    frac = min(0.9, r.air_strike_loss * level * r.air_exposure.get(terrain, 1.0))
    targets = strike_targets(s, pi)
    hit = [u for u in (s.u_place == place).nonzero()[0].tolist()  # living targetable units there
           if s.u_strength.item(u) > 0 and targets.item(s.u_faction.item(u))]
    losses = 0.0
    for u in hit:
        strength = s.u_strength.item(u)
        loss = strength * frac
        s.u_strength[u] = strength - loss
        s.u_cohesion[u] = max(0.0, s.u_cohesion.item(u) - r.air_strike_cohesion * level)
        losses += loss
    for c in w.patrons[pi].clients:
        if c in w.faction_index:
            ctx.air[place, w.faction_index[c]] += level
    if hit:
        weakened(s, hit)
    ctx.events.append(ev.AirStrike(w.patrons[pi].id, order.place, round(losses, 3),
                                   tuple(s.units[u].id for u in hit)))


def _reinforce(s: State, ctx: TurnContext, pi: int, order: Reinforce, rng: np.random.Generator) -> State:
    w, r = s.world, s.rules
    pat = w.patrons[pi]
    fi = client_index(s, pi, order.faction)
    assert fi is not None
    strength = min(float(s.p_reserve[pi]), r.reinforce_strength * support_level(s, pi, Channel.GROUND))
    s.p_reserve[pi] -= strength
    for ii, other in enumerate(w.patrons):
        if pat.id in other.interdicts:
            chance = r.interdiction_chance * support_level(s, ii, Channel.AIR)
            if chance > 0 and rng.random() < chance:
                ctx.events.append(ev.ConvoyInterdicted(pat.id, other.id, order.place, round(strength, 3)))
                return s
    prefix = f"{pat.id}_t{s.turn}_"
    uid = prefix + str(sum(1 for u in s.units if u.id.startswith(prefix)))
    info = UnitInfo(uid, w.factions[fi].id, f"{pat.name} reinforcements ({s.date})", pat.unit_type,
                    r.reinforce_quality)
    s = add_unit(s, info, w.board.index[order.place], strength, 0.8)
    ctx.events.append(ev.ReinforcementsArrived(pat.id, info.faction, uid, order.place, round(strength, 3)))
    return s


def run_support(s: State, ctx: TurnContext, rng: np.random.Generator) -> State:
    w, r = s.world, s.rules
    for _side, order in ctx.orders:
        if not isinstance(order, (AirStrike, Reinforce, SupplySurge)):
            continue
        pi = w.patron_index[order.patron]
        cost = order_cost(s, order)
        for c in w.patrons[pi].clients[:1]:
            if c in w.faction_index:
                f = w.faction_index[c]
                s.f_cohesion[f] = min(1.0, float(s.f_cohesion[f]) + r.patron_help_cohesion * cost)
        if isinstance(order, AirStrike):
            _air_strike(s, ctx, pi, order)
        elif isinstance(order, Reinforce):
            s = _reinforce(s, ctx, pi, order, rng)
        else:
            fi = client_index(s, pi, order.faction)
            assert fi is not None
            ctx.surge.add(fi)
            level = support_level(s, pi, Channel.SUPPLY)
            s.f_cohesion[fi] = min(1.0, float(s.f_cohesion[fi]) + r.surge_cohesion * level)
            n = int(np.count_nonzero((s.u_faction == fi) & (s.u_strength > 0)))
            ctx.events.append(ev.SupplySurged(order.patron, order.faction or w.factions[fi].id, n))
    s.invalidate()
    return s
