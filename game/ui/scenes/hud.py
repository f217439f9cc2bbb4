"""Game-scene panels drawn with plain pygame: the faction status bar, the victory conditions and a
small chart of victory points and cohesion over the turns so far."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pygame

from game.engine import State
from game.engine.specs import VictoryCondition

from ..session import Snapshot
from . import widgets as w

RGB = tuple[int, int, int]


def condition_text(state: State, vc: VictoryCondition, name: Callable[[str], str],
                   short: Callable[[str], str] | None = None) -> str:
    """A victory condition in words: the scenario's description when it has one."""
    short = short or name
    w_ = state.world
    by = vc.by_turn if vc.by_turn is not None else w_.meta.turns
    places = ", ".join(w_.board.places[w_.board.index[p]].name for p in vc.places if p in w_.board.index)
    who = name(vc.faction)
    if vc.kind == "hold":
        core = f"{who} holds {places} at the end of turn {by}"
    elif vc.kind == "capture":
        core = f"{who} holds {places} by turn {by}"
    elif vc.kind == "cohesion_below":
        core = f"{name(vc.target or vc.faction)} cohesion below {vc.threshold:g} by turn {by}"
    else:
        core = f"{who} reaches {vc.threshold:g} points by turn {by}"
    extra = f"+{vc.points:g} points" + (", ends the game" if vc.decisive else "")
    if vc.description:
        return f"{short(vc.faction)}: {vc.description.rstrip('.')} ({extra})"
    return f"{core} ({extra})"


def draw_victory(surface: pygame.Surface, rect: pygame.Rect, state: State, name: Callable[[str], str],
                 size: int, short: Callable[[str], str] | None = None) -> None:
    """The scenario's victory conditions (achieved ones ticked), smaller text when they are many."""
    done = set(state.achieved)
    texts = [(f"{'✓' if vc.id in done else '·'} {condition_text(state, vc, name, short)}", vc.id in done)
             for vc in state.world.victory]
    tail = (f"After turn {state.world.meta.turns} the highest score wins. Score: victory value of the places "
            f"a faction holds, plus the conditions it achieved.")
    for sz in (size, size - 2):
        step = int(sz * 1.3)
        height = sum(len(w.wrap(t, sz, rect.width, ok)) * step + 4 for t, ok in texts)
        if height + 3 * step <= rect.height:
            break
    y = rect.top
    for t, ok in texts:
        for line in w.wrap(t, sz, rect.width, ok):
            if y + step > rect.bottom:
                return
            w.text(surface, line, (rect.left, y), sz, w.GOOD if ok else w.INK, bold=ok)
            y += step
        y += 4
    w.paragraph(surface, tail, pygame.Rect(rect.left, y + 4, rect.width, rect.bottom - y - 4), sz - 1, w.MUTED)


