"""Place labels at the edge of the map's viewport. The layout places every label once per zoom, relative to
the map, so that a pan reuses it; the viewport's edge then cuts the labels that reach past it, and the
widgets fixed over the map (the legend's button) hide those under them. At draw time such a label takes
another of its spots that the viewport holds and no widget covers, or slides inside the viewport, clear of
every label shown; one that cannot, or whose place lies outside the viewport, is left out rather than cut."""

from __future__ import annotations

from collections.abc import Collection, Sequence

import numpy as np
import pygame
from numpy.typing import NDArray

from .maplayers import MAJOR_LABEL, covered
from .maplayout import Layout


def on_screen(lay: Layout, viewport: tuple[int, int, int, int], pts: NDArray[np.float64], off: tuple[int, int],
              loose: Collection[int], covered: Sequence[pygame.Rect] = ()) -> list[tuple[int, pygame.Rect]]:
    """`fit_labels` in screen pixels: `pts` the places' screen positions, `off` place 0's (rounded), `covered`
    what widgets over the map hide."""
    view = pygame.Rect(viewport).move(-off[0], -off[1])
    hidden = [pygame.Rect(r).move(-off[0], -off[1]) for r in covered]
    return [(k, spot.move(off)) for k, spot in fit_labels(lay, view, pts - off, loose, hidden)]


def fit_labels(lay: Layout, view: pygame.Rect, marks: NDArray[np.float64], loose: Collection[int],
               covered: Sequence[pygame.Rect] = ()) -> list[tuple[int, pygame.Rect]]:
    """(label, spot) for each label that shows in `view`, the viewport in the layout's coordinates (`marks`:
    the places' positions in them too; `covered`: what widgets fixed over the map hide, in them too). Only the
    labels of `loose` (those drawn with each frame) move; the others are drawn already, and `view` must hold
    those it shows, clear of `covered`."""
    rects = [r for _, r in lay.labels]
    taken: list[pygame.Rect] = []
    out: list[tuple[int, pygame.Rect]] = []
    cut: list[int] = []
    for k in view.collidelistall(rects):
        if k in loose and (not view.contains(rects[k]) or rects[k].collidelist(covered) >= 0):
            cut.append(k)
            continue
        taken.append(rects[k].inflate(-2, -2))
        out.append((k, rects[k]))
    if not cut:
        return out
    near = view.collidelistall(lay.bodies)
    for k in cut:  # most important first, as the layout placed them
        p = lay.label_places[k]
        if not view.collidepoint(float(marks[p, 0]), float(marks[p, 1])):
            continue
        others = [lay.bodies[j] for j in near if j != p]
        spot = refit(lay.label_spots[k], lay.bodies[p], view, taken, others,
                     float(lay.importance[p]) >= MAJOR_LABEL, covered)
        if spot is not None:
            out.append((k, spot))
            taken.append(spot.inflate(-2, -2))
    return out


def refit(spots: list[pygame.Rect], own: pygame.Rect, view: pygame.Rect, taken: list[pygame.Rect],
          others: list[pygame.Rect], major: bool, hidden: Sequence[pygame.Rect] = ()) -> pygame.Rect | None:
    """A spot inside `view` for a label the viewport cuts or a widget hides, clear of the labels `taken` and of
    what the widgets cover (`hidden`): the first of its spots (`label_spots`: below, above, then beside its
    place) that the viewport holds, else one slid inside it, off the place's own marker and counters, each
    first where it covers no other body; failing that, a major place's label takes the one covering the least
    of them, as in the layout. None: the label is left out."""
    def free(r: pygame.Rect) -> bool:
        return r.inflate(-2, -2).collidelist(taken) < 0 and r.collidelist(hidden) < 0

    inside = [s for s in spots if view.contains(s) and free(s)]
    slid = [s for s in slides(spots, own, view) if free(s)]
    for group in (inside, slid):
        clear = next((s for s in group if s.collidelist(others) < 0), None)
        if clear is not None:
            return clear
    tries = inside + slid
    if not major or not tries:
        return None
    return min(tries, key=lambda s: covered(s, others))


def slides(spots: list[pygame.Rect], own: pygame.Rect, view: pygame.Rect) -> list[pygame.Rect]:
    """The spots moved inside `view` off `own`: each spot as near as it fits, then the spots below and above
    the place moved sideways, step by step, as far as they still reach over the place."""
    out = [s.clamp(view) for s in spots if s.w <= view.w and s.h <= view.h]
    step = max(4, own.w // 2)
    for s in spots[:2]:
        if s.w > view.w or s.h > view.h:
            continue
        lo, hi = max(view.left, own.centerx - s.w + step), min(view.right - s.w, own.centerx - step)
        for x in sorted(range(lo, hi + 1, step), key=lambda x: abs(x - s.x)):
            out.append(pygame.Rect(x, s.y, s.w, s.h).clamp(view))
    return [s for s in out if view.contains(s) and not s.colliderect(own)]
