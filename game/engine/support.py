"""Support phase: patrons' air strikes, reinforcements (with interdiction) and supply surges."""

from __future__ import annotations

from typing import Any, cast

import numpy as np
from numpy.typing import NDArray

from . import events as ev
from .context import TurnContext
from .legal import client_index, strike_bits
from .orders import AirStrike, PatronOrder, Reinforce, SupplySurge, order_cost
from .state import State, World
from .types import CHANNELS, Channel, Posture, Supply, UnitInfo

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
        u_cohesion=_grown(s.u_cohesion, cohesion),
        u_posture=_grown(s.u_posture, Posture.DEFEND),
        u_supply=_grown(s.u_supply, Supply.SUPPLIED),
    )
    return new


def _clients(w: World) -> list[list[int]]:
    """Per patron, the faction index of each of its clients that is a faction of the world
    (cached on the world; do not modify)."""
    hit = w.cache.get("patron_clients")
    if hit is None:
        hit = w.cache["patron_clients"] = [[w.faction_index[c] for c in p.clients if c in w.faction_index]
                                           for p in w.patrons]
    return hit  # type: ignore[no-any-return]


def _helped(w: World) -> list[int | None]:
    """Per patron, the faction whose cohesion its orders help: its first client, when that is a
    faction of the world (cached on the world)."""
    hit = w.cache.get("patron_helped")
    if hit is None:
        hit = w.cache["patron_helped"] = [w.faction_index.get(p.clients[0]) if p.clients else None
                                          for p in w.patrons]
    return hit  # type: ignore[no-any-return]


def _air_strike(s: State, ctx: TurnContext, pi: int, order: AirStrike) -> None:
    """Every living unit at the place of a faction the patron may strike loses a fraction of its
    strength and some cohesion; the patron's clients get its air support there for the turn.

    Keeps no derived lookup of the state up to date: nothing in this phase reads one, and
    `run_support` drops them all at its end."""
    w, r = s.world, s.rules
    place = w.board.index[order.place]
    level = s.p_support.item(pi, AIR)
    exposure = r.air_exposure.get(w.board.places[place].terrain, 1.0)  # a Terrain is its str value
    frac = min(0.9, r.air_strike_loss * level * exposure)
    hurt = r.air_strike_cohesion * level
    targets = strike_bits(s, pi)
    strength, cohesion, faction = s.u_strength, s.u_cohesion, s.u_faction
    hit = [u for u in (s.u_place == place).nonzero()[0].tolist()
           if strength.item(u) > 0 and targets >> faction.item(u) & 1]
    losses = 0.0
    for u in hit:
        before = strength.item(u)
        loss = before * frac
        strength[u] = before - loss
        cohesion[u] = max(0.0, cohesion.item(u) - hurt)
        losses += loss
    for f in _clients(w)[pi]:
        ctx.air[place, f] += level
    units = s.units
    ctx.events.append(ev.AirStrike(w.patrons[pi].id, order.place, round(losses, 3),
                                   tuple([units[u].id for u in hit])))


def _reinforce(s: State, ctx: TurnContext, pi: int, order: Reinforce, rng: np.random.Generator) -> State:
    w, r = s.world, s.rules
    pat = w.patrons[pi]
    fi = client_index(s, pi, order.faction)
    assert fi is not None
    strength = min(s.p_reserve.item(pi), r.reinforce_strength * s.p_support.item(pi, GROUND))
    s.p_reserve[pi] -= strength
    for ii, other in enumerate(w.patrons):
        if pat.id in other.interdicts:
            chance = r.interdiction_chance * s.p_support.item(ii, AIR)
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


_PATRON_ORDERS = frozenset((AirStrike, Reinforce, SupplySurge))
"""The kinds of order this phase carries out (matched by exact type: cheaper than `isinstance` on
every order of the turn)."""


def run_support(s: State, ctx: TurnContext, rng: np.random.Generator) -> State:
    """Carry out the patrons' orders in the order accepted; each also helps the patron's first client's
    cohesion by its cost."""
    w, r = s.world, s.rules
    helped = _helped(w)
    orders = cast("list[PatronOrder]", [o for _side, o in ctx.orders if type(o) in _PATRON_ORDERS])
    for order in orders:
        pi = w.patron_index[order.patron]
        f = helped[pi]
        if f is not None:
            s.f_cohesion[f] = min(1.0, s.f_cohesion.item(f) + r.patron_help_cohesion * order_cost(s, order))
        if isinstance(order, AirStrike):
            _air_strike(s, ctx, pi, order)
        elif isinstance(order, Reinforce):
            s = _reinforce(s, ctx, pi, order, rng)
        else:
            fi = client_index(s, pi, order.faction)
            assert fi is not None
            ctx.surge.add(fi)
            s.f_cohesion[fi] = min(1.0, s.f_cohesion.item(fi) + r.surge_cohesion * s.p_support.item(pi, SUPPLY))
            n = int(np.count_nonzero((s.u_faction == fi) & (s.u_strength > 0)))
            ctx.events.append(ev.SupplySurged(order.patron, order.faction or w.factions[fi].id, n))
    s.invalidate()
    return s
