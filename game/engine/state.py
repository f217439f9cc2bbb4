"""The world (what a scenario fixes) and the state (what changes each turn).

State keeps per-turn facts in numpy arrays indexed like the world's places,
factions, patrons and units; it serialises to JSON without loss and hashes
stably, so a replay can prove it reproduced a game.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
from dataclasses import dataclass, field, fields
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .board import Board, Corridor, Place, Route
from .codec import decode, encode
from .integrity import DamagedGame, game_problems
from .rules import Rules
from .specs import Benchmark, Inject, VictoryCondition
from .types import CHANNELS, Faction, Meta, Patron, Posture, Relation, Supply, UnitInfo

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int32]


@dataclass(frozen=True)
class Team:
    """Who plays together in a classroom session: factions and patrons."""

    id: str
    name: str
    sides: tuple[str, ...]


def _relations(factions: tuple[Faction, ...], fi: dict[str, int]) -> NDArray[np.int8]:
    """Relation codes from the factions' lists: allied both ways when either lists the other as an
    ally; hostile when both count the other an enemy (`enemies` left out: every non-ally, less
    `neutral`); otherwise neutral."""
    n = len(factions)
    friendly = np.eye(n, dtype=bool)
    for i, f in enumerate(factions):
        for a in f.allies:
            if a in fi:
                friendly[i, fi[a]] = friendly[fi[a], i] = True
    hostile = ~friendly
    for i, f in enumerate(factions):
        if f.enemies is not None:
            enemies = np.zeros(n, dtype=bool)
            enemies[[fi[e] for e in f.enemies if e in fi]] = True
            hostile[i] &= enemies
        for e in f.neutral:
            if e in fi:
                hostile[i, fi[e]] = False
    hostile = hostile & hostile.T
    out = np.full((n, n), int(Relation.NEUTRAL), dtype=np.int8)
    out[hostile] = int(Relation.HOSTILE)
    out[friendly] = int(Relation.ALLIED)
    return out


class RelationTables:
    """Everything derived from one pattern of relations: who is friendly, hostile or neutral to
    whom, and a memo for lookups built on them (shared by every state with that pattern)."""

    def __init__(self, relations: NDArray[np.int8]) -> None:
        self.friendly: NDArray[np.bool_] = relations == int(Relation.ALLIED)
        self.hostile: NDArray[np.bool_] = relations == int(Relation.HOSTILE)
        self.neutral: NDArray[np.bool_] = relations == int(Relation.NEUTRAL)
        self.float_friendly: NDArray[np.float64] = self.friendly.astype(np.float64)
        self.float_hostile: NDArray[np.float64] = self.hostile.astype(np.float64)
        self.float_neutral: NDArray[np.float64] = self.neutral.astype(np.float64)
        """`friendly`, `hostile` and `neutral` as 1.0 / 0.0, for sums by matrix product."""
        for a in (self.friendly, self.hostile, self.neutral, self.float_friendly, self.float_hostile,
                  self.float_neutral):
            a.flags.writeable = False
        self.memo: dict[Any, Any] = {}

    def get(self, key: Any, make: Any) -> Any:
        """`memo[key]`, made by `make()` the first time."""
        hit = self.memo.get(key)
        if hit is None:
            hit = self.memo[key] = make()
        return hit


@dataclass(frozen=True, eq=False)
class World:
    """Everything fixed by the scenario; shared by every state of one game."""

    meta: Meta
    board: Board
    factions: tuple[Faction, ...]
    patrons: tuple[Patron, ...] = ()
    injects: tuple[Inject, ...] = ()
    victory: tuple[VictoryCondition, ...] = ()
    teams: tuple[Team, ...] = ()
    ai: dict[str, Any] = field(default_factory=dict)
    """The scenario's `ai:` block (bot personality weights per side), kept as plain data."""
    benchmarks: tuple[Benchmark, ...] = ()
    """What history did, per side: the measures a side's standing is judged by."""
    faction_index: dict[str, int] = field(init=False, repr=False)
    patron_index: dict[str, int] = field(init=False, repr=False)
    initial_relations: NDArray[np.int8] = field(init=False, repr=False)
    """(factions × factions) `Relation` codes at the start; a state's `relations` may differ."""
    _digest: list[str] = field(init=False, repr=False, default_factory=list)
    cache: dict[Any, Any] = field(init=False, repr=False, default_factory=dict)
    """Lookups derived from the world alone (it never changes), e.g. each faction's source places."""

    def __post_init__(self) -> None:
        fi = {f.id: i for i, f in enumerate(self.factions)}
        object.__setattr__(self, "faction_index", fi)
        object.__setattr__(self, "patron_index", {p.id: i for i, p in enumerate(self.patrons)})
        object.__setattr__(self, "initial_relations", _relations(self.factions, fi))

    @property
    def friendly(self) -> NDArray[np.bool_]:
        """(factions × factions) allied at the start (read-only); a state's `friendly` is what holds now."""
        return self._initial_tables().friendly

    @property
    def hostile(self) -> NDArray[np.bool_]:
        """(factions × factions) hostile at the start (read-only); a state's `hostile` is what holds now."""
        return self._initial_tables().hostile

    def _initial_tables(self) -> RelationTables:
        memo = self.cache.setdefault("relation_tables", {})
        key = self.initial_relations.tobytes()
        hit = memo.get(key)
        if hit is None:
            hit = memo[key] = RelationTables(self.initial_relations)
        return hit  # type: ignore[no-any-return]

    def for_rules(self, rules: Rules) -> dict[str, Any]:
        """A memo of lookups derived from one `Rules` object alone (with the world), shared by every
        state of the game that has those rules: a state's own cache starts empty every turn."""
        memo = self.cache.setdefault("for_rules", {})
        hit = memo.get(id(rules))
        if hit is None or hit[0] is not rules:  # the memo holds the rules, so their id is not reused
            if len(memo) >= 16:
                memo.clear()
            hit = memo[id(rules)] = (rules, {})
        return hit[1]  # type: ignore[no-any-return]

    def commanded_by(self, patron: str) -> tuple[int, ...]:
        """Indices of the factions whose orders `patron` gives (its own forces), cached."""
        key = ("commanded", patron)
        hit = self.cache.get(key)
        if hit is None:
            hit = self.cache[key] = tuple(i for i, f in enumerate(self.factions) if f.commander == patron)
        return hit  # type: ignore[no-any-return]

    def side_of(self, faction: int) -> str:
        """The side that gives faction `faction`'s orders: its commander, or itself."""
        sides = self.cache.get("side_of")
        if sides is None:
            sides = self.cache["side_of"] = [f.commander or f.id for f in self.factions]
        return sides[faction]  # type: ignore[no-any-return]

    @property
    def sides(self) -> tuple[str, ...]:
        """Every side that gives orders: factions first (but those a patron commands), then patrons."""
        return tuple(f.id for f in self.factions if f.commander is None) + tuple(p.id for p in self.patrons)

    def date_of(self, turn: int) -> str:
        """The ISO date turn `turn` starts on (cached)."""
        key = ("date", turn)
        date = self.cache.get(key)
        if date is None:
            start = _dt.date.fromisoformat(self.meta.start_date)
            try:
                date = (start + _dt.timedelta(days=(turn - 1) * self.meta.turn_days)).isoformat()
            except OverflowError:  # past 9999-12-31 (the scenario format refuses such calendars)
                date = _dt.date.max.isoformat()
            self.cache[key] = date
        return date  # type: ignore[no-any-return]

    def to_dict(self) -> dict[str, Any]:
        b = self.board
        return {
            "meta": encode(self.meta),
            "places": encode(b.places), "routes": encode(b.routes), "corridors": encode(b.corridors),
            "length_factor": b.length_factor,
            "factions": encode(self.factions), "patrons": encode(self.patrons),
            "injects": encode(self.injects), "victory": encode(self.victory), "teams": encode(self.teams),
            "ai": self.ai, "benchmarks": encode(self.benchmarks),
        }

    @staticmethod
    def from_dict(d: dict[str, Any]) -> World:
        board = Board(decode(tuple[Place, ...], d["places"]), decode(tuple[Route, ...], d["routes"]),
                      decode(tuple[Corridor, ...], d["corridors"]), float(d.get("length_factor", 1.2)))
        return World(decode(Meta, d["meta"]), board, decode(tuple[Faction, ...], d["factions"]),
                     decode(tuple[Patron, ...], d["patrons"]), decode(tuple[Inject, ...], d["injects"]),
                     decode(tuple[VictoryCondition, ...], d["victory"]), decode(tuple[Team, ...], d["teams"]),
                     dict(d.get("ai", {})), decode(tuple[Benchmark, ...], d.get("benchmarks", [])))

    def digest(self) -> str:
        """A stable hash of the whole world."""
        if not self._digest:
            text = json.dumps(self.to_dict(), sort_keys=True, separators=(",", ":"))
            self._digest.append(hashlib.sha256(text.encode()).hexdigest())
        return self._digest[0]


