"""Benchmarks: what history did, per side, and how a game's sides stand against it.

Every measure is a share from 0 to 1 (see `specs.Benchmark`); a side's standing is the weighted
sum of its measures less history's, so a side beats history when its standing is above zero.
Patrons are judged like factions, which lets every side win with good play.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

from .query import is_corridor_open, occupancy
from .specs import Benchmark
from .state import State, World


def camp(w: World, side: str) -> tuple[int, ...]:
    """Factions whose holdings count for `side`: a faction itself; a patron's clients and its own
    forces (cached on the world)."""
    key = ("camp", side)
    hit = w.cache.get(key)
    if hit is None:
        if side in w.faction_index:
            hit = (w.faction_index[side],)
        elif side in w.patron_index:
            clients = [w.faction_index[c] for c in w.patrons[w.patron_index[side]].clients if c in w.faction_index]
            hit = tuple(sorted(set(clients) | set(w.commanded_by(side))))
        else:
            hit = ()
        w.cache[key] = hit
    return hit  # type: ignore[no-any-return]


def own_forces(w: World, side: str) -> tuple[int, ...]:
    """The factions whose units are `side`'s own: a faction itself, a patron's commanded forces."""
    if side in w.faction_index:
        return (w.faction_index[side],)
    return w.commanded_by(side)


def _places_of(w: World, b: Benchmark) -> list[int]:
    """The benchmark's places that are on the board (cached on the world)."""
    key = ("benchmark_places", b.places)
    hit = w.cache.get(key)
    if hit is None:
        index = w.board.index
        hit = w.cache[key] = [index[p] for p in b.places if p in index]
    return hit  # type: ignore[no-any-return]


def _members(w: World, factions: tuple[int, ...]) -> np.ndarray:
    """A boolean mask over the world's factions (cached on the world)."""
    key = ("members", factions)
    hit = w.cache.get(key)
    if hit is None:
        hit = np.zeros(len(w.factions), dtype=bool)
        hit[list(factions)] = True
        hit.flags.writeable = False
        w.cache[key] = hit
    return hit  # type: ignore[no-any-return]


def _first_client(w: World, side: str) -> int | None:
    if side in w.faction_index:
        return w.faction_index[side]
    for c in w.patrons[w.patron_index[side]].clients:
        if c in w.faction_index:
            return w.faction_index[c]
    return None


def _last_turn_of(w: World, b: Benchmark) -> int:
    return b.by_turn if b.by_turn is not None else w.meta.turns


class _Measure(NamedTuple):
    """What `start_benchmarks` and `update_benchmarks` read of one benchmark (worked out once per world)."""

    kind: str
    last: int
    """The benchmark's last turn."""
    places: list[int]
    """Its places on the board (for a depots measure without any: every place)."""
    members: frozenset[int]
    """The factions whose holdings count for its side (`camp`)."""
    member_bits: int
    """`members` as a bit mask."""
    forces: NDArray[np.bool_] | None
    """Over factions: whose strength counts (keep_forces: the side's own forces; destroy: the target)."""
    faction: int
    """The side's first client (corridor, cohesion) or the patron whose evacuations count (keep_forces);
    -1 for none."""
    corridor: int
    """The corridor measured (-1: none, or not on the board)."""


def _plan(w: World) -> list[_Measure]:
    """`_Measure` of every benchmark of the world, in order (cached on the world)."""
    hit = w.cache.get("benchmark_plan")
    if hit is None:
        hit = []
        for b in w.benchmarks:
            places = _places_of(w, b)
            members = camp(w, b.side)
            bits = 0
            for f in members:
                bits |= 1 << f
            forces, faction = None, -1
            corridor = w.board.corridor_index.get(b.corridor, -1) if b.corridor is not None else -1
            if b.kind in ("corridor", "cohesion"):
                first = _first_client(w, b.side)
                faction = -1 if first is None else first
            elif b.kind == "destroy" and b.target in w.faction_index:
                forces = _members(w, (w.faction_index[b.target],))
            elif b.kind == "keep_forces":
                forces = _members(w, own_forces(w, b.side))
                faction = w.patron_index.get(b.side, -1)
            elif b.kind == "depots":
                places = places or list(range(w.board.n_places))
            hit.append(_Measure(b.kind, _last_turn_of(w, b), places, frozenset(members), bits, forces, faction,
                                 corridor))
        w.cache["benchmark_plan"] = hit
    return hit  # type: ignore[no-any-return]


def _share(places: list[int], members: frozenset[int], controller: list[int], contested: list[bool],
           entry: State | None = None, member_bits: int = 0) -> float:
    """The share of `places` that `members` hold uncontested. With `entry` (the state, and `members` as the bit
    mask `member_bits`: measures of taking places, capture and race), a contested place (street fighting)
    counts half to a side with units fighting inside it, whoever holds it on paper: an entry shared with the
    enemy is half an entry (who stands where is only counted there). A place is only kept (hold, held_turns)
    while it is held uncontested."""
    if not places:
        return 0.0
    held = 0.0
    for p in places:
        if not contested[p]:
            held += controller[p] in members
        elif entry is not None:
            held += 0.5 * (occupancy(entry).bits()[p] & member_bits != 0)
    return held / len(places)


