"""Combat: power, the logistic success curve, Dupuy-style losses, retreat or surrender.

A battle involves a handful of units, so the per-unit arithmetic runs on plain Python floats
read one at a time from the unit arrays (cheaper than numpy on arrays of 1-6 items). Every
product is formed in the same order, and every total summed as numpy would sum it (`_total`),
so the results are identical to the array arithmetic bit for bit."""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from . import events as ev
from . import query
from .context import TurnContext
from .control import contested_mask
from .movement import adjacent_open
from .rules import Rules
from .state import State
from .types import Posture, Supply

_ROUTED = int(Posture.ROUTED)
_SUPPLY_LABELS = [x.label for x in Supply]
_POSTURE_LABELS = [x.label for x in Posture]


def success_chance(ratio: float, rules: Rules) -> float:
    """p = 1 / (1 + exp(-k ln(ratio / r0))): below 1:1 attacks nearly always fail, above 3:1 nearly always win."""
    if ratio <= 0:
        return 0.0
    try:  # in Python floats, so an overflow raises instead of warning
        return float(1.0 / (1.0 + (float(ratio) / rules.combat_r0) ** (-rules.combat_k)))
    except OverflowError:  # a vanishing attacker (strength worn to ~1e-300): no chance
        return 0.0


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


def _total(values: list[float]) -> float:
    """`float(np.sum(values))` bit for bit: numpy adds fewer than eight numbers one by one
    from 0.0, more in pairwise blocks (left to numpy)."""
    if len(values) >= 8:
        return float(np.sum(values))
    total = 0.0
    for v in values:
        total += v
    return total


def _factors(s: State) -> tuple[list[float], list[float]]:
    """Combat power multipliers by supply state and by (defending) posture, indexed by the codes
    stored in `u_supply` and `u_posture` (derived from the rules alone: cached on the state)."""
    hit = s.cache.get("factors")
    if hit is None:
        r = s.rules
        hit = s.cache["factors"] = ([r.supply_factor.get(k, 1.0) for k in _SUPPLY_LABELS],
                                    [r.posture_defence.get(k, 1.0) for k in _POSTURE_LABELS])
    return hit  # type: ignore[no-any-return]


def unit_power(s: State, units: Iterable[int], ctx: TurnContext, place: int, defending: bool) -> float:
    """Summed combat power: strength × quality × type × supply × cohesion (at least 0.1) × air,
    and for defenders also × posture × terrain × fortification, multiplied in that order."""
    r = s.rules
    supply, posture = _factors(s)
    by_type = r.type_defence if defending else r.type_attack
    info_of, strength, supplied, cohesion, faction = s.units, s.u_strength, s.u_supply, s.u_cohesion, s.u_faction
    air, air_factor = ctx.air, r.air_factor
    terrain = fort = 1.0
    if defending:
        pl = s.world.board.places[place]
        terrain = r.terrain_defence.get(pl.terrain.value, 1.0)
        fort = 1.0 + r.fort_bonus * pl.fort
    powers = []
    for u in units:
        info = info_of[u]
        power = (strength.item(u) * info.quality * by_type.get(info.type, 1.0)  # a StrEnum member is its value
                 * supply[supplied.item(u)] * max(cohesion.item(u), 0.1)
                 * (1.0 + air_factor * air.item(place, faction.item(u))))
        if defending:
            power = power * posture[s.u_posture.item(u)] * terrain * fort
        powers.append(power)
    return _total(powers)


def _apply_losses(s: State, units: list[int], rate: float) -> float:
    """Each unit loses `rate` of its strength; returns the strength lost in all."""
    strength = s.u_strength
    lost = []
    for u in units:
        before = strength.item(u)
        loss = before * rate
        strength[u] = before - loss
        lost.append(loss)
    return _total(lost)


def _friends_of(s: State, f: int) -> list[int]:
    """Faction `f` and its allies, in index order (cached on the world)."""
    w = s.world
    hit = w.cache.get("friend_lists")
    if hit is None:
        hit = w.cache["friend_lists"] = [np.flatnonzero(row).tolist() for row in w.friendly]
    return hit[f]  # type: ignore[no-any-return]


