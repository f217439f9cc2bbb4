"""The linter: located warnings about a valid scenario that will not play as its author meant.

Each check is a small function from a `Sheet` (the validated scenario, its turn-1 state and where
each item sits in the file) to findings; `lint` locates them. A variant's findings are reported
in the file that gave the value, like the validator's.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from game.engine import Reinforce, SupplySurge, check_order, legal_orders, query
from game.engine.state import State
from game.engine.types import Supply

from . import model as m
from .lintok import read_text, settle
from .loader import Loaded, Parsed, by_file, load_checked, load_checked_text
from .problems import WARNING, Problem, sort_problems
from .variants import relocate
from .yamlread import Loc, Marks

Finding = tuple[Loc, str]
"""Where in the data (keys and list indices) and what."""

LISTS = {"place": ("map", "places"), "corridor": ("map", "corridors"), "faction": ("factions",),
         "patron": ("patrons",), "unit": ("units",), "event": ("events",), "victory": ("victory",)}


@dataclass
class Sheet:
    """What the checks read: the validated scenario, its state at turn 1, and the data's locations."""

    scenario: m.Scenario
    state: State
    data: dict[str, Any]
    _locs: dict[tuple[str, str], Loc] = field(default_factory=dict)
    _groups: dict[str, int] | None = None

    def loc(self, kind: str, ident: str, *rest: str | int) -> Loc:
        """Location of item `ident` of a kind (place, unit, …), then `rest` inside it."""
        if not self._locs:
            for what, path in LISTS.items():
                items: Any = self.data
                for key in path:
                    items = items.get(key) if isinstance(items, dict) else None
                for i, item in enumerate(items if isinstance(items, list) else []):
                    if isinstance(item, dict) and isinstance(item.get("id"), str):
                        self._locs.setdefault((what, item["id"]), (*path, i))
        return self._locs.get((kind, ident), LISTS[kind]) + tuple(rest)

    def groups(self) -> dict[str, int]:
        """Each place's part of the map: places joined by routes open at the start or opened by an event."""
        if self._groups is None:
            parent = {p.id: p.id for p in self.scenario.map.places}

            def root(x: str) -> str:
                while parent[x] != x:
                    parent[x] = parent[parent[x]]
                    x = parent[x]
                return x

            opened = {frozenset((e.set_route.a, e.set_route.b)) for ev in self.scenario.events for e in ev.effects
                      if e.set_route is not None and e.set_route.open}
            for r in self.scenario.map.routes:
                if r.open or frozenset((r.a, r.b)) in opened:
                    parent[root(r.a)] = root(r.b)
            names: dict[str, int] = {}
            self._groups = {p: names.setdefault(root(p), len(names)) for p in parent}
        return self._groups

    def footholds(self, faction: str) -> set[str]:
        """Places where the faction can ever have units: at the start, added by events, or sent by patrons."""
        s = self.scenario
        out = {u.place for u in s.units if u.faction == faction}
        out |= {e.add_unit.place for ev in s.events for e in ev.effects
                if e.add_unit is not None and e.add_unit.faction == faction}
        corridors = {c.id: c.places for c in s.map.corridors}
        for p in s.patrons:
            if faction in p.clients and p.support.ground > 0 and p.reserve > 0:
                out |= set(corridors.get(p.corridor or "", ()))
                faction_sources = next((f.sources for f in s.factions if f.id == faction), [])
                out |= set(faction_sources) | {pl.id for pl in s.map.places if faction in pl.supply_for}
        return out

    def can_hold(self, faction: str, place: str) -> bool:
        """Whether the faction could ever control the place: it holds it at the start or can get units there."""
        if any(p.id == place and p.controller == faction for p in self.scenario.map.places):
            return True
        groups = self.groups()
        return groups.get(place) in {groups.get(p) for p in self.footholds(faction)}


