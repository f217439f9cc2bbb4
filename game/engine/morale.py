"""Morale: what a unit's will to fight is worth under pressure, and the chance it fails a check.

Shared by the combat phase (defenders check before an assault) and the cohesion phase (every unit
under pressure checks at the end of the turn); see cohesion.py for the rules in words.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from . import events as ev
from .context import TurnContext
from .movement import open_matrix, theatre_mask
from .rules import Rules
from .state import State, World
from .types import Posture, Supply, UnitInfo

_ENTRENCH = int(Posture.ENTRENCH)


def unit_factors(s: State) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Per unit: its type's attack and defence factors, and its cohesion floor (cached on the state:
    derived from its units and rules alone, so copies keep it)."""
    hit = s.cache.get("unit_factors")
    if hit is None:
        rows = [unit_factor_row(s.rules, u) for u in s.units]
        hit = s.cache["unit_factors"] = (np.array([a for a, _, _ in rows]), np.array([d for _, d, _ in rows]),
                                         np.array([f for _, _, f in rows], dtype=np.float64))
    return hit  # type: ignore[no-any-return]


def unit_factor_row(r: Rules, info: UnitInfo) -> tuple[float, float, float]:
    """One unit's row of `unit_factors`: its type's attack and defence factors and its cohesion floor."""
    return r.type_attack.get(info.type, 1.0), r.type_defence.get(info.type, 1.0), info.floor


def insurgent_factions(w: World) -> NDArray[np.bool_]:
    """Per faction: whether it is an insurgent network (`Faction.insurgent`; cached on the world)."""
    hit = w.cache.get("insurgent_factions")
    if hit is None:
        hit = w.cache["insurgent_factions"] = np.array([f.insurgent for f in w.factions], dtype=bool)
        hit.flags.writeable = False
    return hit  # type: ignore[no-any-return]


def goes_to_ground(s: State, u: int) -> bool:
    """Whether unit `u` is a cell of an insurgent network, which goes to ground rather than surrender or melt
    away (a patron's contingent answers to its own command, so it never is)."""
    return bool(insurgent_factions(s.world)[s.u_faction.item(u)]) and not s.units[u].command


def went_to_ground(s: State, ctx: TurnContext, u: int) -> None:
    """Insurgent cell `u` goes to ground where it is (instead of surrendering): it stays, routed."""
    info = s.units[u]
    if s.u_posture.item(u) != int(Posture.ROUTED):
        s.u_posture[u] = int(Posture.ROUTED)
        ctx.routed(u)
    ctx.events.append(ev.UnitWentToGround(info.id, info.faction, s.world.board.places[s.u_place.item(u)].id,
                                          round(s.u_strength.item(u), 3)))


def contingents(s: State) -> NDArray[np.bool_]:
    """Per unit: whether it is a patron's contingent under its own command: its faction's collapse
    neither drags its cohesion nor weighs on its checks."""
    return contingent_patrons(s) >= 0  # type: ignore[no-any-return]


def contingent_patrons(s: State) -> NDArray[np.int64]:
    """Per unit: the index of the patron whose contingent it is, or -1 (cached on the state, like
    `unit_factors`: derived from its units alone)."""
    hit = s.cache.get("contingents")
    if hit is None:
        hit = s.cache["contingents"] = np.array([contingent_of(s.world, u) for u in s.units], dtype=np.int64)
    return hit  # type: ignore[no-any-return]


def contingent_of(w: World, info: UnitInfo) -> int:
    """One unit's row of `contingent_patrons`: its commanding patron's index, or -1."""
    return w.patron_index.get(info.command, -1) if info.command else -1


def _morale_tables(s: State) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """The morale shift of each supply state, and the fortification of each place (cached on the world
    per rules)."""
    memo = s.world.for_rules(s.rules)
    hit = memo.get("morale_tables")
    if hit is None:
        r = s.rules
        hit = memo["morale_tables"] = (np.array([r.morale_supply.get(x.label, 0.0) for x in Supply]),
                                       np.array([p.fort for p in s.world.board.places], dtype=np.float64))
    return hit  # type: ignore[no-any-return]


