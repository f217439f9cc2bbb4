"""Cohesion phase: the will to fight, of factions and of their units.

December 2024 was a collapse of will more than of numbers, but a collapse has causes. Morale
moves on events, never on a clock: places lost or taken (by value), routs and breaks, units cut
off or cut from the capital, help that actually arrives, scripted shocks. A unit under pressure
(in contact with the enemy, attacked, cut off, isolated from its capital, or in a broken faction)
takes a morale check: a roll against its cohesion, shifted by supply and stocks, the odds it faces,
friendly air overhead, its ground, its neighbours and whether its faction is broken. Failing, it
wavers (some desert, and it is shaken: it will not attack or advance until it rallies) or breaks
(it also falls back without orders, and its neighbours lose heart), so collapse spreads along
routes, and good play (a held line, open supply, patron help) slows it.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import csr_matrix

from . import events as ev
from . import query
from .combat import Ground, retreat_place
from .context import TurnContext
from .movement import adjacent_open
from .state import State
from .types import Posture, Supply

_ROUTED, _DEFEND, _ENTRENCH = int(Posture.ROUTED), int(Posture.DEFEND), int(Posture.ENTRENCH)


def _drift(s: State) -> NDArray[np.float64]:
    """Every faction's daily drift of cohesion: its own, or the rules' (cached on the world per rule)."""
    w, default = s.world, s.rules.cohesion_drift
    key = ("drift", default)
    hit = w.cache.get(key)
    if hit is None:
        hit = w.cache[key] = np.array([default if f.drift is None else f.drift for f in w.factions], dtype=np.float64)
    return hit  # type: ignore[no-any-return]


def faction_change(s: State, ctx: TurnContext) -> NDArray[np.float64]:
    """This turn's change of every faction's cohesion, from the causes tallied during the turn."""
    r = s.rules
    change: NDArray[np.float64] = (
        -ctx.value_lost * r.cohesion_per_value_lost + ctx.value_gained * r.cohesion_per_value_gained
        - ctx.routs * r.rout_penalty - ctx.newly_cut * r.cut_penalty + ctx.wins * r.combat_win_bonus
        - ctx.isolated * r.capital_penalty + ctx.help * r.help_cohesion + _drift(s))
    return change


def _adjacency(s: State) -> csr_matrix:
    """Places × places along open routes (1 where joined), cached per pattern of open routes."""
    w = s.world
    key = ("adjacency", s.route_open.tobytes())
    hit = w.cache.get(key)
    if hit is None:
        b = w.board
        n = b.n_places
        live = s.route_open.take(b.nbr_route).astype(np.float64)
        hit = csr_matrix((live, b.nbr, b.indptr), shape=(n, n), copy=True)  # never share the board's arrays
        hit.eliminate_zeros()
        if len(w.cache) > 4096:
            w.cache.pop(next(k for k in w.cache if isinstance(k, tuple) and k[0] == "adjacency"), None)
        w.cache[key] = hit
    return hit  # type: ignore[no-any-return]


def _powers(s: State, alive: NDArray[np.bool_]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Per place and faction: attack and defence power of the living units (strength × type × cohesion)."""
    r = s.rules
    n, nf = s.world.board.n_places, len(s.world.factions)
    kinds = [u.type for u in s.units]
    floor = r.cohesion_power_floor
    base = s.u_strength * (floor + (1.0 - floor) * np.clip(s.u_cohesion, 0.0, 1.0)) * alive
    att = base * np.array([r.type_attack.get(k, 1.0) for k in kinds])
    dfn = base * np.array([r.type_defence.get(k, 1.0) for k in kinds])
    slot = s.u_place.astype(np.intp) * nf + s.u_faction
    shape = (n, nf)
    return (np.asarray(np.bincount(slot, weights=att, minlength=n * nf), dtype=np.float64).reshape(shape),
            np.asarray(np.bincount(slot, weights=dfn, minlength=n * nf), dtype=np.float64).reshape(shape))


def morale_modifiers(s: State, ctx: TurnContext) -> tuple[NDArray[np.float64], NDArray[np.bool_], NDArray[np.bool_]]:
    """Per unit: the morale check modifier, whether it is in contact with the enemy (hostile units at its
    place or next door, or it fought this turn), and whether it is under any pressure at all (in
    contact, cut off, isolated from its capital, or its faction broken)."""
    r, w = s.rules, s.world
    alive = s.u_strength > 0
    place, faction = s.u_place, s.u_faction
    adj = _adjacency(s)
    att, dfn = _powers(s, alive)
    hostile, friendly = s.hostile.astype(np.float64), s.friendly.astype(np.float64)
    near_att = att + adj @ att  # (places × factions): attack power at or next to each place
    threat = (near_att @ hostile.T)[place, faction]  # hostile power a unit faces
    defence = (dfn @ friendly.T)[place, faction]
    present = query.occupancy(s).present.astype(np.float64)
    hostile_near = ((present + adj @ present) @ hostile.T)[place, faction] > 0
    friends_next = ((adj @ present) @ friendly.T)[place, faction] > 0
    fought = np.zeros(len(s.units), dtype=bool)
    if ctx.attacked:
        fought[list(ctx.attacked)] = True
    contact = alive & (hostile_near | fought)
    supply = np.array([r.morale_supply.get(x.label, 0.0) for x in Supply])[s.u_supply]
    cut_off = ctx.cut_off if ctx.cut_off is not None and len(ctx.cut_off) == len(s.units) else np.zeros_like(alive)
    pressure = contact | (alive & ((s.u_supply == int(Supply.CUT)) | cut_off | s.f_collapsed[faction]))
    forts = np.array([p.fort for p in w.board.places], dtype=np.float64)[place]
    with np.errstate(divide="ignore", invalid="ignore"):
        doublings = np.log2(np.where(defence > 0, threat / np.maximum(defence, 1e-9), 4.0))
    doublings = np.where(threat > 0, np.clip(doublings, -1.0, 2.0), -1.0)
    air = ctx.air[place, faction] if ctx.air.size else np.zeros(len(s.units))
    mod = (supply + r.morale_air * np.minimum(air, 1.0) + r.morale_stock * 2.0 * (s.u_stock - 0.5)
           + np.where(cut_off, r.morale_isolated, 0.0)
           + np.where(s.u_posture == _ENTRENCH, r.morale_entrenched, 0.0) + r.morale_fort * forts
           - r.morale_odds * doublings * contact + np.where(friends_next, r.morale_line_support, 0.0)
           + np.where(s.f_collapsed[faction], r.morale_broken, 0.0))
    return mod, contact, pressure


