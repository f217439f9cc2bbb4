"""The one door from a State to what a team may know: `view_for(state, team) -> View`.

A View is plain data (frozen dataclasses of strings, numbers, tuples and dicts): a screen, a turn
report, a file or a network message for a team is built from it alone, never from the State. It
holds the team's own units exactly; other sides' units it sees (engine/sight.py) as estimates (type
known, strength as a band, quality and cohesion unknown); every place's controller (public); the
map; its own factions' and patrons' figures and benchmarks; and the turn's events it heard
(engine/news.py). `umpire_view` is the same structure with everything in it, for the White cell.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from . import events as ev
from .benchmarks import standings
from .codec import decode
from .news import EventView, Hearing, band, band_label, everything, news_for
from .sight import UMPIRE, Sides, find_team, seen_places, sides_of, sight_km, visible_units
from .state import State
from .types import CHANNELS, Posture, Relation, Supply


@dataclass(frozen=True)
class PlaceView:
    """A place: where it is, what it is worth, who holds it (public), and whether the team sees it."""

    id: str
    name: str
    lat: float
    lon: float
    kind: str
    terrain: str
    value: float
    controller: str
    contested: bool
    seen: bool
    depot: float | None = None
    """What is left of its weapons depot, where it has one and the team holds the place."""


@dataclass(frozen=True)
class RouteView:
    a: str
    b: str
    kind: str
    length_km: float
    open: bool


@dataclass(frozen=True)
class CorridorView:
    """A named chain of places (public map data), from its entry inwards."""

    id: str
    name: str
    places: tuple[str, ...]


@dataclass(frozen=True)
class FactionView:
    """A faction: public identity and whether it has broken; its figures only when it is the team's."""

    id: str
    name: str
    short: str
    colour: str
    own: bool
    commander: str | None
    collapsed: bool
    cohesion: float | None = None
    score: float | None = None
    isolated: float | None = None


@dataclass(frozen=True)
class PatronView:
    """A patron: public identity; support, capacity and reserve only when it is the team's."""

    id: str
    name: str
    kind: str
    clients: tuple[str, ...]
    own: bool
    support: dict[str, float] | None = None
    capacity: float | None = None
    reserve: float | None = None
    evacuated: float | None = None


@dataclass(frozen=True)
class UnitView:
    """One of the team's own units, exactly."""

    id: str
    name: str
    faction: str
    type: str
    place: str
    strength: float
    cohesion: float
    quality: float
    posture: str
    supply: str
    stock: float


@dataclass(frozen=True)
class Estimate:
    """Another side's unit the team sees: type known, strength as a band, quality and cohesion unknown."""

    id: str
    name: str
    faction: str
    type: str
    place: str
    low: float
    high: float
    """The band's upper bound: inf above the ladder (null in `View.to_dict`)."""
    label: str


@dataclass(frozen=True)
class BenchmarkView:
    """One of the team's benchmarks: what history did, and the measure so far."""

    id: str
    side: str
    kind: str
    description: str
    value: float
    history: float
    weight: float


@dataclass(frozen=True)
class OutcomeView:
    winners: tuple[str, ...]
    reason: str
    turn: int


