"""The combat preview card shown when hovering a place the selected unit may attack: the chance the
defenders give way, every graded result, the expected losses, and a table of every modifier behind the
odds with what it means.

It reads only `game.engine.preview.AttackPreview`, so the combat model behind it (today a results table
with column shifts) can change without this card changing."""

from __future__ import annotations

import pygame

from game.engine.preview import AttackPreview

from . import widgets as w
from .eventtext import Namer


def value_text(value: float, unit: str) -> str:
    if unit == "×":
        return f"×{value:.2f}"
    return "–" if abs(value) < 0.005 else f"{value:+.2f}"


def modifier_rows(p: AttackPreview) -> list[tuple[str, str, str]]:
    """(name, value, what it means) per modifier; a modifier that does nothing reads "–"."""
    return [(name, value_text(value, p.modifier_unit), explanation) for name, value, explanation in p.modifiers]


def card_lines(p: AttackPreview, names: Namer) -> list[tuple[str, bool]]:
    """The card's headline lines (text, bold)."""
    place = names.p(p.place)
    if p.uncontested:
        return [(f"Attack on {place}", True), ("Nobody defends it: your units move in without a fight.", False)]
    where = f"read at {p.column} on the results table, " if p.column else ""
    results = " · ".join(f"{label} {chance:.0%}" for label, chance in p.outcomes)
    return [(f"Attack on {place}: {p.chance:.0%} chance the defenders give way", True),
            (f"Power {p.attacker_power:,.0f} against {p.defender_power:,.0f} ({p.ratio:.2f} : 1), {where}"
             f"power being troops × unit type × cohesion", False),
            (f"Results: {results}", False),
            (f"Expected losses: yours {p.expected_attacker_losses:,.0f} of {p.attacker_troops:,.0f} troops, "
             f"theirs {p.expected_defender_losses:,.0f} of {p.defender_troops:,.0f}", False)]


def draw(surface: pygame.Surface, p: AttackPreview, names: Namer, pos: tuple[int, int], bounds: pygame.Rect,
         size: int) -> pygame.Rect:
    """The card near `pos`, kept inside `bounds`; returns its rectangle."""
    rows = [] if p.uncontested else modifier_rows(p)
    small = max(8, size - 1)
    line_h, row_h = int(size * 1.3), int(small * 1.3)
    pad = max(6, size // 2)
    unit = "columns" if p.modifier_unit != "×" else "power"
    heads = ("modifier", unit, "")
    cols = [max([w.width_of(heads[0], small, True)] + [w.width_of(r[0], small) for r in rows]) + pad,
            max([w.width_of(heads[1], small, True)] + [w.width_of(r[1], small) for r in rows]) + pad]
    notes = max([0] + [w.width_of(r[2], small) for r in rows])
    head = card_lines(p, names)
    width = min(max([min(w.width_of(t, size, b), size * 34) for t, b in head] + [sum(cols) + notes]) + 2 * pad,
                bounds.width - 8)
    lines = [(ln, b) for t, b in head for ln in w.wrap(t, size, width - 2 * pad, b)]
    height = len(lines) * line_h + ((len(rows) + 1) * row_h + pad if rows else 0) + 2 * pad
    rect = pygame.Rect(pos[0] + 16, pos[1] + 16, width, height)
    if rect.right > bounds.right:
        rect.right = pos[0] - 8
    if rect.bottom > bounds.bottom:
        rect.bottom = pos[1] - 8
    rect.clamp_ip(bounds)
    w.panel(surface, rect, (255, 253, 240), (176, 40, 20), radius=6)
    with w.clipped(surface, rect):
        y = rect.top + pad
        for text, bold in lines:
            w.text(surface, text, (rect.left + pad, y), size, w.INK, bold)
            y += line_h
        if not rows:
            return rect
        y += pad // 2
        x0 = rect.left + pad
        for k, title in enumerate(heads[:2]):
            w.text(surface, title, (x0 + sum(cols[:k]), y), small, w.MUTED, bold=True)
        y += row_h
        for name, value, note in rows:
            nil = value == "–"
            w.text(surface, name, (x0, y), small, w.MUTED if nil else w.INK)
            w.text(surface, value, (x0 + cols[0], y), small, w.MUTED if nil else w.INK, bold=not nil)
            shown = w.fit_text(note, small, rect.right - pad - (x0 + sum(cols)))
            w.text(surface, shown, (x0 + sum(cols), y), small, w.MUTED, full=note)
            y += row_h
    return rect
