"""Small hand-built boards with known answers, shared by the tests."""

from __future__ import annotations

from typing import TypeVar

from game.engine import (
    Board,
    Corridor,
    Faction,
    Meta,
    Order,
    Patron,
    Place,
    PlaceKind,
    Route,
    RouteKind,
    Rules,
    State,
    Terrain,
    UnitInfo,
    UnitType,
    World,
    initial_state,
    resolve_turn,
    turn_rng,
)
from game.engine import events as ev
from game.engine.specs import Benchmark, Inject, VictoryCondition

T = TypeVar("T")


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


def graph_world(places: list[Place], routes: list[tuple[str, str, float]], factions: tuple[Faction, ...], *,
                kind: RouteKind = RouteKind.HIGHWAY, corridors: tuple[Corridor, ...] = (),
                patrons: tuple[Patron, ...] = (), injects: tuple[Inject, ...] = (),
                victory: tuple[VictoryCondition, ...] = (), turns: int = 10,
                benchmarks: tuple[Benchmark, ...] = (), rivers: tuple[tuple[str, str], ...] = ()) -> World:
    """A hand-built board: `routes` are (a, b, km) of one kind; those listed in `rivers` (as (a, b)) cross a river."""
    board = Board(tuple(places), tuple(Route(a, b, kind, "", km, (a, b) in rivers) for a, b, km in routes),
                  corridors)
    return World(Meta(title="Graph", turns=turns), board, factions, patrons, injects, victory,
                 benchmarks=benchmarks)


def place(pid: str, *, kind: PlaceKind = PlaceKind.TOWN, terrain: Terrain = Terrain.OPEN, value: float = 1.0,
          fort: int = 0, supply_for: tuple[str, ...] = (), leads_to: str = "", depot: bool = False) -> Place:
    """A place on the equator (coordinates do not matter when routes give their lengths)."""
    return Place(pid, pid.title(), 0.0, 0.0, kind, terrain, value, fort, supply_for, leads_to, depot)


def make_state(world: World, control: dict[str, str], units: list[tuple[str, str, str, float]], *,
               rules: Rules | None = None, cohesion: float = 0.8, unit_types: dict[str, UnitType] | None = None,
               quality: dict[str, float] | None = None, support: dict[str, dict[str, float]] | None = None,
               capacity: dict[str, float] | None = None, reserve: dict[str, float] | None = None,
               floor: dict[str, float] | None = None) -> State:
    """Like `line_state`, with optional unit types/qualities/cohesion floors by unit id and patron support."""
    types, qual, floors = unit_types or {}, quality or {}, floor or {}
    infos = [(UnitInfo(uid, fac, uid.title(), types.get(uid, UnitType.INFANTRY), qual.get(uid, 1.0),
                       floors.get(uid, 0.0)), at, strength, cohesion) for uid, fac, at, strength in units]
    return initial_state(world, rules or Rules(), control=control, units=infos,
                         cohesion={f.id: cohesion for f in world.factions}, support=support or {},
                         capacity=capacity or {}, reserve=reserve or {})


def red_blue(breakpoint: float = 0.2, **red: object) -> tuple[Faction, Faction]:
    """The two factions of the line boards (red supplied from its sources, blue from its own)."""
    return (Faction("red", "Red", "RED", "#D55E00", breakpoint=breakpoint, **red),  # type: ignore[arg-type]
            Faction("blue", "Blue", "BLUE", "#0072B2", breakpoint=breakpoint))


def resolve(state: State, orders: dict[str, list[Order]] | None = None, seed: int = 1,
            ) -> tuple[State, list[ev.Event]]:
    """One turn with the game's per-turn generator."""
    return resolve_turn(state, orders or {}, turn_rng(seed, state.turn))


def of(events: list[ev.Event], kind: type[T]) -> list[T]:
    """The events of one type, in order."""
    return [e for e in events if isinstance(e, kind)]