@dataclass(frozen=True)
class View:
    """What one team knows at the start of turn `turn` (after the events of the turn before)."""

    team: str
    team_name: str
    umpire: bool
    sides: tuple[str, ...]
    """The team's own sides: its factions and patrons, and the factions those patrons command."""
    title: str
    turn: int
    date: str
    turns: int
    sight_km: float | None
    places: tuple[PlaceView, ...]
    routes: tuple[RouteView, ...]
    factions: tuple[FactionView, ...]
    patrons: tuple[PatronView, ...]
    relations: tuple[tuple[str, str, str], ...]
    """(a, b, relation) for every pair of factions, a before b in the scenario's order."""
    units: tuple[UnitView, ...]
    estimates: tuple[Estimate, ...]
    events: tuple[EventView, ...]
    benchmarks: tuple[BenchmarkView, ...]
    standings: dict[str, float] = field(default_factory=dict)
    """The team's sides' standing against history (above 0 beats it)."""
    outcome: OutcomeView | None = None
    corridors: tuple[CorridorView, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data (an unbounded band's top is written as null)."""
        d = dataclasses.asdict(self)
        for e in d["estimates"]:
            if e["high"] == float("inf"):
                e["high"] = None
        return d

    @staticmethod
    def from_dict(d: dict[str, Any]) -> View:
        d = dict(d)
        d["estimates"] = [{**e, "high": float("inf") if e["high"] is None else e["high"]} for e in d["estimates"]]
        return decode(View, d)  # type: ignore[no-any-return]


def _places(state: State, seen: np.ndarray, own: frozenset[int] | None) -> tuple[PlaceView, ...]:
    w = state.world
    out = []
    for i, p in enumerate(w.board.places):
        holder = int(state.controller[i])
        depot = float(state.depot[i]) if p.depot and (own is None or holder in own) else None
        out.append(PlaceView(p.id, p.name, p.lat, p.lon, p.kind.value, p.terrain.value, p.value,
                             w.factions[holder].id, bool(state.contested[i]), bool(seen[i]), depot))
    return tuple(out)


def _routes(state: State) -> tuple[RouteView, ...]:
    return tuple(RouteView(r.a, r.b, r.kind.value, r.length_km, bool(state.route_open[i]))
                 for i, r in enumerate(state.world.board.routes))


def _corridors(state: State) -> tuple[CorridorView, ...]:
    return tuple(CorridorView(c.id, c.name, c.places) for c in state.world.board.corridors)


def _factions(state: State, own: frozenset[int] | None) -> tuple[FactionView, ...]:
    out = []
    for i, f in enumerate(state.world.factions):
        mine = own is None or i in own
        figures = (float(state.f_cohesion[i]), float(state.f_score[i]), float(state.f_isolated[i])) if mine else (
            None, None, None)
        out.append(FactionView(f.id, f.name, f.short, f.colour, mine, f.commander, bool(state.f_collapsed[i]),
                               *figures))
    return tuple(out)


def _patrons(state: State, own: frozenset[int] | None) -> tuple[PatronView, ...]:
    out = []
    for i, p in enumerate(state.world.patrons):
        if own is None or i in own:
            support = {ch.value: float(state.p_support[i, j]) for j, ch in enumerate(CHANNELS)}
            out.append(PatronView(p.id, p.name, p.kind, p.clients, True, support, float(state.p_capacity[i]),
                                  float(state.p_reserve[i]), float(state.p_evacuated[i])))
        else:
            out.append(PatronView(p.id, p.name, p.kind, p.clients, False))
    return tuple(out)


def _relations(state: State) -> tuple[tuple[str, str, str], ...]:
    fs = state.world.factions
    return tuple((fs[a].id, fs[b].id, Relation(int(state.relations[a, b])).label)
                 for a in range(len(fs)) for b in range(a + 1, len(fs)))


def _unit(state: State, u: int) -> UnitView:
    info, w = state.units[u], state.world
    return UnitView(info.id, info.name, info.faction, info.type.value, w.board.places[int(state.u_place[u])].id,
                    float(state.u_strength[u]), float(state.u_cohesion[u]), info.quality,
                    Posture(int(state.u_posture[u])).label, Supply(int(state.u_supply[u])).label,
                    float(state.u_stock[u]))


def _estimate(state: State, u: int) -> Estimate:
    info = state.units[u]
    lo, hi = band(float(state.u_strength[u]))
    return Estimate(info.id, info.name, info.faction, info.type.value,
                    state.world.board.places[int(state.u_place[u])].id, lo, hi, band_label(float(state.u_strength[u])))


def _benchmarks(state: State, sides: frozenset[str] | None) -> tuple[tuple[BenchmarkView, ...], dict[str, float]]:
    w = state.world
    marks = tuple(BenchmarkView(b.id, b.side, b.kind, b.description, float(state.b_value[i]), b.history, b.weight)
                  for i, b in enumerate(w.benchmarks) if sides is None or b.side in sides)
    stand = {k: v for k, v in standings(state).items() if sides is None or k in sides}
    return marks, stand


def _outcome(state: State) -> OutcomeView | None:
    o = state.outcome
    return None if o is None else OutcomeView(o.winners, o.reason, o.turn)


def _fallen(state: State, before: State | None) -> dict[str, str]:
    """Names of the units no longer on the map, by id (a team may read of one that fell where it sees):
    those of `before` (the turn's first state) that the turn's end dropped, and any left at no strength."""
    out = {state.units[u].id: state.units[u].name for u in np.flatnonzero(state.u_strength <= 0).tolist()}
    if before is not None:
        now = {u.id for u in state.units}
        out.update({u.id: u.name for u in before.units if u.id not in now})
    return out


def view_for(state: State, team: str, events: Sequence[ev.Event] = (), before: State | None = None) -> View:
    """What team `team` (a team id of the scenario, a side id, or "umpire") knows of `state`, and of
    `events`, the events of the turn that led to it from `before` (when given, the units that fell during
    it are named in the events that tell of them, not only shown by id)."""
    if team == UMPIRE:
        return umpire_view(state, events)
    w = state.world
    sides: Sides = sides_of(w, team)
    seen = seen_places(state, sides)
    own, detected = visible_units(state, sides, seen)
    known = frozenset(state.units[u].id for u in np.flatnonzero(own | detected).tolist())
    alive = frozenset(state.units[u].id for u in np.flatnonzero(state.u_strength > 0).tolist())
    seen_ids = frozenset(p.id for i, p in enumerate(w.board.places) if seen[i])
    marks, stand = _benchmarks(state, sides.ids)
    return View(
        team=sides.team.id, team_name=sides.team.name, umpire=False, sides=tuple(sorted(sides.ids)),
        title=w.meta.title, turn=state.turn, date=state.date, turns=w.meta.turns,
        sight_km=sight_km(state, sides), places=_places(state, seen, sides.factions), routes=_routes(state),
        factions=_factions(state, sides.factions), patrons=_patrons(state, sides.patrons),
        relations=_relations(state),
        units=tuple(_unit(state, u) for u in np.flatnonzero(own).tolist()),
        estimates=tuple(_estimate(state, u) for u in np.flatnonzero(detected).tolist()),
        events=news_for(events, Hearing(sides, seen_ids, known, alive, _fallen(state, before) if events else {})),
        benchmarks=marks, standings=stand, outcome=_outcome(state), corridors=_corridors(state))


def umpire_view(state: State, events: Sequence[ev.Event] = ()) -> View:
    """Everything, exactly: the White cell's view, in the same shape as a team's."""
    w = state.world
    alive = np.flatnonzero(state.u_strength > 0).tolist()
    marks, stand = _benchmarks(state, None)
    return View(
        team=UMPIRE, team_name="Umpire (White cell)", umpire=True, sides=tuple(w.sides), title=w.meta.title,
        turn=state.turn, date=state.date, turns=w.meta.turns, sight_km=None,
        places=_places(state, np.ones(w.board.n_places, dtype=bool), None), routes=_routes(state),
        factions=_factions(state, None), patrons=_patrons(state, None), relations=_relations(state),
        units=tuple(_unit(state, u) for u in alive), estimates=(), events=everything(events),
        benchmarks=marks, standings=stand, outcome=_outcome(state), corridors=_corridors(state))


def team_ids(state: State) -> tuple[str, ...]:
    """The teams a view can be asked for: the scenario's teams, else every side."""
    w = state.world
    return tuple(t.id for t in w.teams) or tuple(find_team(w, s).id for s in w.sides)
