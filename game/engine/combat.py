"""Combat: battles read on the results table (crt.py), retreats, routs and surrender.

A battle involves a handful of units, so the per-unit arithmetic runs on plain Python floats read
one at a time from the unit arrays (cheaper than numpy on arrays of 1-6 items).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from . import crt, query
from . import events as ev
from .context import TurnContext
from .control import contested_mask
from .morale import fail_chances, goes_to_ground, morale_modifiers, went_to_ground
from .movement import adjacent_open
from .rng import Stream
from .state import State
from .types import Posture, Terrain

_ROUTED = int(Posture.ROUTED)
_ENTRENCH = int(Posture.ENTRENCH)


def _total(values: list[float]) -> float:
    """`float(np.sum(values))` bit for bit: numpy adds fewer than eight numbers one by one
    from 0.0, more in pairwise blocks (left to numpy)."""
    if len(values) >= 8:
        return float(np.sum(values))
    total = 0.0
    for v in values:
        total += v
    return total


def _apply_losses(s: State, units: list[int], rate: float) -> float:
    """Each unit loses `rate` of its strength (at most the loss cap); returns the strength lost in all."""
    rate = min(rate, s.rules.loss_cap)
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
    rel = s.tables()
    return rel.get("friend_lists", lambda: [np.flatnonzero(row).tolist() for row in rel.friendly])[f]  # type: ignore[no-any-return]


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


def _shaken(s: State, ctx: TurnContext, units: list[int], place: int, loss: float) -> None:
    """Losers lose cohesion (at least their floor); those below the rout threshold rout."""
    r = s.rules
    cohesion, posture, strength = s.u_cohesion, s.u_posture, s.u_strength
    for u in units:
        left = max(s.units[u].floor, cohesion.item(u) - loss)
        cohesion[u] = left
        if left < r.rout_cohesion and posture.item(u) != _ROUTED and strength.item(u) > 0:
            posture[u] = _ROUTED
            ctx.routed(u)
            ctx.events.append(ev.UnitRouted(s.units[u].id, s.units[u].faction, s.world.board.places[place].id))


def _fall_back(s: State, ctx: TurnContext, units: list[int], place: int, avoid: int,
               back_to_origin: bool) -> None:
    """The living `units` still at `place` retreat (to where they came from, if `back_to_origin`
    and it is open to them) or surrender; an insurgent cell with nowhere to go goes to ground there instead,
    routed (the winners cannot move in while it is there)."""
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
        if to is None and goes_to_ground(s, u):
            went_to_ground(s, ctx, u)
        elif to is None:
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


CONTAGION_SCAN = 64
"""Units of one faction above which `_contagion` narrows them down to the place and its neighbours with
numpy before looking at each in turn (fewer are cheaper to look at one by one)."""


def _contagion(s: State, u: int, place: int) -> None:
    """The other units of unit `u`'s faction and command at `place` and one route from it lose heart (not below
    their floors): a patron's contingent and its host army's units do not panic each other."""
    loss = s.rules.contagion
    near = adjacent_open(s, place)
    units, strength, cohesion, at = s.units, s.u_strength, s.u_cohesion, s.u_place
    command = units[u].command
    mine = (s.u_faction == s.u_faction.item(u)).nonzero()[0]  # its faction's units, in index order
    if len(mine) > CONTAGION_SCAN:  # a big army: those at or next to the place, found by numpy first
        close = np.zeros(s.world.board.n_places, dtype=bool)
        close[place] = True
        close[near] = True
        mine = mine[close[at[mine]]]
    for v in mine.tolist():
        p = at.item(v)
        if (p == place or p in near) and v != u and strength.item(v) > 0 and units[v].command == command:
            cohesion[v] = max(units[v].floor, cohesion.item(v) - loss)


def morale_failure(s: State, ctx: TurnContext, u: int, broke: bool, ground: Ground | None) -> list[int]:
    """A failed morale check: some desert, cohesion falls and the unit is shaken (routed: it will not
    attack or advance until it rallies). A break also counts as a rout, shakes its neighbours and, with
    `ground` (it is in contact), falls back without orders; a unit that breaks while already routed
    melts away (rules.dissolve_when_broken_twice), unless it is an insurgent cell, which only breaks again (it
    goes to ground). Returns the places whose units changed."""
    r, b = s.rules, s.world.board
    info, here = s.units[u], s.u_place.item(u)
    if broke and s.u_posture.item(u) == _ROUTED and r.dissolve_when_broken_twice and not goes_to_ground(s, u):
        left = s.u_strength.item(u)
        ctx.routed(u)
        s.u_strength[u] = 0.0
        ctx.checked.add(u)
        ctx.events.append(ev.MoraleFailed(info.id, info.faction, b.places[here].id, True, round(left, 3)))
        ctx.events.append(ev.UnitDeserted(info.id, info.faction, b.places[here].id, round(left, 3)))
        return [here]
    broken_army = s.f_collapsed.item(s.u_faction.item(u)) and not info.command  # a contingent: its own command
    rate = (r.collapse_desertion if broken_army else r.desertion_rate) if broke else r.waver_loss
    loss = s.u_strength.item(u) * rate
    s.u_strength[u] -= loss
    s.u_cohesion[u] = max(info.floor, s.u_cohesion.item(u) - (r.break_cohesion if broke else r.waver_cohesion))
    s.u_posture[u] = _ROUTED
    ctx.checked.add(u)
    ctx.events.append(ev.MoraleFailed(info.id, info.faction, b.places[here].id, broke, round(loss, 3)))
    if not broke:
        return [here]
    ctx.routed(u)
    _contagion(s, u, here)
    if ground is None:
        return [here]
    to = retreat_place(s, u, ground=ground)
    if to is None:
        return [here]
    s.u_place[u] = to
    ground.moved(u, here, to)
    ctx.events.append(ev.UnitRetreated(info.id, info.faction, b.places[here].id, b.places[to].id, reason="broke"))
    return [here, to]


def assault_checks(s: State, ctx: TurnContext, defenders: list[int], rng: Stream) -> list[int]:
    """Defenders facing an assault take their morale check before the battle: those who break fall back
    (the attackers may then walk in), those who waver fight shaken. Returns those still there."""
    if ctx.morale is None:
        ctx.morale = morale_modifiers(s, ctx)[0]
    mod = ctx.morale
    place = s.u_place.item(defenders[0]) if defenders else -1  # where they stand before any of them falls back
    todo = [u for u in defenders if u not in ctx.checked and u < len(mod)]
    for u in defenders:
        ctx.checked.add(u)
    if not todo:
        return defenders
    r = s.rules
    p = fail_chances(s, [s.u_cohesion.item(u) + mod.item(u) for u in todo])
    rolls = rng.floats(len(todo))
    touched: list[int] = []
    ground: Ground | None = None
    for u, pu, roll in zip(todo, p, rolls):
        if roll >= pu or s.u_strength.item(u) <= 0:
            continue
        broke = roll < pu * r.break_share
        if broke and ground is None:
            query.recount(s, touched)
            ground = Ground(s)
        touched += morale_failure(s, ctx, u, broke, ground if broke else None)
    if touched:
        query.recount(s, touched)
    return [u for u in defenders if s.u_strength.item(u) > 0 and s.u_place.item(u) == place]


def _interdicted(s: State, ctx: TurnContext, attackers: list[int], place: int) -> dict[int, float]:
    """Attackers coming to `place` across a route an enemy's air watches, with its effect."""
    if not ctx.interdicted:
        return {}
    b = s.world.board
    out: dict[int, float] = {}
    for u in attackers:
        frm = ctx.origin.get(u, s.u_place.item(u))
        if frm == place or not b.are_adjacent(frm, place):
            continue
        rid = b.route_between(frm, place)
        if rid in ctx.interdicted and any(s.hostile[g, s.u_faction.item(u)] for g in ctx.interdictors[rid]):
            out[u] = ctx.interdicted[rid]
    return out