def start_benchmarks(s: State) -> None:
    """Take the starting figures (strengths, depots) and the measures as they stand before turn 1."""
    controller, contested = s.controller.tolist(), s.contested.tolist()
    for i, (kind, _, places, members, member_bits, forces, faction, corridor) in enumerate(_plan(s.world)):
        if kind == "keep_forces":
            s.b_base[i] = _strength(s, forces)
            s.b_value[i] = 1.0
        elif kind == "destroy" and forces is not None:
            s.b_base[i] = _strength(s, forces)
        elif kind == "depots":
            s.b_base[i] = float(np.add.reduce(s.depot[places]))
        elif kind in ("hold", "capture"):
            s.b_value[i] = _share(places, members, controller, contested, s if kind == "capture" else None,
                                  member_bits)
        elif kind in ("race", "held_turns"):
            s.b_value[i] = 0.0  # measured from turn 1 on
        elif kind == "corridor":
            s.b_value[i] = 1.0 if _open(s, corridor, faction) else 0.0
        elif kind == "cohesion":
            s.b_value[i] = s.f_cohesion.item(faction) if faction >= 0 else 0.0


def _strength(s: State, forces: NDArray[np.bool_] | None,
              living: tuple[NDArray[np.float64], NDArray[np.intp]] | None = None) -> float:
    """The living strength of the factions in the mask `forces` (`living`: `_living(s)`, if at hand)."""
    if forces is None:
        return 0.0
    strength, faction = _living(s) if living is None else living
    return float(np.add.reduce(strength[forces.take(faction)]))


def _living(s: State) -> tuple[NDArray[np.float64], NDArray[np.intp]]:
    """The living units' strengths and factions (as intp, numpy's fast path for indexing), in row order."""
    alive = s.u_strength > 0
    return s.u_strength[alive], s.u_faction[alive].astype(np.intp)


def _open(s: State, corridor: int, faction: int) -> bool:
    """Whether a corridor measure's corridor is open to its faction (False when either is missing: -1)."""
    return faction >= 0 and corridor >= 0 and is_corridor_open(s, corridor, faction)


def update_benchmarks(s: State) -> None:
    """The measures at the end of turn `s.turn` (called by the victory phase)."""
    w = s.world
    if not w.benchmarks:
        return
    controller, contested = s.controller.tolist(), s.contested.tolist()
    values, base = s.b_value.tolist(), s.b_base.tolist()
    turn = s.turn
    living: tuple[NDArray[np.float64], NDArray[np.intp]] | None = None
    total = np.add.reduce  # `ndarray.sum` of a float array, without its wrapper
    for i, (kind, last, places, members, member_bits, forces, faction, corridor) in enumerate(_plan(w)):
        if kind == "hold":
            if turn <= last:
                values[i] = _share(places, members, controller, contested)
        elif kind == "capture" or kind == "race":
            if turn <= last:
                share = _share(places, members, controller, contested, s, member_bits)
                if kind == "race":  # the sooner the camp holds the places, the better: 1 on turn 1, 1/last on the last
                    share = (last - turn + 1) / last * share
                values[i] = max(values[i], share)
        elif kind == "held_turns":
            if turn <= last:  # the longer the camp holds them, the better: the mean share held over the turns
                values[i] = values[i] + _share(places, members, controller, contested) / last
        elif kind == "keep_forces" or kind == "destroy":
            if forces is None or (kind == "destroy" and not base[i] > 0):
                continue
            if living is None:
                living = _living(s)
            strength = _strength(s, forces, living)
            if kind == "destroy":
                values[i] = max(0.0, 1.0 - strength / base[i])
                continue
            if faction >= 0:
                strength += s.p_evacuated.item(faction)
            values[i] = min(1.0, strength / base[i]) if base[i] > 0 else 1.0
        elif kind == "corridor":
            if turn <= last:
                values[i] = (values[i] * turn + (1.0 if _open(s, corridor, faction) else 0.0)) / (turn + 1)
        elif kind == "depots":
            if base[i] > 0:
                values[i] = max(0.0, 1.0 - float(total(s.depot[places])) / base[i])
        elif kind == "cohesion" and faction >= 0:
            values[i] = s.f_cohesion.item(faction)
    s.b_value[:] = values


def standings(s: State) -> dict[str, float]:
    """Per side with benchmarks: the weighted sum of its measures less history's (above 0 beats history)."""
    out: dict[str, float] = {}
    for i, b in enumerate(s.world.benchmarks):
        out[b.side] = out.get(b.side, 0.0) + b.weight * (float(s.b_value[i]) - b.history)
    return out


def benchmark_sides(w: World) -> tuple[str, ...]:
    """Sides that have benchmarks, in the world's side order."""
    named = {b.side for b in w.benchmarks}
    order = [f.id for f in w.factions] + [p.id for p in w.patrons]
    return tuple(x for x in order if x in named)