CRT_TABLES = ("crt_repulsed", "crt_engaged", "crt_exchange", "crt_retreat", "crt_rout")
"""The rules' results-table rows, in `crt.RESULTS` order."""

CRT_ODDS = {"r1_2": 0.5, "r1_1": 1.0, "r2_1": 2.0, "r3_1": 3.0, "r5_1": 5.0}
CRT_FACES = {  # die faces of ten per column: repulsed, engaged, exchange, retreat, rout
    "r1_2": (6.0, 3.0, 1.0, 0.0, 0.0),
    "r1_1": (4.0, 3.0, 2.0, 1.0, 0.0),
    "r2_1": (2.0, 2.0, 2.0, 3.0, 1.0),
    "r3_1": (1.0, 1.0, 1.0, 4.0, 3.0),
    "r5_1": (0.0, 0.0, 1.0, 3.0, 6.0),
}


def crt_rules(**changes: object) -> Rules:
    """Rules with an explicit five-column results table, explicit column shifts and losses, and quiet
    morale (no random shocks, units keep their own cohesion, no morale check fails) unless `changes`
    say otherwise; dict values in `changes` replace the whole dict."""
    values: dict[str, object] = {
        "crt_odds": dict(CRT_ODDS),
        **{t: {k: faces[i] for k, faces in CRT_FACES.items()} for i, t in enumerate(CRT_TABLES)},
        "crt_attacker_loss": {"repulsed": 0.06, "engaged": 0.04, "exchange": 0.08, "retreat": 0.03, "rout": 0.02},
        "crt_defender_loss": {"repulsed": 0.015, "engaged": 0.03, "exchange": 0.08, "retreat": 0.06, "rout": 0.12},
        "terrain_shift": {"urban": -2.0, "open": 0.0, "rough": -1.0, "mountain": -2.0, "desert": 0.5},
        "fort_shift": -0.5,
        "posture_shift": {"move": 1.0, "attack": 0.5, "defend": 0.0, "entrench": -1.0, "withdraw": 1.0,
                          "routed": 2.0},
        "supply_shift": {"supplied": 0.0, "limited": 0.5, "cut": 1.5},
        "stock_shift": 1.0, "quality_shift": 2.0, "air_shift": 1.5, "interdict_shift": 1.0, "river_shift": 1.0,
        "cohesion_power_floor": 0.4, "loss_cap": 0.25, "support_curvature": 2.0,
        "stand_cohesion": 0.35, "stand_loss": 0.05, "combat_cohesion_loss": 0.1, "combat_cohesion_gain": 0.02,
        "rout_cohesion_loss": 0.2, "rout_cohesion": 0.2, "rally_cohesion": 0.35, "stock_combat": 0.05,
        "shock_sd": 0.0, "unit_follow": 0.0, "morale_max_fail": 0.0, "cohesion_drift": 0.0,
    }
    values.update(changes)
    return Rules(**values)  # type: ignore[arg-type]


def forced(result: str, **changes: object) -> Rules:
    """`crt_rules` whose table reads `result` on every face of every column."""
    rows = {t: {k: (10.0 if t == f"crt_{result}" else 0.0) for k in CRT_ODDS} for t in CRT_TABLES}
    return crt_rules(**{**rows, **changes})


def fog_world(*, injects: tuple[Inject, ...] = ()) -> World:
    """Seven places p0..p6 in a line 50 km apart; red (with patron 'airwing', which commands the
    faction 'wing') holds p0-p1, blue the rest. Teams: reds (red and airwing), red_alone (red),
    blues (blue)."""
    from game.engine import Team

    places = tuple(Place(f"p{i}", f"Place {i}", 34.0, 36.0 + 0.45 * i, PlaceKind.TOWN, Terrain.OPEN, value=1.0,
                         supply_for=("red", "wing") if i == 0 else ("blue",) if i == 6 else ())
                   for i in range(7))
    routes = tuple(Route(f"p{i}", f"p{i + 1}", RouteKind.HIGHWAY, "H1", 50.0) for i in range(6))
    factions = (Faction("red", "Red", "RED", "#D55E00", allies=("wing",)),
                Faction("blue", "Blue", "BLUE", "#0072B2"),
                Faction("wing", "Air wing ground crew", "WING", "#CC79A7", allies=("red",), commander="airwing"))
    patrons = (Patron("airwing", "Air Wing", clients=("red",)),)
    teams = (Team("reds", "Red and its air wing", ("red", "airwing")), Team("red_alone", "Red alone", ("red",)),
             Team("blues", "Blue", ("blue",)))
    return World(Meta(title="Fog line", turns=6), Board(places, routes), factions, patrons, injects, teams=teams)


