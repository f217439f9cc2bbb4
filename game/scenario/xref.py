"""Cross-reference checks: every id a scenario names must exist, and ids must be unique.

These run on the raw data (not the validated model), tolerating anything of the
wrong shape, so that a file with schema errors still gets its reference errors
reported in the same pass.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from typing import Any

from .fields import as_date
from .messages import where
from .model import MAX_TURNS
from .problems import ERROR, WARNING, Problem, did_you_mean, one_of
from .rulesblock import BOOL_RULES, NUMBER_RULES, RULE_NAMES, rule_limits
from .yamlread import Loc, Marks

Ids = dict[str, Loc]

MAX_AI_WEIGHT = 1_000_000
"""Largest AI weight (the defaults are 0-6): keeps the bots' sums finite."""

REQUIRED = ("faction", "place")
"""Kinds of id whose list must not be empty; when it is, that alone is reported (not every reference)."""


class Refs:
    """The ids a scenario defines, and a place to collect problems about them."""

    def __init__(self, data: dict[str, Any], marks: Marks, file: str) -> None:
        self.data, self.marks, self.file = data, marks, file
        self.problems: list[Problem] = []
        self.kinds: dict[str, str] = {}
        """Every id defined so far, with the kind of thing it names (the first, if two kinds share it)."""

    def report(self, loc: Loc, message: str, *, severity: str = ERROR, key: bool = False) -> None:
        line, col = self.marks.at(loc, key=key)
        self.problems.append(Problem(self.file, line, col, f"{where(self.data, loc)}: {message}", severity))

    def items(self, *path: str) -> list[tuple[Loc, dict[str, Any]]]:
        """(location, mapping) for each mapping in the list at `path`."""
        cur: Any = self.data
        for key in path:
            cur = cur.get(key) if isinstance(cur, dict) else None
        if not isinstance(cur, list):
            return []
        return [(tuple(path) + (i,), item) for i, item in enumerate(cur) if isinstance(item, dict)]

    def ids(self, what: str, items: Iterable[tuple[Loc, dict[str, Any]]], into: Ids | None = None) -> Ids:
        """Ids of the items, reporting duplicates (also against ids already in `into`)."""
        out: Ids = into if into is not None else {}
        for loc, item in items:
            ident = item.get("id")
            if not isinstance(ident, str):
                continue
            if ident in out:
                line, _ = self.marks.at(out[ident] + ("id",))
                self.report(loc + ("id",), f"duplicate {what} id {ident!r} (first defined on line {line})")
            else:
                out[ident] = loc
                self.kinds.setdefault(ident, what)
        return out

    def ref(self, loc: Loc, value: Any, known: Iterable[str], what: str, *, severity: str = ERROR) -> None:
        """Report `value` (at `loc`) unless it is one of `known`."""
        if not isinstance(value, str):
            return
        pool = known if isinstance(known, (dict, set, frozenset)) else set(known)
        if value in pool:
            return
        if not pool:
            if what not in REQUIRED:
                self.report(loc, f"unknown {what} {value!r}: the scenario defines no {what}s", severity=severity)
            return
        hint = did_you_mean(value, pool)
        if not hint:
            hint = f"; expected one of {one_of(pool)}" if len(pool) <= 12 else ""
        other = self.kinds.get(value)
        if other is not None and other not in what:  # the id of another kind of thing: say which
            hint = f": that is a {other}'s id, not a {what}'s{hint}"
        self.report(loc, f"unknown {what} {value!r}{hint}", severity=severity)

    def refs(self, loc: Loc, values: Any, known: Iterable[str], what: str) -> None:
        if isinstance(values, list):
            for i, v in enumerate(values):
                self.ref(loc + (i,), v, known, what)


def _str(item: dict[str, Any], key: str) -> str | None:
    value = item.get(key)
    return value if isinstance(value, str) else None


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