def _powers(s: State, alive: NDArray[np.bool_], slot: NDArray[np.intp] | None = None
            ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Per place and faction: attack and defence power of the living units (strength × type × cohesion).
    `slot`: each unit's (place, faction) cell as place * factions + faction, when already worked out."""
    r = s.rules
    n, nf = s.world.board.n_places, len(s.world.factions)
    floor = r.cohesion_power_floor
    cohesion = np.minimum(np.maximum(s.u_cohesion, 0.0), 1.0)  # np.clip, faster on short arrays
    base = s.u_strength * (floor + (1.0 - floor) * cohesion) * alive
    by_att, by_dfn, _ = unit_factors(s)
    att = base * by_att
    dfn = base * by_dfn
    if slot is None:
        slot = s.u_place.astype(np.intp) * nf + s.u_faction
    shape = (n, nf)
    return (np.bincount(slot, weights=att, minlength=n * nf).reshape(shape),  # float64, as weighted counts are
            np.bincount(slot, weights=dfn, minlength=n * nf).reshape(shape))  # type: ignore[return-value]


def _may_attack(s: State) -> NDArray[np.bool_]:
    """(places × factions) whether each faction's units may attack into each place from next door: the
    attack rule of `legal` (an open route, hostile units there, within the attacker's theatre) less
    what a unit under threat already satisfies, the route and its own hostile presence. Read-only."""
    return theatre_mask(s).T


def morale_modifiers(s: State, ctx: TurnContext) -> tuple[NDArray[np.float64], NDArray[np.bool_], NDArray[np.bool_]]:
    """Per unit: the morale check modifier, whether it is in contact with the enemy (hostile units at its
    place, or next door and free to attack it there, or it fought this turn), and whether it is under any
    pressure at all (in contact, cut off, isolated from its capital, or its faction broken). Hostile units
    next door that may not attack into its place (outside their theatre) neither put it in contact nor
    count in the odds it faces: an enemy that can never come is no threat.

    The (places × factions) tables are read at each unit's cell through their flat index (`take` with no
    axis reads the flattened table); who
    is where is counted in floats (small whole numbers: exact)."""
    r, w = s.rules, s.world
    n, nf = w.board.n_places, len(w.factions)
    alive = s.u_strength > 0
    place, faction = s.u_place.astype(np.intp), s.u_faction.astype(np.intp)  # indexing by intp is the fast path
    slot = place * nf + faction
    adj = open_matrix(s)
    att, dfn = _powers(s, alive, slot)
    units = np.bincount(slot, weights=alive, minlength=n * nf).reshape(n, nf)  # living units per cell
    rel = s.tables()
    hostile, friendly = rel.float_hostile, rel.float_friendly
    may_attack = _may_attack(s)
    near_att = att + (adj @ att) * may_attack  # (places × factions): attack power at or able to come into each place
    threat = (near_att @ hostile.T).take(slot)  # hostile power a unit faces
    defence = (dfn @ friendly.T).take(slot)
    next_door = adj @ units
    hostile_near = ((units + next_door * may_attack) @ hostile.T).take(slot) > 0
    friends_next = (next_door @ friendly.T).take(slot) > 0
    fought = np.zeros(len(s.units), dtype=bool)
    if ctx.attacked:
        fought[list(ctx.attacked)] = True
    contact = alive & (hostile_near | fought)
    by_supply, by_place = _morale_tables(s)
    supply = by_supply[s.u_supply]
    cut_off = ctx.cut_off if ctx.cut_off is not None and len(ctx.cut_off) == len(s.units) else np.zeros_like(alive)
    broken = s.f_collapsed[faction] & ~contingents(s)  # a contingent answers to its own command
    pressure = contact | (alive & ((s.u_supply == int(Supply.CUT)) | cut_off | broken))
    forts = by_place[place]
    ratio = np.where(defence > 0, threat / np.maximum(defence, 1e-9), 4.0)
    doublings = np.log2(ratio, out=np.full_like(ratio, -1.0), where=threat > 0)  # no log of 0 is ever taken
    doublings = np.minimum(np.maximum(doublings, -1.0), 2.0)  # np.clip, faster (-1 where there is no threat)
    air = ctx.air.take(slot) if ctx.air.size else np.zeros(len(s.units))
    mod = (supply + r.morale_air * np.minimum(air, 1.0) + r.morale_stock * 2.0 * (s.u_stock - 0.5)
           + np.where(cut_off, r.morale_isolated, 0.0)
           + np.where(s.u_posture == _ENTRENCH, r.morale_entrenched, 0.0) + r.morale_fort * forts
           - r.morale_odds * doublings * contact + np.where(friends_next, r.morale_line_support, 0.0)
           + np.where(broken, r.morale_broken, 0.0))
    return mod, contact, pressure


def fail_chances(s: State, effective: list[float]) -> list[float]:
    """`fail_chance` for a few units, in plain floats (the same numbers but maybe the sign of a zero, which
    no roll against them can tell)."""
    r = s.rules
    line, span, most = r.morale_line, max(r.morale_span, 1e-9), r.morale_max_fail
    return [min(max((line - e) / span, 0.0), most) for e in effective]


def fail_chance(s: State, effective: NDArray[np.float64]) -> NDArray[np.float64]:
    """The chance of failing a morale check at an effective cohesion."""
    r = s.rules
    span = max(r.morale_span, 1e-9)
    return np.minimum(np.maximum((r.morale_line - effective) / span, 0.0), r.morale_max_fail)  # np.clip, faster
