"""Checks of a serialised game (a save, or the starting game of an order log) before it is decoded.

`game_problems` reads the plain data `game_to_dict` writes and lists everything that would make it
unplayable: wrong types, arrays of the wrong length, indexes out of range, numbers that are not finite
or out of their range, unknown or duplicate ids, impossible dates. Pure: no I/O, so saves and logs share it.
"""

from __future__ import annotations

import datetime as _dt
import math
from collections.abc import Iterable, Iterator
from dataclasses import fields
from typing import Any

from .board import Corridor, Place, Route
from .codec import MAX_PROBLEMS, TAG, kind_of, shape_problems
from .rules import Rules, rule_limits
from .specs import BENCHMARK_KINDS, VICTORY_KINDS, Benchmark, Inject, VictoryCondition
from .types import CHANNELS, PATRON_ACTIONS, Faction, Meta, Patron, Posture, Relation, Supply, UnitInfo

SAVE_FORMAT = "junction-save"
SAVE_VERSION = 1
MAX_TURNS = 10_000
"""The most turns a game may have (the scenario format's limit)."""
MAX_STRENGTH = 1e9
"""The largest strength (personnel) a unit in a save may have; far above any real formation."""
MAX_POOL = 1e12
"""The largest patron reserve, capacity or faction score a save may hold."""
PATRON_KINDS = ("patron", "interdictor")

WORLD_FIELDS: dict[str, Any] = {
    "meta": Meta, "places": tuple[Place, ...], "routes": tuple[Route, ...], "corridors": tuple[Corridor, ...],
    "length_factor": float, "factions": tuple[Faction, ...], "patrons": tuple[Patron, ...],
    "injects": tuple[Inject, ...], "victory": tuple[VictoryCondition, ...], "ai": dict[str, Any],
    "benchmarks": tuple[Benchmark, ...],
}
OPTIONAL_WORLD_FIELDS = frozenset({"length_factor", "ai", "benchmarks"})

REFERENCES: dict[str, dict[str, str]] = {
    "Place": {"supply_for": "faction"},
    "Route": {"a": "place", "b": "place"},
    "Corridor": {"places": "place"},
    "Faction": {"allies": "faction", "enemies": "faction", "sources": "place", "neutral": "faction",
                "theatre": "place", "capital": "place", "commander": "patron"},
    "Patron": {"clients": "faction", "corridor": "corridor", "interdicts": "patron", "strikes": "faction",
               "strike_zone": "place", "reinforce_at": "place"},
    "SetRelation": {"a": "faction", "b": "faction"},
    "Benchmark": {"side": "side", "places": "place", "target": "faction", "corridor": "corridor"},
    "Controls": {"faction": "faction", "place": "place"},
    "CohesionBelow": {"faction": "faction"},
    "CorridorClosed": {"corridor": "corridor", "faction": "faction"},
    "SetSupport": {"patron": "patron"},
    "SetCapacity": {"patron": "patron"},
    "AddUnit": {"faction": "faction", "place": "place"},
    "SetRoute": {"a": "place", "b": "place"},
    "ChangeCohesion": {"faction": "faction"},
    "SetController": {"place": "place", "faction": "faction"},
    "VictoryCondition": {"faction": "faction", "places": "place", "target": "faction"},
    "UnitInfo": {"faction": "faction"},
}
"""Per record type, the fields that name an id of another kind."""

RANGES: dict[str, dict[str, tuple[float, float]]] = {
    "Place": {"lat": (-90, 90), "lon": (-180, 180), "value": (0, MAX_POOL), "fort": (0, 3)},
    "Route": {"length_km": (0, 1e6)},
    "Faction": {"breakpoint": (0, 1), "drift": (-1, 1), "cohesion": (0, 1)},
    "Inject": {"chance": (0, 1)},
    "OnTurn": {"turn": (1, MAX_TURNS + 1)},
    "CohesionBelow": {"value": (0, 1)},
    "SetSupport": {"value": (0, 1), "delta": (-1, 1)},
    "SetCapacity": {"value": (0, MAX_STRENGTH), "delta": (-MAX_STRENGTH, MAX_STRENGTH)},
    "AddUnit": {"strength": (0, MAX_STRENGTH), "quality": (0.01, 100), "cohesion": (0, 1)},
    "ChangeCohesion": {"delta": (-1, 1)},
    "VictoryCondition": {"by_turn": (1, MAX_TURNS + 1), "threshold": (-MAX_POOL, MAX_POOL),
                         "points": (-MAX_POOL, MAX_POOL)},
    "UnitInfo": {"quality": (0.01, 100), "floor": (0, 1)},
    "Benchmark": {"by_turn": (1, MAX_TURNS + 1), "history": (0, 1), "weight": (0, MAX_POOL)},
}
"""Per record type, the inclusive range of its number fields (None values are not checked)."""