class World:
    """Every id the scenario defines, by kind."""

    def __init__(self, r: Refs) -> None:
        self.places = r.ids("place", r.items("map", "places"))
        self.corridors = r.ids("corridor", r.items("map", "corridors"))
        self.factions = r.ids("faction", r.items("factions"))
        self.patrons = r.ids("patron", r.items("patrons"))
        self.units = r.ids("unit", r.items("units"))
        self.added = r.ids("unit", ((loc + ("effects", i, "add_unit"), eff["add_unit"])
                                    for loc, ev in r.items("events") for i, eff in _effects(ev)
                                    if isinstance(eff.get("add_unit"), dict)), dict(self.units))
        self.events = r.ids("event", r.items("events"))
        self.victory = r.ids("victory condition", r.items("victory"))
        self.benchmarks = r.ids("benchmark", r.items("benchmarks"))
        self.teams = r.ids("team", r.items("teams"))
        for pid, loc in self.patrons.items():
            if pid in self.factions:
                r.report(loc + ("id",), f"{pid!r} is both a faction and a patron id; sides need distinct ids")
        self.sides = set(self.factions) | set(self.patrons)
        self.theatres: dict[str, set[str]] = {}
        for _, faction in r.items("factions"):
            theatre = faction.get("theatre")
            if isinstance(faction.get("id"), str) and isinstance(theatre, list) and theatre:
                self.theatres[faction["id"]] = {p for p in theatre if isinstance(p, str)}
        self.routes: dict[frozenset[str], Loc] = {}
        meta = r.data.get("meta")
        self.turns = _int(meta.get("turns")) if isinstance(meta, dict) else None
        if self.turns is None and not (isinstance(meta, dict) and "turns" in meta):
            self.turns = 10
        self.last_date: dt.date | None = None
        start = _as_date(meta.get("start_date")) if isinstance(meta, dict) else None
        days = _int(meta.get("turn_days", 1)) if isinstance(meta, dict) else None
        if start is not None and days is not None and self.turns is not None and 0 < days <= 366:
            try:
                self.last_date = start + dt.timedelta(days=(min(self.turns, 10_000) - 1) * days)
            except OverflowError:
                self.last_date = None


def check_calendar(r: Refs) -> None:
    """The date after the last turn (shown once the game is over) must exist: 9999-12-31 at the latest."""
    meta = r.data.get("meta")
    if not isinstance(meta, dict):
        return
    start = _as_date(meta.get("start_date"))
    turns, days = _int(meta.get("turns", 10)), _int(meta.get("turn_days", 1))
    if start is None or turns is None or days is None or not (1 <= turns <= MAX_TURNS and 1 <= days <= 366):
        return  # out of their own ranges: the model reports those
    span = turns * days
    if (dt.date.max - start).days >= span:
        return
    game = f"{turns} turns of {days} day{'s' if days > 1 else ''}"
    if span > (dt.date.max - dt.date.min).days:
        hint = "play fewer or shorter turns"
    else:
        latest = dt.date.max - dt.timedelta(days=span)
        hint = f"start on {latest.isoformat()} or earlier, or play fewer or shorter turns"
    r.report(("meta", "start_date"), f"{start.isoformat()} plus {game} runs past 9999-12-31: {hint}")


def _as_date(value: Any) -> dt.date | None:
    try:
        return as_date(value)
    except ValueError:
        return None


def _effects(event: dict[str, Any]) -> list[tuple[int, dict[str, Any]]]:
    effects = event.get("effects")
    return [(i, e) for i, e in enumerate(effects) if isinstance(e, dict)] if isinstance(effects, list) else []


def _conditions(event: dict[str, Any]) -> list[tuple[int, dict[str, Any]]]:
    when = event.get("when")
    return [(i, c) for i, c in enumerate(when) if isinstance(c, dict)] if isinstance(when, list) else []


