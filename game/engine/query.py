"""Read-only questions about a state, shared by the phases, the AI and the UI."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from .state import State


class Occupancy:
    """Living units grouped by place, and strength per place and faction."""

    def __init__(self, state: State) -> None:
        n, nf = state.world.board.n_places, len(state.world.factions)
        alive = np.flatnonzero(state.u_strength > 0)
        places = state.u_place[alive]
        self.order = alive[_stable_order(places, n)]
        self.starts = np.zeros(n + 1, dtype=np.intp)
        np.cumsum(np.bincount(places, minlength=n), out=self.starts[1:])
        key = places.astype(np.intp) * nf + state.u_faction[alive]
        self.strength = np.bincount(key, weights=state.u_strength[alive], minlength=n * nf).reshape(n, nf)
        self.present = self.strength > 0


def _stable_order(places: NDArray[np.int32], n: int) -> NDArray[np.intp]:
    """`argsort(places, kind="stable")`, fast: a radix sort on 16-bit keys when the board allows it."""
    if n <= 1 << 16:
        return np.argsort(places.astype(np.uint16), kind="stable")
    return np.argsort(places.astype(np.int64) * len(places) + np.arange(len(places)))


def occupancy(state: State) -> Occupancy:
    occ = state.cache.get("occ")
    if occ is None:
        occ = state.cache["occ"] = Occupancy(state)
    return occ  # type: ignore[no-any-return]


def units_at(state: State, place: int) -> NDArray[np.intp]:
    """Indices of living units at a place, in index order."""
    occ = occupancy(state)
    return occ.order[occ.starts[place]:occ.starts[place + 1]]


def units_of(state: State, faction: int) -> NDArray[np.intp]:
    return np.flatnonzero((state.u_faction == faction) & (state.u_strength > 0))


def is_friendly(state: State, a: int, b: int) -> bool:
    return bool(state.world.friendly[a, b])


def is_hostile(state: State, a: int, b: int) -> bool:
    return bool(state.world.hostile[a, b])


def has_hostile_units(state: State, faction: int, place: int) -> bool:
    return bool((occupancy(state).present[place] & state.world.hostile[faction]).any())


def has_neutral_units(state: State, faction: int, place: int) -> bool:
    """Units of a faction neither friendly nor hostile to `faction`."""
    w = state.world
    return bool((occupancy(state).present[place] & ~w.friendly[faction] & ~w.hostile[faction]).any())


def is_held_by_friend(state: State, faction: int, place: int) -> bool:
    return bool(state.world.friendly[faction, state.controller[place]])


def is_held_by_enemy(state: State, faction: int, place: int) -> bool:
    return bool(state.world.hostile[faction, state.controller[place]])


def stack_count(state: State, faction: int, place: int) -> int:
    at = units_at(state, place)
    return int(np.count_nonzero(state.u_faction[at] == faction))


def hostile_factions_at(state: State, place: int) -> bool:
    """Whether units of two mutually hostile factions share the place."""
    present = occupancy(state).present[place]
    idx = np.flatnonzero(present)
    return bool(len(idx) > 1 and np.any(state.world.hostile[np.ix_(idx, idx)]))


def stack_limit(state: State, place: int) -> int:
    kind = state.world.board.places[place].kind.value
    return int(state.rules.stacking.get(kind, 6))


def corridor_open_upto(state: State, corridor: int, faction: int) -> int:
    """How many places from the corridor's entry are open (held by `faction` or an ally,
    not contested, joined by open routes). Equal to the corridor's length when it is open."""
    b = state.world.board
    places = b.corridor_places[corridor]
    routes = b.corridor_routes[corridor]
    count = 0
    for k, p in enumerate(places):
        if not is_held_by_friend(state, faction, p) or state.contested[p]:
            break
        if k > 0 and not state.route_open[routes[k - 1]]:
            break
        count += 1
    return count


def is_corridor_open(state: State, corridor: int, faction: int) -> bool:
    return corridor_open_upto(state, corridor, faction) == len(state.world.board.corridor_places[corridor])


def place_power(state: State, place: int, faction: int) -> float:
    """Total strength at a place of `faction` and its allies."""
    return float(occupancy(state).strength[place][state.world.friendly[faction]].sum())


def has_hostile_near(state: State, faction: int, place: int) -> bool:
    """Enemy units at the place or one route away."""
    b = state.world.board
    if has_hostile_units(state, faction, place):
        return True
    return any(has_hostile_units(state, faction, int(q)) for q in b.neighbours(place))
