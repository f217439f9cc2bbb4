"""Dynamic map overlays drawn every frame: highlighted places, planned-order arrows, the hovered
route, reach badges, and the legend box of the current map mode."""

from __future__ import annotations

import math
from collections.abc import Sequence

import pygame

from game.engine import Supply

from . import fonts
from .counters import badge_at
from .drawutil import arrow, arrow_span, boxed_text, contested_ring, dashed_line, river_mark, star, thick_line
from .palette import RGB, Palette, ink_on, mix

Point = tuple[float, float]
INK: RGB = (20, 20, 20)


def ring(surf: pygame.Surface, at: Point, r: float, kind: str, pal: Palette, u: float) -> None:
    """A place highlight: white dashed ring = move, red ring with ticks = attack, orange reticle = strike,
    green ring with a plus = reinforce, gold ring = target."""
    colour = pal.colours.highlight.get(kind, (255, 255, 255))
    w = max(2, round(3 * u))
    x, y = at
    if kind == "move":
        pygame.draw.circle(surf, INK, at, r, w + 2)
        for k in range(8):
            rect = pygame.Rect(0, 0, 2 * r - 2, 2 * r - 2)
            rect.center = (round(x), round(y))
            pygame.draw.arc(surf, colour, rect, k * math.pi / 4, k * math.pi / 4 + math.pi / 6, w)
        return
    pygame.draw.circle(surf, INK, at, r + 1, w + 3)
    pygame.draw.circle(surf, colour, at, r, w)
    if kind in ("attack", "strike"):
        for dx, dy in ((1, 0), (-1, 0), (0, 1), (0, -1)):
            a, b = (x + dx * (r - 4 * u), y + dy * (r - 4 * u)), (x + dx * (r + 7 * u), y + dy * (r + 7 * u))
            thick_line(surf, INK, a, b, w + 3)
            thick_line(surf, colour, a, b, w)
    if kind == "reinforce":
        plus(surf, (x + r * 0.75, y - r * 0.75), 7 * u, colour)


def plus(surf: pygame.Surface, at: Point, r: float, colour: RGB) -> None:
    """A plus badge in a white disc."""
    pygame.draw.circle(surf, (255, 255, 255), at, r + 2)
    pygame.draw.circle(surf, INK, at, r + 2, 1)
    w = max(2, round(r / 2.5))
    pygame.draw.line(surf, colour, (at[0] - r * 0.7, at[1]), (at[0] + r * 0.7, at[1]), w)
    pygame.draw.line(surf, colour, (at[0], at[1] - r * 0.7), (at[0], at[1] + r * 0.7), w)


def reticle(surf: pygame.Surface, at: Point, r: float, colour: RGB, u: float) -> None:
    w = max(1, round(2 * u))
    pygame.draw.circle(surf, INK, at, r + 1, w + 2)
    pygame.draw.circle(surf, colour, at, r, w)
    for dx, dy in ((1, 0), (-1, 0), (0, 1), (0, -1)):
        pygame.draw.line(surf, colour, (at[0] + dx * r * 0.4, at[1] + dy * r * 0.4),
                         (at[0] + dx * r * 1.4, at[1] + dy * r * 1.4), w)


ARROW_STYLE: dict[str, tuple[RGB, bool]] = {
    "move": ((255, 255, 255), False), "attack": ((215, 25, 28), False), "strike": ((240, 140, 0), True),
    "reinforce": ((0, 150, 80), True), "target": ((255, 215, 0), False),
}


def order_arrow(surf: pygame.Surface, a: Point, b: Point, kind: str, u: float, gap: float) -> None:
    """A planned order: bold arrow a→b, shortened so it does not cover the counters at either end, yet
    always long enough to see (places drawn close together)."""
    colour, dashed = ARROW_STYLE.get(kind, ((255, 255, 255), False))
    seg = arrow_span(a, b, gap, 26 * u)
    if seg is None:
        return
    arrow(surf, colour, seg[0], seg[1], 5 * u, INK, dashed)


def order_mark(surf: pygame.Surface, chit: pygame.Rect, kind: str, u: float) -> None:
    """A planned hold (H) or entrench (E) order: a badge at the counter's bottom-right corner."""
    r = max(6, round(8 * u))
    c = (chit.right - 1, chit.bottom - 1)
    fill = (0, 94, 160) if kind == "entrench" else (60, 60, 60)
    pygame.draw.circle(surf, (255, 255, 255), c, r + max(1, round(u)))
    pygame.draw.circle(surf, fill, c, r)
    t = fonts.text("E" if kind == "entrench" else "H", max(7, round(10 * u)), (255, 255, 255), True)
    surf.blit(t, t.get_rect(center=c))


def hover_route(surf: pygame.Surface, a: Point, b: Point, u: float) -> None:
    """The hovered route drawn brighter, under the arrows and counters' highlights."""
    thick_line(surf, INK, a, b, 9 * u)
    thick_line(surf, (255, 230, 90), a, b, 5 * u)


def route_label(surf: pygame.Surface, text: str, at: Point, u: float, pal: Palette, clamp: pygame.Rect) -> None:
    """The hovered route's name in a small box near the cursor."""
    t = fonts.text(text, round(13 * u), INK, True)
    boxed_text(surf, [t], (at[0] + 14 * u, at[1] + 10 * u), pal.colours.panel, pal.colours.panel_edge,
               round(4 * u), clamp)