ARRAY_RULES: dict[str, tuple[str, str, Any]] = {
    "controller": ("place", "index", "faction"), "contested": ("place", "bool", None),
    "u_faction": ("unit", "index", "faction"), "u_place": ("unit", "index", "place"),
    "u_strength": ("unit", "number", (0, MAX_STRENGTH)), "u_cohesion": ("unit", "number", (0, 1)),
    "u_posture": ("unit", "code", Posture), "u_supply": ("unit", "code", Supply),
    "f_cohesion": ("faction", "number", (0, 1)), "f_score": ("faction", "number", (-MAX_POOL, MAX_POOL)),
    "f_collapsed": ("faction", "bool", None),
    "p_support": ("patron", "levels", (0, 1)), "p_capacity": ("patron", "number", (0, MAX_STRENGTH)),
    "p_reserve": ("patron", "number", (0, MAX_POOL)), "route_open": ("route", "bool", None),
    "relations": ("faction", "relations", None), "u_stock": ("unit", "number", (0, 1)),
    "depot": ("place", "number", (0, 1)), "b_value": ("benchmark", "number", (0, 1)),
    "b_base": ("benchmark", "number", (0, MAX_POOL)), "p_evacuated": ("patron", "number", (0, MAX_POOL)),
    "f_isolated": ("faction", "number", (0, 1)),
}
"""Per state array: what it has one entry for, what each entry is, and its range or code."""


class DamagedGame(ValueError):
    """A serialised game that cannot be played; `problems` lists what is wrong (the first few)."""

    def __init__(self, problems: list[str]) -> None:
        more = f" (and {len(problems) - 1} more problem{'s' if len(problems) > 2 else ''})" if len(problems) > 1 else ""
        super().__init__(problems[0] + more)
        self.problems = problems


def game_problems(d: Any) -> list[str]:
    """Everything that makes `d` (a `game_to_dict` result read back) unplayable; empty when it is fine."""
    if not isinstance(d, dict) or d.get("format") != SAVE_FORMAT:
        return ["not a Junction save"]
    if type(d.get("version")) is not int or d["version"] != SAVE_VERSION:
        return [f"unsupported save version {d.get('version')!r}"]
    out = world_problems(d.get("world"))
    return out or state_problems(d["world"], d.get("state"))


def world_problems(w: Any) -> list[str]:
    """What is wrong with a serialised world: shapes first, then ids, references, ranges and dates."""
    if not isinstance(w, dict):
        return [f"world: expected an object, got {kind_of(w)}"]
    out: list[str] = []
    for key, tp in WORLD_FIELDS.items():
        if key in w:
            out += shape_problems(tp, w[key], f"world.{key}")
        elif key not in OPTIONAL_WORLD_FIELDS:
            out.append(f"world.{key} is missing")
    out += _team_shape(w.get("teams"))
    if out:
        return out[:MAX_PROBLEMS]
    ids = _world_ids(w, out)
    out += _meta_problems(w["meta"])
    if not ids["place"] or not ids["faction"]:
        out.append("world: a game needs at least one place and one faction")
    if "length_factor" in w and not w["length_factor"] >= 0:  # 0 is rules.route_length_factor's lower bound
        out.append(f"world.length_factor: expected a number 0 or above, got {w['length_factor']!r}")
    for where, record in _records(w):
        out += _record_problems(where, record, ids)
    out += _board_problems(w)
    return out[:MAX_PROBLEMS]