def cut_off_places(sheet: Sheet) -> list[Finding]:
    """A place no route reaches (or one cut off from the rest of the map) can never be entered or left."""
    s = sheet.scenario
    touched = {x for r in s.map.routes for x in (r.a, r.b)}
    groups = sheet.groups()
    sizes: dict[int, int] = {}
    for g in groups.values():
        sizes[g] = sizes.get(g, 0) + 1
    main = max(sizes, key=lambda g: sizes[g]) if sizes else -1
    out = []
    for p in s.map.places:
        if p.id not in touched:
            out.append((sheet.loc("place", p.id, "id"), f"no route reaches place {p.id!r}: no unit can enter or "
                                                        "leave it (add a route in map.routes)"))
        elif groups[p.id] != main:
            why = "every route to it is closed and no event opens one" if sizes[groups[p.id]] == 1 else \
                "no open route (nor one an event opens) joins its part of the map to the rest"
            out.append((sheet.loc("place", p.id, "id"), f"place {p.id!r} is cut off: {why}"))
    return out


def units_out_of_supply(sheet: Sheet) -> list[Finding]:
    """A unit cut off from supply at the start weakens from turn 1, often not what the author meant."""
    st = sheet.state
    out = []
    for i, unit in enumerate(st.units):
        if int(st.u_supply[i]) == int(Supply.CUT):
            place = st.world.board.places[int(st.u_place[i])].id
            out.append((sheet.loc("unit", unit.id, "place"),
                        f"unit {unit.id!r} starts out of supply at {place!r}: no source of {unit.faction!r} "
                        f"within {st.rules.limited_range_km:g} km along friendly places and open routes (add a "
                        "source nearby with supply_for, or a route)"))
    return out


def unused_corridors(sheet: Sheet) -> list[Finding]:
    """A corridor no patron uses carries no help, and the map draws it closed all game."""
    s = sheet.scenario
    used = {p.corridor for p in s.patrons}
    read = {c.corridor_closed.corridor for ev in s.events for c in ev.when if c.corridor_closed is not None}
    out = []
    for c in s.map.corridors:
        if c.id not in used:
            also = " (only event conditions read it)" if c.id in read else ""
            out.append((sheet.loc("corridor", c.id, "id"), f"no patron uses corridor {c.id!r}{also}: it carries "
                                                           "no help and the map draws it closed all game"))
    return out


def _turn_date(meta: m.Meta, turn: int) -> dt.date:
    return meta.start_date + dt.timedelta(days=(turn - 1) * meta.turn_days)


def _never_reason(sheet: Sheet, cond: m.Condition, flags: set[str]) -> str | None:
    """Why one condition can never hold, if it cannot (beyond what the validator already warns about)."""
    if cond.controls is not None and not sheet.can_hold(cond.controls.faction, cond.controls.place):
        return (f"{cond.controls.faction!r} can never control {cond.controls.place!r}: it holds no route to it "
                "and no unit can get there")
    if cond.cohesion_below is not None and cond.cohesion_below.value <= 0:
        return "cohesion never falls below 0"
    if cond.flag is not None and cond.flag not in flags:
        return f"no event that can fire sets flag {cond.flag!r}"
    return None


def _turns_clash(meta: m.Meta, when: list[m.Condition]) -> str | None:
    """Why the turn and date conditions of one event can never all hold on the same turn."""
    turns = [c.turn for c in when if c.turn is not None]
    exact = {t.turn for t in turns if not t.or_later}
    first = max([t.turn for t in turns], default=1)
    dates = [c.date for c in when if c.date is not None]
    if len(exact) > 1:
        return f"it needs turns {' and '.join(map(str, sorted(exact)))} at once"
    if exact and first > min(exact):
        return f"it needs turn {min(exact)} and turn {first} or later at once"
    if exact and dates and _turn_date(meta, min(exact)) < max(dates):
        return f"turn {min(exact)} falls on {_turn_date(meta, min(exact)).isoformat()}, before {max(dates).isoformat()}"
    return None