@dataclass(frozen=True)
class Outcome:
    """How the game ended: winners (faction ids, may be empty), why, and on which turn."""

    winners: tuple[str, ...]
    reason: str
    turn: int


ARRAYS: dict[str, Any] = {
    "controller": np.int16, "contested": np.bool_, "u_faction": np.int16, "u_place": np.int32,
    "u_strength": np.float64, "u_cohesion": np.float64, "u_posture": np.int8, "u_supply": np.int8,
    "f_cohesion": np.float64, "f_score": np.float64, "f_collapsed": np.bool_,
    "p_support": np.float64, "p_capacity": np.float64, "p_reserve": np.float64, "route_open": np.bool_,
    "relations": np.int8, "u_stock": np.float64, "depot": np.float64, "b_value": np.float64,
    "b_base": np.float64, "p_evacuated": np.float64, "f_isolated": np.float64,
}
MATRICES = {"p_support": len(CHANNELS), "relations": -1}
"""Arrays with two axes: the length of their rows (-1: square)."""


@dataclass(frozen=True, eq=False)
class State:
    """One moment of a game: the start of turn `turn` (1-based).

    Arrays: controller/contested/depot per place; u_* per unit (aligned with `units`);
    f_* per faction; p_* per patron (p_support has one column per channel:
    air, ground, supply); route_open per route; relations (factions × factions) `Relation`
    codes; b_value per benchmark of the world.
    """

    world: World
    rules: Rules
    turn: int
    controller: NDArray[np.int16]
    contested: NDArray[np.bool_]
    units: tuple[UnitInfo, ...]
    u_faction: NDArray[np.int16]
    u_place: NDArray[np.int32]
    u_strength: FloatArray
    u_cohesion: FloatArray
    u_posture: NDArray[np.int8]
    u_supply: NDArray[np.int8]
    f_cohesion: FloatArray
    f_score: FloatArray
    f_collapsed: NDArray[np.bool_]
    p_support: FloatArray
    p_capacity: FloatArray
    p_reserve: FloatArray
    route_open: NDArray[np.bool_]
    relations: NDArray[np.int8]
    u_stock: FloatArray
    """Supplies on hand per unit, 0-1 (0.5 is a normal stock): surges raise it, cut-off units use it up."""
    depot: FloatArray
    """Per place: what is left of its weapons depot, 0-1 (0 where there is none)."""
    b_value: FloatArray
    """Per benchmark of the world: its measure so far (see benchmarks.py)."""
    b_base: FloatArray
    """Per benchmark: the starting figure a share is taken of (strength, depots), set on turn 1."""
    p_evacuated: FloatArray
    """Per patron: personnel of its own forces taken safely off the map."""
    f_isolated: FloatArray
    """Per faction: the share of its strength with no route to its capital at the last supply trace."""
    flags: frozenset[str] = frozenset()
    fired: frozenset[str] = frozenset()
    achieved: tuple[str, ...] = ()
    outcome: Outcome | None = None
    cache: dict[Any, Any] = field(init=False, repr=False, default_factory=dict)
    """Derived lookups (occupancy, unit index); cleared by `invalidate` after a change."""

    STABLE = ("unit_index", "unit_sides", "unit_factors", "contingents", "stack_limits", "relation_tables",
              "faction_bits", "crt_table", "crt_success", "crt_column_factor", "crt_rows")
    """Lookups derived only from fields a state never changes in place (its units, rules and relations):
    `invalidate` keeps them."""

    def invalidate(self, keep: tuple[str, ...] = ()) -> None:
        """Drop the derived lookups after a change, except the `STABLE` ones and those named in `keep`
        (ones the change cannot affect)."""
        cache = self.cache
        if not cache:
            return
        names = _KEPT.get(keep)
        if names is None:
            names = _KEPT[keep] = (*State.STABLE, *keep)
        kept = [(k, cache[k]) for k in names if k in cache]
        cache.clear()
        cache.update(kept)

    @property
    def date(self) -> str:
        return self.world.date_of(self.turn)

    @property
    def is_over(self) -> bool:
        return self.outcome is not None

    def tables(self) -> RelationTables:
        """Who is friendly, hostile or neutral to whom now (shared by states with the same relations)."""
        hit = self.cache.get("relation_tables")
        if hit is None:
            memo = self.world.cache.setdefault("relation_tables", {})
            key = self.relations.tobytes()
            hit = memo.get(key)
            if hit is None:
                hit = memo[key] = RelationTables(self.relations)
            self.cache["relation_tables"] = hit
        return hit  # type: ignore[no-any-return]

    @property
    def friendly(self) -> NDArray[np.bool_]:
        """(factions × factions) allied, each faction with itself included (read-only)."""
        return self.tables().friendly

    @property
    def hostile(self) -> NDArray[np.bool_]:
        """(factions × factions) hostile (read-only)."""
        return self.tables().hostile

    def unit_index(self) -> dict[str, int]:
        """Unit id -> row (cached; do not modify)."""
        idx = self.cache.get("unit_index")
        if idx is None:
            idx = self.cache["unit_index"] = {u.id: i for i, u in enumerate(self.units)}
        return idx  # type: ignore[no-any-return]

    def copy(self, **changes: Any) -> State:
        """A deep copy of the arrays, with some fields replaced. The copy keeps the `STABLE`
        lookups when its units and rules stay the same."""
        new = self.evolve(**changes)
        attrs = new.__dict__
        for k in _ARRAY_NAMES:  # `evolve` checked `changes`; copying in place skips checking the arrays
            if k not in changes:
                attrs[k] = attrs[k].copy()
        if not {"units", "rules", "relations"} & changes.keys():
            cache = self.cache
            new.cache.update((k, cache[k]) for k in State.STABLE if k in cache)
        return new

    def evolve(self, **changes: Any) -> State:
        """`dataclasses.replace(self, **changes)` (arrays not named are shared, derived lookups start
        empty), without re-running the generated `__init__`: the engine makes several per turn."""
        unknown = changes.keys() - _STATE_FIELDS
        if unknown:
            raise TypeError(f"State has no field(s) {sorted(unknown)}")
        new = object.__new__(State)
        attrs = new.__dict__
        attrs.update(self.__dict__)
        attrs.update(changes)
        attrs["cache"] = {}
        return new

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {k: getattr(self, k).tolist() for k in ARRAYS}
        d.update({
            "turn": self.turn, "rules": encode(self.rules), "units": encode(self.units),
            "flags": sorted(self.flags), "fired": sorted(self.fired), "achieved": list(self.achieved),
            "outcome": encode(self.outcome),
        })
        return d

    @staticmethod
    def from_dict(world: World, d: dict[str, Any]) -> State:
        arrays = {}
        for k, dt in ARRAYS.items():
            arr = np.array(d[k], dtype=dt)
            if k in MATRICES:
                width = MATRICES[k] if MATRICES[k] > 0 else len(world.factions)
                arr = arr.reshape(-1, width)
            arrays[k] = arr
        return State(world=world, rules=decode(Rules, d["rules"]), turn=int(d["turn"]),
                     units=decode(tuple[UnitInfo, ...], d["units"]), flags=frozenset(d["flags"]),
                     fired=frozenset(d["fired"]), achieved=tuple(d["achieved"]),
                     outcome=decode(Outcome | None, d["outcome"]), **arrays)


