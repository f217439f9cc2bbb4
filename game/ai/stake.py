"""The stand of a broken army (hard level): `lookahead.best_plan` plays it, instead of its candidates, for
a faction whose army has broken or breaks in every resolution of them. It gathers the side's units on the
places its benchmarks and victory conditions weigh most and stands there.

The planner spreads a side to screen and to counter-attack; a side whose standing rests on how long
it keeps a few places (held-turns and hold benchmarks, hold victory conditions) does better to pull
every unit that can reach one of them inside it. The stake of a place is in the evaluation's own
units (`lookahead.STANDING` per unit of benchmark weight, victory points as they are)."""

from __future__ import annotations

import numpy as np

from game.engine import Entrench, Hold, Move, Order, State, query
from game.engine.movement import reachable
from game.engine.types import Posture

from .assess import first_legal

HELD_KINDS = ("hold", "held_turns")
"""Benchmark kinds whose measure is the side keeping its places (not taking them)."""


def stakes(s: State, side: str, standing_weight: float) -> np.ndarray:
    """Per place: what `side` stands to lose there if it lets it go, from its keep-benchmarks still
    running (weight shared by their places, × `standing_weight`) and its open hold victory conditions
    (points shared by their places)."""
    w = s.world
    idx = w.board.index
    out = np.zeros(w.board.n_places)
    for b in w.benchmarks:
        if b.side != side or b.kind not in HELD_KINDS or not b.places:
            continue
        if b.by_turn is not None and s.turn > b.by_turn:
            continue
        for p in b.places:
            if p in idx:
                out[idx[p]] += standing_weight * b.weight / len(b.places)
    for vc in w.victory:
        if vc.faction != side or vc.kind != "hold" or not vc.places or vc.id in s.achieved:
            continue
        if vc.by_turn is not None and s.turn > vc.by_turn:
            continue
        for p in vc.places:
            if p in idx:
                out[idx[p]] += vc.points / len(vc.places)
    return out


def concentrate(s: State, side: str, standing_weight: float) -> list[Order] | None:
    """Every unit of faction `side` on a place it controls (even contested) with a stake entrenches there;
    every other unit that can reach such a place this turn moves to the one of highest stake (the nearest
    on a tie), within the stacking limit; the rest entrench where they are. None when the side controls no
    place with a stake."""
    w = s.world
    f = w.faction_index[side]
    value = stakes(s, side, standing_weight)
    keep = (s.controller == f) & (value > 0)  # contested too: it is still the side's to keep
    if not keep.any():
        return None
    room = {int(q): query.stack_limit(s, int(q)) - query.stack_count(s, f, int(q)) for q in np.flatnonzero(keep)}
    orders: list[Order] = []
    routed = int(Posture.ROUTED)
    for u in query.units_of(s, f).tolist():
        uid = s.units[u].id
        here = int(s.u_place[u])
        if keep[here] or int(s.u_posture[u]) == routed:
            orders.append(first_legal(s, side, [Entrench(uid)]) or Hold(uid))
            continue
        cost = reachable(s, u).cost
        options = [(float(value[q]), -float(cost[q]), q) for q in room if q in cost and room[q] > 0]
        best = max(options, default=None)
        go = first_legal(s, side, [Move(uid, w.board.places[best[2]].id)]) if best is not None else None
        if best is not None and go is not None:
            orders.append(go)
            room[best[2]] -= 1
        else:
            orders.append(first_legal(s, side, [Entrench(uid)]) or Hold(uid))
    return orders


def broken_stand(s: State, side: str, standing_weight: float, breaking: bool = False) -> list[Order] | None:
    """The plan of a faction whose army has broken (`f_collapsed`), or is `breaking` (it broke in every
    resolution the lookahead made of its candidates): `concentrate`, else None. A broken army's units
    desert and waver whatever they are told, so a one-turn evaluation of its plans mostly measures the
    collapse's dice; what its standing can still gain is the turns it keeps its stakes, which a forward
    screen thins out."""
    f = s.world.faction_index.get(side)
    if f is None or not (breaking or bool(s.f_collapsed[f])):
        return None
    return concentrate(s, side, standing_weight)
