"""Read-only questions about a state, shared by the phases, the AI and the UI."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np
from numpy.typing import NDArray

from .state import State


class Occupancy:
    """Living units per place and faction: how many (`count`, `present`, `bits`: kept exact as units
    move) and how strong (`strength`: summed in row order when first asked after a change)."""

    def __init__(self, state: State) -> None:
        n, nf = state.world.board.n_places, len(state.world.factions)
        self._state = state
        self._order: NDArray[np.intp] | None = None
        self._bits: list[int] | None = None
        self._strength: NDArray[np.float64] | None = None
        self._starts: NDArray[np.intp] = np.zeros(0, dtype=np.intp)
        _, key = _slots(state, nf)
        self.count = np.bincount(key, minlength=n * nf).reshape(n, nf)
        self.present = self.count > 0

    @property
    def strength(self) -> NDArray[np.float64]:
        """Summed strength per place and faction (do not modify)."""
        if self._strength is None:
            state = self._state
            n, nf = self.count.shape
            alive, key = _slots(state, nf)
            summed = np.bincount(key, weights=state.u_strength[alive], minlength=n * nf)
            self._strength = summed.reshape(n, nf).astype(np.float64, copy=False)
        return self._strength

    def grouped(self) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
        """Living unit rows sorted by place (stable), and where each place's run starts."""
        if self._order is None:
            state = self._state
            n = state.world.board.n_places
            alive = np.flatnonzero(state.u_strength > 0)
            places = state.u_place[alive]
            self._order = alive[_stable_order(places, n)]
            self._starts = np.zeros(n + 1, dtype=np.intp)
            np.cumsum(np.bincount(places, minlength=n), out=self._starts[1:])
        return self._order, self._starts

    def bits(self) -> list[int]:
        """Per place, the factions with living units there as a bit mask (bit f for faction f)."""
        if self._bits is None:
            self._bits = rows_as_bits(self.present)
        return self._bits

    def refresh(self, places: list[int]) -> None:
        """Recount some places (sorted, no repeats) after units moved or lost strength, summing in row
        order exactly as a rebuild would; one pass over the units whatever the number of places."""
        state = self._state
        n, nf = self.count.shape
        k = len(places)
        wanted = np.zeros(n, dtype=bool)
        wanted[places] = True
        rows = np.flatnonzero((state.u_strength > 0) & wanted[state.u_place])
        slot = np.searchsorted(places, state.u_place[rows]) * nf + state.u_faction[rows]
        if self._strength is not None:
            self._strength[places] = np.bincount(slot, weights=state.u_strength[rows], minlength=k * nf).reshape(k, nf)
        count = np.bincount(slot, minlength=k * nf).reshape(k, nf)
        present = count > 0
        self.count[places] = count
        self.present[places] = present
        if self._bits is not None:
            for p, b in zip(places, rows_as_bits(present)):
                self._bits[p] = b
        self._order = None

    def reweigh(self) -> None:
        """Units changed strength but none died or moved: strength is summed again when next asked."""
        self._strength = None

    def moved(self, faction: int, frm: int, to: int) -> None:
        """One living unit of `faction` went from `frm` to `to` (the state's arrays already say so):
        counts stay exact; strength is summed again when next asked."""
        count = self.count
        count[frm, faction] -= 1
        count[to, faction] += 1
        left = bool(count[frm, faction] > 0)
        self.present[frm, faction] = left
        self.present[to, faction] = True
        if self._bits is not None:
            if not left:
                self._bits[frm] &= ~(1 << faction)
            self._bits[to] |= 1 << faction
        self._strength = None
        self._order = None


def _slots(state: State, nf: int) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """The living unit rows, and each one's (place, faction) cell as place * nf + faction."""
    alive = np.flatnonzero(state.u_strength > 0)
    return alive, state.u_place[alive].astype(np.intp) * nf + state.u_faction[alive]