def check_map(r: Refs, w: World) -> None:
    for loc, place in r.items("map", "places"):
        r.ref(loc + ("controller",), place.get("controller"), w.factions, "faction")
        controller = _str(place, "controller")
        if controller in w.factions and isinstance(place.get("id"), str):
            theatre = w.theatres.get(controller)
            if theatre and place["id"] not in theatre:
                r.report(loc + ("controller",), f"{controller!r} holds {place['id']!r}, outside its theatre",
                         severity=WARNING)
        r.refs(loc + ("supply_for",), place.get("supply_for"), w.factions, "faction")
    for loc, route in r.items("map", "routes"):
        a, b = _str(route, "a"), _str(route, "b")
        r.ref(loc + ("a",), a, w.places, "place")
        r.ref(loc + ("b",), b, w.places, "place")
        if a is None or b is None:
            continue
        if a == b:
            r.report(loc + ("b",), f"a route must join two different places (both ends are {a!r})")
            continue
        pair = frozenset((a, b))
        if pair in w.routes:
            line, _ = r.marks.at(w.routes[pair])
            r.report(loc, f"duplicate route between {a!r} and {b!r} (first defined on line {line})")
        else:
            w.routes[pair] = loc
    for loc, corridor in r.items("map", "corridors"):
        chain = corridor.get("places")
        if not isinstance(chain, list):
            continue
        r.refs(loc + ("places",), chain, w.places, "place")
        seen: set[str] = set()
        for i, p in enumerate(chain):
            if isinstance(p, str) and p in seen:
                r.report(loc + ("places", i), f"place {p!r} appears twice in the corridor")
            elif isinstance(p, str):
                seen.add(p)
        for i, (p, q) in enumerate(zip(chain, chain[1:])):
            if (isinstance(p, str) and isinstance(q, str) and p in w.places and q in w.places and p != q
                    and frozenset((p, q)) not in w.routes):
                r.report(loc + ("places", i + 1), f"no route joins {p!r} and {q!r}: consecutive corridor places "
                                                  "must be joined by a route")


def check_sides(r: Refs, w: World) -> None:
    for loc, faction in r.items("factions"):
        fid = _str(faction, "id")
        r.refs(loc + ("allies",), faction.get("allies"), w.factions, "faction")
        r.refs(loc + ("enemies",), faction.get("enemies"), w.factions, "faction")
        r.refs(loc + ("sources",), faction.get("sources"), w.places, "place")
        r.refs(loc + ("neutral",), faction.get("neutral"), w.factions, "faction")
        r.refs(loc + ("theatre",), faction.get("theatre"), w.places, "place")
        if faction.get("capital") is not None:
            r.ref(loc + ("capital",), faction.get("capital"), w.places, "place")
        if faction.get("commander") is not None:
            r.ref(loc + ("commander",), faction.get("commander"), w.patrons, "patron")
        allies, enemies = faction.get("allies"), faction.get("enemies")
        for key, values in (("allies", allies), ("enemies", enemies)):
            if isinstance(values, list) and fid is not None and fid in values:
                r.report(loc + (key, values.index(fid)), f"a faction cannot list itself in {key}")
        if isinstance(allies, list) and isinstance(enemies, list):
            for i, e in enumerate(enemies):
                if isinstance(e, str) and e in allies:
                    r.report(loc + ("enemies", i), f"{e!r} is listed both as an ally and as an enemy")
    for loc, patron in r.items("patrons"):
        r.refs(loc + ("clients",), patron.get("clients"), w.factions, "faction")
        r.refs(loc + ("strikes",), patron.get("strikes"), w.factions, "faction")
        r.refs(loc + ("interdicts",), patron.get("interdicts"), w.patrons, "patron")
        r.refs(loc + ("strike_zone",), patron.get("strike_zone"), w.places, "place")
        r.refs(loc + ("reinforce_at",), patron.get("reinforce_at"), w.places, "place")
        if patron.get("corridor") is not None:
            r.ref(loc + ("corridor",), patron.get("corridor"), w.corridors, "corridor")
        if patron.get("kind") == "interdictor" and not patron.get("interdicts"):
            r.report(loc + ("kind",), "an interdictor with no `interdicts` never strikes a convoy",
                     severity=WARNING)
    team_of: dict[str, str] = {}
    for loc, team in r.items("teams"):
        sides = team.get("sides")
        r.refs(loc + ("sides",), sides, w.sides, "faction or patron")
        for i, side in enumerate(sides if isinstance(sides, list) else []):
            if isinstance(side, str) and side in team_of and team_of[side] != team.get("id"):
                r.report(loc + ("sides", i), f"{side!r} also plays in team {team_of[side]!r}", severity=WARNING)
            elif isinstance(side, str) and isinstance(team.get("id"), str):
                team_of[side] = team["id"]


