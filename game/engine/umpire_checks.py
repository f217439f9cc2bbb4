"""What the umpire may not do: the checks an override or a matrix action passes before anything changes.

Each check returns the problems in words for people (empty: it may be applied); `umpire.py` refuses a
ruling with any. Effects are checked in order on a scratch copy, so an inject may remove a unit it
adds, and may not add one unit twice.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection, Sequence
from dataclasses import fields

from .codec import encode, shape_problems
from .crt import RESULTS
from .events import Combat
from .injects import apply_effect
from .rules import MAX_STRENGTH, Rules, rule_limits
from .rulings import CombatResult, FireInject, LastTurn, MatrixAction, NewInject, Override
from .sight import UnknownTeam, find_team
from .specs import (
    AddUnit,
    ChangeCohesion,
    Effect,
    RemoveUnit,
    SetCapacity,
    SetController,
    SetFlag,
    SetRelation,
    SetRoute,
    SetRule,
    SetSupport,
)
from .state import State, state_hash
from .types import Relation

MAX_CAPACITY = 1e9
"""Most capacity points a patron may be given (as a save may hold)."""
MODIFIER_LIMIT = 6
"""A matrix modifier is a whole number from -6 to +6."""
NEEDED = (2, 12)
"""The number a matrix action's 2d6 (plus modifiers) must reach: 2 to 12."""

_DEFAULT = Rules()
NUMBER_RULES: frozenset[str] = frozenset(f.name for f in fields(Rules)
                                         if not isinstance(getattr(_DEFAULT, f.name), (dict, bool)))
"""Rules the umpire may change: those that are one number (as a scenario's `set_rule`)."""


def hint(word: str, choices: Collection[str]) -> str:
    """' (did you mean 'homs'?)' for a near miss among `choices`, else ''."""
    best = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=0.6)
    return f" (did you mean {best[0]!r}?)" if best else ""


class _Problems:
    """Collects problems, each prefixed with where it is."""

    def __init__(self, where: str) -> None:
        self.where = where
        self.out: list[str] = []

    def add(self, text: str) -> None:
        self.out.append(f"{self.where}: {text}" if self.where else text)

    def ref(self, kind: str, value: str, known: Collection[str]) -> bool:
        if value in known:
            return True
        self.add(f"unknown {kind} {value!r}{hint(value, known)}")
        return False

    def within(self, name: str, value: float | None, lo: float, hi: float) -> None:
        if value is not None and not lo <= value <= hi:
            self.add(f"{name} must be from {lo:g} to {hi:g}, got {value:g}")

    def text(self, name: str, value: str) -> None:
        if not value.strip():
            self.add(f"{name} must not be empty")

    def one_of(self, value: float | None, delta: float | None) -> None:
        if (value is None) == (delta is None):
            self.add("give either value (a new level) or delta (a change), not both or neither")


def _live_units(s: State) -> list[str]:
    return [u.id for u, x in zip(s.units, s.u_strength.tolist()) if x > 0]


def effect_problems(s: State, e: Effect, where: str = "") -> list[str]:
    """What is wrong with one effect on state `s` (its type already checked)."""
    w, b = s.world, s.world.board
    p = _Problems(where)
    if isinstance(e, SetSupport):
        p.ref("patron", e.patron, w.patron_index)
        p.one_of(e.value, e.delta)
        p.within("a support level", e.value, 0.0, 1.0)
        p.within("a change of support", e.delta, -1.0, 1.0)
    elif isinstance(e, SetCapacity):
        p.ref("patron", e.patron, w.patron_index)
        p.one_of(e.value, e.delta)
        p.within("capacity", e.value, 0.0, MAX_CAPACITY)
        p.within("a change of capacity", e.delta, -MAX_CAPACITY, MAX_CAPACITY)
    elif isinstance(e, AddUnit):
        p.text("the unit's id", e.id)
        p.text("the unit's name", e.name)
        if e.id in s.unit_index():
            p.add(f"a unit {e.id!r} is already on the map (give the new unit another id)")
        p.ref("faction", e.faction, w.faction_index)
        p.ref("place", e.place, b.index)
        if not 0 < e.strength <= MAX_STRENGTH:
            p.add(f"strength must be more than 0 and at most {MAX_STRENGTH:,.0f}, got {e.strength:g}")
        p.within("quality", e.quality, 0.01, 100.0)
        p.within("cohesion", e.cohesion, 0.0, 1.0)
        p.within("floor", e.floor, 0.0, 1.0)
    elif isinstance(e, RemoveUnit):
        p.ref("unit", e.unit, _live_units(s))
    elif isinstance(e, SetRule):
        if e.name in NUMBER_RULES:
            lo, hi = rule_limits(e.name)
            p.within(f"rule {e.name!r}", e.value, lo, hi)
        elif hasattr(_DEFAULT, e.name):
            p.add(f"rule {e.name!r} is not a single number; the umpire changes number rules only")
        else:
            p.ref("rule", e.name, NUMBER_RULES)
    elif isinstance(e, SetRoute):
        known = p.ref("place", e.a, b.index) & p.ref("place", e.b, b.index)
        if known and not b.are_adjacent(b.index[e.a], b.index[e.b]):
            p.add(f"no route joins {e.a!r} and {e.b!r}")
    elif isinstance(e, SetFlag):
        p.text("the flag", e.flag)
    elif isinstance(e, ChangeCohesion):
        p.ref("faction", e.faction, w.faction_index)
        p.within("a change of cohesion", e.delta, -1.0, 1.0)
    elif isinstance(e, SetRelation):
        p.ref("faction", e.a, w.faction_index)
        p.ref("faction", e.b, w.faction_index)
        if e.a == e.b:
            p.add("a faction has no relation with itself: name two factions")
        if e.relation.upper() not in Relation.__members__:
            p.add(f"relation must be allied, neutral or hostile, got {e.relation!r}")
    elif isinstance(e, SetController):
        known = p.ref("place", e.place, b.index) & p.ref("faction", e.faction, w.faction_index)
        if known and s.controller.item(b.index[e.place]) == w.faction_index[e.faction]:
            p.add(f"{e.faction!r} holds {e.place!r} already")
    return p.out


