"""The combat preview card shown when hovering a place the selected unit may attack: the chance to take
it, the expected losses and a table of every modifier behind the odds, attackers beside defenders.

It reads only `game.engine.preview.AttackPreview`, so a new combat model that fills the same record
(other outcomes, modifiers as column shifts) shows here unchanged."""

from __future__ import annotations

import pygame

from game.engine.preview import AttackPreview

from . import widgets as w
from .eventtext import Namer

SIDES = ("attacker ", "defender ")


def value_text(value: float, unit: str) -> str:
    return f"×{value:.2f}" if unit == "×" else f"{value:+g} {unit}"


def is_neutral(value: float, unit: str) -> bool:
    return abs(value - (1.0 if unit == "×" else 0.0)) < 0.005


def modifier_rows(p: AttackPreview) -> list[tuple[str, str, str, str]]:
    """(name, attackers' value, defenders' value, note) per modifier, pairing "attacker x" with "defender x";
    a modifier of neither side (terrain, fortification, posture) is the defenders'."""
    rows: dict[str, list[str]] = {}
    for name, value, explanation in p.modifiers:
        side = next((k for k, prefix in enumerate(SIDES) if name.startswith(prefix)), 1)
        base = name.removeprefix(SIDES[side]) if name.startswith(SIDES[side]) else name
        row = rows.setdefault(base, ["", "", ""])
        row[side] = value_text(value, p.modifier_unit)
        if not name.startswith(SIDES[side]) and not is_neutral(value, p.modifier_unit):
            row[2] = explanation
    return [(name, a or "–", d or "–", note) for name, (a, d, note) in rows.items()]


def card_lines(p: AttackPreview, names: Namer) -> list[tuple[str, bool]]:
    """The card's headline lines (text, bold)."""
    place = names.p(p.place)
    if p.uncontested:
        return [(f"Attack on {place}", True), ("Nobody defends it: your units move in without a fight.", False)]
    outcomes = " · ".join(f"{label} {chance:.0%}" for label, chance in p.outcomes)
    return [(f"Attack on {place}: {p.chance:.0%} chance to take it", True),
            (f"Power {p.attacker_power:,.0f} against {p.defender_power:,.0f} ({p.ratio:.2f} : 1) · {outcomes}", False),
            (f"Expected losses: yours {p.expected_attacker_losses:,.0f} of {p.attacker_troops:,.0f} troops, "
             f"theirs {p.expected_defender_losses:,.0f} of {p.defender_troops:,.0f}", False)]


def draw(surface: pygame.Surface, p: AttackPreview, names: Namer, pos: tuple[int, int], bounds: pygame.Rect,
         size: int) -> pygame.Rect:
    """The card near `pos`, kept inside `bounds`; returns its rectangle."""
    head = card_lines(p, names)
    rows = [] if p.uncontested else modifier_rows(p)
    small = max(8, size - 1)
    line_h = int(size * 1.3)
    pad = max(6, size // 2)
    cols = [max([w.width_of("modifier", small, True)] + [w.width_of(r[0], small) for r in rows]) + pad,
            max([w.width_of("yours", small, True)] + [w.width_of(r[1], small) for r in rows]) + pad,
            max([w.width_of("theirs", small, True)] + [w.width_of(r[2], small) for r in rows]) + pad]
    notes = max([0] + [w.width_of(r[3], small) for r in rows])
    width = max([w.width_of(t, size, b) for t, b in head] + [sum(cols) + notes]) + 2 * pad
    width = min(width, bounds.width - 8)
    lines = [(ln, b) for t, b in head for ln in w.wrap(t, size, width - 2 * pad, b)]
    height = len(lines) * line_h + (len(rows) + 1) * int(small * 1.3) + 2 * pad + (pad if rows else 0)
    rect = w.tooltip_rect(["x"], pos, size, bounds)
    rect.size = (width, height)
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
        for k, head_text in enumerate(("modifier", "yours", "theirs")):
            w.text(surface, head_text, (x0 + sum(cols[:k]), y), small, w.MUTED, bold=True)
        y += int(small * 1.3)
        for name, a, d, note in rows:
            for k, cell in enumerate((name, a, d)):
                neutral = k and cell in ("–", value_text(1.0, p.modifier_unit))
                w.text(surface, cell, (x0 + sum(cols[:k]), y), small, w.MUTED if neutral else w.INK)
            if note:
                shown = w.fit_text(note, small, rect.right - pad - (x0 + sum(cols)))
                w.text(surface, shown, (x0 + sum(cols), y), small, w.MUTED)
            y += int(small * 1.3)
    return rect
