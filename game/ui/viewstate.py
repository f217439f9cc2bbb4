"""A State to draw built from a View alone, so the map renderer (which draws States) shows a team exactly
what its view holds: its own units as they are, other sides' units it sees as estimates (strength at the
band's lower bound, cohesion and quality unknown and drawn as full), no other unit at all, and only the
figures of its own sides. The public view (no units) draws the map and who holds what."""

from __future__ import annotations

import numpy as np

from game.engine import State
from game.engine.types import CHANNELS, Posture, Relation, Supply, UnitInfo, UnitType
from game.engine.view import View


def estimate_strength(low: float, high: float) -> float:
    """The strength drawn for an estimate: the band's lower bound (its middle reads as a precise figure)."""
    return float(low) if np.isfinite(low) else float(high)


def shown_state(base: State, view: View) -> State:
    """`base` gives only the public map data (world, rules); everything that changes comes from `view`."""
    w = base.world
    fi = w.faction_index
    place_ix = {p.id: i for i, p in enumerate(w.board.places)}
    infos: list[UnitInfo] = []
    rows: list[tuple[int, int, float, float, int, int, float]] = []
    for u in view.units:
        infos.append(UnitInfo(u.id, u.faction, u.name, UnitType(u.type), u.quality))
        rows.append((fi[u.faction], place_ix[u.place], u.strength, u.cohesion, int(Posture[u.posture.upper()]),
                     int(Supply[u.supply.upper()]), u.stock))
    for e in view.estimates:
        infos.append(UnitInfo(e.id, e.faction, e.name, UnitType(e.type)))
        rows.append((fi[e.faction], place_ix[e.place], estimate_strength(e.low, e.high), 1.0,
                     int(Posture.DEFEND), int(Supply.SUPPLIED), 0.0))
    cols = list(zip(*rows)) if rows else [()] * 7
    nf, npat = len(w.factions), len(w.patrons)
    fv = {f.id: f for f in view.factions}
    pv = {p.id: p for p in view.patrons}
    relations = np.full((nf, nf), int(Relation.NEUTRAL), dtype=np.int8)
    for a, b, rel in view.relations:
        relations[fi[a], fi[b]] = relations[fi[b], fi[a]] = int(Relation[rel.upper()])
    support = np.zeros((npat, len(CHANNELS)))
    for i, p in enumerate(w.patrons):
        s = pv[p.id].support if p.id in pv else None
        if s:
            support[i] = [s.get(ch.value, 0.0) for ch in CHANNELS]

    def own(pid: str, key: str) -> float:
        value = getattr(pv[pid], key, None) if pid in pv else None
        return float(value) if value is not None else 0.0

    def figure(fid: str, key: str) -> float:
        value = getattr(fv[fid], key, None) if fid in fv else None
        return float(value) if value is not None else 0.0

    arrays = {
        "controller": np.array([fi[p.controller] for p in view.places], dtype=np.int16),
        "contested": np.array([p.contested for p in view.places], dtype=np.bool_),
        "route_open": np.array([r.open for r in view.routes], dtype=np.bool_),
        "depot": np.array([p.depot or 0.0 for p in view.places], dtype=np.float64),
        "u_faction": np.array(cols[0], dtype=np.int16), "u_place": np.array(cols[1], dtype=np.int32),
        "u_strength": np.array(cols[2], dtype=np.float64), "u_cohesion": np.array(cols[3], dtype=np.float64),
        "u_posture": np.array(cols[4], dtype=np.int8), "u_supply": np.array(cols[5], dtype=np.int8),
        "u_stock": np.array(cols[6], dtype=np.float64),
        "f_cohesion": np.array([figure(f.id, "cohesion") for f in w.factions], dtype=np.float64),
        "f_score": np.array([figure(f.id, "score") for f in w.factions], dtype=np.float64),
        "f_isolated": np.array([figure(f.id, "isolated") for f in w.factions], dtype=np.float64),
        "f_collapsed": np.array([fv[f.id].collapsed if f.id in fv else False for f in w.factions], dtype=np.bool_),
        "p_support": support,
        "p_capacity": np.array([own(p.id, "capacity") for p in w.patrons], dtype=np.float64),
        "p_reserve": np.array([own(p.id, "reserve") for p in w.patrons], dtype=np.float64),
        "p_evacuated": np.array([own(p.id, "evacuated") for p in w.patrons], dtype=np.float64),
        "relations": relations,
        "b_value": np.zeros(len(w.benchmarks)), "b_base": np.zeros(len(w.benchmarks)),
    }
    return base.copy(turn=view.turn, units=tuple(infos), flags=frozenset(), fired=frozenset(), achieved=(),
                     outcome=None, **arrays)
