"""The point-to-point map: places, routes between them and named corridors."""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import numpy as np
from numpy.typing import NDArray

from .types import PlaceKind, RouteKind, Terrain

EARTH_RADIUS_KM = 6371.0


@dataclass(frozen=True)
class Place:
    id: str
    name: str
    lat: float
    lon: float
    kind: PlaceKind = PlaceKind.TOWN
    terrain: Terrain = Terrain.OPEN
    value: float = 0.0
    fort: int = 0
    supply_for: tuple[str, ...] = ()
    leads_to: str = ""
    """For a border crossing: the country a fleeing unit escapes to."""
    depot: bool = False
    """A weapons depot: a local supply source for whoever holds it, until struck from the air."""


@dataclass(frozen=True)
class Route:
    a: str
    b: str
    kind: RouteKind = RouteKind.ROAD
    name: str = ""
    length_km: float = 0.0
    river: bool = False
    """A river lies between the two places: attacks made along this route are at worse odds
    (`Rules.river_shift`)."""

    @property
    def id(self) -> str:
        return f"{self.a}~{self.b}"


@dataclass(frozen=True)
class Corridor:
    """A named chain of places, from its entry (outside end) inwards."""

    id: str
    name: str
    places: tuple[str, ...]


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Haversine distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


@dataclass(frozen=True, eq=False)
class Board:
    """Places, routes and corridors, with index lookups and a CSR adjacency.

    Route lengths of 0 are filled from great-circle distance × `length_factor`.
    """

    places: tuple[Place, ...]
    routes: tuple[Route, ...]
    corridors: tuple[Corridor, ...] = ()
    length_factor: float = 1.2
    index: dict[str, int] = field(init=False, repr=False)
    route_index: dict[str, int] = field(init=False, repr=False)
    corridor_index: dict[str, int] = field(init=False, repr=False)
    ends: NDArray[np.int32] = field(init=False, repr=False)
    lengths: NDArray[np.float64] = field(init=False, repr=False)
    indptr: NDArray[np.int32] = field(init=False, repr=False)
    nbr: NDArray[np.int32] = field(init=False, repr=False)
    nbr_route: NDArray[np.int32] = field(init=False, repr=False)
    edge_src: NDArray[np.intp] = field(init=False, repr=False)
    """Source place of every directed edge of the CSR adjacency (aligned with `nbr`)."""
    corridor_routes: tuple[tuple[int, ...], ...] = field(init=False, repr=False)
    corridor_places: tuple[tuple[int, ...], ...] = field(init=False, repr=False)
    _edge_lists: list[list[tuple[int, int]]] = field(init=False, repr=False, default_factory=list)

    def __post_init__(self) -> None:
        idx = {p.id: i for i, p in enumerate(self.places)}
        if len(idx) != len(self.places):
            raise ValueError("duplicate place id")
        routes = tuple(self._with_length(r, idx) for r in self.routes)
        object.__setattr__(self, "routes", routes)
        object.__setattr__(self, "index", idx)
        object.__setattr__(self, "route_index", {r.id: i for i, r in enumerate(routes)})
        object.__setattr__(self, "corridor_index", {c.id: i for i, c in enumerate(self.corridors)})
        n, m = len(self.places), len(routes)
        ends = np.array([(idx[r.a], idx[r.b]) for r in routes], dtype=np.int32).reshape(m, 2)
        object.__setattr__(self, "ends", ends)
        object.__setattr__(self, "lengths", np.array([r.length_km for r in routes], dtype=np.float64))
        src = np.concatenate([ends[:, 0], ends[:, 1]])
        dst = np.concatenate([ends[:, 1], ends[:, 0]])
        rid = np.concatenate([np.arange(m), np.arange(m)]).astype(np.int32)
        order = np.lexsort((dst, src))
        counts = np.bincount(src, minlength=n) if m else np.zeros(n, dtype=np.int64)
        indptr = np.zeros(n + 1, dtype=np.int32)
        np.cumsum(counts, out=indptr[1:])
        object.__setattr__(self, "indptr", indptr)
        object.__setattr__(self, "nbr", dst[order].astype(np.int32))
        object.__setattr__(self, "nbr_route", rid[order])
        object.__setattr__(self, "edge_src", np.repeat(np.arange(n), counts).astype(np.intp))
        for name in ("ends", "lengths", "indptr", "nbr", "nbr_route", "edge_src"):
            getattr(self, name).flags.writeable = False  # shared by every state and cache: never changed
        c_routes, c_places = [], []
        for c in self.corridors:
            pl = tuple(idx[p] for p in c.places)
            c_places.append(pl)
            c_routes.append(tuple(self.route_between(a, b) for a, b in zip(pl, pl[1:])))
        object.__setattr__(self, "corridor_routes", tuple(c_routes))
        object.__setattr__(self, "corridor_places", tuple(c_places))

    def _with_length(self, r: Route, idx: dict[str, int]) -> Route:
        if r.a not in idx or r.b not in idx:
            raise ValueError(f"route {r.id} names an unknown place")
        if r.length_km > 0:
            return r
        pa, pb = self.places[idx[r.a]], self.places[idx[r.b]]
        km = great_circle_km(pa.lat, pa.lon, pb.lat, pb.lon) * self.length_factor
        return replace(r, length_km=round(max(km, 0.1), 3))

    @property
    def n_places(self) -> int:
        return len(self.places)

    def neighbours(self, i: int) -> NDArray[np.int32]:
        return self.nbr[self.indptr[i]:self.indptr[i + 1]]

    def edges(self, i: int) -> list[tuple[int, int]]:
        """(neighbour, route index) pairs of place i."""
        lo, hi = int(self.indptr[i]), int(self.indptr[i + 1])
        return list(zip(self.nbr[lo:hi].tolist(), self.nbr_route[lo:hi].tolist()))

    def edge_lists(self) -> list[list[tuple[int, int]]]:
        """`edges(i)` for every place, built once: the movement search reads them in its inner loop."""
        if len(self._edge_lists) != len(self.places):
            nbr, rid = self.nbr.tolist(), self.nbr_route.tolist()
            ptr = self.indptr.tolist()
            built = [list(zip(nbr[ptr[i]:ptr[i + 1]], rid[ptr[i]:ptr[i + 1]])) for i in range(len(self.places))]
            object.__setattr__(self, "_edge_lists", built)  # one assignment: safe if two threads race here
        return self._edge_lists

    def route_between(self, a: int, b: int) -> int:
        """Index of a route joining places a and b (the shortest), or raise KeyError."""
        best, best_len = -1, math.inf
        for j, r in self.edges(a):
            if j == b and self.lengths[r] < best_len:
                best, best_len = r, float(self.lengths[r])
        if best < 0:
            raise KeyError(f"no route between {self.places[a].id} and {self.places[b].id}")
        return best

    def are_adjacent(self, a: int, b: int) -> bool:
        return bool(np.any(self.neighbours(a) == b))