_STATE_FIELDS = frozenset(f.name for f in fields(State) if f.init)
_ARRAY_NAMES = tuple(ARRAYS)
_KEPT: dict[tuple[str, ...], tuple[str, ...]] = {}
"""`State.invalidate`'s names to keep, per `keep` argument (a handful of them)."""


def state_hash(state: State) -> str:
    """A stable sha256 of the world and every per-turn fact of the state."""
    h = hashlib.sha256(state.world.digest().encode())
    for k, dt in ARRAYS.items():
        arr = np.ascontiguousarray(getattr(state, k), dtype=np.dtype(dt).newbyteorder("<"))
        h.update(k.encode())
        h.update(arr.tobytes())
    rest = {key: val for key, val in state.to_dict().items() if key not in ARRAYS}
    h.update(json.dumps(rest, sort_keys=True, separators=(",", ":")).encode())
    return h.hexdigest()


def game_to_dict(state: State) -> dict[str, Any]:
    """A self-contained save: the world and the state."""
    return {"format": "junction-save", "version": 1, "world": state.world.to_dict(), "state": state.to_dict()}


def game_from_dict(d: dict[str, Any]) -> State:
    """The game `game_to_dict` wrote; `DamagedGame` (a ValueError listing the problems) when the data is
    not a playable game, so nothing damaged is ever decoded."""
    problems = game_problems(d)
    if problems:
        raise DamagedGame(problems)
    return State.from_dict(World.from_dict(d["world"]), d["state"])