def fail_chance(s: State, effective: NDArray[np.float64]) -> NDArray[np.float64]:
    """The chance of failing a morale check at an effective cohesion."""
    r = s.rules
    span = max(r.morale_span, 1e-9)
    return np.clip((r.morale_line - effective) / span, 0.0, r.morale_max_fail)  # type: ignore[no-any-return]


def _contagion(s: State, u: int, place: int) -> None:
    """The other units of unit `u`'s faction at `place` and one route from it lose heart (not below their floors)."""
    r = s.rules
    near = [place, *adjacent_open(s, place)]
    mine = np.flatnonzero((s.u_faction == s.u_faction.item(u)) & (s.u_strength > 0) & np.isin(s.u_place, near))
    for v in mine.tolist():
        if v == u:
            continue
        s.u_cohesion[v] = max(s.units[v].floor, s.u_cohesion.item(v) - r.contagion)


def morale_checks(s: State, ctx: TurnContext, rng: np.random.Generator) -> None:
    """Every unit under pressure rolls against its cohesion: it holds, wavers or breaks."""
    r, b = s.rules, s.world.board
    mod, contact, pressure = morale_modifiers(s, ctx)
    units = np.flatnonzero(pressure)
    if not len(units):
        return
    p = fail_chance(s, s.u_cohesion[units] + mod[units])
    p = np.where(contact[units], p, 0.5 * p)  # pressure without contact weighs half
    rolls = rng.random(len(units))
    failed = rolls < p
    broke = rolls < p * r.break_share
    touched: list[int] = []
    ground: Ground | None = None
    for u, fail, brk in zip(units.tolist(), failed.tolist(), broke.tolist()):
        if not fail or s.u_strength.item(u) <= 0:
            continue
        info, f, here = s.units[u], s.u_faction.item(u), s.u_place.item(u)
        loss = s.u_strength.item(u) * (r.desertion_rate if brk else r.waver_loss)
        s.u_strength[u] -= loss
        s.u_cohesion[u] = max(info.floor, s.u_cohesion.item(u) - (r.break_cohesion if brk else r.waver_cohesion))
        ctx.events.append(ev.MoraleFailed(info.id, info.faction, b.places[here].id, brk, round(loss, 3)))
        touched.append(here)
        s.u_posture[u] = _ROUTED  # shaken: it will not attack or advance until it rallies
        if not brk:
            continue
        ctx.routs[f] += 1
        _contagion(s, u, here)
        if contact.item(u):
            if ground is None:
                query.recount(s, touched)
                ground = Ground(s)
            to = retreat_place(s, u, ground=ground)
            if to is not None:
                s.u_place[u] = to
                ground.moved(u, here, to)
                touched.append(to)
                ctx.events.append(ev.UnitRetreated(info.id, info.faction, b.places[here].id, b.places[to].id,
                                                   reason="broke"))
    if touched:
        query.recount(s, touched)


def run_cohesion(s: State, ctx: TurnContext, rng: np.random.Generator) -> State:
    r, w = s.rules, s.world
    start = ctx.start.f_cohesion.tolist()
    morale_checks(s, ctx, rng)
    s.f_cohesion[:] = (s.f_cohesion + faction_change(s, ctx)).clip(0.0, 1.0)
    for f, fac in enumerate(w.factions):
        broken = s.f_cohesion.item(f) < fac.breakpoint
        if broken and not s.f_collapsed.item(f):
            ctx.events.append(ev.FactionBroken(fac.id, round(s.f_cohesion.item(f), 4)))
            allies = np.flatnonzero(s.friendly[f])
            allies = allies[allies != f]
            s.f_cohesion[allies] = np.maximum(0.0, s.f_cohesion[allies] - r.collapse_spread)
        s.f_collapsed[f] = broken
    alive = (s.u_strength > 0).nonzero()[0]
    target = s.f_cohesion[s.u_faction[alive]]
    shock = rng.normal(0.0, r.shock_sd, size=len(alive)) if r.shock_sd > 0 else np.zeros(len(alive))
    coh = s.u_cohesion[alive]
    floors = np.array([s.units[u].floor for u in alive.tolist()], dtype=np.float64)
    coh = np.maximum((coh + (target - coh) * r.unit_follow + shock).clip(0.0, 1.0), floors)
    s.u_cohesion[alive] = coh
    for u in alive[(s.u_posture[alive] == _ROUTED) & (coh > r.rally_cohesion)].tolist():
        s.u_posture[u] = _DEFEND
        info = s.units[u]
        ctx.events.append(ev.UnitRallied(info.id, info.faction, w.board.places[s.u_place.item(u)].id))
    end = s.f_cohesion.tolist()
    for f, fac in enumerate(w.factions):
        if abs(end[f] - start[f]) > 1e-4:
            ctx.events.append(ev.CohesionChanged(fac.id, round(start[f], 4), round(end[f], 4)))
    return s
