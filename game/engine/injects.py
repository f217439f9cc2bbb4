"""Events phase: scripted injects fire when their conditions hold, and apply their effects."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from . import events as ev
from . import query
from .context import TurnContext
from .rng import Stream
from .specs import (
    AddUnit,
    ChangeCohesion,
    CohesionBelow,
    Condition,
    Controls,
    CorridorClosed,
    DateReached,
    Effect,
    Inject,
    OnTurn,
    RemoveUnit,
    SetCapacity,
    SetController,
    SetFlag,
    SetRelation,
    SetRoute,
    SetRule,
    SetSupport,
)
from .state import State
from .support import add_unit
from .types import CHANNELS, Relation, UnitInfo


def holds(s: State, cond: Condition) -> bool:
    """Whether one condition is true now (at the end of turn `s.turn`)."""
    w = s.world
    if isinstance(cond, OnTurn):
        return s.turn >= cond.turn if cond.or_later else s.turn == cond.turn
    if isinstance(cond, DateReached):
        return s.date >= cond.date
    if isinstance(cond, Controls):
        p = w.board.index[cond.place]
        return int(s.controller[p]) == w.faction_index[cond.faction] and not bool(s.contested[p])
    if isinstance(cond, CohesionBelow):
        return float(s.f_cohesion[w.faction_index[cond.faction]]) < cond.value
    if isinstance(cond, CorridorClosed):
        c = w.board.corridor_index[cond.corridor]
        return not query.is_corridor_open(s, c, w.faction_index[cond.faction])
    return cond.flag in s.flags


def _level(current: float, value: float | None, delta: float | None, lo: float, hi: float) -> float:
    new = current if value is None else value
    if delta is not None:
        new += delta
    return min(hi, max(lo, new))


def apply_effect(s: State, effect: Effect) -> State:
    """Apply one effect; returns the (possibly new) state."""
    w = s.world
    if isinstance(effect, SetSupport):
        pi, ch = w.patron_index[effect.patron], CHANNELS.index(effect.channel)
        s.p_support[pi, ch] = _level(float(s.p_support[pi, ch]), effect.value, effect.delta, 0.0, 1.0)
    elif isinstance(effect, SetCapacity):
        pi = w.patron_index[effect.patron]
        s.p_capacity[pi] = _level(float(s.p_capacity[pi]), effect.value, effect.delta, 0.0, 1e9)
    elif isinstance(effect, AddUnit):
        if effect.id in s.unit_index():
            return s
        info = UnitInfo(effect.id, effect.faction, effect.name, effect.type, effect.quality, effect.floor)
        s = add_unit(s, info, w.board.index[effect.place], effect.strength, effect.cohesion)
    elif isinstance(effect, RemoveUnit):
        u = s.unit_index().get(effect.unit)
        if u is not None:
            s.u_strength[u] = 0.0
    elif isinstance(effect, SetRule):
        s = s.evolve(rules=s.rules.replace(**{effect.name: effect.value}))
    elif isinstance(effect, SetRoute):
        b = w.board
        rid = b.route_between(b.index[effect.a], b.index[effect.b])
        s.route_open[rid] = effect.open
    elif isinstance(effect, SetFlag):
        flags = s.flags | {effect.flag} if effect.value else s.flags - {effect.flag}
        s = s.evolve(flags=frozenset(flags))
    elif isinstance(effect, ChangeCohesion):
        f = w.faction_index[effect.faction]
        s.f_cohesion[f] = float(np.clip(s.f_cohesion[f] + effect.delta, 0.0, 1.0))
    elif isinstance(effect, SetRelation):
        fa, fb = w.faction_index[effect.a], w.faction_index[effect.b]
        rel = s.relations.copy()
        rel[fa, fb] = rel[fb, fa] = int(Relation[effect.relation.upper()])
        s = s.evolve(relations=rel)
    elif isinstance(effect, SetController):
        s.controller[w.board.index[effect.place]] = w.faction_index[effect.faction]
    s.invalidate()
    return s


def apply_effects(s: State, effects: Sequence[Effect]) -> tuple[State, list[ev.Event]]:
    """Apply effects in order; with the events of the places they gave to another faction (a
    `set_controller` to the faction already holding a place changes nothing and tells nothing)."""
    w = s.world
    changes: list[ev.Event] = []
    for effect in effects:
        was = s.controller.item(w.board.index[effect.place]) if isinstance(effect, SetController) else -1
        s = apply_effect(s, effect)
        if isinstance(effect, SetController) and was != w.faction_index[effect.faction]:
            changes.append(ev.PlaceControlSet(effect.place, effect.faction, w.factions[was].id))
    return s, changes


def fire(s: State, ctx: TurnContext, inject: Inject) -> State:
    """Apply an inject's effects and record it, then the places it gave away (also used by an umpire
    firing one by hand)."""
    s, changes = apply_effects(s, inject.effects)
    s = s.evolve(fired=s.fired | {inject.id})
    ctx.events.append(ev.InjectFired(inject.id, inject.title, inject.message, inject.audience))
    ctx.events.extend(changes)
    return s


def run_injects(s: State, ctx: TurnContext, rng: Stream) -> State:
    rolls = rng.floats(len(s.world.injects))  # one per event, drawn whether or not it may fire
    for i, inject in enumerate(s.world.injects):
        if inject.once and inject.id in s.fired:
            continue
        for cond in inject.when:  # all of them, the first false one ending the checks
            if not holds(s, cond):
                break
        else:
            if inject.chance < 1.0 and rolls[i] >= inject.chance:
                continue
            s = fire(s, ctx, inject)
    return s
