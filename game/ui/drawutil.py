"""Small drawing primitives for the map: dashed lines, thick polylines with round joints, arrows, stars."""

from __future__ import annotations

import math
from collections.abc import Sequence

import pygame

RGB = tuple[int, int, int]
Point = tuple[float, float]


def thick_line(surf: pygame.Surface, colour: RGB | tuple[int, int, int, int], a: Point, b: Point,
               width: float) -> None:
    """A line with round caps, so consecutive segments join smoothly."""
    w = max(1, round(width))
    pygame.draw.line(surf, colour, a, b, w)
    if w >= 3:
        r = w / 2
        pygame.draw.circle(surf, colour, a, r)
        pygame.draw.circle(surf, colour, b, r)


def dashed_line(surf: pygame.Surface, colour: RGB | tuple[int, int, int, int], a: Point, b: Point, width: float,
                dash: float, gap: float, phase: float = 0.0) -> None:
    """Dashes of length `dash` separated by `gap` from a to b."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    length = math.hypot(dx, dy)
    if length < 1e-6:
        return
    ux, uy = dx / length, dy / length
    t = -phase
    w = max(1, round(width))
    while t < length:
        s, e = max(0.0, t), min(length, t + dash)
        if e > s:
            pygame.draw.line(surf, colour, (a[0] + ux * s, a[1] + uy * s), (a[0] + ux * e, a[1] + uy * e), w)
        t += dash + gap


def dotted_line(surf: pygame.Surface, colour: RGB, a: Point, b: Point, radius: float, gap: float) -> None:
    dx, dy = b[0] - a[0], b[1] - a[1]
    length = math.hypot(dx, dy)
    n = max(1, int(length / max(1.0, gap)))
    for k in range(n + 1):
        t = k / n
        pygame.draw.circle(surf, colour, (a[0] + dx * t, a[1] + dy * t), radius)


def shorten(a: Point, b: Point, start: float, end: float) -> tuple[Point, Point] | None:
    """The segment a→b with `start` pixels cut at a and `end` at b; None if nothing is left."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    length = math.hypot(dx, dy)
    if length <= start + end + 2:
        return None
    ux, uy = dx / length, dy / length
    return (a[0] + ux * start, a[1] + uy * start), (b[0] - ux * end, b[1] - uy * end)


def arrow_span(a: Point, b: Point, gap: float, min_len: float) -> tuple[Point, Point] | None:
    """The part of a→b an arrow is drawn on: `gap` pixels kept clear at both ends so the counters show,
    but never shorter than `min_len` (a short arrow then starts nearer a and may end past b's edge,
    rather than vanish under the counters). None only when a and b coincide."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    length = math.hypot(dx, dy)
    if length < 1e-6:
        return None
    seg = shorten(a, b, gap, gap)
    if seg is not None and math.dist(*seg) >= min_len:
        return seg
    ux, uy = dx / length, dy / length
    start = max(0.0, min(gap, (length - min_len) / 2))
    return (a[0] + ux * start, a[1] + uy * start), (a[0] + ux * (start + min_len), a[1] + uy * (start + min_len))


def arrow(surf: pygame.Surface, colour: RGB, a: Point, b: Point, width: float, outline: RGB = (20, 20, 20),
          dashed: bool = False) -> None:
    """A bold arrow from a to b with a dark outline, head at b."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    length = math.hypot(dx, dy)
    if length < 2:
        return
    ux, uy = dx / length, dy / length
    head = min(length * 0.6, width * 3.2)
    base = (b[0] - ux * head, b[1] - uy * head)
    nx, ny = -uy, ux
    tri = [b, (base[0] + nx * head * 0.6, base[1] + ny * head * 0.6),
           (base[0] - nx * head * 0.6, base[1] - ny * head * 0.6)]
    thick_line(surf, outline, a, base, width + 3)
    pygame.draw.polygon(surf, outline, tri)
    pygame.draw.polygon(surf, outline, tri, 3)
    if dashed:
        dashed_line(surf, colour, a, base, width, width * 2.2, width * 1.3)
    else:
        thick_line(surf, colour, a, base, width)
    pygame.draw.polygon(surf, colour, tri)


def star_points(centre: Point, r: float) -> list[Point]:
    pts = []
    for k in range(10):
        ang = -math.pi / 2 + k * math.pi / 5
        rr = r if k % 2 == 0 else r * 0.45
        pts.append((centre[0] + rr * math.cos(ang), centre[1] + rr * math.sin(ang)))
    return pts


def star(surf: pygame.Surface, centre: Point, r: float, fill: RGB, edge: RGB = (20, 20, 20)) -> None:
    pts = star_points(centre, r)
    pygame.draw.polygon(surf, fill, pts)
    pygame.draw.polygon(surf, edge, pts, max(1, round(r / 6)))


def polyline(surf: pygame.Surface, colour: RGB | tuple[int, int, int, int], pts: Sequence[Point], width: float) -> None:
    for a, b in zip(pts, pts[1:]):
        thick_line(surf, colour, a, b, width)


def segment_distance(p: Point, a: Point, b: Point) -> float:
    """Distance from p to the segment a-b."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    ll = dx * dx + dy * dy
    t = 0.0 if ll == 0 else max(0.0, min(1.0, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / ll))
    return math.hypot(p[0] - (a[0] + t * dx), p[1] - (a[1] + t * dy))


def boxed_text(surf: pygame.Surface, lines: list[pygame.Surface], pos: Point, bg: RGB, edge: RGB,
               pad: int = 6, clamp: pygame.Rect | None = None) -> pygame.Rect:
    """Lines of rendered text in a box whose top-left is near pos, kept inside `clamp`."""
    w = max((t.get_width() for t in lines), default=0) + 2 * pad
    h = sum(t.get_height() for t in lines) + 2 * pad
    box = pygame.Rect(round(pos[0]), round(pos[1]), w, h)
    if clamp is not None:
        box = box.clamp(clamp)
    pygame.draw.rect(surf, bg, box, border_radius=4)
    pygame.draw.rect(surf, edge, box, 1, border_radius=4)
    y = box.y + pad
    for t in lines:
        surf.blit(t, (box.x + pad, y))
        y += t.get_height()
    return box


def contested_ring(surf: pygame.Surface, at: tuple[float, float], r: float, u: float) -> None:
    """Alternating dark and red arcs: a place with hostile units of two factions."""
    rect = pygame.Rect(0, 0, 2 * r, 2 * r)
    rect.center = (round(at[0]), round(at[1]))
    w = max(2, round(3 * u))
    for k in range(12):
        colour = (200, 0, 0) if k % 2 else (20, 20, 20)
        pygame.draw.arc(surf, colour, rect, k * math.pi / 6, (k + 1) * math.pi / 6, w)


def river_mark(surf: pygame.Surface, p: tuple[float, float], q: tuple[float, float], colour: tuple[int, int, int],
               u: float) -> None:
    """Where a route crosses a river: a short water-blue bar across it at its middle, outlined, so a player sees
    why an attack along it is at worse odds (the combat preview names the shift); the legend draws the same."""
    dx, dy = q[0] - p[0], q[1] - p[1]
    length = math.hypot(dx, dy)
    if length < 1e-6:
        return
    mx, my = (p[0] + q[0]) / 2, (p[1] + q[1]) / 2
    nx, ny = -dy / length * 7 * u, dx / length * 7 * u  # across the route, 7 units each way
    a, z = (mx - nx, my - ny), (mx + nx, my + ny)
    thick_line(surf, (30, 40, 60), a, z, 5.5 * u)
    thick_line(surf, colour, a, z, 3.2 * u)