def check_units(r: Refs, w: World, stacking: dict[str, Any]) -> None:
    count: dict[tuple[str, str], list[Loc]] = {}
    for loc, unit in r.items("units"):
        faction, place = _str(unit, "faction"), _str(unit, "place")
        r.ref(loc + ("faction",), faction, w.factions, "faction")
        r.ref(loc + ("place",), place, w.places, "place")
        if faction in w.factions and place in w.places:
            count.setdefault((faction, place), []).append(loc)
    places = dict(r.items("map", "places"))
    for (faction, place), locs in count.items():
        kind = places[w.places[place]].get("kind")
        limit = stacking.get(kind) if isinstance(kind, str) else None
        if isinstance(limit, int) and 0 <= limit < len(locs):  # a negative limit is the schema's error
            r.report(locs[limit], f"{len(locs)} {faction} units at {place!r} exceed the stacking limit of "
                                  f"{limit} for a {kind}", severity=WARNING)


def check_events(r: Refs, w: World) -> None:
    audience_ids = w.sides | set(w.teams) | {"all"}
    set_flags = {e["set_flag"]["flag"] for _, ev in r.items("events") for _, e in _effects(ev)
                 if isinstance(e.get("set_flag"), dict) and isinstance(e["set_flag"].get("flag"), str)}
    for loc, event in r.items("events"):
        r.refs(loc + ("audience",), event.get("audience"), audience_ids, "audience")
        for i, cond in _conditions(event):
            _check_condition(r, w, loc + ("when", i), cond, set_flags)
        for i, eff in _effects(event):
            _check_effect(r, w, loc + ("effects", i), eff)
            if isinstance(eff.get("add_unit"), dict) and event.get("once") is False:
                r.report(loc + ("effects", i, "add_unit"), "an event that can fire more than once (once: false) "
                                                           "would add the same unit id again", severity=WARNING)


def _check_condition(r: Refs, w: World, loc: Loc, cond: dict[str, Any], set_flags: set[str]) -> None:
    turn = cond.get("turn")
    number = _int(turn.get("turn")) if isinstance(turn, dict) else _int(turn)
    if number is not None and w.turns is not None and number > w.turns:
        r.report(loc + ("turn",), f"turn {number} is after the last turn ({w.turns}): the event never fires",
                 severity=WARNING)
    for key, fields in (("controls", (("faction", "faction"), ("place", "place"))),
                        ("cohesion_below", (("faction", "faction"),)),
                        ("corridor_closed", (("corridor", "corridor"), ("faction", "faction")))):
        body = cond.get(key)
        if isinstance(body, dict):
            for field, what in fields:
                known = {"faction": w.factions, "place": w.places, "corridor": w.corridors}[what]
                r.ref(loc + (key, field), body.get(field), known, what)
    when = _as_date(cond.get("date"))
    if when is not None and w.last_date is not None and when > w.last_date:
        r.report(loc + ("date",), f"{when.isoformat()} is after the last turn's date "
                                  f"({w.last_date.isoformat()}): the event never fires", severity=WARNING)
    flag = cond.get("flag")
    if isinstance(flag, str) and flag not in set_flags:
        hint = did_you_mean(flag, set_flags)
        r.report(loc + ("flag",), f"no event sets flag {flag!r}{hint}", severity=WARNING)


