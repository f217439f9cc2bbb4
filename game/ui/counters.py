"""Unit counters in the style of NATO APP-6: a coloured chit with the size marker, a framed type
symbol, the faction's short name, a strength bar (left) and a cohesion bar (right).

Colour is never the only cue: the short name is printed on every counter, routed units are
struck through, and supply problems carry a shaped badge (triangle = limited, black disc = cut).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pygame

from game.engine import Posture, Supply, UnitType

from . import fonts
from .palette import RGB, ink_on, mix

INK: RGB = (20, 20, 20)
BASE_W, BASE_H = 44, 40
"""Counter size in pixels at unit scale 1."""
PLAIN_BELOW = 0.5
"""Below this scale a counter is a plain chit in the faction's colour (too small for symbols and text)."""


@dataclass(frozen=True)
class CounterInfo:
    """What a counter shows; quantised so equal-looking counters share one cached image."""

    colour: RGB
    short: str
    utype: UnitType
    size: str
    strength: float
    """Fraction of full strength, 0..1 (quantised to 1/20)."""
    cohesion: float
    supply: int
    posture: int


def size_marker(strength: float) -> str:
    """APP-6 echelon marker from personnel: II battalion, III regiment, X brigade, XX division."""
    if strength >= 8000:
        return "XX"
    if strength >= 2500:
        return "X"
    if strength >= 800:
        return "III"
    return "II"


def counter_size(u: float) -> tuple[int, int]:
    return (max(12, round(BASE_W * u)), max(11, round(BASE_H * u)))


def _q(v: float) -> float:
    return round(max(0.0, min(1.0, v)) * 20) / 20


def make_info(colour: RGB, short: str, utype: UnitType, strength: float, full: float, cohesion: float,
              supply: int, posture: int) -> CounterInfo:
    frac = strength / full if full > 0 else 1.0
    return CounterInfo(colour, short, utype, size_marker(strength), _q(frac), _q(cohesion), int(supply), int(posture))