def state_problems(world: dict[str, Any], s: Any) -> list[str]:
    """What is wrong with a serialised state of the (already checked) serialised `world`."""
    if not isinstance(s, dict):
        return [f"state: expected an object, got {kind_of(s)}"]
    out: list[str] = []
    if "turn" not in s or type(s["turn"]) is not int:
        out.append(f"state.turn: expected a whole number, got {kind_of(s.get('turn'))}")
    for key, tp in (("rules", Rules), ("units", tuple[UnitInfo, ...]), ("flags", list[str]),
                    ("fired", list[str]), ("achieved", list[str])):
        out += shape_problems(tp, s[key], f"state.{key}") if key in s else [f"state.{key} is missing"]
    out += _outcome_shape(s["outcome"]) if "outcome" in s else ["state.outcome is missing"]
    if out:
        return out[:MAX_PROBLEMS]
    ids = _world_ids(world, out)
    ids["unit"] = _unique(((f"state.units[{i}]", u["id"]) for i, u in enumerate(s["units"])), "unit", out)
    turns = game_turns(world)
    if not 1 <= s["turn"] <= turns + 1:
        out.append(f"state.turn: {s['turn']} is not a turn of this game (1 to {turns + 1})")
    out += _rules_problems(s["rules"])
    for i, unit in enumerate(s["units"]):
        out += _record_problems(f"state.units[{i}]", unit, ids)
    out += _known(s["fired"], ids["inject"], "state.fired", "event")
    out += _known(s["achieved"], ids["victory"], "state.achieved", "victory condition")
    if s["outcome"] is not None:
        out += _known(s["outcome"]["winners"], ids["side"], "state.outcome.winners", "side")
        if not 1 <= s["outcome"]["turn"] <= turns:
            out.append(f"state.outcome.turn: {s['outcome']['turn']} is not a turn of this game (1 to {turns})")
    sizes = {"place": len(world["places"]), "faction": len(world["factions"]), "patron": len(world["patrons"]),
             "route": len(world["routes"]), "unit": len(s["units"]), "benchmark": len(world.get("benchmarks", ()))}
    for name, rule in ARRAY_RULES.items():
        out += _array_problems(name, s.get(name), rule, sizes)
    if not out:
        out += _unit_factions(s, world)
    return out[:MAX_PROBLEMS]


# --- the world


_META = Meta()


def game_turns(world: dict[str, Any]) -> int:
    """How many turns the (checked) serialised world's game has."""
    return int(world["meta"].get("turns", _META.turns))


def _team_shape(teams: Any) -> list[str]:
    if teams is None:
        return ["world.teams is missing"]
    if not isinstance(teams, list):
        return [f"world.teams: expected a list, got {kind_of(teams)}"]
    for i, t in enumerate(teams):
        where = f"world.teams[{i}]"
        if not isinstance(t, dict) or not isinstance(t.get("id"), str) or not isinstance(t.get("name"), str):
            return [f"{where}: expected a team (an object with text id and name)"]
        if not isinstance(t.get("sides"), list) or not all(isinstance(x, str) for x in t["sides"]):
            return [f"{where}.sides: expected a list of side ids"]
    return []


def _world_ids(w: dict[str, Any], out: list[str]) -> dict[str, set[str]]:
    """The ids of every kind the world defines; duplicates are reported into `out`."""
    ids = {kind: _unique(((f"world.{key}[{i}]", x["id"]) for i, x in enumerate(w.get(key, ()))), kind, out)
           for kind, key in (("place", "places"), ("faction", "factions"), ("patron", "patrons"),
                             ("corridor", "corridors"), ("inject", "injects"), ("victory", "victory"),
                             ("team", "teams"))}
    for pid in sorted(ids["patron"] & ids["faction"]):
        out.append(f"world.patrons: {pid!r} is both a faction and a patron id")
    ids["side"] = ids["faction"] | ids["patron"]
    return ids


def _unique(items: Iterable[tuple[str, str]], kind: str, out: list[str]) -> set[str]:
    seen: set[str] = set()
    for where, ident in items:
        if ident in seen:
            out.append(f"{where}.id: duplicate {kind} id {ident!r}")
        elif not ident:
            out.append(f"{where}.id: an empty {kind} id")
        seen.add(ident)
    return seen


def _meta_problems(meta: dict[str, Any]) -> list[str]:
    out: list[str] = []
    days, turns = meta.get("turn_days", _META.turn_days), meta.get("turns", _META.turns)
    if not 1 <= days <= 366:
        out.append(f"world.meta.turn_days: expected 1 to 366, got {days}")
    if not 1 <= turns <= MAX_TURNS:
        out.append(f"world.meta.turns: expected 1 to {MAX_TURNS}, got {turns}")
    if not 0 <= meta.get("seed", _META.seed) < 2**63:
        out.append(f"world.meta.seed: expected 0 to 2**63-1, got {meta['seed']}")
    start = _date(meta.get("start_date", _META.start_date))
    if start is None:
        out.append(f"world.meta.start_date: expected a date like 2024-12-07, got {meta['start_date']!r}"[:200])
    elif not out and _dt.date.max - start < _dt.timedelta(days=turns * days):
        out.append(f"world.meta: {turns} turns of {days} days from {start} end after the year 9999")
    return out