def battle_odds(s: State, ctx: TurnContext, place: int, attackers: list[int], defenders: list[int]) -> crt.Odds:
    """The results table's odds for this battle, with the turn's air support and interdiction."""
    a_fac, d_fac = s.u_faction.item(attackers[0]), s.u_faction.item(defenders[0])
    return crt.odds(s, attackers, defenders, place, air_attack=ctx.air.item(place, a_fac),
                    air_defence=ctx.air.item(place, d_fac), interdicted=_interdicted(s, ctx, attackers, place))


def _use_stock(s: State, units: list[int]) -> None:
    use = s.rules.stock_combat
    for u in units:
        s.u_stock[u] = max(0.0, s.u_stock.item(u) - use)


def _stands(s: State, u: int) -> bool:
    """Whether a defender stands on a retreat result: entrenched and steady enough."""
    return s.u_posture.item(u) == _ENTRENCH and s.u_cohesion.item(u) >= s.rules.stand_cohesion


def _is_city(s: State, place: int) -> bool:
    pl = s.world.board.places[place]
    return pl.terrain == Terrain.URBAN or pl.fort >= 2


def battle(s: State, ctx: TurnContext, place: int, attackers: list[int], defenders: list[int],
           rng: Stream, attackers_inside: bool) -> bool:
    """One battle at `place`, read on the results table. Returns whether the defenders gave way.
    `attackers_inside`: the attackers are already in the place (fighting in a city, or a meeting)."""
    r, b = s.rules, s.world.board
    odds = battle_odds(s, ctx, place, attackers, defenders)
    result = crt.roll(s, odds, rng)
    if ctx.forced:  # the umpire fixed this turn's results (the die above is still rolled)
        result = ctx.forced.get(place, result)
    ctx.fought.add(place)
    ctx.attacked.update(attackers)
    ctx.attacked.update(defenders)
    a_loss = _apply_losses(s, attackers, r.crt_attacker_loss.get(result, 0.0))
    d_loss = _apply_losses(s, defenders, r.crt_defender_loss.get(result, 0.0))
    _use_stock(s, attackers)
    _use_stock(s, defenders)
    a_fac, d_fac = s.u_faction.item(attackers[0]), s.u_faction.item(defenders[0])
    standing: list[int] = []
    if result == "retreat":
        standing = [u for u in defenders if _stands(s, u)]
        if standing:
            d_loss += _apply_losses(s, standing, r.stand_loss)
    success = result in crt.SUCCESS
    if success:
        winners, losers = attackers, [u for u in defenders if u not in standing]
    elif result == "repulsed":
        winners, losers = defenders, attackers
    else:
        winners, losers = [], attackers if result == "exchange" else []
    for u in winners:
        s.u_cohesion[u] = min(s.u_cohesion.item(u) + r.combat_cohesion_gain, 1.0)
    if result in ("repulsed",) or (success and not standing):
        ctx.wins[a_fac if success else d_fac] += 1
    ctx.events.append(ev.Combat(
        b.places[place].id, s.world.factions[a_fac].id, s.world.factions[d_fac].id,
        tuple([s.units[u].id for u in attackers]), tuple([s.units[u].id for u in defenders]),
        round(odds.ratio, 4), round(odds.success, 4), success and not standing, round(a_loss, 3), round(d_loss, 3),
        result, odds.column_label, tuple((x.name, round(x.columns, 3)) for x in odds.shifts), attackers_inside))
    if result == "rout":
        _shaken(s, ctx, losers, place, r.rout_cohesion_loss)
        for u in losers:
            if s.u_strength.item(u) > 0 and s.u_posture.item(u) != _ROUTED:
                s.u_posture[u] = _ROUTED
                ctx.routed(u)
                ctx.events.append(ev.UnitRouted(s.units[u].id, s.units[u].faction, b.places[place].id))
    elif losers:
        _shaken(s, ctx, losers, place, r.combat_cohesion_loss)
    if standing:
        _shaken(s, ctx, standing, place, r.combat_cohesion_loss)
    query.weakened(s, attackers + defenders)
    if success:
        _fall_back(s, ctx, losers, place, avoid=-1, back_to_origin=False)
        if not attackers_inside and not standing:
            _move_in(s, ctx, attackers, place)
    elif result == "engaged" and not attackers_inside and _is_city(s, place):
        _move_in(s, ctx, attackers, place, into_fight=True)  # the fight goes on in the streets
    elif result == "repulsed" and attackers_inside:
        _fall_back(s, ctx, attackers, place, avoid=-1, back_to_origin=True)
    return success and not standing


