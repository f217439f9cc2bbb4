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

from . import events as ev
from . import query
from .combat import Ground, morale_failure
from .context import TurnContext
from .crt import commitment
from .morale import contingent_patrons, contingents, fail_chance, insurgent_factions, morale_modifiers, unit_factors
from .rng import Stream
from .state import State
from .types import CHANNELS, Channel, Posture

_ROUTED, _DEFEND = int(Posture.ROUTED), int(Posture.DEFEND)
GROUND = CHANNELS.index(Channel.GROUND)


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
        - ctx.isolated * r.capital_penalty + _drift(s))
    helped = ctx.help * r.help_cohesion
    if r.help_restores:  # help makes good what was lost since the start, and no more
        helped = np.minimum(helped, np.maximum(_start_cohesion(s) - (s.f_cohesion + change), 0.0))
    return change + helped


def _start_cohesion(s: State) -> NDArray[np.float64]:
    """Every faction's cohesion at the start of the scenario (no limit where it was not recorded; cached
    on the world)."""
    w = s.world
    hit = w.cache.get("start_cohesion")
    if hit is None:
        hit = w.cache["start_cohesion"] = np.array(
            [np.inf if f.cohesion is None else f.cohesion for f in w.factions], dtype=np.float64)
    return hit  # type: ignore[no-any-return]


def morale_checks(s: State, ctx: TurnContext, rng: Stream) -> None:
    """Every unit under pressure that did not check before a battle this turn rolls against its
    cohesion: it holds, wavers or breaks."""
    r = s.rules
    mod, contact, pressure = morale_modifiers(s, ctx)
    if ctx.checked:
        pressure[list(ctx.checked)] = False
    units = np.flatnonzero(pressure)
    if not len(units):
        return
    p = fail_chance(s, s.u_cohesion[units] + mod[units])
    # a broken army deserts far from the front too (a contingent answers to its own command)
    heavy = contact[units] | (s.f_collapsed.take(s.u_faction.take(units)) & ~contingents(s)[units])
    p = np.where(heavy, p, r.remote_pressure * p)
    rolls = rng.random(len(s.units))[units]  # unit u's roll is number u of the stream, whoever else checks
    failed = rolls < p
    broke = rolls < p * r.break_share
    touched: list[int] = []
    ground: Ground | None = None
    for u, fail, brk in zip(units.tolist(), failed.tolist(), broke.tolist()):
        if not fail or s.u_strength.item(u) <= 0:
            continue
        if brk and contact.item(u) and ground is None:
            query.recount(s, touched)
            ground = Ground(s)
        touched += morale_failure(s, ctx, u, brk, ground if contact.item(u) else None)
    if touched:
        query.recount(s, touched)


def _breaks(s: State, f: int, breakpoint: float, roll: float) -> bool:
    """Whether faction `f` is broken at the end of this turn. A broken faction stays broken while its
    cohesion is below its breakpoint. One that is not breaks exactly below it, or, under the
    `break_span` rule, on a roll: the chance rises from 0 at the breakpoint plus half the span to 1 at
    the breakpoint less half of it (a morale check of the whole command, so that a little more or less
    cohesion changes the odds of a collapse by a little, not all or nothing)."""
    c, span = s.f_cohesion.item(f), s.rules.break_span
    if s.f_collapsed.item(f) or span <= 0:
        return c < breakpoint
    chance = (breakpoint + span / 2 - c) / span
    if chance <= 0:
        return False
    return chance >= 1 or roll < chance


def run_cohesion(s: State, ctx: TurnContext, rng: Stream) -> State:
    r, w = s.rules, s.world
    start = ctx.start.f_cohesion.tolist()
    # A roll per faction, whether or not it is near breaking, and per unit (morale checks, cohesion shocks),
    # each in a stream of its own (the turn's: a unit's numbers are its own however many units there are).
    rolls = rng.sub(0).floats(len(w.factions))
    shocks = rng.sub(1)
    morale_checks(s, ctx, rng.sub(2))
    s.f_cohesion[:] = (s.f_cohesion + faction_change(s, ctx)).clip(0.0, 1.0)
    for f, fac in enumerate(w.factions):
        broken = not fac.insurgent and _breaks(s, f, fac.breakpoint, rolls[f])  # cells: no army to break
        if broken and not s.f_collapsed.item(f):
            ctx.events.append(ev.FactionBroken(fac.id, round(s.f_cohesion.item(f), 4)))
            allies = np.flatnonzero(s.friendly[f])
            allies = allies[allies != f]
            s.f_cohesion[allies] = np.maximum(0.0, s.f_cohesion[allies] - r.collapse_spread)
        s.f_collapsed[f] = broken
    alive = (s.u_strength > 0).nonzero()[0]
    coh = s.u_cohesion[alive]
    faction = s.u_faction[alive].astype(np.intp)  # indexing by intp is numpy's fast path
    target = s.f_cohesion.take(faction)
    sent_by = contingent_patrons(s)[alive]
    if (sent_by >= 0).any():  # a contingent's will is its patron's commitment, not its host army's
        committed = np.array([commitment(s.p_support.item(p, GROUND), r) for p in range(len(w.patrons))])
        target = np.where(sent_by >= 0, committed[np.maximum(sent_by, 0)], target)
    cells = insurgent_factions(w).take(faction) & (sent_by < 0)
    if cells.any():  # an insurgent cell's will is its own: it holds at its network's starting cohesion
        origin = _start_cohesion(s)  # the scenario's start, not the turn's (`start`, which the events compare)
        own = np.where(np.isfinite(origin), origin, s.f_cohesion).take(faction)
        target = np.where(cells, own, target)
    shock = shocks.normal(0.0, r.shock_sd, size=len(s.units))[alive] if r.shock_sd > 0 else np.zeros(len(alive))
    floors = unit_factors(s)[2][alive]
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