def effects_problems(s: State, effects: Sequence[Effect], where: str = "effects") -> list[str]:
    """Problems of effects applied in order (each checked on the state the ones before it leave)."""
    scratch = s.copy() if effects else s
    for i, e in enumerate(effects):
        problems = effect_problems(scratch, e, f"{where}[{i}]")
        if problems:
            return problems
        scratch = apply_effect(scratch, e)
    return []


def audience_problems(s: State, audience: Sequence[str]) -> list[str]:
    """Every name in an audience is "all", a team or a side (an empty audience: the umpire alone)."""
    w = s.world
    known = ["all", *(t.id for t in w.teams), *w.faction_index, *w.patron_index]
    return [f"audience: unknown team or side {a!r}{hint(a, known)}" for a in audience if a not in known]


def override_problems(s: State, o: Override, last: LastTurn | None = None) -> list[str]:
    """Why an override may not be applied to state `s` (empty: it may); `last` is the turn just
    resolved, which a combat result changes."""
    out = shape_problems(Override, encode(o), "override")
    if out:
        return out
    if not o.reason.strip():
        out.append("an override needs the umpire's reason, for the record (it is empty)")
    out += audience_problems(s, o.audience)
    c = o.change
    if isinstance(c, CombatResult):
        return out + combat_problems(s, c, last)
    if s.is_over:
        return out + ["the game is over: only a combat result of its last turn can still be changed"]
    if isinstance(c, FireInject):
        inject = next((i for i in s.world.injects if i.id == c.inject), None)
        if inject is None:
            out.append(f"unknown inject {c.inject!r}{hint(c.inject, [i.id for i in s.world.injects])}")
        elif inject.once and inject.id in s.fired:
            out.append(f"inject {c.inject!r} has fired already (it fires once)")
    elif isinstance(c, NewInject):
        if not c.title.strip():
            out.append("a new inject needs a title")
        out += effects_problems(s, c.effects, "effects")
    else:
        out += effect_problems(s, c, "")
    return out


def matrix_problems(s: State, a: MatrixAction) -> list[str]:
    """Why a matrix action may not be adjudicated on state `s` (empty: it may)."""
    out = shape_problems(MatrixAction, encode(a), "matrix action")
    if out:
        return out
    if s.is_over:
        return ["the game is over: no more matrix actions"]
    try:
        find_team(s.world, a.team)
    except UnknownTeam:
        known = [t.id for t in s.world.teams] + list(s.world.sides)
        out.append(f"team: unknown team or side {a.team!r}{hint(a.team, known)} (teams: "
                   f"{', '.join(t.id for t in s.world.teams) or 'none'}; a side's id also works)")
    if not a.action.strip():
        out.append("action: state what the team does")
    if not a.arguments:
        out.append("arguments: give at least one argument for the action")
    out += [f"arguments[{i}] is empty" for i, x in enumerate(a.arguments) if not x.strip()]
    out += [f"counter_arguments[{i}] is empty" for i, x in enumerate(a.counter_arguments) if not x.strip()]
    for i, m in enumerate(a.modifiers):
        if not m.reason.strip():
            out.append(f"modifiers[{i}]: say why (its reason is empty)")
        if not -MODIFIER_LIMIT <= m.value <= MODIFIER_LIMIT:
            out.append(f"modifiers[{i}]: a modifier is from -{MODIFIER_LIMIT} to +{MODIFIER_LIMIT}, got {m.value}")
    if not NEEDED[0] <= a.needed <= NEEDED[1]:
        out.append(f"needed: the number to reach is from {NEEDED[0]} to {NEEDED[1]}, got {a.needed}")
    if not a.reason.strip():
        out.append("a matrix action needs the umpire's reason for the modifiers, for the record (it is empty)")
    out += audience_problems(s, a.audience)
    return out + effects_problems(s, a.effects, "effects")


def combat_problems(s: State, c: CombatResult, last: LastTurn | None) -> list[str]:
    """A combat result may be changed for a battle of the turn just resolved, before any other ruling."""
    if last is None:
        return ["no turn has been resolved yet, so there is no combat result to change"]
    turn = last.before.turn
    if s is not last.after and state_hash(s) != state_hash(last.after):
        return [f"the game has changed since turn {turn} was resolved (another ruling came first): change "
                "combat results first, straight after the turn, or the other rulings would be undone"]
    out: list[str] = []
    if c.result not in RESULTS:
        out.append(f"result must be one of {', '.join(RESULTS)}, got {c.result!r}")
    battles = {e.place: e.result for e in last.events if isinstance(e, Combat)}
    if c.place not in s.world.board.index:
        out.append(f"unknown place {c.place!r}{hint(c.place, s.world.board.index)}")
    elif c.place not in battles:
        where = ", ".join(sorted(battles)) or "none"
        out.append(f"no battle was fought at {c.place!r} in turn {turn} (battles at: {where})")
    elif battles[c.place] == c.result:
        out.append(f"the battle at {c.place!r} in turn {turn} already reads {c.result!r}")
    return out