FOG_UNITS = [("red_a", "red", "p0", 3000.0), ("red_b", "red", "p1", 1500.0), ("wing_crew", "wing", "p0", 400.0),
             ("blue_near", "blue", "p2", 2600.0), ("blue_mid", "blue", "p4", 7000.0),
             ("blue_far", "blue", "p6", 12000.0)]
"""The fog board's units: (id, faction, place, strength)."""


def fog_state(world: World | None = None, air: float = 1.0) -> State:
    """The fog board at turn 1 with the rules' fog set to 60 km, +100 km at full air (support `air`)."""
    w = world or fog_world()
    control = {p.id: ("red" if i <= 1 else "blue") for i, p in enumerate(w.board.places)}
    rules = Rules().replace(detect_km=60.0, detect_air_km=100.0, support_curvature=0.0)
    return make_state(w, control, list(FOG_UNITS), rules=rules, support={"airwing": {"air": air}},
                      capacity={"airwing": 2.0})


def umpire_world() -> World:
    """Red (with its patron 'pat') at a, Blue at b and c with d behind them: a - b - d and a - c - d, 40 km
    each. Teams: reds (red and pat), blues (blue). One inject, 'talks', that only the umpire fires."""
    from game.engine import Team
    from game.engine.specs import OnTurn, SetSupport

    places = [place("a", supply_for=("red",)), place("b"), place("c"), place("d", supply_for=("blue",))]
    talks = Inject("talks", "Talks", "Talks open in Geneva.", when=(OnTurn(99),),
                   effects=(SetSupport("pat", "air", value=0.2),))
    world = graph_world(places, [("a", "b", 40.0), ("a", "c", 40.0), ("b", "d", 40.0), ("c", "d", 40.0)], red_blue(),
                        patrons=(Patron("pat", "Patron", clients=("red",)),), injects=(talks,), turns=6)
    return World(world.meta, world.board, world.factions, world.patrons, world.injects, world.victory,
                 (Team("reds", "Red and its patron", ("red", "pat")), Team("blues", "Blue", ("blue",))))


def umpire_state() -> State:
    """The umpire board at turn 1: two red units at a, one blue at each of b, c and d."""
    world = umpire_world()
    return make_state(world, {"a": "red", "b": "blue", "c": "blue", "d": "blue"},
                      [("r1", "red", "a", 3000.0), ("r2", "red", "a", 3000.0), ("b1", "blue", "b", 1000.0),
                       ("c1", "blue", "c", 1000.0), ("d1", "blue", "d", 800.0)],
                      support={"pat": {"air": 0.6, "ground": 0.5, "supply": 0.5}},
                      capacity={"pat": 2.0})


def umpire_bot(state: State, side: str, rng: object) -> list[Order]:
    """On turn 1 red attacks b with r1 and c with r2; every other unit holds, every other turn."""
    from game.engine import Attack, Hold

    out: list[Order] = []
    for i, u in enumerate(state.units):
        if state.world.side_of(int(state.u_faction[i])) != side or state.u_strength[i] <= 0:
            continue
        target = {"r1": "b", "r2": "c"}.get(u.id) if state.turn == 1 else None
        out.append(Attack(u.id, target) if target else Hold(u.id))
    return out
