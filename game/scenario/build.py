"""Build the engine's World and turn-1 State from a validated scenario model."""

from __future__ import annotations

from game.engine.board import Board, Corridor, Place, Route
from game.engine.rules import Rules
from game.engine.specs import (
    AddUnit,
    Benchmark,
    ChangeCohesion,
    CohesionBelow,
    Condition,
    Controls,
    CorridorClosed,
    DateReached,
    Effect,
    FlagSet,
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
    VictoryCondition,
)
from game.engine.start import initial_state
from game.engine.state import State, Team, World
from game.engine.types import Channel, Faction, Meta, Patron, PlaceKind, RouteKind, Terrain, UnitInfo, UnitType

from . import model as m
from .rulesblock import rules_from_block


def build_meta(meta: m.Meta) -> Meta:
    return Meta(title=meta.title, start_date=meta.start_date.isoformat(), turn_days=meta.turn_days,
                turns=meta.turns, description=meta.description, sources=tuple(meta.sources),
                outline=meta.outline, seed=meta.seed)


def build_board(mp: m.MapBlock, rules: Rules) -> Board:
    places = tuple(
        Place(p.id, p.name, float(p.lat), float(p.lon), PlaceKind(p.kind), Terrain(p.terrain), float(p.value),
              p.fort, tuple(p.supply_for), p.leads_to, p.depot)
        for p in mp.places)
    routes = tuple(Route(r.a, r.b, RouteKind(r.kind), r.name, float(r.length_km), bool(r.river)) for r in mp.routes)
    corridors = tuple(Corridor(c.id, c.name, tuple(c.places)) for c in mp.corridors)
    return Board(places, routes, corridors, float(rules.route_length_factor))


def build_condition(c: m.Condition) -> Condition:
    if c.turn is not None:
        return OnTurn(c.turn.turn, c.turn.or_later)
    if c.date is not None:
        return DateReached(c.date.isoformat())
    if c.controls is not None:
        return Controls(c.controls.faction, c.controls.place)
    if c.cohesion_below is not None:
        return CohesionBelow(c.cohesion_below.faction, float(c.cohesion_below.value))
    if c.corridor_closed is not None:
        return CorridorClosed(c.corridor_closed.corridor, c.corridor_closed.faction)
    assert c.flag is not None
    return FlagSet(c.flag)


def _opt(value: float | None) -> float | None:
    return None if value is None else float(value)


def build_effect(e: m.Effect) -> Effect:
    if e.set_support is not None:
        s = e.set_support
        return SetSupport(s.patron, Channel(s.channel), _opt(s.value), _opt(s.delta))
    if e.set_capacity is not None:
        return SetCapacity(e.set_capacity.patron, _opt(e.set_capacity.value), _opt(e.set_capacity.delta))
    if e.add_unit is not None:
        u = e.add_unit
        return AddUnit(u.id, u.faction, u.name, UnitType(u.type), u.place, float(u.strength), float(u.quality),
                       float(u.cohesion), float(u.floor))
    if e.remove_unit is not None:
        return RemoveUnit(e.remove_unit.unit)
    if e.set_rule is not None:
        return SetRule(e.set_rule.name, float(e.set_rule.value))
    if e.set_route is not None:
        return SetRoute(e.set_route.a, e.set_route.b, e.set_route.open)
    if e.set_flag is not None:
        return SetFlag(e.set_flag.flag, e.set_flag.value)
    if e.set_relation is not None:
        return SetRelation(e.set_relation.a, e.set_relation.b, e.set_relation.relation)
    if e.set_controller is not None:
        return SetController(e.set_controller.place, e.set_controller.faction)
    assert e.change_cohesion is not None
    return ChangeCohesion(e.change_cohesion.faction, float(e.change_cohesion.delta))


def build_inject(ev: m.Event) -> Inject:
    return Inject(ev.id, ev.title, ev.message, tuple(build_condition(c) for c in ev.when),
                  tuple(build_effect(e) for e in ev.effects), float(ev.chance), ev.once, tuple(ev.audience),
                  tuple(ev.sources))


def build_victory(v: m.Victory) -> VictoryCondition:
    return VictoryCondition(v.id, v.faction, v.kind, tuple(v.places), v.by_turn, v.target, float(v.threshold),
                            float(v.points), v.decisive, v.description)


def build_world(sc: m.Scenario, rules: Rules) -> World:
    factions = tuple(
        Faction(f.id, f.name, f.short, f.colour, tuple(f.allies), None if f.enemies is None else tuple(f.enemies),
                float(f.breakpoint), tuple(f.sources), None if f.drift is None else float(f.drift),
                tuple(f.theatre), f.capital, f.commander, tuple(f.neutral), float(f.cohesion),
                bool(f.insurgent))
        for f in sc.factions)
    patrons = tuple(
        Patron(p.id, p.name, tuple(p.clients), p.corridor, tuple(p.interdicts), tuple(p.strikes),
               UnitType(p.unit_type), p.kind, tuple(p.actions), tuple(p.strike_zone), tuple(p.reinforce_at),
               bool(p.own_command))
        for p in sc.patrons)
    benchmarks = tuple(
        Benchmark(b.id, b.side, b.kind, tuple(b.places), b.by_turn, b.target, b.corridor, float(b.history),
                  float(b.weight), b.description, tuple(b.sources))
        for b in sc.benchmarks)
    return World(build_meta(sc.meta), build_board(sc.map, rules), factions, patrons,
                 tuple(build_inject(e) for e in sc.events), tuple(build_victory(v) for v in sc.victory),
                 tuple(Team(t.id, t.name, tuple(t.sides)) for t in sc.teams), dict(sc.ai), benchmarks)


def build(sc: m.Scenario) -> tuple[World, State]:
    """The World and the State at the start of turn 1. The scenario must have passed the reference checks."""
    rules = rules_from_block(sc.rules)
    world = build_world(sc, rules)
    units = [(UnitInfo(u.id, u.faction, u.name, UnitType(u.type), float(u.quality), float(u.floor)), u.place,
              float(u.strength), float(u.cohesion)) for u in sc.units]
    closed = tuple(f"{r.a}~{r.b}" for r in sc.map.routes if not r.open)
    state = initial_state(
        world, rules,
        control={p.id: p.controller for p in sc.map.places},
        units=units,
        cohesion={f.id: float(f.cohesion) for f in sc.factions},
        support={p.id: {"air": float(p.support.air), "ground": float(p.support.ground),
                        "supply": float(p.support.supply)} for p in sc.patrons},
        capacity={p.id: float(p.capacity) for p in sc.patrons},
        reserve={p.id: float(p.reserve) for p in sc.patrons},
        closed_routes=closed,
    )
    return world, state
