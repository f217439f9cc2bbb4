"""Small hand-built boards with known answers, shared by the tests."""

from __future__ import annotations

from game.engine import (
    Board, Corridor, Faction, Meta, Patron, Place, PlaceKind, Route, RouteKind, Rules, State, Terrain,
    UnitInfo, UnitType, World, initial_state,
)
from game.engine.specs import Inject, VictoryCondition


def line_world(n: int = 5, *, terrain: Terrain = Terrain.OPEN, corridors: tuple[Corridor, ...] = (),
               patrons: tuple[Patron, ...] = (), injects: tuple[Inject, ...] = (),
               victory: tuple[VictoryCondition, ...] = (), turns: int = 10) -> World:
    """Places p0..p{n-1} in a west-east line 50 km apart (0.45° of longitude at the equator),
    joined by highways. 'red' supplies from p0, 'blue' from the last place."""
    places = tuple(
        Place(f"p{i}", f"Place {i}", 0.0, 0.45 * i, PlaceKind.TOWN, terrain, value=1.0,
              supply_for=("red",) if i == 0 else ("blue",) if i == n - 1 else ())
        for i in range(n))
    routes = tuple(Route(f"p{i}", f"p{i + 1}", RouteKind.HIGHWAY, "H1", 50.0) for i in range(n - 1))
    factions = (Faction("red", "Red", "RED", "#D55E00", breakpoint=0.2),
                Faction("blue", "Blue", "BLUE", "#0072B2", breakpoint=0.2))
    return World(Meta(title="Line", turns=turns), Board(places, routes, corridors), factions, patrons, injects,
                 victory)


def line_state(world: World, control: dict[str, str], units: list[tuple[str, str, str, float]],
               rules: Rules | None = None, cohesion: float = 0.8, **kw: object) -> State:
    """`units`: (id, faction, place, strength) infantry of quality 1."""
    infos = [(UnitInfo(uid, fac, uid.title(), UnitType.INFANTRY, 1.0), place, strength, cohesion)
             for uid, fac, place, strength in units]
    return initial_state(world, rules or Rules(), control=control, units=infos,
                         cohesion={f.id: cohesion for f in world.factions}, support=kw.get("support", {}),  # type: ignore[arg-type]
                         capacity=kw.get("capacity", {}), reserve=kw.get("reserve", {}))  # type: ignore[arg-type]


def split_control(world: World, red_upto: int) -> dict[str, str]:
    """Red holds p0..p{red_upto}, blue the rest."""
    return {p.id: ("red" if i <= red_upto else "blue") for i, p in enumerate(world.board.places)}