def _date(text: str) -> _dt.date | None:
    try:
        return _dt.date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        return None


RECORD_LISTS = ("places", "routes", "corridors", "factions", "patrons", "victory", "teams", "benchmarks")
"""World lists whose records hold their references at the top level (injects nest theirs)."""


def _records(w: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every record in the world that may name other ids, with where it is."""
    for key in RECORD_LISTS:
        for i, record in enumerate(w.get(key, ())):
            yield f"world.{key}[{i}]", record
    for i, inject in enumerate(w["injects"]):
        yield f"world.injects[{i}]", inject
        for part in ("when", "effects"):
            for j, record in enumerate(inject.get(part, ())):
                yield f"world.injects[{i}].{part}[{j}]", record


def _record_problems(where: str, record: dict[str, Any], ids: dict[str, set[str]]) -> list[str]:
    """Unknown ids a record names, and numbers out of their range."""
    kind = record.get(TAG, "Team")
    out: list[str] = []
    for key, what in REFERENCES.get(kind, {}).items():
        value = record.get(key)
        if isinstance(value, list):
            out += _known(value, ids[what], f"{where}.{key}", what)
        elif value is not None and value not in ids[what]:
            out.append(f"{where}.{key}: unknown {what} {value!r}"[:200])
    for key, (lo, hi) in RANGES.get(kind, {}).items():
        value = record.get(key)
        if value is not None and not lo <= value <= hi:
            out.append(f"{where}.{key}: expected {lo:g} to {hi:g}, got {value!r}")
    if kind == "Patron" and record.get("kind", "patron") not in PATRON_KINDS:
        out.append(f"{where}.kind: expected patron or interdictor, got {record['kind']!r}")
    if kind == "Patron":
        out += [f"{where}.actions[{i}]: unknown action {a!r}"[:200]
                for i, a in enumerate(record.get("actions", ())) if a not in PATRON_ACTIONS][:1]
    if kind == "SetRelation" and str(record["relation"]).upper() not in Relation.__members__:
        out.append(f"{where}.relation: expected allied, neutral or hostile, got {record['relation']!r}"[:200])
    if kind == "Benchmark" and record["kind"] not in BENCHMARK_KINDS:
        out.append(f"{where}.kind: expected one of {', '.join(BENCHMARK_KINDS)}, got {record['kind']!r}"[:200])
    if kind == "VictoryCondition" and record["kind"] not in VICTORY_KINDS:
        out.append(f"{where}.kind: expected one of {', '.join(VICTORY_KINDS)}, got {record['kind']!r}")
    if kind == "SetRule" and record["name"] not in _NUMBER_RULES:
        out.append(f"{where}.name: unknown rule {record['name']!r}")
    if kind == "DateReached" and _date(record["date"]) is None:
        out.append(f"{where}.date: expected a date like 2024-12-07, got {record['date']!r}"[:200])
    if kind == "Team":
        out += _known(record["sides"], ids["side"], f"{where}.sides", "side")
    return out


def _known(values: list[Any], known: set[str], where: str, what: str) -> list[str]:
    for i, v in enumerate(values):
        if v not in known:
            return [f"{where}[{i}]: unknown {what} {v!r}"[:200]]
    return []


def _board_problems(w: dict[str, Any]) -> list[str]:
    """Routes join two different places; consecutive corridor places and SetRoute ends are joined."""
    out: list[str] = []
    joined = set()
    for i, r in enumerate(w["routes"]):
        if r["a"] == r["b"]:
            out.append(f"world.routes[{i}]: a route must join two different places (both ends {r['a']!r})")
        joined.add(frozenset((r["a"], r["b"])))
    for i, c in enumerate(w["corridors"]):
        for p, q in zip(c["places"], c["places"][1:]):
            if frozenset((p, q)) not in joined:
                out.append(f"world.corridors[{i}]: no route joins {p!r} and {q!r}")
    for where, record in _records({**w, **{key: () for key in RECORD_LISTS}}):
        if record.get(TAG) == "SetRoute" and frozenset((record["a"], record["b"])) not in joined:
            out.append(f"{where}: no route joins {record['a']!r} and {record['b']!r}")
    return out


# --- the state


def _outcome_shape(outcome: Any) -> list[str]:
    if outcome is None:
        return []
    where = "state.outcome"
    if (not isinstance(outcome, dict) or not isinstance(outcome.get("winners"), list)
            or not all(isinstance(x, str) for x in outcome["winners"]) or not isinstance(outcome.get("reason"), str)
            or type(outcome.get("turn")) is not int):
        return [f"{where}: expected null or an outcome (winners, reason, turn)"]
    return []


_DEFAULT_RULES = Rules()
_NUMBER_RULES = frozenset(f.name for f in fields(Rules) if not isinstance(getattr(_DEFAULT_RULES, f.name), dict))


def _rules_problems(rules: dict[str, Any]) -> list[str]:
    """Tables have exactly the default keys; every number (or table entry) within its rule's range."""
    out: list[str] = []
    for f in fields(Rules):
        if f.name not in rules:
            continue
        value, default, where = rules[f.name], getattr(_DEFAULT_RULES, f.name), f"state.rules.{f.name}"
        lo, hi = rule_limits(f.name)
        if isinstance(default, dict):
            if set(value) != set(default):
                out.append(f"{where}: expected the keys {', '.join(default)}")
            elif any(not lo <= v <= hi for v in value.values()):
                out.append(f"{where}: expected numbers from {lo:g} to {hi:g}")
        elif isinstance(default, bool):
            if type(value) is not bool:
                out.append(f"{where}: expected true or false, got {value!r}")
        elif not lo <= value <= hi:
            out.append(f"{where}: expected a number from {lo:g} to {hi:g}, got {value!r}")
    return out


def _array_problems(name: str, values: Any, rule: tuple[str, str, Any], sizes: dict[str, int]) -> list[str]:
    """The first problem of one state array: its length, then its first bad entry."""
    per, kind, arg = rule
    where = f"state.{name}"
    if values is None:
        return [f"{where} is missing"]
    if not isinstance(values, list):
        return [f"{where}: expected a list, got {kind_of(values)}"]
    if len(values) != sizes[per]:
        entries = "entry" if sizes[per] == 1 else "entries"
        return [f"{where}: expected {sizes[per]} {entries} (one per {per}), got {len(values)}"]
    for i, v in enumerate(values):
        problem = _entry_problem(v, kind, arg, sizes)
        if problem:
            return [f"{where}[{i}]: {problem}"[:200]]
    return []


def _entry_problem(v: Any, kind: str, arg: Any, sizes: dict[str, int]) -> str | None:
    if kind == "bool":
        return None if type(v) is bool else f"expected true or false, got {kind_of(v)}"
    if kind == "index":
        if type(v) is not int or not 0 <= v < sizes[arg]:
            return f"expected a {arg} index (0 to {sizes[arg] - 1}), got {v!r}"
        return None
    if kind == "code":
        codes = [int(c) for c in arg]
        return None if type(v) is int and v in codes else f"expected one of {codes}, got {v!r}"
    if kind == "relations":
        codes = [int(c) for c in Relation]
        if not isinstance(v, list) or len(v) != sizes["faction"]:
            return f"expected a row of {sizes['faction']} relation codes, got {kind_of(v)}"
        return next((f"expected relation codes {codes}, got {x!r}" for x in v if type(x) is not int or x not in codes),
                    None)
    if kind == "levels":
        if not isinstance(v, list) or len(v) != len(CHANNELS):
            return f"expected a list of {len(CHANNELS)} levels ({', '.join(CHANNELS)}), got {kind_of(v)}"
        return next((p for p in (_entry_problem(x, "number", arg, sizes) for x in v) if p), None)
    lo, hi = arg
    if type(v) not in (int, float) or not math.isfinite(v):
        return f"expected a finite number, got {v!r}"
    return None if lo <= v <= hi else f"expected {lo:g} to {hi:g}, got {v!r}"


def _unit_factions(s: dict[str, Any], world: dict[str, Any]) -> list[str]:
    """Each unit's faction index agrees with its record."""
    index = {f["id"]: i for i, f in enumerate(world["factions"])}
    for i, (unit, f) in enumerate(zip(s["units"], s["u_faction"])):
        if index[unit["faction"]] != f:
            return [f"state.u_faction[{i}]: unit {unit['id']!r} belongs to {unit['faction']!r} "
                    f"(faction {index[unit['faction']]}), not faction {f}"]
    return []
