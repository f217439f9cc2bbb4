"""Combat: power, the logistic success curve, Dupuy-style losses, retreat or surrender."""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

from . import events as ev
from . import query
from .context import TurnContext
from .control import contested_mask
from .movement import adjacent_open
from .rules import Rules
from .state import State
from .types import Posture, Supply


def success_chance(ratio: float, rules: Rules) -> float:
    """p = 1 / (1 + exp(-k ln(ratio / r0))): below 1:1 attacks nearly always fail, above 3:1 nearly always win."""
    if ratio <= 0:
        return 0.0
    return float(1.0 / (1.0 + (ratio / rules.combat_r0) ** (-rules.combat_k)))


def loss_rates(ratio: float, success: bool, rules: Rules) -> tuple[float, float]:
    """(attacker, defender) fractions of strength lost in one day's combat."""
    ratio = min(max(ratio, 1e-3), 1e3)
    e = rules.loss_ratio_exponent
    att = rules.attacker_loss_rate * ratio ** (-e)
    dfn = rules.defender_loss_rate * ratio ** e
    if success:
        dfn *= rules.loser_loss_multiplier
    else:
        att *= rules.loser_loss_multiplier
    return min(att, rules.loss_cap), min(dfn, rules.loss_cap)


def _factors(s: State) -> dict[str, NDArray[np.float64]]:
    """Per-unit quality and type multipliers, and per-state lookup tables for supply and posture
    (cached until the state changes)."""
    hit = s.cache.get("factors")
    if hit is None:
        r = s.rules
        types = [u.type.value for u in s.units]
        hit = s.cache["factors"] = {
            "quality": np.array([u.quality for u in s.units], dtype=np.float64),
            "attack": np.array([r.type_attack.get(t, 1.0) for t in types], dtype=np.float64),
            "defence": np.array([r.type_defence.get(t, 1.0) for t in types], dtype=np.float64),
            "supply": np.array([r.supply_factor.get(x.label, 1.0) for x in Supply], dtype=np.float64),
            "posture": np.array([r.posture_defence.get(x.label, 1.0) for x in Posture], dtype=np.float64),
        }
    return hit  # type: ignore[no-any-return]


def unit_power(s: State, units: NDArray[np.intp], ctx: TurnContext, place: int, defending: bool) -> float:
    """Summed combat power: strength × quality × type × supply × cohesion × air, and for
    defenders also × terrain × posture × fortification."""
    r = s.rules
    if len(units) == 0:
        return 0.0
    f = _factors(s)
    tfac = f["defence" if defending else "attack"][units]
    sfac = f["supply"][s.u_supply[units]]
    coh = np.maximum(s.u_cohesion[units], 0.1)
    air = 1.0 + r.air_factor * ctx.air[place, s.u_faction[units]]
    power = s.u_strength[units] * f["quality"][units] * tfac * sfac * coh * air
    if defending:
        pl = s.world.board.places[place]
        posture = f["posture"][s.u_posture[units]]
        power = power * posture * r.terrain_defence.get(pl.terrain.value, 1.0) * (1.0 + r.fort_bonus * pl.fort)
    return float(power.sum())


def _apply_losses(s: State, units: NDArray[np.intp], rate: float) -> float:
    lost = s.u_strength[units] * rate
    s.u_strength[units] -= lost
    return float(lost.sum())


def retreat_place(s: State, u: int, avoid: int = -1, prefer: int = -1) -> int | None:
    """Where a beaten unit falls back: `prefer` if friendly, else the adjacent friendly place
    (no enemies; one with room under the stacking limit if any) with most friendly strength;
    None if there is nowhere to go."""
    f = int(s.u_faction[u])
    here = int(s.u_place[u])
    options = [q for q in adjacent_open(s, here)
               if q != avoid and query.is_held_by_friend(s, f, q) and not query.has_unfriendly_units(s, f, q)]
    if prefer in options:
        return prefer
    if not options:
        return None
    roomy = [q for q in options if query.stack_count(s, f, q) < query.stack_limit(s, q)]
    choices = roomy or options
    if len(choices) == 1:
        return choices[0]
    return max(choices, key=lambda q: (query.place_power(s, q, f), -q))