def _symbol(surf: pygame.Surface, box: pygame.Rect, utype: UnitType, lw: int, u: float) -> None:
    """The APP-6 land unit symbol inside the frame `box`."""
    cross = utype in (UnitType.INFANTRY, UnitType.MECHANISED, UnitType.MILITIA)
    if cross:
        pygame.draw.line(surf, INK, box.topleft, (box.right - 1, box.bottom - 1), lw)
        pygame.draw.line(surf, INK, (box.left, box.bottom - 1), (box.right - 1, box.top), lw)
    if utype in (UnitType.ARMOUR, UnitType.MECHANISED):
        oval = box.inflate(-box.w * 0.36, -box.h * 0.42)
        pygame.draw.ellipse(surf, INK, oval, lw)
    if utype is UnitType.ARTILLERY:
        r = max(2, round(box.h * 0.2))
        pygame.draw.circle(surf, INK, box.center, r)
    if utype is UnitType.SPECIAL_FORCES:
        t = fonts.text("SF", max(7, round(10 * u)), INK, True)
        surf.blit(t, t.get_rect(center=box.center))
    if utype is UnitType.MILITIA:
        t = fonts.text("M", max(6, round(7.5 * u)), INK, True)
        tri = pygame.Rect(box.left, box.centery, box.w, box.h // 2)
        bg = t.get_rect(midbottom=(tri.centerx, tri.bottom + 1))
        pygame.draw.rect(surf, (255, 255, 255), bg.inflate(2, 0))
        surf.blit(t, bg)


def _bar(surf: pygame.Surface, rect: pygame.Rect, frac: float, fill: RGB) -> None:
    pygame.draw.rect(surf, (45, 45, 45), rect)
    h = round((rect.h - 2) * frac)
    if h > 0:
        pygame.draw.rect(surf, fill, (rect.x + 1, rect.bottom - 1 - h, rect.w - 2, h))


def _fit_text(s: str, size: int, colour: RGB, max_w: int) -> pygame.Surface:
    t = fonts.text(s, size, colour, True)
    while t.get_width() > max_w and size > 6:
        size -= 1
        t = fonts.text(s, size, colour, True)
    return t


@lru_cache(maxsize=2048)
def counter_image(info: CounterInfo, u: float) -> pygame.Surface:
    """The counter as a transparent surface of counter_size(u) plus a margin for badges."""
    w, h = counter_size(u)
    m = max(3, round(6 * u))
    surf = pygame.Surface((w + 2 * m, h + 2 * m), pygame.SRCALPHA)
    chit = pygame.Rect(m, m, w, h)
    routed = info.posture == int(Posture.ROUTED)
    colour = mix(info.colour, (150, 150, 150), 0.6) if routed else info.colour
    ink = ink_on(colour)
    lw = max(1, round(1.6 * u))
    if u < PLAIN_BELOW:
        pygame.draw.rect(surf, colour, chit)
        pygame.draw.rect(surf, INK, chit, 1)
        if routed:
            pygame.draw.line(surf, INK, chit.bottomleft, chit.topright, 2)
        return surf
    if info.posture == int(Posture.ENTRENCH):
        pygame.draw.rect(surf, INK, chit.inflate(2 * lw + 2, 2 * lw + 2), lw, border_radius=max(1, round(4 * u)))
    pygame.draw.rect(surf, colour, chit, border_radius=max(1, round(3 * u)))
    pygame.draw.rect(surf, INK, chit, lw, border_radius=max(1, round(3 * u)))
    bar_w = max(3, round(4 * u))
    box = pygame.Rect(0, 0, w - 2 * bar_w - round(8 * u), round(h * 0.40))
    box.midtop = (chit.centerx, chit.top + round(h * 0.24))
    pygame.draw.rect(surf, mix(colour, (255, 255, 255), 0.75), box)
    _symbol(surf, box, info.utype, lw, u)
    pygame.draw.rect(surf, INK, box, lw)
    size_t = fonts.text(info.size, max(6, round(8.5 * u)), ink, True)
    surf.blit(size_t, size_t.get_rect(midbottom=(chit.centerx, box.top + 1)))
    name_t = _fit_text(info.short, max(7, round(10.5 * u)), ink, w - 2 * bar_w - 4)
    surf.blit(name_t, name_t.get_rect(midtop=(chit.centerx, box.bottom)))
    inner = chit.inflate(-2 * lw, -2 * lw)
    _bar(surf, pygame.Rect(inner.left + 1, inner.top + 2, bar_w, inner.h - 4), info.strength, (250, 250, 250))
    _bar(surf, pygame.Rect(inner.right - 1 - bar_w, inner.top + 2, bar_w, inner.h - 4), info.cohesion,
         (255, 210, 60))
    if routed:
        pygame.draw.line(surf, INK, chit.bottomleft, chit.topright, max(2, round(3 * u)))
    supply_badge(surf, chit, info.supply, u)
    return surf


def supply_badge(surf: pygame.Surface, chit: pygame.Rect, supply: int, u: float) -> None:
    """At the chit's top-right corner: a yellow triangle with '!' = limited, a black disc with a cross = cut."""
    badge_at(surf, (chit.right - 1, chit.top + 1), supply, u)


def badge_at(surf: pygame.Surface, centre: tuple[float, float], supply: int, u: float) -> None:
    r = max(4, round(6.5 * u))
    cx, cy = centre
    if supply == int(Supply.LIMITED):
        pts = [(cx, cy - r), (cx + r, cy + r * 0.8), (cx - r, cy + r * 0.8)]
        pygame.draw.polygon(surf, (255, 215, 0), pts)
        pygame.draw.polygon(surf, INK, pts, max(1, round(u)))
        t = fonts.text("!", max(6, round(9 * u)), INK, True)
        surf.blit(t, t.get_rect(center=(cx, cy + r * 0.25)))
    elif supply == int(Supply.CUT):
        pygame.draw.circle(surf, INK, (cx, cy), r)
        pygame.draw.circle(surf, (255, 255, 255), (cx, cy), r, max(1, round(u)))
        d = r * 0.5
        lw = max(1, round(1.6 * u))
        pygame.draw.line(surf, (255, 255, 255), (cx - d, cy - d), (cx + d, cy + d), lw)
        pygame.draw.line(surf, (255, 255, 255), (cx - d, cy + d), (cx + d, cy - d), lw)


def margin(u: float) -> int:
    return max(3, round(6 * u))


def draw_stack(surf: pygame.Surface, centre: tuple[float, float], u: float, infos: list[CounterInfo],
               count: int) -> pygame.Rect:
    """A stack centred at `centre`: up to two shadow counters and the top one, with a count badge.
    Returns the top counter's chit rectangle."""
    w, h = counter_size(u)
    step = max(2, round(3 * u))
    shadows = min(len(infos) - 1, 2)
    top = pygame.Rect(0, 0, w, h)
    top.center = (round(centre[0]), round(centre[1]))
    for k in range(shadows, 0, -1):
        shadow = top.move(k * step, -k * step)
        pygame.draw.rect(surf, infos[k].colour, shadow, border_radius=max(1, round(3 * u)))
        pygame.draw.rect(surf, INK, shadow, max(1, round(1.2 * u)), border_radius=max(1, round(3 * u)))
    m = margin(u)
    surf.blit(counter_image(infos[0], u), (top.x - m, top.y - m))
    if count > 1:
        _count_badge(surf, top, count, u)
    return top


def _count_badge(surf: pygame.Surface, chit: pygame.Rect, count: int, u: float) -> None:
    """How many units the stack holds: a dark disc with a bold white number, readable at the first zoom."""
    r = max(7, round(9 * u))
    c = (chit.left + 1, chit.top + 1)
    pygame.draw.circle(surf, (255, 255, 255), c, r + max(1, round(1.5 * u)))
    pygame.draw.circle(surf, INK, c, r)
    t = fonts.text(str(count), max(8, round(12 * u)), (255, 255, 255), True)
    surf.blit(t, t.get_rect(center=(c[0], c[1] + 1)))


def selection_ring(surf: pygame.Surface, chit: pygame.Rect, u: float, colour: RGB) -> None:
    """A bold outline around a selected counter."""
    lw = max(2, round(3 * u))
    pygame.draw.rect(surf, INK, chit.inflate(4 * lw, 4 * lw), lw + 2, border_radius=round(5 * u))
    pygame.draw.rect(surf, colour, chit.inflate(4 * lw, 4 * lw), lw, border_radius=round(5 * u))


@dataclass
class Stack:
    """One faction's units at one place as drawn: top unit first, and the top counter's rectangle."""

    place: int
    faction: int
    units: list[int]
    rect: pygame.Rect


def spread(anchors: np.ndarray, half: np.ndarray, iterations: int = 30) -> np.ndarray:
    """Push overlapping boxes (centres `anchors`, half sizes `half`) apart, with a weak pull home."""
    pos = anchors.astype(np.float64).copy()
    n = len(pos)
    if n < 2:
        return pos
    tie = np.sign(np.arange(n)[:, None] - np.arange(n)[None, :]).astype(np.float64)
    for _ in range(iterations):
        d = pos[:, None, :] - pos[None, :, :]
        over = (half[:, None, :] + half[None, :, :]) - np.abs(d)
        hit = (over[..., 0] > 0) & (over[..., 1] > 0)
        np.fill_diagonal(hit, False)
        if not hit.any():
            break
        sgn = np.where(d == 0, tie[..., None], np.sign(d))
        use_x = over[..., 0] < over[..., 1]
        push = np.zeros_like(d)
        push[..., 0] = np.where(use_x, sgn[..., 0] * over[..., 0], 0.0)
        push[..., 1] = np.where(~use_x, sgn[..., 1] * over[..., 1], 0.0)
        pos += 0.45 * (push * hit[..., None]).sum(axis=1)
        pos += 0.04 * (anchors - pos)
    return pos