def dead_events(sheet: Sheet) -> list[Finding]:
    """An event that can never fire: chance 0, or conditions that can never hold (together)."""
    s = sheet.scenario
    dead: dict[str, Finding] = {}
    while True:
        flags = {e.set_flag.flag for ev in s.events if ev.id not in dead for e in ev.effects
                 if e.set_flag is not None and e.set_flag.value}
        found = dict(dead)
        for ev in s.events:
            if ev.id in found:
                continue
            if ev.chance <= 0:
                found[ev.id] = (sheet.loc("event", ev.id, "chance"), f"event {ev.id!r} never fires: its chance is 0")
                continue
            clash = _turns_clash(s.meta, ev.when)
            if clash:
                found[ev.id] = (sheet.loc("event", ev.id, "when"), f"event {ev.id!r} never fires: {clash}")
                continue
            for j, cond in enumerate(ev.when):
                reason = _never_reason(sheet, cond, flags)
                if reason:
                    found[ev.id] = (sheet.loc("event", ev.id, "when", j), f"event {ev.id!r} never fires: {reason}")
                    break
        if len(found) == len(dead):
            return list(dead.values())
        dead = found


def unreachable_victories(sheet: Sheet) -> list[Finding]:
    """A victory condition its faction can never meet: places it cannot get to, a score it cannot reach."""
    s = sheet.scenario
    out = []
    for vc in s.victory:
        if vc.kind in ("hold", "capture"):
            for k, place in enumerate(vc.places):
                if not sheet.can_hold(vc.faction, place):
                    out.append((sheet.loc("victory", vc.id, "places", k),
                                f"victory condition {vc.id!r} cannot be met: {vc.faction!r} can never control "
                                f"{place!r} (no unit of it can get there)"))
                    break
        elif vc.kind == "points":
            best = sum(p.value for p in s.map.places if sheet.can_hold(vc.faction, p.id))
            best += sum(o.points for o in s.victory if o.faction == vc.faction and o.id != vc.id)
            if vc.threshold > best:
                out.append((sheet.loc("victory", vc.id, "threshold"),
                            f"victory condition {vc.id!r} cannot be met: {vc.faction!r} scores at most {best:g} "
                            f"(every place it could hold and its other conditions), below {vc.threshold:g}"))
    return out


def factions_without_units(sheet: Sheet) -> list[Finding]:
    """A faction with no units (none at the start, none added by events) can only watch."""
    s = sheet.scenario
    have = {u.faction for u in s.units} | {e.add_unit.faction for ev in s.events for e in ev.effects
                                           if e.add_unit is not None}
    return [(sheet.loc("faction", f.id, "id"), f"faction {f.id!r} has no units: none at the start and no event "
                                               "adds any") for f in s.factions if f.id not in have]


def _idle_reason(state: State, patron: m.Patron) -> str:
    """Why a patron has no order to give: each channel it supports, and what stops it."""
    support = patron.support
    if not any(level > 0 for level in (support.air, support.ground, support.supply)):
        return "it gives no air, ground or supply support"
    reasons = ["no unit it may strike from the air"] if support.air > 0 else []
    if support.ground <= 0 and support.supply <= 0:
        return "; ".join(reasons)
    w = state.world
    client = patron.clients[0] if patron.clients else ""
    corridor = w.board.corridor_index.get(patron.corridor or "")
    if corridor is not None and client in w.faction_index:
        if not query.is_corridor_open(state, corridor, w.faction_index[client]):
            return "; ".join([*reasons, f"its corridor {patron.corridor!r} is closed to {client!r} at the start"])
        entry = w.board.places[w.board.corridor_places[corridor][0]].id
    else:
        entry = next((p.id for p in w.board.places if client in p.supply_for), "")
    for level, order in ((support.ground, Reinforce(patron.id, entry, client)), (support.supply,
                                                                                  SupplySurge(patron.id, client))):
        why = check_order(state, patron.id, order) if level > 0 else None
        if why and why not in reasons:
            reasons.append(why)
    return "; ".join(reasons) or "nothing it may do is legal"