def _shaken(s: State, ctx: TurnContext, units: NDArray[np.intp], place: int) -> None:
    """Losers lose cohesion; those below the rout threshold rout."""
    r = s.rules
    for u in units:
        s.u_cohesion[u] = max(0.0, float(s.u_cohesion[u]) - r.combat_cohesion_loss)
        if s.u_cohesion[u] < r.rout_cohesion and int(s.u_posture[u]) != int(Posture.ROUTED) and s.u_strength[u] > 0:
            s.u_posture[u] = int(Posture.ROUTED)
            ctx.routs[s.u_faction[u]] += 1
            ctx.events.append(ev.UnitRouted(s.units[u].id, s.units[u].faction, s.world.board.places[place].id))


def _fall_back(s: State, ctx: TurnContext, units: NDArray[np.intp], place: int, avoid: int,
               back_to_origin: bool) -> None:
    b = s.world.board
    touched = [place]
    for u in units:
        u = int(u)
        if s.u_strength[u] <= 0:
            continue
        if int(s.u_place[u]) != place:
            continue
        prefer = ctx.origin.get(u, -1) if back_to_origin else -1
        to = retreat_place(s, u, avoid, prefer)
        info = s.units[u]
        if to is None:
            ctx.events.append(ev.UnitSurrendered(info.id, info.faction, b.places[place].id,
                                                 round(float(s.u_strength[u]), 3)))
            s.u_strength[u] = 0.0
        else:
            s.u_place[u] = to
            touched.append(to)
            ctx.events.append(ev.UnitRetreated(info.id, info.faction, b.places[place].id, b.places[to].id))
    query.recount(s, touched)


def battle(s: State, ctx: TurnContext, place: int, attackers: NDArray[np.intp], defenders: NDArray[np.intp],
           rng: np.random.Generator, attackers_inside: bool) -> bool:
    """One combat at `place`. Returns whether the attackers won. `attackers_inside` is True when
    the attackers already moved in (a meeting engagement) rather than attacking from next door."""
    r, b = s.rules, s.world.board
    a_pow = unit_power(s, attackers, ctx, place, defending=False)
    d_pow = unit_power(s, defenders, ctx, place, defending=True)
    ratio = a_pow / max(d_pow, 1e-9)
    p = success_chance(ratio, r)
    success = bool(rng.random() < p)
    a_rate, d_rate = loss_rates(ratio, success, r)
    a_loss = _apply_losses(s, attackers, a_rate)
    d_loss = _apply_losses(s, defenders, d_rate)
    a_fac, d_fac = int(s.u_faction[attackers[0]]), int(s.u_faction[defenders[0]])
    winners, losers = (attackers, defenders) if success else (defenders, attackers)
    s.u_cohesion[winners] = np.minimum(1.0, s.u_cohesion[winners] + r.combat_cohesion_gain)
    ctx.wins[a_fac if success else d_fac] += 1
    ctx.events.append(ev.Combat(
        b.places[place].id, s.world.factions[a_fac].id, s.world.factions[d_fac].id,
        tuple(s.units[u].id for u in attackers), tuple(s.units[u].id for u in defenders),
        round(ratio, 4), round(p, 4), success, round(a_loss, 3), round(d_loss, 3)))
    _shaken(s, ctx, losers, place)
    query.recount(s, [place, *s.u_place[attackers].tolist(), *s.u_place[defenders].tolist()])
    if success:
        _fall_back(s, ctx, defenders, place, avoid=-1, back_to_origin=False)
        if not attackers_inside:
            touched = [place]
            for u in attackers:
                if s.u_strength[u] > 0 and not query.has_hostile_units(s, int(s.u_faction[u]), place):
                    ctx.origin.setdefault(int(u), int(s.u_place[u]))
                    touched.append(int(s.u_place[u]))
                    s.u_place[u] = place
            query.recount(s, touched)
    elif attackers_inside:
        _fall_back(s, ctx, attackers, place, avoid=-1, back_to_origin=True)
    return success


