"""Where counters and labels go: stacks per faction at each place, spread apart where they
would overlap, then labels in the free space. Positions are relative to place 0's screen
position, so a pan reuses the layout."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pygame
from numpy.typing import NDArray

from game.engine import Channel, State
from game.engine.legal import reinforce_places, strike_targets
from game.engine.orders import support_level
from game.engine.query import occupancy, units_at

from . import maplayers, maptext, overlays
from .counters import Stack, counter_size, spread
from .palette import Palette

if TYPE_CHECKING:
    from .mapdraw import MapRenderer


@dataclass
class Layout:
    stacks: list[Stack]
    labels: list[tuple[pygame.Surface, pygame.Rect]]
    importance: NDArray[np.float64]
    counter_scale: float
    label_places: list[int] = field(default_factory=list)
    """The place of each label."""
    label_spots: list[list[pygame.Rect]] = field(default_factory=list)
    """Every spot each label had around its place, best first (see maplayers.label_spots)."""
    bodies: list[pygame.Rect] = field(default_factory=list)
    """What labels keep clear of: each place's marker (with its counters when they sit by it), by place, then
    the counters pushed away from their places."""


def _groups(state: State, moving: frozenset[int]) -> list[tuple[int, list[tuple[int, list[int]]]]]:
    """Per place with living units: (place, [(faction, units strongest first)]), the holder first."""
    occ = occupancy(state)
    out = []
    for p in np.flatnonzero(np.diff(occ.grouped()[1]) > 0).tolist():
        at = [u for u in units_at(state, p).tolist() if u not in moving]
        if not at:
            continue
        holder = int(state.controller[p])
        factions = sorted({int(state.u_faction[u]) for u in at}, key=lambda f: (f != holder, f))
        stacks = [(f, sorted((u for u in at if state.u_faction[u] == f), key=lambda u: -state.u_strength[u]))
                  for f in factions]
        out.append((p, stacks))
    return out


def layout_for(r: MapRenderer, state: State, pts: NDArray[np.float64], cu: float, moving: frozenset[int]) -> Layout:
    rel = pts - pts[0] if len(pts) else pts
    imp = maplayers.importance(state)
    w, h = counter_size(cu)
    gap = round(5 * cu)
    step = max(2, round(3 * cu))
    groups = _groups(state, moving)
    anchors = np.array([rel[p] for p, _ in groups], dtype=np.float64).reshape(-1, 2)
    widths = np.array([len(g) * w + (len(g) - 1) * gap for _, g in groups], dtype=np.float64)
    half = np.stack([widths / 2 + 2 * step, np.full(len(groups), h / 2 + 2 * step)], axis=1) if groups else \
        np.zeros((0, 2))
    pos = spread(anchors, half)
    stacks: list[Stack] = []
    for (p, g), (x, y), width in zip(groups, pos.tolist(), widths.tolist()):
        left = x - width / 2
        for k, (f, units) in enumerate(g):
            rect = pygame.Rect(0, 0, w, h)
            rect.center = (round(left + k * (w + gap) + w / 2), round(y))
            stacks.append(Stack(p, f, units, rect))
    bodies = []
    for i in range(len(rel)):
        rad = maplayers.marker_radius(float(imp[i]), r.ui_scale)
        bodies.append(pygame.Rect(round(rel[i, 0] - rad), round(rel[i, 1] - rad), round(2 * rad), round(2 * rad)))
    for st in stacks:
        chit = st.rect.inflate(2 * step, 2 * step).move(step, -step)
        home = bodies[st.place]
        if chit.inflate(6, 6).colliderect(home):
            bodies[st.place] = home.union(chit)
        else:
            bodies.append(chit)
    placed = maplayers.arrange_labels(state, r.palette, r.ui_scale, imp, r.victory, bodies, rel)
    return Layout(stacks, [(t, spot) for t, spot, _, _ in placed], imp, cu, [p for _, _, p, _ in placed],
                  [spots for _, _, _, spots in placed], bodies)


def scaled_layout(lay: Layout, k: float) -> Layout:
    """A layout stretched by `k` (a zoom in progress): counters keep their size and move with their places;
    labels are left out."""
    stacks = []
    for st in lay.stacks:
        rect = st.rect.copy()
        rect.center = (round(st.rect.centerx * k), round(st.rect.centery * k))
        stacks.append(Stack(st.place, st.faction, st.units, rect))
    return Layout(stacks, [], lay.importance, lay.counter_scale)


def reach_marks(surf: pygame.Surface, state: State, pts: NDArray[np.float64], side: str | None, pal: Palette,
                u: float) -> None:
    """Reach mode: a plus where the side's patrons can land reinforcements, a reticle on strike targets."""
    w = state.world
    plus_at: set[int] = set()
    strike_at: set[int] = set()
    present = occupancy(state).present
    for pi in maptext.patrons_of_side(state, side):
        if support_level(state, pi, Channel.GROUND) > 0 and state.p_reserve[pi] > 0:
            for c in w.patrons[pi].clients:
                if c in w.faction_index:
                    plus_at.update(reinforce_places(state, pi, w.faction_index[c]))
        if support_level(state, pi, Channel.AIR) > 0:
            mask = strike_targets(state, pi)
            strike_at.update(np.flatnonzero((present & mask[None, :]).any(axis=1)).tolist())
    for p in strike_at:
        overlays.reticle(surf, (pts[p, 0] - 12 * u, pts[p, 1] - 12 * u), 7 * u, pal.colours.highlight["strike"], u)
    for p in plus_at:
        overlays.plus(surf, (pts[p, 0] + 12 * u, pts[p, 1] - 12 * u), 7 * u, pal.colours.highlight["reinforce"])