def draw_chart(surface: pygame.Surface, rect: pygame.Rect, history: Sequence[Snapshot], key: str,
               colours: Sequence[RGB], labels: Sequence[str], title: str, size: int) -> None:
    """Lines per faction of `key` ("score" or "cohesion") over the turns so far."""
    w.text(surface, title, rect.topleft, size, w.INK, bold=True)
    area = pygame.Rect(rect.left + size * 2, rect.top + int(size * 1.5), rect.width - size * 5,
                       rect.height - int(size * 2.6))
    pygame.draw.rect(surface, (255, 255, 252), area)
    pygame.draw.rect(surface, w.EDGE, area, 1)
    if not history or area.width < 20 or area.height < 20:
        return
    series = [[getattr(h, key)[i] for h in history] for i in range(len(labels))]
    top = 1.0 if key == "cohesion" else max(1.0, max(max(s) for s in series) * 1.1)
    n = len(history)

    def xy(k: int, v: float) -> tuple[int, int]:
        x = area.left + (area.width * k // max(1, n - 1) if n > 1 else area.width // 2)
        return x, area.bottom - round(area.height * max(0.0, min(1.0, v / top)))

    w.text(surface, f"{top:.0f}" if key == "score" else "1.0", (area.left - 4, area.top), size - 3, w.MUTED,
           anchor="topright")
    w.text(surface, "0", (area.left - 4, area.bottom), size - 3, w.MUTED, anchor="bottomright")
    w.text(surface, f"turn {history[0].turn}", (area.left, area.bottom + 2), size - 3, w.MUTED)
    w.text(surface, f"{history[-1].turn}", (area.right, area.bottom + 2), size - 3, w.MUTED, anchor="topright")
    ends = []
    for i, s in enumerate(series):
        pts = [xy(k, v) for k, v in enumerate(s)]
        if len(pts) > 1:
            pygame.draw.lines(surface, colours[i], False, pts, max(2, size // 7))
        for p in pts[-1:]:
            pygame.draw.circle(surface, colours[i], p, max(3, size // 5))
        ends.append((pts[-1][1], i))
    last_y = -999
    for y, i in sorted(ends):
        y = max(y, last_y + size - 4)
        w.text(surface, labels[i], (area.right + 4, y), size - 4, colours[i], bold=True, anchor="midleft")
        last_y = y


def draw_status(surface: pygame.Surface, rect: pygame.Rect, state: State, colours: Sequence[RGB],
                support: Sequence[float], size: int) -> list[tuple[pygame.Rect, int]]:
    """One cell per faction: name, victory points, cohesion bar with its breakpoint, patron support.
    Returns the cells (for hover tooltips)."""
    pygame.draw.rect(surface, (226, 222, 212), rect)
    pygame.draw.line(surface, w.EDGE, rect.topleft, rect.topright)
    factions = state.world.factions
    if not factions:
        return []
    cw = rect.width // len(factions)
    cells = []
    for i, f in enumerate(factions):
        cell = pygame.Rect(rect.left + i * cw, rect.top, cw, rect.height)
        x, y = cell.left + size // 2, cell.top + size // 3
        pygame.draw.rect(surface, colours[i], (x, y + 2, size, size), border_radius=3)
        w.text(surface, f.short, (x + size + 6, y), size, w.INK, bold=True)
        vp = f"{float(state.f_score[i]):.0f} VP"
        w.text(surface, vp, (cell.right - size // 2, y), size, w.INK, bold=True, anchor="topright")
        y += int(size * 1.45)
        coh = float(state.f_cohesion[i])
        bar = pygame.Rect(x, y + 2, cell.width - size * 4, int(size * 0.7))
        w.bar(surface, bar, coh, colours[i], mark=f.breakpoint)
        ink = w.WARN if coh < f.breakpoint or state.f_collapsed[i] else w.INK
        w.text(surface, f"{coh:.2f}", (cell.right - size // 2, y - 2), size - 2, ink, anchor="topright")
        y += int(size * 1.2)
        note = "collapsed" if state.f_collapsed[i] else (f"patron support {support[i]:.2f}" if support[i] >= 0
                                                         else "no patron")
        w.text(surface, note, (x, y), size - 4, w.WARN if state.f_collapsed[i] else w.MUTED)
        if i:
            pygame.draw.line(surface, (190, 186, 176), cell.topleft, cell.bottomleft)
        cells.append((cell, i))
    return cells


def patron_support(state: State) -> list[float]:
    """Per faction: the mean support level of the patrons that help it (-1 when none does)."""
    out = []
    for f in state.world.factions:
        rows = [k for k, p in enumerate(state.world.patrons) if f.id in p.clients]
        out.append(float(state.p_support[rows].mean()) if rows else -1.0)
    return out


def support_lines(state: State, faction: int) -> list[str]:
    """Tooltip lines for a faction's cell in the status bar."""
    f = state.world.factions[faction]
    lines = [f"{f.name}", f"cohesion {float(state.f_cohesion[faction]):.2f} (breaks below {f.breakpoint:g})",
             f"score {float(state.f_score[faction]):.1f}"]
    for k, p in enumerate(state.world.patrons):
        if f.id in p.clients:
            air, ground, supply = (float(x) for x in state.p_support[k])
            lines.append(f"{p.name}: air {air:.2f}, ground {ground:.2f}, supply {supply:.2f}, "
                         f"capacity {float(state.p_capacity[k]):g}")
    return lines