LegendRow = tuple[str, str, object]
"""(icon kind, text, icon parameter)"""


def legend(rows: Sequence[LegendRow], title: str, pal: Palette, u: float) -> pygame.Surface:
    """A legend box: a title then one icon and one line of text per row."""
    size = round(13 * u)
    line_h = round(22 * u)
    icon_w = round(34 * u)
    pad = round(8 * u)
    title_t = fonts.text(title, round(14 * u), INK, True)
    texts = [fonts.text(text, size, INK) for _, text, _ in rows]
    w = max([title_t.get_width()] + [icon_w + t.get_width() for t in texts]) + 2 * pad
    h = title_t.get_height() + line_h * len(rows) + 2 * pad
    out = pygame.Surface((w, h), pygame.SRCALPHA)
    pygame.draw.rect(out, (*pal.colours.panel, 235), out.get_rect(), border_radius=round(6 * u))
    pygame.draw.rect(out, pal.colours.panel_edge, out.get_rect(), 1, border_radius=round(6 * u))
    out.blit(title_t, (pad, pad))
    y = pad + title_t.get_height()
    for (kind, _, param), t in zip(rows, texts):
        icon = pygame.Rect(pad, y + 3 * u, icon_w - round(8 * u), line_h - round(6 * u))
        _legend_icon(out, kind, param, icon, pal, u)
        out.blit(t, (pad + icon_w, y + (line_h - t.get_height()) // 2))
        y += line_h
    return out


def _legend_icon(surf: pygame.Surface, kind: str, param: object, r: pygame.Rect, pal: Palette, u: float) -> None:
    c = pal.colours
    mid = (r.left, r.centery), (r.right, r.centery)
    if kind == "swatch":
        colour, label = param if isinstance(param, tuple) and len(param) == 2 else ((128, 128, 128), "")
        pygame.draw.rect(surf, colour, r)
        pygame.draw.rect(surf, INK, r, 1)
        if label:
            size = round(9 * u)
            t = fonts.text(str(label), size, ink_on(colour), True)
            while t.get_width() > r.w - 2 and size > 6:
                size -= 1
                t = fonts.text(str(label), size, ink_on(colour), True)
            surf.blit(t, t.get_rect(center=r.center))
    elif kind == "hatch" and isinstance(param, tuple):
        pygame.draw.rect(surf, mix(c.land, param, 0.55), r)
        clip = surf.get_clip()
        surf.set_clip(r)
        for k in range(-r.h, r.w, max(4, round(6 * u))):
            pygame.draw.line(surf, param, (r.left + k, r.bottom), (r.left + k + r.h, r.top),
                             max(1, round(1.5 * u)))
        surf.set_clip(clip)
        pygame.draw.rect(surf, INK, r, 1)
    elif kind == "front":
        thick_line(surf, c.front_halo, *mid, 7 * u)
        thick_line(surf, c.front, *mid, 4 * u)
    elif kind == "line" and isinstance(param, tuple):
        colour, width, dashed = param
        if dashed:
            dashed_line(surf, colour, *mid, width * u, 6 * u, 4 * u)
        else:
            thick_line(surf, colour, *mid, width * u)
    elif kind == "highway":
        thick_line(surf, c.highway, *mid, 5.5 * u)
        thick_line(surf, c.highway_fill, *mid, 2.6 * u)
    elif kind == "river":  # a road with the bar the map draws where a route crosses a river
        thick_line(surf, c.road, *mid, 2.4 * u)
        river_mark(surf, *mid, c.sea, u)
    elif kind == "glow":
        thick_line(surf, mix(c.land, param, 0.6), *mid, 12 * u)  # type: ignore[arg-type]
    elif kind == "star":
        star(surf, r.center, r.h * 0.55, c.star)
    elif kind == "contested":
        contested_ring(surf, (r.left + r.h / 2, r.centery), r.h / 2 - 1, u)
        t = fonts.text("⚔", round(16 * u), (190, 0, 0), True)
        surf.blit(t, t.get_rect(midleft=(r.left + r.h + 1, r.centery)))
    elif kind == "plus":
        plus(surf, r.center, 6 * u, c.highlight["reinforce"])
    elif kind == "reticle":
        reticle(surf, r.center, 6 * u, c.highlight["strike"], u)
    elif kind == "bars":
        bw = max(3, round(5 * u))
        for k, fill in enumerate(((250, 250, 250), (255, 210, 60))):
            bar = pygame.Rect(r.left + 4 + k * (bw + round(8 * u)), r.top, bw, r.h)
            pygame.draw.rect(surf, (45, 45, 45), bar)
            pygame.draw.rect(surf, fill, (bar.x + 1, bar.y + r.h // 3, bw - 2, r.h - r.h // 3 - 1))
    elif kind == "badges":
        badge_at(surf, (r.left + r.w * 0.25, r.centery), int(Supply.LIMITED), u)
        badge_at(surf, (r.left + r.w * 0.72, r.centery), int(Supply.CUT), u)
    elif kind == "routed":
        chit = pygame.Rect(r.left + 3, r.top + 1, r.w - 10, r.h - 2)
        pygame.draw.rect(surf, (170, 170, 170), chit)
        pygame.draw.rect(surf, INK, chit, 1)
        pygame.draw.line(surf, INK, chit.bottomleft, chit.topright, max(2, round(2.5 * u)))
    elif kind == "image" and isinstance(param, pygame.Surface):
        surf.blit(param, param.get_rect(center=r.center))