def rows_as_bits(rows: NDArray[np.bool_]) -> list[int]:
    """Each row of a boolean matrix as an int with bit j set where column j is True."""
    ncol = rows.shape[1]
    if ncol <= 62:
        weights = np.left_shift(np.int64(1), np.arange(ncol, dtype=np.int64))
        return (rows @ weights).tolist()  # type: ignore[no-any-return]
    return [sum(1 << int(j) for j in np.flatnonzero(row)) for row in rows]


def faction_bits(state: State) -> tuple[list[int], list[int]]:
    """Per faction, its friends (itself included) and its enemies as bit masks (cached per pattern of
    relations)."""
    hit = state.cache.get("faction_bits")  # kept like the relation tables (`State.STABLE`)
    if hit is None:
        rel = state.tables()
        hit = state.cache["faction_bits"] = rel.get("faction_bits", lambda: (rows_as_bits(rel.friendly),
                                                                             rows_as_bits(rel.hostile)))
    return hit  # type: ignore[no-any-return]


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


SCANS_BEFORE_GROUPING = 2
"""`units_at` scans the unit arrays this many times per state before it sorts the units by place:
a phase that asks once or twice between changes need not pay for the sort."""


def units_at(state: State, place: int) -> NDArray[np.intp]:
    """Indices of living units at a place, in index order."""
    occ = state.cache.get("occ")
    if occ is None or occ._order is None:
        scans = state.cache.get("units_at_scans", 0)
        if scans < SCANS_BEFORE_GROUPING:
            state.cache["units_at_scans"] = scans + 1
            here: NDArray[np.intp] = ((state.u_place == place) & (state.u_strength > 0)).nonzero()[0]
            return here
    order, starts = occupancy(state).grouped()
    return order[starts[place]:starts[place + 1]]


REFRESH_ABOVE = 4096
"""Places × factions above which `recount` refreshes the occupancy in place instead of dropping it."""

KEPT_ON_MOVE = ("open_routes",)
"""Derived lookups that moving units or changing their strength does not change (besides `State.STABLE`)."""

KEPT_ON_STRENGTH = (*KEPT_ON_MOVE, "faction_masks", "passage")
"""Derived lookups that changing strengths, killing no one, does not change: they depend on where
living units stand, not on how strong they are."""


def recount(state: State, places: Iterable[int]) -> None:
    """After strengths or positions changed at some places: recount just those places (exactly as
    a rebuild would) and drop the other derived lookups. On a small board the counts are dropped
    too: rebuilding them when next asked is cheaper than recounting."""
    occ = state.cache.get("occ")
    state.invalidate(keep=KEPT_ON_MOVE)
    if occ is not None and occ.count.size > REFRESH_ABOVE:
        occ.refresh(sorted({int(p) for p in places}))
        state.cache["occ"] = occ


def weakened(state: State, units: Iterable[int]) -> None:
    """After some units lost strength where they stand: unless one of them died, who stands where
    is unchanged, so the unit counts (and lookups built on them alone) stay, and the strength
    totals are summed again when next asked (on a big board: recounted at their places)."""
    units = list(units)
    strength = state.u_strength
    if not all(strength.item(u) > 0 for u in units):
        recount(state, [state.u_place.item(u) for u in units])
        return
    occ = state.cache.get("occ")
    state.invalidate(keep=KEPT_ON_STRENGTH)
    if occ is not None:
        if occ.count.size > REFRESH_ABOVE:
            occ.refresh(sorted({state.u_place.item(u) for u in units}))
        else:
            occ.reweigh()
        state.cache["occ"] = occ


def move_unit(state: State, unit: int, to: int) -> None:
    """Move one unit, keeping the occupancy counts up to date instead of rebuilding them."""
    frm = int(state.u_place[unit])
    state.u_place[unit] = to
    occ = state.cache.get("occ")
    if occ is None or occ.count.size > REFRESH_ABOVE or not state.u_strength[unit] > 0:
        recount(state, (frm, to))
        return
    state.invalidate(keep=KEPT_ON_MOVE)
    occ.moved(int(state.u_faction[unit]), frm, to)
    state.cache["occ"] = occ