class Ground:
    """What a retreating unit sees of the places around it: per place, the factions with living
    units there, how many units of one faction, and the strength of a faction and its allies
    (`query.place_power` bit for bit: each faction's units summed in index order, then the
    factions in index order).

    Read from the unit arrays as they are. It remembers the units it found at each place: tell
    it when one moves (`moved`); strengths must not change while it is used."""

    def __init__(self, s: State) -> None:
        self._s = s
        self._strength = s.u_strength
        self._friends = query.faction_bits(s)[0]
        self._at: dict[int, _Stack] = {}

    def _stack(self, q: int) -> _Stack:
        """The living units at `q` (read from the arrays the first time `q` is asked about)."""
        hit = self._at.get(q)
        if hit is None:
            units = _alive_at(self._s, q)
            factions = [self._s.u_faction.item(u) for u in units]
            hit = self._at[q] = _Stack(units, factions, _mask(factions))
        return hit

    def moved(self, u: int, frm: int, to: int) -> None:
        """Living unit `u` went from `frm` to `to`."""
        here = self._at.get(frm)
        if here is not None:
            i = here.units.index(u)
            del here.units[i], here.factions[i]
            here.bits = _mask(here.factions)
        there = self._at.get(to)
        if there is not None:
            g = self._s.u_faction.item(u)
            i = bisect.bisect(there.units, u)
            there.units.insert(i, u)
            there.factions.insert(i, g)
            there.bits |= 1 << g

    def factions(self, q: int) -> int:
        """The factions with living units at `q`, as a bit mask."""
        return self._stack(q).bits

    def count(self, q: int, f: int) -> int:
        """Living units of faction `f` at `q`."""
        return self._stack(q).factions.count(f)

    def power(self, q: int, f: int) -> float:
        """Total strength at `q` of faction `f` and its allies."""
        here = self._stack(q)
        strength, bits = self._strength, here.bits
        if not bits & bits - 1:  # at most one faction there: its units' strength, if a friend's (adding
            total = 0.0          # the other factions' zeros changes no bit)
            if bits & self._friends[f]:
                for u in here.units:
                    total += strength.item(u)
            return total
        by_faction: dict[int, float] = {}
        for u, g in zip(here.units, here.factions):
            by_faction[g] = by_faction.get(g, 0.0) + strength.item(u)
        return _total([by_faction.get(g, 0.0) for g in _friends_of(self._s, f)])


@dataclass(slots=True)
class _Stack:
    """What a `Ground` knows of one place: the living units in index order, their factions, and
    those factions as a bit mask."""

    units: list[int]
    factions: list[int]
    bits: int


def retreat_place(s: State, u: int, avoid: int = -1, prefer: int = -1, ground: Ground | None = None) -> int | None:
    """Where a beaten unit falls back: `prefer` if friendly, else the adjacent friendly place
    (no enemies; one with room under the stacking limit if any) with most friendly strength, the
    first in index order on a tie; None if there is nowhere to go. `ground`: how the unit sees the
    places around it (by default as they are now)."""
    f = s.u_faction.item(u)
    ground = ground or Ground(s)
    friends = query.faction_bits(s)[0][f]
    controller = s.controller
    options = [q for q in adjacent_open(s, s.u_place.item(u))  # held by a friend, no enemy or neutral units there
               if q != avoid and friends >> controller.item(q) & 1 and not ground.factions(q) & ~friends]
    if prefer in options:
        return prefer
    if len(options) < 2:
        return options[0] if options else None
    limits = query.stack_limits(s)
    choices = [q for q in options if ground.count(q, f) < limits[q]] or options  # those with room, if any
    best, most = choices[0], -1.0
    for q in choices:
        power = ground.power(q, f)
        if power > most:
            best, most = q, power
    return best