def _check_effect(r: Refs, w: World, loc: Loc, eff: dict[str, Any]) -> None:
    for key in ("set_support", "set_capacity"):
        if isinstance(eff.get(key), dict):
            r.ref(loc + (key, "patron"), eff[key].get("patron"), w.patrons, "patron")
    add = eff.get("add_unit")
    if isinstance(add, dict):
        r.ref(loc + ("add_unit", "faction"), add.get("faction"), w.factions, "faction")
        r.ref(loc + ("add_unit", "place"), add.get("place"), w.places, "place")
    remove = eff.get("remove_unit")
    if isinstance(remove, dict):
        r.ref(loc + ("remove_unit", "unit"), remove.get("unit"), w.added, "unit")
    rule = eff.get("set_rule")
    if isinstance(rule, dict) and isinstance(rule.get("name"), str):
        name = rule["name"]
        if name in RULE_NAMES and name not in NUMBER_RULES:
            kind = "a true/false rule" if name in BOOL_RULES else "a table"
            r.report(loc + ("set_rule", "name"), f"rule {name!r} is {kind}; set_rule changes number rules only")
        else:
            r.ref(loc + ("set_rule", "name"), name, NUMBER_RULES, "rule")
        value = rule.get("value")
        if name in NUMBER_RULES and isinstance(value, (int, float)) and not isinstance(value, bool):
            lo, hi = rule_limits(name)
            finite = isinstance(value, int) or math.isfinite(value)  # nan and inf: the model reports them
            if finite and not lo <= value <= hi:
                r.report(loc + ("set_rule", "value"), f"{value!r} is out of range for rule {name!r}: "
                                                      f"give a number from {lo:g} to {hi:g}")
    route = eff.get("set_route")
    if isinstance(route, dict):
        a, b = _str(route, "a"), _str(route, "b")
        r.ref(loc + ("set_route", "a"), a, w.places, "place")
        r.ref(loc + ("set_route", "b"), b, w.places, "place")
        if a in w.places and b in w.places and frozenset((a, b)) not in w.routes:
            r.report(loc + ("set_route",), f"no route joins {a!r} and {b!r}")
    change = eff.get("change_cohesion")
    if isinstance(change, dict):
        r.ref(loc + ("change_cohesion", "faction"), change.get("faction"), w.factions, "faction")
    relation = eff.get("set_relation")
    if isinstance(relation, dict):
        a, b = _str(relation, "a"), _str(relation, "b")
        r.ref(loc + ("set_relation", "a"), a, w.factions, "faction")
        r.ref(loc + ("set_relation", "b"), b, w.factions, "faction")
        if a is not None and a == b:
            r.report(loc + ("set_relation", "b"), "a relation joins two different factions")
    control = eff.get("set_controller")
    if isinstance(control, dict):
        r.ref(loc + ("set_controller", "place"), control.get("place"), w.places, "place")
        r.ref(loc + ("set_controller", "faction"), control.get("faction"), w.factions, "faction")


def check_victory(r: Refs, w: World) -> None:
    for loc, vc in r.items("victory"):
        r.ref(loc + ("faction",), vc.get("faction"), w.factions, "faction")
        r.refs(loc + ("places",), vc.get("places"), w.places, "place")
        kind = vc.get("kind")
        if kind in ("hold", "capture") and not vc.get("places"):
            r.report(loc, f"a {kind} condition needs `places`")
        if kind == "cohesion_below":
            if vc.get("target") is None:
                r.report(loc, "a cohesion_below condition needs `target` (the faction whose cohesion counts)")
            threshold = vc.get("threshold", 0.0)
            if isinstance(threshold, (int, float)) and not 0 < threshold <= 1:
                r.report(loc + ("threshold",), f"a cohesion threshold must be above 0 and at most 1, got {threshold}")
        if vc.get("target") is not None:
            r.ref(loc + ("target",), vc.get("target"), w.factions, "faction")
        by_turn = _int(vc.get("by_turn"))
        if by_turn is not None and w.turns is not None and by_turn > w.turns:
            r.report(loc + ("by_turn",), f"by_turn {by_turn} is after the last turn ({w.turns})")