def units_of(state: State, faction: int) -> NDArray[np.intp]:
    return np.flatnonzero((state.u_faction == faction) & (state.u_strength > 0))


def is_friendly(state: State, a: int, b: int) -> bool:
    return bool(state.friendly[a, b])


def is_hostile(state: State, a: int, b: int) -> bool:
    return bool(state.hostile[a, b])


def has_hostile_units(state: State, faction: int, place: int) -> bool:
    return occupancy(state).bits()[place] & faction_bits(state)[1][faction] != 0


def has_neutral_units(state: State, faction: int, place: int) -> bool:
    """Units of a faction neither friendly nor hostile to `faction`."""
    friends, enemies = faction_bits(state)
    return occupancy(state).bits()[place] & ~(friends[faction] | enemies[faction]) != 0


def is_held_by_friend(state: State, faction: int, place: int) -> bool:
    return faction_bits(state)[0][faction] >> state.controller.item(place) & 1 == 1


def is_held_by_enemy(state: State, faction: int, place: int) -> bool:
    return bool(state.hostile[faction, state.controller[place]])


def stack_count(state: State, faction: int, place: int) -> int:
    """Living units of `faction` at a place."""
    return int(occupancy(state).count[place, faction])


def stack_limit(state: State, place: int) -> int:
    """Most units one faction may have at a place, by its kind."""
    return stack_limits(state)[place]


def stack_limits(state: State) -> list[int]:
    """`stack_limit` of every place (cached on the state, and on the world per stacking table;
    do not modify)."""
    limits = state.cache.get("stack_limits")
    if limits is None:
        stacking = state.rules.stacking
        key = ("stack_limits", tuple(sorted(stacking.items())))
        limits = state.world.cache.get(key)
        if limits is None:
            limits = state.world.cache[key] = [int(stacking.get(p.kind.value, 6)) for p in state.world.board.places]
        state.cache["stack_limits"] = limits
    return limits  # type: ignore[no-any-return]


def corridor_open_upto(state: State, corridor: int, faction: int, *,
                       facts: tuple[list[int], list[bool], list[bool]] | None = None) -> int:
    """How many places from the corridor's entry are open (held by `faction` or an ally, contested
    or not, joined by open routes). Equal to the corridor's length when it is open.
    `facts`: `corridor_facts(state)`, when asking about several corridors at once."""
    b = state.world.board
    holder: Callable[[int], int]
    is_open: Callable[[int], bool]
    if facts is None:
        holder, is_open = state.controller.item, state.route_open.item
    else:
        holder, is_open = facts[0].__getitem__, facts[2].__getitem__
    friends = faction_bits(state)[0][faction]
    routes = b.corridor_routes[corridor]
    count = 0
    for k, p in enumerate(b.corridor_places[corridor]):
        if not friends >> holder(p) & 1 or (k > 0 and not is_open(routes[k - 1])):
            break
        count += 1
    return count


def corridor_facts(state: State) -> tuple[list[int], list[bool], list[bool]]:
    """Who holds each place, whether it is contested, and whether each route is open, as lists
    (cheaper to read than the arrays when asking about many corridors)."""
    return state.controller.tolist(), state.contested.tolist(), state.route_open.tolist()


def is_corridor_open(state: State, corridor: int, faction: int, *,
                     facts: tuple[list[int], list[bool], list[bool]] | None = None) -> bool:
    upto = corridor_open_upto(state, corridor, faction, facts=facts)
    return upto == len(state.world.board.corridor_places[corridor])


def place_power(state: State, place: int, faction: int) -> float:
    """Total strength at a place of `faction` and its allies."""
    return float(occupancy(state).strength[place][state.friendly[faction]].sum())

