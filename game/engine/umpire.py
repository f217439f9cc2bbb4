"""The umpire on the record: apply an override or adjudicate a matrix-game action, returning the new
state and the events (records in engine/rulings.py, checks in engine/umpire_checks.py).

Pure like the rest of the engine: a ruling is checked completely first and refused (`Refused`, nothing
changed) with a message for people; applied, it returns a new state (the input is not changed) and
an `UmpireOverride` or `MatrixResolved` event, so the turn report, the log and the after-action
report all show it with its reason.

A changed combat result re-resolves the turn just resolved (`LastTurn`) from its start with the same
orders and dice: the battle named takes the result the umpire gives, every other battle of the turn
keeps the result it had, and everything else follows from the rules. So the change and its
consequences (retreats, captures, morale, cohesion, victory) are the rules' own, and a replay
reproduces them from the record alone.
"""

from __future__ import annotations

from . import events as ev
from .context import TurnContext
from .injects import apply_effects, fire
from .rng import matrix_rng, turn_rng
from .rulings import Change, CombatResult, FireInject, LastTurn, MatrixAction, NewInject, Override, Refused, Ruling
from .specs import (
    AddUnit,
    ChangeCohesion,
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
from .turn import resolve_turn
from .types import CHANNELS, Relation
from .umpire_checks import matrix_problems, override_problems

WHAT: dict[type, str] = {
    FireInject: "inject", NewInject: "new_inject", CombatResult: "combat_result", SetSupport: "support",
    SetCapacity: "capacity", AddUnit: "add_unit", RemoveUnit: "remove_unit", SetRule: "rule",
    SetRoute: "route", SetFlag: "flag", ChangeCohesion: "cohesion", SetRelation: "relation",
    SetController: "controller",
}
"""The word for what each kind of override changes (an override record's `what`)."""

UMPIRE_INJECT = "umpire"
"""The inject id of the umpire's own injects in `InjectFired` events."""


def what_of(change: Change) -> str:
    return WHAT[type(change)]


def _unit_text(s: State, unit: str) -> str:
    u = s.unit_index().get(unit)
    if u is None or s.u_strength.item(u) <= 0:
        return "not on the map"
    info = s.units[u]
    place = s.world.board.places[s.u_place.item(u)].id
    return f"{info.name}: {s.u_strength.item(u):,.0f} {info.type.value} of {info.faction} at {place}"


def aspect(s: State, change: Change) -> tuple[str, str]:
    """(target, its value now in words) of what an effect changes: before and after a ruling."""
    w, b = s.world, s.world.board
    c = change
    if isinstance(c, SetSupport):
        ch = CHANNELS.index(c.channel)
        return c.patron, f"{CHANNELS[ch].value} {s.p_support.item(w.patron_index[c.patron], ch):.2f}"
    if isinstance(c, SetCapacity):
        return c.patron, f"{s.p_capacity.item(w.patron_index[c.patron]):g}"
    if isinstance(c, AddUnit):
        return c.id, _unit_text(s, c.id)
    if isinstance(c, RemoveUnit):
        return c.unit, _unit_text(s, c.unit)
    if isinstance(c, SetRule):
        return c.name, f"{getattr(s.rules, c.name):g}"
    if isinstance(c, SetRoute):
        is_open = s.route_open.item(b.route_between(b.index[c.a], b.index[c.b]))
        return f"{c.a}~{c.b}", "open" if is_open else "closed"
    if isinstance(c, SetFlag):
        return c.flag, "set" if c.flag in s.flags else "not set"
    if isinstance(c, ChangeCohesion):
        return c.faction, f"{s.f_cohesion.item(w.faction_index[c.faction]):.2f}"
    if isinstance(c, SetRelation):
        code = s.relations.item(w.faction_index[c.a], w.faction_index[c.b])
        return f"{c.a}~{c.b}", Relation(code).label
    if isinstance(c, SetController):
        return c.place, w.factions[s.controller.item(b.index[c.place])].id
    return "", ""


def apply_override(state: State, override: Override, last: LastTurn | None = None) -> Ruling:
    """Apply one override to `state` (the start of a turn); `last`: the turn just resolved, which a
    changed combat result resolves again. Raises `Refused` (nothing changed) when it may not apply."""
    problems = override_problems(state, override, last)
    if problems:
        raise Refused("override refused: " + "; ".join(problems))
    c = override.change
    if isinstance(c, CombatResult):
        assert last is not None
        return _resolve_again(override, c, last)
    s = state.copy()
    caused: list[ev.Event] = []
    if isinstance(c, FireInject):
        inject = next(i for i in state.world.injects if i.id == c.inject)
        ctx = TurnContext(start=state)
        s = fire(s, ctx, inject)
        caused = ctx.events
        target, before, after = inject.id, "", inject.title
    elif isinstance(c, NewInject):
        s, changes = apply_effects(s, c.effects)
        caused = [ev.InjectFired(UMPIRE_INJECT, c.title, c.message, override.audience), *changes]
        target, before, after = "", "", c.title
    else:
        target, before = aspect(state, c)
        s, caused = apply_effects(s, (c,))  # a controller given away is a PlaceControlSet, as an inject's is
        after = aspect(s, c)[1]
    event = ev.UmpireOverride(what_of(c), target, before, after, override.reason, override.audience)
    return Ruling(s, (event, *caused))


def _resolve_again(override: Override, c: CombatResult, last: LastTurn) -> Ruling:
    """The last turn resolved again with the battle at `c.place` fixed to `c.result` and every other
    battle keeping its result."""
    results = {e.place: e.result for e in last.events if isinstance(e, ev.Combat)}
    before = results[c.place]
    results[c.place] = c.result
    start = last.before
    after, events = resolve_turn(start, last.orders, turn_rng(last.seed, start.turn), forced=results)
    event = ev.UmpireOverride(what_of(c), c.place, before, c.result, override.reason, override.audience)
    earlier = tuple(e for e in last.events if isinstance(e, ev.UmpireOverride))
    again = LastTurn(start, last.orders, last.seed, (*earlier, event, *events), after)
    return Ruling(after, (event,), again)


def matrix_dice(seed: int, turn: int, draw: int) -> tuple[int, int]:
    """The 2d6 of the `draw`-th matrix action (from 1) of turn `turn` of the game seeded `seed`."""
    a, b = matrix_rng(seed, turn, draw).integers(1, 7, size=2).tolist()
    return int(a), int(b)


def resolve_matrix(state: State, action: MatrixAction, seed: int, draw: int) -> Ruling:
    """Adjudicate a matrix action as the `draw`-th (from 1) of this turn: 2d6 from the game's seed plus
    the modifiers against the number needed; on success its effects apply. Raises `Refused` (nothing
    changed) when it may not be adjudicated."""
    problems = matrix_problems(state, action)
    if type(draw) is not int or draw < 1:
        problems.append(f"draw: the matrix action's number in its turn is a whole number from 1, got {draw!r}")
    if problems:
        raise Refused("matrix action refused: " + "; ".join(problems))
    roll = matrix_dice(seed, state.turn, draw)
    success = sum(roll) + sum(m.value for m in action.modifiers) >= action.needed
    s, changes = state, list[ev.Event]()
    if success and action.effects:
        s, changes = apply_effects(state.copy(), action.effects)
    event = ev.MatrixResolved(action.team, action.action, action.arguments, action.counter_arguments,
                              tuple((m.reason, m.value) for m in action.modifiers), roll, action.needed, success,
                              action.outcome, action.reason, action.audience)
    return Ruling(s, (event, *changes), None, roll)