def _shaken(s: State, ctx: TurnContext, units: list[int], place: int) -> None:
    """Losers lose cohesion; those below the rout threshold rout."""
    r = s.rules
    cohesion, posture, strength = s.u_cohesion, s.u_posture, s.u_strength
    for u in units:
        left = max(0.0, cohesion.item(u) - r.combat_cohesion_loss)
        cohesion[u] = left
        if left < r.rout_cohesion and posture.item(u) != _ROUTED and strength.item(u) > 0:
            posture[u] = _ROUTED
            ctx.routs[s.u_faction.item(u)] += 1
            ctx.events.append(ev.UnitRouted(s.units[u].id, s.units[u].faction, s.world.board.places[place].id))


def _fall_back(s: State, ctx: TurnContext, units: list[int], place: int, avoid: int,
               back_to_origin: bool) -> None:
    """The living `units` still at `place` retreat (to where they came from, if `back_to_origin`
    and it is open to them) or surrender."""
    b = s.world.board
    touched = [place]
    ground = Ground(s)  # each unit sees where those before it went
    decided: dict[tuple[int, int], int | None] = {}  # by faction and preferred place, while nobody moves
    for u in units:
        if s.u_strength.item(u) <= 0 or s.u_place.item(u) != place:
            continue
        prefer = ctx.origin.get(u, -1) if back_to_origin else -1
        key = (s.u_faction.item(u), prefer)
        if key not in decided:
            decided[key] = retreat_place(s, u, avoid, prefer, ground)
        to = decided[key]
        info = s.units[u]
        if to is None:
            ctx.events.append(ev.UnitSurrendered(info.id, info.faction, b.places[place].id,
                                                 round(s.u_strength.item(u), 3)))
            s.u_strength[u] = 0.0
        else:
            s.u_place[u] = to
            ground.moved(u, place, to)
            decided.clear()
            touched.append(to)
            ctx.events.append(ev.UnitRetreated(info.id, info.faction, b.places[place].id, b.places[to].id))
    query.recount(s, touched)


def _alive_at(s: State, place: int) -> list[int]:
    """Living units at a place, in index order (`query.units_at` as a list, by a direct scan: the
    battles keep changing the units, so a cached grouping by place would rarely be reused)."""
    return [u for u in (s.u_place == place).nonzero()[0].tolist() if s.u_strength.item(u) > 0]


def _mask(factions: Iterable[int]) -> int:
    """Factions as a bit mask (bit f for faction f)."""
    bits = 0
    for g in factions:
        bits |= 1 << g
    return bits


def _factions_at(s: State, place: int) -> int:
    """The factions with living units at a place, as a bit mask."""
    return _mask(s.u_faction.item(u) for u in _alive_at(s, place))