def blank_state(world: World, rules: Rules, *, control: dict[str, str],
                  units: list[tuple[UnitInfo, str, float, float]], cohesion: dict[str, float],
                  support: dict[str, dict[str, float]],
                  capacity: dict[str, float], reserve: dict[str, float],
                  closed_routes: tuple[str, ...] = ()) -> State:
    """Turn 1 before anything is traced (see `start.initial_state`). `control` maps every place id to
    its faction id; each unit is (info, place id, strength, cohesion); support maps patron ->
    channel -> level."""
    b, fi = world.board, world.faction_index
    missing = [p.id for p in b.places if p.id not in control]
    if missing:
        raise ValueError(f"places without a controller: {', '.join(missing[:5])}")
    controller = np.array([fi[control[p.id]] for p in b.places], dtype=np.int16)
    n_p = len(world.patrons)
    p_support = np.zeros((n_p, len(CHANNELS)))
    for i, p in enumerate(world.patrons):
        for j, ch in enumerate(CHANNELS):
            p_support[i, j] = support.get(p.id, {}).get(ch.value, 0.0)
    route_open = np.ones(len(b.routes), dtype=bool)
    for rid in closed_routes:
        route_open[b.route_index[rid]] = False
    state = State(
        world=world, rules=rules, turn=1, controller=controller,
        contested=np.zeros(b.n_places, dtype=bool),
        units=tuple(u for u, _, _, _ in units),
        u_faction=np.array([fi[u.faction] for u, _, _, _ in units], dtype=np.int16),
        u_place=np.array([b.index[p] for _, p, _, _ in units], dtype=np.int32),
        u_strength=np.array([s for _, _, s, _ in units], dtype=np.float64),
        u_cohesion=np.array([c for _, _, _, c in units], dtype=np.float64),
        u_posture=np.full(len(units), int(Posture.DEFEND), dtype=np.int8),
        u_supply=np.full(len(units), int(Supply.SUPPLIED), dtype=np.int8),
        f_cohesion=np.array([cohesion.get(f.id, 0.7) for f in world.factions], dtype=np.float64),
        f_score=np.zeros(len(world.factions)), f_collapsed=np.zeros(len(world.factions), dtype=bool),
        p_support=p_support,
        p_capacity=np.array([capacity.get(p.id, 0.0) for p in world.patrons], dtype=np.float64),
        p_reserve=np.array([reserve.get(p.id, 0.0) for p in world.patrons], dtype=np.float64),
        route_open=route_open,
        relations=world.initial_relations.copy(),
        u_stock=np.full(len(units), 0.5, dtype=np.float64),
        depot=np.array([1.0 if p.depot else 0.0 for p in b.places], dtype=np.float64),
        b_value=np.zeros(len(world.benchmarks), dtype=np.float64),
        b_base=np.zeros(len(world.benchmarks), dtype=np.float64),
        p_evacuated=np.zeros(n_p, dtype=np.float64),
        f_isolated=np.zeros(len(world.factions), dtype=np.float64),
    )
    return state
