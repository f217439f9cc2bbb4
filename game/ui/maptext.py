"""Words for the map: tooltips for places, units and routes, and the legend rows of each map mode.

Tooltips show only what the viewing side may see on the shared map (control, units present,
supply for the viewer's own faction), never another side's planned orders.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from game.engine import Posture, State, Supply
from game.engine.query import units_at

from .counters import size_marker
from .overlays import LegendRow
from .palette import RGB, Palette, mix

SUPPLY_WORDS = ("supplied", "limited", "cut off", "not held")


def faction_of_side(state: State, side: str | None) -> int | None:
    """The faction a side sees supply for: itself, or a patron's first client."""
    w = state.world
    if side in w.faction_index:
        return w.faction_index[side]  # type: ignore[index]
    if side in w.patron_index:
        clients = [c for c in w.patrons[w.patron_index[side]].clients if c in w.faction_index]  # type: ignore[index]
        return w.faction_index[clients[0]] if clients else None
    return None


def patrons_of_side(state: State, side: str | None) -> list[int]:
    """Patrons whose reach a side sees: itself, a faction's patrons, or every patron."""
    w = state.world
    if side in w.patron_index:
        return [w.patron_index[side]]  # type: ignore[index]
    if side in w.faction_index:
        return [i for i, p in enumerate(w.patrons) if side in p.clients]
    return list(range(len(w.patrons)))


def supply_classes(state: State, dist: NDArray[np.float64], faction: int | None) -> NDArray[np.int8]:
    """Per place: 0 supplied, 1 limited, 2 cut, 3 not held — for `faction`, or for each place's controller."""
    w, r = state.world, state.rules
    n = w.board.n_places
    ctrl = state.controller.astype(np.intp)
    viewer = np.full(n, faction, dtype=np.intp) if faction is not None else ctrl
    d = dist[viewer, np.arange(n)] if len(w.factions) else np.full(n, np.inf)
    out = np.full(n, 2, dtype=np.int8)
    out[d <= r.limited_range_km] = 1
    out[d <= r.supply_range_km] = 0
    out[~w.friendly[viewer, ctrl]] = 3
    return out


def place_lines(state: State, i: int, supply_class: int | None, viewer: str, victory: bool) -> list[str]:
    w = state.world
    p = w.board.places[i]
    f = w.factions[int(state.controller[i])]
    lines = [p.name, f"{p.kind.value}, {p.terrain.value}" + (f", fortified {p.fort}" if p.fort else ""),
             f"Held by {f.name} ({f.short})" + (" — contested" if state.contested[i] else "")]
    at = units_at(state, i)
    by_faction: dict[int, list[int]] = {}
    for u in at.tolist():
        by_faction.setdefault(int(state.u_faction[u]), []).append(u)
    for fi, us in by_faction.items():
        total = float(state.u_strength[us].sum())
        lines.append(f"Units: {len(us)} {w.factions[fi].short}, {total:,.0f} troops")
    if not at.size:
        lines.append("No units")
    if supply_class is not None:
        lines.append(f"Supply for {viewer}: {SUPPLY_WORDS[supply_class]}")
    value = f"Value {p.value:g}" + (" — victory objective" if victory else "")
    lines.append(value)
    if p.leads_to:
        lines.append(f"Border crossing to {p.leads_to}")
    return lines


def unit_lines(state: State, u: int, full: float) -> list[str]:
    w = state.world
    info = state.units[u]
    f = w.factions[int(state.u_faction[u])]
    strength = float(state.u_strength[u])
    pct = f" ({100 * strength / full:.0f}% of full)" if full > 0 else ""
    return [info.name, f"{f.name} ({f.short})",
            f"{info.type.value.replace('_', ' ')}, {size_marker(strength)}, quality {info.quality:g}",
            f"{strength:,.0f} troops{pct}", f"Cohesion {float(state.u_cohesion[u]):.2f}",
            "Routed: falls back, cannot attack" if int(state.u_posture[u]) == int(Posture.ROUTED) else
            f"Posture {Posture(int(state.u_posture[u])).label}",
            f"Supply {Supply(int(state.u_supply[u])).label}",
            f"At {w.board.places[int(state.u_place[u])].name}"]


def route_text(state: State, r: int) -> str:
    route = state.world.board.routes[r]
    name = f"{route.name} " if route.name else ""
    river = ", crosses a river" if route.river else ""
    closed = " — closed" if not state.route_open[r] else ""
    return f"{name}{route.kind.value}, {route.length_km:.0f} km{river}{closed}"


def legend_rows(state: State, mode: str, side: str | None, pal: Palette) -> tuple[str, list[LegendRow]]:
    """(title, rows) for the legend box of a map mode."""
    w = state.world
    c = pal.colours
    if mode == "supply":
        fi = faction_of_side(state, side)
        who = w.factions[fi].short if fi is not None else "each holder"
        r = state.rules
        return f"Supply for {who}", [
            ("swatch", f"supplied (≤ {r.supply_range_km:.0f} km from a source)", (supply_fill(pal, 0), "")),
            ("swatch", f"limited (≤ {r.limited_range_km:.0f} km)", (supply_fill(pal, 1), "")),
            ("hatch", "cut off", c.cut),
            ("swatch", "not held", (c.not_held, "")),
            ("front", "front line", None)]
    if mode == "reach":
        names = ", ".join(w.patrons[i].name for i in patrons_of_side(state, side)) or "none"
        return f"Patron reach: {names}", [
            ("glow", "corridor open", c.corridor_open), ("glow", "corridor closed", c.corridor_closed),
            ("plus", "reinforcements can arrive", None), ("reticle", "air strike targets", None),
            ("front", "front line", None)]
    present = set(state.controller.tolist()) | set(state.u_faction[state.u_strength > 0].tolist())
    rows: list[LegendRow] = [("swatch", f.name.split(" (")[0], (pal.faction(i), f.short))
                             for i, f in enumerate(w.factions) if i in present]
    rows += [("front", "front line", None), ("contested", "contested place", None),
             ("star", "victory objective", None), ("highway", "highway", None),
             ("line", "road / track", (c.road, 2.4, False))]
    if any(route.river for route in w.board.routes):
        rows.append(("river", "river crossing: attacks across it at worse odds", None))
    if w.board.corridors:
        rows.append(("glow", "supply corridor (open)", c.corridor_open))
    rows += [("bars", "unit bars: troops, cohesion", None), ("badges", "supply limited / cut off", None),
             ("routed", "routed unit: falls back", None)]
    return "Control", rows


def supply_fill(pal: Palette, cls: int) -> RGB:
    """Territory colour of a supply class: supplied, limited, cut, not held."""
    c = pal.colours
    return [mix(c.land, c.supplied, 0.45), mix(c.land, c.limited, 0.8), mix(c.land, c.cut, 0.55), c.not_held][cls]