def battle(s: State, ctx: TurnContext, place: int, attackers: list[int], defenders: list[int],
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
    a_fac, d_fac = s.u_faction.item(attackers[0]), s.u_faction.item(defenders[0])
    winners, losers = (attackers, defenders) if success else (defenders, attackers)
    for u in winners:
        s.u_cohesion[u] = min(s.u_cohesion.item(u) + r.combat_cohesion_gain, 1.0)
    ctx.wins[a_fac if success else d_fac] += 1
    ctx.events.append(ev.Combat(
        b.places[place].id, s.world.factions[a_fac].id, s.world.factions[d_fac].id,
        tuple([s.units[u].id for u in attackers]), tuple([s.units[u].id for u in defenders]),
        round(ratio, 4), round(p, 4), success, round(a_loss, 3), round(d_loss, 3)))
    _shaken(s, ctx, losers, place)
    query.weakened(s, attackers + defenders)
    if success:
        _fall_back(s, ctx, defenders, place, avoid=-1, back_to_origin=False)
        if not attackers_inside:
            enemies = query.faction_bits(s)[1]
            present = _factions_at(s, place)  # before any attacker moves in
            touched = [place]
            for u in attackers:
                if s.u_strength.item(u) > 0 and not present & enemies[s.u_faction.item(u)]:
                    frm = s.u_place.item(u)
                    ctx.origin.setdefault(u, frm)
                    touched.append(frm)
                    s.u_place[u] = place
            query.recount(s, touched)
    elif attackers_inside:
        _fall_back(s, ctx, attackers, place, avoid=-1, back_to_origin=True)
    return success


def engagement(s: State, ctx: TurnContext, u: int, v: int, rng: np.random.Generator) -> tuple[int, int]:
    """Two hostile units meet on a route: power against power, no terrain. Returns (winner, loser)."""
    r = s.rules
    pu = unit_power(s, [u], ctx, s.u_place.item(u), defending=False)
    pv = unit_power(s, [v], ctx, s.u_place.item(v), defending=False)
    p = 1.0 / (1.0 + math.exp(-r.combat_k * math.log(max(pu, 1e-9) / max(pv, 1e-9))))
    winner, loser = (u, v) if rng.random() < p else (v, u)
    ratio = max(pu, 1e-9) / max(pv, 1e-9) if winner == u else max(pv, 1e-9) / max(pu, 1e-9)
    w_rate, l_rate = loss_rates(ratio, True, r)
    s.u_strength[winner] *= 1.0 - w_rate
    s.u_strength[loser] *= 1.0 - l_rate
    s.u_cohesion[loser] = max(0.0, s.u_cohesion.item(loser) - r.combat_cohesion_loss)
    return winner, loser


def _meeting_places(s: State) -> list[int]:
    """Places where units of two mutually hostile factions stand together, in index order."""
    return contested_mask(s).nonzero()[0].tolist()  # type: ignore[no-any-return]


def _meeting_sides(s: State, place: int) -> tuple[list[int], list[int]] | None:
    """At a place shared by hostile units: (attackers, defenders), the defenders being the
    controller's side if present, else the strongest faction's side."""
    at = _alive_at(s, place)
    if not at:
        return None
    friends, enemies = query.faction_bits(s)
    facs = s.u_faction[at].tolist()
    owner = s.controller.item(place)
    present = sorted(set(facs))
    friends_of_owner = [f for f in present if friends[owner] >> f & 1]
    if friends_of_owner:
        dfac = owner if owner in present else friends_of_owner[0]
    else:
        strength = {f: _total([s.u_strength.item(u) for u, g in zip(at, facs) if g == f]) for f in present}
        dfac = max(strength, key=lambda f: (strength[f], -f))
    defenders = [u for u, f in zip(at, facs) if friends[dfac] >> f & 1]
    hostile = [(u, f) for u, f in zip(at, facs) if enemies[dfac] >> f & 1]
    if not hostile:
        return None
    afac = hostile[0][1]
    attackers = [u for u, f in hostile if friends[afac] >> f & 1]
    return attackers, defenders


def run_combat(s: State, ctx: TurnContext, rng: np.random.Generator) -> State:
    """Ordered attacks first (place by place), then meeting engagements where hostile units share a place."""
    by_target: dict[int, list[int]] = {}
    for u, target in ctx.attacks:
        by_target.setdefault(target, []).append(u)
    b = s.world.board
    friends, enemies = query.faction_bits(s)
    for target in sorted(by_target):
        units = [u for u in by_target[target]
                 if s.u_strength.item(u) > 0 and s.u_posture.item(u) != _ROUTED
                 and target in adjacent_open(s, s.u_place.item(u))]
        if not units:
            continue
        lead = s.u_faction.item(units[0])
        group = [u for u in units if friends[lead] >> s.u_faction.item(u) & 1]
        defenders = [u for u in _alive_at(s, target) if enemies[lead] >> s.u_faction.item(u) & 1]
        if not defenders:
            if _factions_at(s, target) & ~(friends[lead] | enemies[lead]):
                continue  # neutral units hold the place
            touched = [target]
            for u in group:
                frm = s.u_place.item(u)
                ctx.origin.setdefault(u, frm)
                touched.append(frm)
                s.u_place[u] = target
                path = (b.places[frm].id, b.places[target].id)
                ctx.events.append(ev.UnitMoved(s.units[u].id, s.units[u].faction, path))
            query.recount(s, touched)
            continue
        battle(s, ctx, target, group, defenders, rng, attackers_inside=False)
    for _ in range(3):
        shared = _meeting_places(s)
        if not shared:
            break
        for p in shared:
            sides = _meeting_sides(s, p)
            if sides is not None:
                battle(s, ctx, p, sides[0], sides[1], rng, attackers_inside=True)
    return s