def engagement(s: State, ctx: TurnContext, u: int, v: int, rng: np.random.Generator) -> tuple[int, int]:
    """Two hostile units meet on a route: power against power, no terrain. Returns (winner, loser)."""
    r = s.rules
    pu = unit_power(s, np.array([u]), ctx, int(s.u_place[u]), defending=False)
    pv = unit_power(s, np.array([v]), ctx, int(s.u_place[v]), defending=False)
    p = 1.0 / (1.0 + math.exp(-r.combat_k * math.log(max(pu, 1e-9) / max(pv, 1e-9))))
    winner, loser = (u, v) if rng.random() < p else (v, u)
    ratio = max(pu, 1e-9) / max(pv, 1e-9) if winner == u else max(pv, 1e-9) / max(pu, 1e-9)
    w_rate, l_rate = loss_rates(ratio, True, r)
    s.u_strength[winner] *= 1.0 - w_rate
    s.u_strength[loser] *= 1.0 - l_rate
    s.u_cohesion[loser] = max(0.0, float(s.u_cohesion[loser]) - r.combat_cohesion_loss)
    return winner, loser


def _meeting_sides(s: State, place: int) -> tuple[NDArray[np.intp], NDArray[np.intp]] | None:
    """At a place shared by hostile units: (attackers, defenders), the defenders being the
    controller's side if present, else the strongest faction's side."""
    at = units_at_alive(s, place)
    if len(at) == 0:
        return None
    w = s.world
    facs = s.u_faction[at]
    owner = int(s.controller[place])
    present = np.unique(facs)
    friends_of_owner = [f for f in present if w.friendly[owner, f]]
    if friends_of_owner:
        dfac = owner if owner in present else int(friends_of_owner[0])
    else:
        strength = {int(f): float(s.u_strength[at][facs == f].sum()) for f in present}
        dfac = max(strength, key=lambda f: (strength[f], -f))
    defenders = at[w.friendly[dfac, facs]]
    hostile = at[w.hostile[dfac, facs]]
    if len(hostile) == 0:
        return None
    afac = int(s.u_faction[hostile[0]])
    attackers = hostile[w.friendly[afac, s.u_faction[hostile]]]
    return attackers, defenders


def units_at_alive(s: State, place: int) -> NDArray[np.intp]:
    return query.units_at(s, place)


def run_combat(s: State, ctx: TurnContext, rng: np.random.Generator) -> State:
    """Ordered attacks first (place by place), then meeting engagements where hostile units share a place."""
    by_target: dict[int, list[int]] = {}
    for u, target in ctx.attacks:
        by_target.setdefault(target, []).append(u)
    b = s.world.board
    for target in sorted(by_target):
        units = [u for u in by_target[target]
                 if s.u_strength[u] > 0 and int(s.u_posture[u]) != int(Posture.ROUTED)
                 and target in adjacent_open(s, int(s.u_place[u]))]
        if not units:
            continue
        lead = int(s.u_faction[units[0]])
        group = np.array([u for u in units if s.world.friendly[lead, s.u_faction[u]]], dtype=np.intp)
        at = query.units_at(s, target)
        defenders = at[s.world.hostile[lead, s.u_faction[at]]]
        if len(defenders) == 0:
            if query.has_neutral_units(s, lead, target):
                continue
            for u in group:
                ctx.origin.setdefault(int(u), int(s.u_place[u]))
                path = (b.places[int(s.u_place[u])].id, b.places[target].id)
                s.u_place[u] = target
                ctx.events.append(ev.UnitMoved(s.units[u].id, s.units[u].faction, path))
            s.invalidate()
            continue
        battle(s, ctx, target, group, defenders, rng, attackers_inside=False)
    for _ in range(3):
        shared = np.flatnonzero(contested_mask(s)).tolist()
        if not shared:
            break
        for p in shared:
            sides = _meeting_sides(s, int(p))
            if sides is not None:
                battle(s, ctx, int(p), sides[0], sides[1], rng, attackers_inside=True)
    return s