def _move_in(s: State, ctx: TurnContext, attackers: list[int], place: int, into_fight: bool = False) -> None:
    """Attackers still able move into `place`: when no enemy is left there, or (`into_fight`) to fight on inside."""
    enemies = query.faction_bits(s)[1]
    present = _factions_at(s, place)  # before any attacker moves in
    touched = [place]
    for u in attackers:
        if s.u_strength.item(u) > 0 and (into_fight or not present & enemies[s.u_faction.item(u)]) \
                and s.u_posture.item(u) != _ROUTED:
            frm = s.u_place.item(u)
            ctx.origin.setdefault(u, frm)
            touched.append(frm)
            s.u_place[u] = place
    query.recount(s, touched)


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


def _attack_groups(s: State, units: list[int], rng: Stream) -> list[list[int]]:
    """The attacks on one place, a group per set of friendly factions. When factions that are not friends
    attack the same place in the same turn, each group's attack is fought, in an order drawn by a seeded
    initiative roll (not the order the factions are listed in, which would favour one side for good).
    The roll is drawn only then, so a turn without such a clash plays the same dice."""
    friends = query.faction_bits(s)[0]
    groups: list[list[int]] = []
    for u in units:
        f = s.u_faction.item(u)
        for g in groups:
            if friends[s.u_faction.item(g[0])] >> f & 1:
                g.append(u)
                break
        else:
            groups.append([u])
    if len(groups) > 1:
        groups = [groups[i] for i in rng.permutation(len(groups)).tolist()]
    return groups