def check_benchmarks(r: Refs, w: World) -> None:
    for loc, bm in r.items("benchmarks"):
        r.ref(loc + ("side",), bm.get("side"), w.sides, "faction or patron")
        r.refs(loc + ("places",), bm.get("places"), w.places, "place")
        kind = bm.get("kind")
        if kind in ("hold", "capture", "race", "held_turns") and not bm.get("places"):
            r.report(loc, f"a {kind} benchmark needs `places`")
        if kind == "destroy" and bm.get("target") is None:
            r.report(loc, "a destroy benchmark needs `target` (the faction whose strength counts)")
        if bm.get("target") is not None:
            r.ref(loc + ("target",), bm.get("target"), w.factions, "faction")
        if kind == "corridor" and bm.get("corridor") is None:
            r.report(loc, "a corridor benchmark needs `corridor`")
        if bm.get("corridor") is not None:
            r.ref(loc + ("corridor",), bm.get("corridor"), w.corridors, "corridor")
        by_turn = _int(bm.get("by_turn"))
        if by_turn is not None and w.turns is not None and by_turn > w.turns:
            r.report(loc + ("by_turn",), f"by_turn {by_turn} is after the last turn ({w.turns})")


SEED_FIELDS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("map", "places"), "sources"), (("map", "routes"), "sources"), (("map", "corridors"), "sources"),
    (("factions",), "cite"), (("patrons",), "sources"), (("units",), "sources"), (("events",), "sources"),
    (("benchmarks",), "sources"),
)


def check_seeds(r: Refs, seeds: set[str]) -> None:
    meta = r.data.get("meta")
    if isinstance(meta, dict):
        r.refs(("meta", "sources"), meta.get("sources"), seeds, "seed fact")
    for path, key in SEED_FIELDS:
        for loc, item in r.items(*path):
            r.refs(loc + (key,), item.get(key), seeds, "seed fact")


def check_ai(r: Refs, w: World) -> None:
    """The `ai:` block names real sides (or `default`), each with numbers >= 0 (the weight names
    themselves are checked by game.ai when a bot is made)."""
    block = r.data.get("ai")
    if not isinstance(block, dict):
        return
    for side, table in block.items():
        loc: Loc = ("ai", side)
        if side != "default":
            r.ref(loc, side, w.sides, "side (or default)")
        if not isinstance(table, dict):
            r.report(loc, "expected a mapping of weight names to numbers")
            continue
        for name, value in table.items():
            number = isinstance(value, (int, float)) and not isinstance(value, bool)
            if not number or not 0 <= value <= MAX_AI_WEIGHT:  # nan fails both comparisons
                r.report(loc + (name,), f"an AI weight must be a number from 0 to {MAX_AI_WEIGHT:,}, got {value!r}")


def check_references(data: dict[str, Any], marks: Marks, file: str, *, seeds: set[str] | None = None,
                     stacking: dict[str, Any] | None = None) -> list[Problem]:
    """Every cross-reference problem of the scenario data (which may be partly malformed)."""
    r = Refs(data, marks, file)
    w = World(r)
    check_calendar(r)
    check_map(r, w)
    check_sides(r, w)
    check_units(r, w, stacking or {})
    check_events(r, w)
    check_victory(r, w)
    check_benchmarks(r, w)
    check_ai(r, w)
    if seeds is not None:
        check_seeds(r, seeds)
    return r.problems