def idle_sides(sheet: Sheet) -> list[Finding]:
    """A side that has no legal order on turn 1 gives the bots (and a player) nothing to do.
    Factions without units are left to `factions_without_units`; an interdictor with no strike list
    acts on its own (it strikes convoys) and needs no orders."""
    s, st = sheet.scenario, sheet.state
    have = {u.faction for u in s.units}
    out = []
    for f in s.factions:
        if f.commander is None and f.id in have and not legal_orders(st, f.id):  # commanded forces: their patron
            out.append((sheet.loc("faction", f.id, "id"), f"the bots can give faction {f.id!r} no order on turn 1"))
    for p in s.patrons:
        if p.kind == "interdictor" and not p.strikes:
            continue
        if not legal_orders(st, p.id):
            out.append((sheet.loc("patron", p.id, "id"), f"the bots can give patron {p.id!r} no order on turn 1: "
                                                         f"{_idle_reason(st, p)}"))
    return out


CHECKS: tuple[Callable[[Sheet], list[Finding]], ...] = (
    cut_off_places, units_out_of_supply, unused_corridors, dead_events, unreachable_victories,
    factions_without_units, idle_sides,
)
CODES: dict[Callable[[Sheet], list[Finding]], str] = {
    cut_off_places: "cut-off", units_out_of_supply: "out-of-supply", unused_corridors: "unused-corridor",
    dead_events: "dead-event", unreachable_victories: "unreachable-victory", factions_without_units: "no-units",
    idle_sides: "idle-side",
}
"""Each check's name, printed after its warnings and named by a `# lint-ok:` comment (lintok.py)."""


def lint(sheet: Sheet, marks: Marks, name: str, checks: Iterable[Callable[[Sheet], list[Finding]]] = CHECKS
         ) -> list[Problem]:
    """Every check's findings as located warnings, in the file each value came from."""
    out = []
    for check in checks:
        for loc, message in check(sheet):
            line, col = marks.at(loc)
            out.append(Problem(name, line, col, message, WARNING, CODES.get(check, "")))
    return relocate(out)


def lint_report(parsed: Parsed, loaded: Loaded | None, problems: list[Problem],
                text_of: Callable[[str], str | None] = read_text) -> tuple[list[Problem], list[Problem]]:
    """The validator's problems and, for a valid scenario, the linter's warnings, in file order; and apart,
    the warnings the files acknowledge with a `# lint-ok:` comment (see lintok.py)."""
    if loaded is None or not isinstance(parsed.data, dict):
        return problems, []
    try:
        warnings = lint(Sheet(loaded.scenario, loaded.state, parsed.data), parsed.marks, parsed.name)
        warnings, quiet = settle(warnings, set(CODES.values()), text_of, parsed.name)
    except Exception as e:  # noqa: BLE001 - a linter bug must not hide the validator's answer
        warnings, quiet = [Problem(parsed.name, 1, 1, f"internal error in the linter ({type(e).__name__}: {e}); "
                                                      "please report this with the file", WARNING)], []
    return by_file(sort_problems(problems + warnings), parsed), by_file(sort_problems(quiet), parsed)


def lint_checked(parsed: Parsed, loaded: Loaded | None, problems: list[Problem]) -> list[Problem]:
    """The validator's problems and, for a valid scenario, the linter's warnings it does not acknowledge."""
    return lint_report(parsed, loaded, problems)[0]


def lint_file(path: str | os.PathLike[str]) -> list[Problem]:
    """Every problem of a scenario file and every lint warning it does not acknowledge; never raises."""
    return lint_checked(*load_checked(path))


def lint_text(text: str, name: str = "<string>") -> list[Problem]:
    """As lint_file, from text (for tests)."""
    return lint_report(*load_checked_text(text, name), text_of=lambda f: text if f == name else read_text(f))[0]
