"""Benchmarks: what history did, per side, and how a game's sides stand against it.

Every measure is a share from 0 to 1 (see `specs.Benchmark`); a side's standing is the weighted
sum of its measures less history's, so a side beats history when its standing is above zero.
Patrons are judged like factions, which lets every side win with good play.
"""

from __future__ import annotations

import numpy as np

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


def _held_share(s: State, b: Benchmark, members: tuple[int, ...],
                facts: tuple[list[int], list[bool]] | None = None, entry: bool = False) -> float:
    """The share of the benchmark's places `members` hold uncontested. With `entry` (measures of taking
    places: capture, race), a contested place (street fighting) counts half to a side with units
    fighting inside it, whoever holds it on paper: an entry shared with the enemy is half an entry.
    A place is only kept (hold, held_turns) while it is held uncontested. `facts`: the controller and
    contested arrays as lists, when asking for several benchmarks."""
    places = _places_of(s.world, b)
    if not places:
        return 0.0
    controller, contested = facts or (s.controller.tolist(), s.contested.tolist())
    held = 0.0
    bits: list[int] | None = None
    for p in places:
        if not contested[p]:
            held += controller[p] in members
        elif entry:
            if bits is None:
                bits = occupancy(s).bits()
            held += 0.5 * any(bits[p] >> f & 1 for f in members)
    return held / len(places)


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


def _strength(s: State, factions: tuple[int, ...]) -> float:
    alive = (s.u_strength > 0) & _members(s.world, factions)[s.u_faction]
    return float(s.u_strength[alive].sum())


def _depot_stock(s: State, b: Benchmark) -> float:
    index = s.world.board.index
    places = [index[p] for p in b.places if p in index] or list(range(s.world.board.n_places))
    return float(s.depot[places].sum())


def _first_client(w: World, side: str) -> int | None:
    if side in w.faction_index:
        return w.faction_index[side]
    for c in w.patrons[w.patron_index[side]].clients:
        if c in w.faction_index:
            return w.faction_index[c]
    return None


def _last_turn(s: State, b: Benchmark) -> int:
    return b.by_turn if b.by_turn is not None else s.world.meta.turns


def start_benchmarks(s: State) -> None:
    """Take the starting figures (strengths, depots) and the measures as they stand before turn 1."""
    w = s.world
    for i, b in enumerate(w.benchmarks):
        if b.kind == "keep_forces":
            s.b_base[i] = _strength(s, own_forces(w, b.side))
            s.b_value[i] = 1.0
        elif b.kind == "destroy" and b.target in w.faction_index:
            s.b_base[i] = _strength(s, (w.faction_index[b.target],))
        elif b.kind == "depots":
            s.b_base[i] = _depot_stock(s, b)
        elif b.kind in ("hold", "capture"):
            s.b_value[i] = _held_share(s, b, camp(w, b.side), entry=b.kind == "capture")
        elif b.kind in ("race", "held_turns"):
            s.b_value[i] = 0.0  # measured from turn 1 on
        elif b.kind == "corridor":
            s.b_value[i] = 1.0 if _corridor_open(s, b) else 0.0
        elif b.kind == "cohesion":
            f = _first_client(w, b.side)
            s.b_value[i] = float(s.f_cohesion[f]) if f is not None else 0.0


def _corridor_open(s: State, b: Benchmark) -> bool:
    w = s.world
    f = _first_client(w, b.side)
    if f is None or b.corridor not in w.board.corridor_index:
        return False
    return is_corridor_open(s, w.board.corridor_index[b.corridor], f)


def update_benchmarks(s: State) -> None:
    """The measures at the end of turn `s.turn` (called by the victory phase)."""
    w = s.world
    facts = (s.controller.tolist(), s.contested.tolist())
    for i, b in enumerate(w.benchmarks):
        last = _last_turn(s, b)
        if b.kind == "hold":
            if s.turn <= last:
                s.b_value[i] = _held_share(s, b, camp(w, b.side), facts)
        elif b.kind == "capture":
            if s.turn <= last:
                s.b_value[i] = max(float(s.b_value[i]), _held_share(s, b, camp(w, b.side), facts, entry=True))
        elif b.kind == "race":
            if s.turn <= last:  # the sooner the camp holds the places, the better: 1 on turn 1, 1/last on the last
                early = (last - s.turn + 1) / last
                s.b_value[i] = max(float(s.b_value[i]), early * _held_share(s, b, camp(w, b.side), facts, entry=True))
        elif b.kind == "held_turns":
            if s.turn <= last:  # the longer the camp holds them, the better: the mean share held over the turns
                s.b_value[i] = float(s.b_value[i]) + _held_share(s, b, camp(w, b.side), facts) / last
        elif b.kind == "keep_forces":
            base = float(s.b_base[i])
            kept = _strength(s, own_forces(w, b.side))
            if b.side in w.patron_index:
                kept += float(s.p_evacuated[w.patron_index[b.side]])
            s.b_value[i] = min(1.0, kept / base) if base > 0 else 1.0
        elif b.kind == "destroy":
            base = float(s.b_base[i])
            if base > 0 and b.target in w.faction_index:
                s.b_value[i] = max(0.0, 1.0 - _strength(s, (w.faction_index[b.target],)) / base)
        elif b.kind == "corridor":
            if s.turn <= last:
                s.b_value[i] = (float(s.b_value[i]) * s.turn + (1.0 if _corridor_open(s, b) else 0.0)) / (s.turn + 1)
        elif b.kind == "depots":
            base = float(s.b_base[i])
            if base > 0:
                s.b_value[i] = max(0.0, 1.0 - _depot_stock(s, b) / base)
        elif b.kind == "cohesion":
            f = _first_client(w, b.side)
            if f is not None:
                s.b_value[i] = float(s.f_cohesion[f])


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
