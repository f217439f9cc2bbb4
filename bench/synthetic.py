"""Synthetic boards for the benchmark and the property tests.

`random_game` builds a small random but valid game (connected graph, 2-4 factions
with random alliances, units, patrons with corridors, injects and victory
conditions); `geometric_game` builds a large planar-ish map (points in a box,
each joined to its nearest neighbours) with factions in contiguous regions,
for timing the engine at 1,000-20,000 places. Both are deterministic in the seed.
"""

from __future__ import annotations

from collections import deque

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from scipy.spatial import cKDTree

from game.engine import (
    Board,
    Channel,
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
from game.engine.specs import (
    AddUnit,
    ChangeCohesion,
    CohesionBelow,
    Controls,
    CorridorClosed,
    Inject,
    OnTurn,
    SetCapacity,
    SetFlag,
    SetRoute,
    SetSupport,
    VictoryCondition,
)

KM_PER_DEG = 111.2
KINDS = tuple(PlaceKind)
TERRAINS = tuple(Terrain)
UNIT_TYPES = tuple(UnitType)
ROUTE_KINDS = (RouteKind.HIGHWAY, RouteKind.ROAD, RouteKind.TRACK)

Edge = tuple[int, int]


def random_edges(rng: np.random.Generator, n: int, extra: float = 0.4) -> list[Edge]:
    """A random connected simple graph: a random spanning tree plus about `extra`·n more edges."""
    edges: set[Edge] = set()
    for i in range(1, n):
        j = int(rng.integers(0, i))
        edges.add((j, i))
    for _ in range(int(extra * n)):
        a, b = (int(x) for x in rng.integers(0, n, size=2))
        if a != b:
            edges.add((min(a, b), max(a, b)))
    return sorted(edges)


def adjacency(n: int, edges: list[Edge]) -> list[list[int]]:
    adj: list[list[int]] = [[] for _ in range(n)]
    for a, b in edges:
        adj[a].append(b)
        adj[b].append(a)
    return adj


def walk(rng: np.random.Generator, adj: list[list[int]], start: int, length: int) -> list[int]:
    """A self-avoiding random walk of at most `length` places (a corridor's chain)."""
    path = [start]
    while len(path) < length:
        options = [q for q in adj[path[-1]] if q not in path]
        if not options:
            break
        path.append(options[int(rng.integers(0, len(options)))])
    return path


def _random_factions(rng: np.random.Generator, nf: int, n: int) -> tuple[Faction, ...]:
    names = [f"f{i}" for i in range(nf)]
    allies: dict[int, set[int]] = {i: set() for i in range(nf)}
    for i in range(nf):
        for j in range(i + 1, nf):
            if rng.random() < 0.3:
                allies[i].add(j)
                allies[j].add(i)
    out = []
    for i in range(nf):
        others = [j for j in range(nf) if j != i and j not in allies[i]]
        enemies = None
        if others and rng.random() < 0.25:  # sometimes only some non-allies are enemies: neutrals exist
            enemies = tuple(names[j] for j in others if rng.random() < 0.6)
        sources = tuple(f"p{int(k)}" for k in rng.choice(n, size=min(n, 2), replace=False))
        out.append(Faction(names[i], f"Faction {i}", names[i].upper(), allies=tuple(names[j] for j in allies[i]),
                           enemies=enemies, breakpoint=float(rng.uniform(0.1, 0.4)), sources=sources))
    return tuple(out)


def _random_patrons(rng: np.random.Generator, factions: tuple[Faction, ...], adj: list[list[int]],
                    ) -> tuple[tuple[Patron, ...], tuple[Corridor, ...]]:
    patrons: list[Patron] = []
    corridors: list[Corridor] = []
    for k in range(int(rng.integers(0, 3))):
        client = factions[int(rng.integers(0, len(factions)))].id
        corridor = None
        if rng.random() < 0.7:
            chain = walk(rng, adj, int(rng.integers(0, len(adj))), int(rng.integers(1, 5)))
            corridor = f"c{k}"
            corridors.append(Corridor(corridor, f"Corridor {k}", tuple(f"p{i}" for i in chain)))
        patrons.append(Patron(f"pat{k}", f"Patron {k}", clients=(client,), corridor=corridor,
                              unit_type=UNIT_TYPES[int(rng.integers(0, len(UNIT_TYPES)))]))
    if patrons and rng.random() < 0.5:
        target = factions[int(rng.integers(0, len(factions)))].id
        patrons.append(Patron("spoiler", "Interdictor", interdicts=(patrons[0].id,), strikes=(target,),
                              kind="interdictor"))
    return tuple(patrons), tuple(corridors)


def _random_injects(rng: np.random.Generator, n: int, factions: tuple[Faction, ...], patrons: tuple[Patron, ...],
                    corridors: tuple[Corridor, ...], edges: list[Edge]) -> tuple[Inject, ...]:
    f0, place = factions[0].id, f"p{int(rng.integers(0, n))}"
    when: list[object] = [Controls(f0, place), CohesionBelow(f0, 0.6), OnTurn(2, or_later=True)]
    if corridors and patrons and patrons[0].corridor:
        when.append(CorridorClosed(patrons[0].corridor, patrons[0].clients[0]))
    effects: list[object] = [ChangeCohesion(factions[-1].id, -0.05), SetFlag("signal")]
    if patrons and patrons[0].clients:
        effects += [SetSupport(patrons[0].id, Channel.AIR, delta=0.2), SetCapacity(patrons[0].id, delta=1.0)]
    a, b = edges[int(rng.integers(0, len(edges)))]
    effects.append(SetRoute(f"p{a}", f"p{b}", False))
    effects.append(AddUnit("extra", f0, "Extra", UnitType.MILITIA, place, 800.0))
    out = []
    for i, cond in enumerate(when):
        eff = tuple(effects[j] for j in rng.choice(len(effects), size=2, replace=False))
        out.append(Inject(f"inj{i}", f"Inject {i}", "", (cond,), eff, chance=float(rng.choice([1.0, 0.5]))))  # type: ignore[arg-type]
    return tuple(out)


def _random_victory(rng: np.random.Generator, n: int, factions: tuple[Faction, ...]) -> tuple[VictoryCondition, ...]:
    f0, f1 = factions[0].id, factions[1].id
    some = tuple(f"p{int(i)}" for i in rng.choice(n, size=min(n, 2), replace=False))
    return (VictoryCondition("v_hold", f0, "hold", places=some, points=5.0),
            VictoryCondition("v_capture", f1, "capture", places=some[:1], points=3.0),
            VictoryCondition("v_coh", f1, "cohesion_below", target=f0, threshold=0.3, points=4.0),
            VictoryCondition("v_pts", f0, "points", threshold=1.2 * n, points=1.0, decisive=True))


def random_world(seed: int, n_places: int, n_factions: int, *, turns: int = 6, scripted: bool = True) -> World:
    """A small random world: connected graph, factions with random alliances, patrons, injects, victory."""
    rng = np.random.default_rng(seed)
    n = n_places
    edges = random_edges(rng, n)
    adj = adjacency(n, edges)
    places = tuple(
        Place(f"p{i}", f"Place {i}", float(rng.uniform(30, 37)), float(rng.uniform(35, 42)),
              KINDS[int(rng.integers(0, len(KINDS)))], TERRAINS[int(rng.integers(0, len(TERRAINS)))],
              value=float(rng.integers(0, 4)), fort=int(rng.integers(0, 4)),
              leads_to="Elsewhere" if rng.random() < 0.1 else "")
        for i in range(n))
    routes = tuple(Route(f"p{a}", f"p{b}", ROUTE_KINDS[int(rng.integers(0, 3))], "",
                         float(rng.uniform(15, 80)) if rng.random() < 0.8 else 0.0) for a, b in edges)
    factions = _random_factions(rng, n_factions, n)
    patrons, corridors = _random_patrons(rng, factions, adj)
    injects = _random_injects(rng, n, factions, patrons, corridors, edges) if scripted else ()
    victory = _random_victory(rng, n, factions) if scripted else ()
    return World(Meta(title=f"Random {seed}", turns=turns, seed=seed), Board(places, routes, corridors),
                 factions, patrons, injects, victory)


def random_state(world: World, seed: int, units_per_faction: tuple[int, int] = (1, 5)) -> State:
    """A starting state for `world`: random controllers, units on friendly places, random support."""
    rng = np.random.default_rng([seed, 1])
    n, nf = world.board.n_places, len(world.factions)
    fids = [f.id for f in world.factions]
    owner = rng.integers(0, nf, size=n)
    owner[:nf] = np.arange(nf) if n >= nf else owner[:nf]
    control = {p.id: fids[int(owner[i])] for i, p in enumerate(world.board.places)}
    units: list[tuple[UnitInfo, str, float, float]] = []
    for f in range(nf):
        mine = np.flatnonzero(world.friendly[f, owner])
        if len(mine) == 0:
            continue
        for k in range(int(rng.integers(units_per_faction[0], units_per_faction[1] + 1))):
            info = UnitInfo(f"{fids[f]}_u{k}", fids[f], f"Unit {k}", UNIT_TYPES[int(rng.integers(0, 6))],
                            float(rng.uniform(0.6, 1.4)))
            place = world.board.places[int(rng.choice(mine))].id
            units.append((info, place, float(rng.uniform(300, 6000)), float(rng.uniform(0.2, 1.0))))
    support = {p.id: {ch.value: float(rng.choice([0.0, rng.uniform(0, 1)])) for ch in Channel}
               for p in world.patrons}
    capacity = {p.id: float(rng.integers(0, 5)) for p in world.patrons}
    reserve = {p.id: float(rng.choice([0.0, 5000.0])) for p in world.patrons}
    cohesion = {f: float(rng.uniform(0.3, 0.9)) for f in fids}
    return initial_state(world, Rules(), control=control, units=units, cohesion=cohesion, support=support,
                         capacity=capacity, reserve=reserve)


def random_game(seed: int, n_places: int, n_factions: int, *, turns: int = 6, scripted: bool = True) -> State:
    return random_state(random_world(seed, n_places, n_factions, turns=turns, scripted=scripted), seed)


# --- large geometric boards for the benchmark


def knn_edges(xy: np.ndarray, k: int = 3) -> np.ndarray:
    """Edges joining each point to its k nearest neighbours, then joining components until connected."""
    tree = cKDTree(xy)
    _, nn = tree.query(xy, k=k + 1)
    pairs = np.stack([np.repeat(np.arange(len(xy)), k), nn[:, 1:].ravel()], axis=1)
    pairs = np.sort(pairs, axis=1)
    pairs = np.unique(pairs, axis=0)
    n = len(xy)
    while True:
        graph = coo_matrix((np.ones(len(pairs)), (pairs[:, 0], pairs[:, 1])), shape=(n, n))
        n_comp, label = connected_components(graph, directed=False)
        if n_comp == 1:
            return pairs
        main = int(np.argmax(np.bincount(label)))
        inside = np.flatnonzero(label == main)
        main_tree = cKDTree(xy[inside])
        links = []
        for c in range(n_comp):
            if c == main:
                continue
            members = np.flatnonzero(label == c)
            d, j = main_tree.query(xy[members])
            best = int(np.argmin(d))
            a, b = int(members[best]), int(inside[int(j[best])])
            links.append((min(a, b), max(a, b)))
        pairs = np.unique(np.concatenate([pairs, np.array(links)]), axis=0)


def _region_path(adj: list[list[int]], region: np.ndarray, start: int, length: int) -> list[int]:
    """A shortest-path chain of `length` places inside one faction's region, ending at `start`."""
    prev = {start: -1}
    queue = deque([start])
    last = start
    while queue:
        p = queue.popleft()
        last = p
        depth, q = 0, p
        while prev[q] >= 0:
            q, depth = prev[q], depth + 1
        if depth >= length - 1:
            break
        for q in adj[p]:
            if q not in prev and region[q]:
                prev[q] = p
                queue.append(q)
    chain = [last]
    while prev[chain[-1]] >= 0:
        chain.append(prev[chain[-1]])
    return chain


def geometric_game(n_places: int, seed: int = 0, *, n_factions: int = 5, units_per_place: float = 0.5,
                   sources_per_faction: int = 3, spacing_km: float = 20.0) -> State:
    """A large planar-ish map at constant density: factions in contiguous regions around random
    seeds, about `units_per_place` units per place, a few sources per faction, two patrons."""
    rng = np.random.default_rng(seed)
    n = n_places
    side = spacing_km * np.sqrt(n)
    xy = rng.uniform(0, side, size=(n, 2))
    pairs = knn_edges(xy)
    lengths = np.linalg.norm(xy[pairs[:, 0]] - xy[pairs[:, 1]], axis=1) * 1.2 + 0.5
    adj = adjacency(n, [(int(a), int(b)) for a, b in pairs])
    centres = xy[rng.choice(n, size=n_factions, replace=False)]
    owner = cKDTree(centres).query(xy)[1]
    fids = [f"f{i}" for i in range(n_factions)]
    supply_for: dict[int, str] = {}
    for f in range(n_factions):
        region = np.flatnonzero(owner == f)
        for p in rng.choice(region, size=min(sources_per_faction, len(region)), replace=False):
            supply_for[int(p)] = fids[f]
    kinds = rng.integers(0, len(KINDS), size=n)
    terrains = rng.integers(0, len(TERRAINS), size=n)
    values = np.where(rng.random(n) < 0.05, rng.integers(1, 6, size=n), 0)
    places = tuple(
        Place(f"p{i}", f"Place {i}", float(xy[i, 1] / KM_PER_DEG), float(xy[i, 0] / KM_PER_DEG),
              KINDS[int(kinds[i])], TERRAINS[int(terrains[i])], value=float(values[i]),
              supply_for=(supply_for[i],) if i in supply_for else ())
        for i in range(n))
    routes = tuple(Route(f"p{a}", f"p{b}", ROUTE_KINDS[int(k)], "", float(length))
                   for (a, b), k, length in zip(pairs.tolist(), rng.integers(0, 3, size=len(pairs)), lengths))
    factions = tuple(Faction(fids[i], f"Faction {i}", fids[i].upper(),
                             allies=(fids[i ^ 1],) if i < 2 else (), breakpoint=0.25)
                     for i in range(n_factions))
    corridors, patrons = [], []
    for k, client in enumerate((0, 2)):
        src = next(p for p, f in supply_for.items() if f == fids[client])
        chain = _region_path(adj, owner == client, src, 5)
        corridors.append(Corridor(f"c{k}", f"Corridor {k}", tuple(f"p{i}" for i in chain)))
        patrons.append(Patron(f"pat{k}", f"Patron {k}", clients=(fids[client],), corridor=f"c{k}"))
    world = World(Meta(title=f"Geometric {n}", turns=1000, seed=seed),
                  Board(places, routes, tuple(corridors)), factions, tuple(patrons))
    units: list[tuple[UnitInfo, str, float, float]] = []
    at = rng.choice(n, size=int(units_per_place * n), replace=True)
    types = rng.integers(0, len(UNIT_TYPES), size=len(at))
    for k, p in enumerate(at.tolist()):
        f = int(owner[p])
        info = UnitInfo(f"u{k}", fids[f], f"Unit {k}", UNIT_TYPES[int(types[k])], float(rng.uniform(0.7, 1.3)))
        units.append((info, f"p{p}", float(rng.uniform(800, 5000)), float(rng.uniform(0.5, 0.9))))
    control = {f"p{i}": fids[int(owner[i])] for i in range(n)}
    return initial_state(world, Rules(), control=control, units=units,
                         cohesion={f: 0.7 for f in fids},
                         support={p.id: {"air": 0.6, "ground": 0.5, "supply": 0.5} for p in patrons},
                         capacity={p.id: 4.0 for p in patrons}, reserve={p.id: 20000.0 for p in patrons})


# --- the same large boards as scenario files, for timing the loader


COLOURS = ("#D55E00", "#009E73", "#E69F00", "#56B4E9", "#CC79A7", "#0072B2", "#F0E442", "#000000")


def _ids(items: tuple[str, ...]) -> str:
    return "[" + ", ".join(items) + "]"


def scenario_yaml(state: State, title: str = "Synthetic board") -> str:
    """A scenario file that loads back to `state`'s board, sides and units (one flow mapping a line,
    as an author would write a large generated map)."""
    w = state.world
    b = w.board
    fids = [f.id for f in w.factions]
    out = ["meta:", f"  title: {title}", "  start_date: 2024-12-07", f"  turns: {w.meta.turns}",
           f"  seed: {w.meta.seed}", "map:", "  places:"]
    for i, p in enumerate(b.places):
        extra = f", supply_for: {_ids(p.supply_for)}" if p.supply_for else ""
        extra += f", leads_to: {p.leads_to}" if p.leads_to else ""
        out.append(f"    - {{id: {p.id}, name: {p.name}, lat: {p.lat:.5f}, lon: {p.lon:.5f}, kind: {p.kind.value}, "
                   f"terrain: {p.terrain.value}, value: {p.value:g}, fort: {p.fort}{extra}, "
                   f"controller: {fids[int(state.controller[i])]}}}")
    out.append("  routes:")
    for r in b.routes:
        out.append(f"    - {{a: {r.a}, b: {r.b}, kind: {r.kind.value}, length_km: {r.length_km:.2f}}}")
    if b.corridors:
        out.append("  corridors:")
        out += [f"    - {{id: {c.id}, name: {c.name}, places: {_ids(c.places)}}}" for c in b.corridors]
    out.append("factions:")
    for k, f in enumerate(w.factions):
        out.append(f"  - {{id: {f.id}, name: {f.name}, short: {f.short[:6]}, colour: '{COLOURS[k % len(COLOURS)]}', "
                   f"allies: {_ids(f.allies)}, breakpoint: {f.breakpoint:g}, "
                   f"cohesion: {float(state.f_cohesion[k]):.3f}}}")
    if w.patrons:
        out.append("patrons:")
    for k, pat in enumerate(w.patrons):
        air, ground, supply = (float(x) for x in state.p_support[k])
        out.append(f"  - {{id: {pat.id}, name: {pat.name}, clients: {_ids(pat.clients)}, "
                   f"corridor: {pat.corridor or 'null'}, unit_type: {pat.unit_type.value}, "
                   f"support: {{air: {air:g}, ground: {ground:g}, supply: {supply:g}}}, "
                   f"capacity: {float(state.p_capacity[k]):g}, reserve: {float(state.p_reserve[k]):g}}}")
    out.append("units:")
    for u, info in enumerate(state.units):
        out.append(f"  - {{id: {info.id}, faction: {info.faction}, name: {info.name}, type: {info.type.value}, "
                   f"place: {b.places[int(state.u_place[u])].id}, strength: {float(state.u_strength[u]):.0f}, "
                   f"quality: {info.quality:.3f}, cohesion: {float(state.u_cohesion[u]):.3f}}}")
    return "\n".join(out) + "\n"