def _defenders_against(s: State, place: int, lead: int) -> list[int]:
    """The units at `place` that stand against an attack by faction `lead`: those hostile to it, of one
    side (the controller's if it is among them, else the first found's), when several are there."""
    friends, enemies = query.faction_bits(s)
    hostile = [u for u in _alive_at(s, place) if enemies[lead] >> s.u_faction.item(u) & 1]
    if not hostile:
        return hostile
    owner = s.controller.item(place)
    facs = [s.u_faction.item(u) for u in hostile]
    side = owner if any(friends[owner] >> f & 1 for f in facs) else facs[0]
    return [u for u, f in zip(hostile, facs) if friends[side] >> f & 1]


def _called_off(s: State, ctx: TurnContext, u: int, target: int, reason: str) -> None:
    info = s.units[u]
    ctx.events.append(ev.AttackCalledOff(info.id, info.faction, s.world.board.places[target].id, reason))


def _can_attack(s: State, ctx: TurnContext, u: int, target: int, near: bool = True) -> bool:
    """Whether unit `u` can still make its ordered attack on `target`: alive, not routed and (`near`) one open
    route away. If not, the attack is called off and the report says why."""
    if s.u_strength.item(u) <= 0:
        _called_off(s, ctx, u, target, "the unit was destroyed first")
        return False
    if s.u_posture.item(u) == _ROUTED:
        _called_off(s, ctx, u, target, "the unit was routed first")
        return False
    if near and target not in adjacent_open(s, s.u_place.item(u)):
        _called_off(s, ctx, u, target, "the unit was no longer next to it")
        return False
    return True


def run_combat(s: State, ctx: TurnContext, key: int) -> State:
    """Ordered attacks first (place by place, in index order; at a place attacked by factions that are not
    friends, each one's attack in initiative order), then one battle at each place where hostile units
    still stand together (street fighting goes on; a meeting is fought out)."""
    by_target: dict[int, list[int]] = {}
    for u, target in ctx.attacks:
        by_target.setdefault(target, []).append(u)
    b = s.world.board
    friends, enemies = query.faction_bits(s)
    for target in sorted(by_target):
        units = [u for u in by_target[target] if _can_attack(s, ctx, u, target)]
        if not units:
            continue
        rng = Stream(key, target, 0)  # each place's battles roll dice of their own (common random numbers: rng.Dice)
        for group in _attack_groups(s, units, rng):
            group = [u for u in group if s.u_place.item(u) != target and _can_attack(s, ctx, u, target, False)]
            if not group:
                continue
            lead = s.u_faction.item(group[0])
            defenders = _defenders_against(s, target, lead)
            if defenders:
                defenders = assault_checks(s, ctx, defenders, rng)
            if not defenders:
                if _factions_at(s, target) & ~(friends[lead] | enemies[lead]):
                    for u in group:  # neutral units hold the place
                        _called_off(s, ctx, u, target, "neutral units hold it")
                    continue
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
    for p in _meeting_places(s):
        if p in ctx.fought:  # one battle a place a turn: street fighting goes on next turn
            continue
        sides = _meeting_sides(s, p)
        if sides is None:
            continue
        rng = Stream(key, p, 1)
        defenders = assault_checks(s, ctx, sides[1], rng)
        if defenders:
            battle(s, ctx, p, sides[0], defenders, rng, attackers_inside=True)
    return s
