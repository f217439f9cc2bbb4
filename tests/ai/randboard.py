"""Random but valid boards for the AI tests: places on a plane, a connected road net, factions,
patrons (with and without corridors), an interdictor, units and victory conditions."""

from __future__ import annotations

import numpy as np

from game.engine import (
    Board,
    Corridor,
    Faction,
    Meta,
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
)
from game.engine.specs import VictoryCondition

KINDS = list(PlaceKind)
TERRAINS = list(Terrain)
TYPES = list(UnitType)
FACTIONS = ("red", "blue", "green", "gold")


def random_world(seed: int, n_places: int = 14, n_factions: int = 3, turns: int = 6) -> tuple[World, dict[str, str]]:
    """A connected board (a spanning tree plus a few extra roads) and who holds each place."""
    rng = np.random.default_rng(seed)
    n_factions = min(n_factions, n_places)
    xy = rng.uniform(0, 3.0, size=(n_places, 2))
    fids = FACTIONS[:n_factions]
    places = []
    for i in range(n_places):
        places.append(Place(f"p{i}", f"Place {i}", float(xy[i, 1]), float(xy[i, 0]),
                            KINDS[int(rng.integers(len(KINDS)))], TERRAINS[int(rng.integers(len(TERRAINS)))],
                            value=float(rng.integers(0, 6)), fort=int(rng.integers(0, 3)),
                            leads_to="Elsewhere" if rng.random() < 0.1 else ""))
    edges: set[tuple[int, int]] = set()
    for i in range(1, n_places):
        d = np.hypot(*(xy[:i] - xy[i]).T)
        edges.add((int(np.argmin(d)), i))
    for _ in range(n_places // 3):
        a, b = sorted(int(x) for x in rng.choice(n_places, 2, replace=False))
        edges.add((a, b))
    kinds = list(RouteKind)
    routes = tuple(Route(f"p{a}", f"p{b}", kinds[int(rng.integers(len(kinds)))]) for a, b in sorted(edges))
    # the home place of each faction and a Voronoi-like control by nearest home
    homes = [int(h) for h in rng.choice(n_places, n_factions, replace=False)]
    owner = {f"p{i}": fids[int(np.argmin([np.hypot(*(xy[i] - xy[h])) for h in homes]))] for i in range(n_places)}
    places = [p if i not in homes else Place(p.id, p.name, p.lat, p.lon, p.kind, p.terrain, p.value + 5, p.fort,
                                             (fids[homes.index(i)],), p.leads_to)
              for i, p in enumerate(places)]
    path = _path_from(homes[0], edges, n_places)
    corridors = (Corridor("c0", "Corridor", tuple(f"p{i}" for i in path[:4])),) if len(path) >= 2 else ()
    allies = {"red": ("gold",), "gold": ("red",)}
    factions = tuple(Faction(f, f.title(), f[:3].upper(), allies=allies.get(f, ()) if n_factions > 3 else (),
                             breakpoint=float(rng.uniform(0.15, 0.35))) for f in fids)
    patrons = (
        Patron("pat_a", "Patron A", clients=(fids[0],), corridor="c0" if corridors else None),
        Patron("pat_b", "Patron B", clients=(fids[1],), unit_type=UnitType.MILITIA),
        Patron("pat_x", "Interdictor", kind="interdictor", interdicts=("pat_a",), strikes=(fids[0],)),
    )
    victory = (
        VictoryCondition("v_cap", fids[1], "capture", places=(f"p{homes[0]}",), decisive=bool(rng.random() < 0.5)),
        VictoryCondition("v_hold", fids[0], "hold", places=(f"p{homes[0]}",)),
        VictoryCondition("v_coh", fids[-1], "cohesion_below", target=fids[0], threshold=0.2),
    )
    world = World(Meta(title=f"Random {seed}", turns=turns), Board(tuple(places), routes, corridors),
                  factions, patrons, (), victory)
    return world, owner


def _path_from(start: int, edges: set[tuple[int, int]], n: int) -> list[int]:
    """A simple path from `start` following the road net (for a corridor)."""
    adj: dict[int, list[int]] = {i: [] for i in range(n)}
    for a, b in edges:
        adj[a].append(b)
        adj[b].append(a)
    path = [start]
    while len(path) < 4:
        nxt = [q for q in sorted(adj[path[-1]]) if q not in path]
        if not nxt:
            break
        path.append(nxt[0])
    return path


def random_state(seed: int, n_places: int = 14, n_factions: int = 3, units_per_faction: int = 6,
                 turns: int = 6) -> State:
    """Turn 1 of a random world, units on their own faction's places."""
    world, owner = random_world(seed, n_places, n_factions, turns)
    rng = np.random.default_rng(seed + 7919)
    units: list[tuple[UnitInfo, str, float, float]] = []
    counts: dict[str, int] = {}
    for f in world.factions:
        mine = [p for p, o in owner.items() if o == f.id]
        for k in range(units_per_faction):
            place = mine[int(rng.integers(len(mine)))]
            if counts.get(place, 0) >= 3:
                continue
            counts[place] = counts.get(place, 0) + 1
            info = UnitInfo(f"{f.id}_{k}", f.id, f"{f.name} {k}", TYPES[int(rng.integers(len(TYPES)))],
                            float(rng.uniform(0.6, 1.4)))
            units.append((info, place, float(rng.uniform(500, 6000)), float(rng.uniform(0.3, 0.95))))
    fids = [f.id for f in world.factions]
    support = {"pat_a": {"air": float(rng.uniform(0, 1)), "ground": float(rng.uniform(0, 1)), "supply": 0.5},
               "pat_b": {"air": 0.0, "ground": 0.8, "supply": float(rng.uniform(0, 1))},
               "pat_x": {"air": float(rng.uniform(0.2, 1))}}
    capacity = {"pat_a": float(rng.integers(0, 5)), "pat_b": 3.0, "pat_x": 2.0}
    reserve = {"pat_a": 6000.0, "pat_b": float(rng.choice([0.0, 4000.0])), "pat_x": 0.0}
    return initial_state(world, Rules(), control=owner, units=units,
                         cohesion={f: float(rng.uniform(0.3, 0.9)) for f in fids},
                         support=support, capacity=capacity, reserve=reserve)
