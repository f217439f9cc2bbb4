"""Game-scene panels drawn with plain pygame: the faction status bar, the victory conditions and a
small chart of victory points and cohesion over the turns so far."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence

import pygame

from game.engine import Faction, State, Supply
from game.engine.specs import VictoryCondition

from ..session import Snapshot
from . import widgets as w

RGB = tuple[int, int, int]
Tip = Callable[..., None]
"""`tip(rect, *lines)`: hovering rect shows the lines."""


def _no_tip(rect: pygame.Rect, *lines: str) -> None:
    pass


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


def victory_lines(state: State, width: int, size: int, name: Callable[[str], str],
                  short: Callable[[str], str] | None = None) -> list[tuple[str, int, w.RGB, bool]]:
    """The victory tab's lines (text, size, colour, bold): each condition (achieved ones ticked), then how
    the game ends."""
    done = set(state.achieved)
    out: list[tuple[str, int, w.RGB, bool]] = []
    for vc in state.world.victory:
        ok = vc.id in done
        for line in w.wrap(f"{'✓' if ok else '·'} {condition_text(state, vc, name, short)}", size, width, ok):
            out.append((line, size, w.GOOD if ok else w.INK, ok))
        out.append(("", 4, w.INK, False))
    tail = (f"After turn {state.world.meta.turns} the highest score wins. Score: victory value of the places "
            f"a faction holds, plus the conditions it achieved.")
    out += [(line, size - 1, w.MUTED, False) for line in w.wrap(tail, size - 1, width)]
    return out


def draw_victory(surface: pygame.Surface, rect: pygame.Rect, state: State, name: Callable[[str], str],
                 size: int, short: Callable[[str], str] | None = None, scroll: int = 0) -> int:
    """The scenario's victory conditions inside `rect`, from `scroll` pixels down; only whole lines are
    drawn, with a mark where more follows. Returns the height of all the lines."""
    lines = victory_lines(state, rect.width, size, name, short)
    y = rect.top - scroll
    total = 0
    more = False
    steps = [int(sz * 1.3) if text else sz for text, sz, _, _ in lines]
    marked = scroll or sum(steps) > rect.height
    bottom = rect.bottom - (w.fonts.font(max(6, size - 2), True).get_linesize() if marked else 0)
    for (text, sz, colour, bold), step in zip(lines, steps):
        if text and y >= rect.top and y + step <= bottom:
            w.text(surface, text, (rect.left, y), sz, colour, bold)
        elif text and y + step > bottom:
            more = True
        y += step
        total += step
    if more or scroll:
        mark = "▾ more (wheel)" if more else "▴ (wheel)"
        w.text(surface, mark, (rect.right, rect.bottom), size - 2, w.ACCENT, bold=True, anchor="bottomright")
    return total


def chart_labels(history: Sequence[Snapshot], turns: int) -> tuple[str, str]:
    """The x axis's first and last labels: a snapshot is taken at the start of a turn, so the one after
    the last turn is the end of the game, not a turn of its own."""
    if not history:
        return "", ""
    last = history[-1].turn
    first = "start" if history[0].turn <= 1 else f"turn {history[0].turn}"
    return first, "end" if last > turns else f"turn {last}"


def draw_chart(surface: pygame.Surface, rect: pygame.Rect, history: Sequence[Snapshot], key: str,
               colours: Sequence[RGB], labels: Sequence[str], title: str, size: int, tip: Tip = _no_tip,
               turns: int = 0) -> None:
    """Lines per faction of `key` ("score" or "cohesion") over the turns so far; the factions' names at
    the lines' ends, inside `rect`."""
    w.text(surface, title, rect.topleft, size, w.INK, bold=True)
    small = max(8, size - 3)
    name_w = max((w.width_of(lb, small, True) for lb in labels), default=0) + 6
    area = pygame.Rect(rect.left + size * 2, rect.top + int(size * 1.5), rect.width - size * 2 - name_w,
                       rect.height - int(size * 1.5) - int(small * 1.6))
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

    w.text(surface, f"{top:.0f}" if key == "score" else "1.0", (area.left - 4, area.top), small, w.MUTED,
           anchor="topright")
    w.text(surface, "0", (area.left - 4, area.bottom), small, w.MUTED, anchor="bottomright")
    first, last = chart_labels(history, turns or history[-1].turn)
    w.text(surface, first, (area.left, area.bottom + 2), small, w.MUTED)
    w.text(surface, last, (area.right, area.bottom + 2), small, w.MUTED, anchor="topright")
    what = "victory points (places held plus conditions achieved)" if key == "score" else \
        "faction cohesion (0-1): order and morale; below the breakpoint units desert or fall back"
    tip(area, title, f"Each line: a faction's {what}, from the {first} to the {last}.")
    ends = []
    for i, s in enumerate(series):
        pts = [xy(k, v) for k, v in enumerate(s)]
        if len(pts) > 1:
            pygame.draw.lines(surface, colours[i], False, pts, max(2, size // 7))
        for p in pts[-1:]:
            pygame.draw.circle(surface, colours[i], p, max(3, size // 5))
        ends.append((pts[-1][1], i))
    last_y = area.top - 999
    line = w.fonts.font(max(6, small), True).get_linesize()
    for y, i in sorted(ends):
        y = max(y, last_y + line, rect.top + line // 2)
        if y + line // 2 > rect.bottom:
            break  # no room for more names beside the lines: the tooltip and the colours tell them apart
        w.text(surface, labels[i], (area.right + 4, y), small, colours[i], bold=True, anchor="midleft")
        last_y = y


def draw_status(surface: pygame.Surface, rect: pygame.Rect, state: State, colours: Sequence[RGB],
                support: Sequence[float], size: int, tip: Tip = _no_tip,
                known: Collection[int] | None = None) -> list[tuple[pygame.Rect, int]]:
    """One cell per faction: name, victory points, cohesion bar with its breakpoint, patron support (when
    the cells are wide enough; else in the name's tooltip). Returns the cells; each number registers its
    own tooltip. Factions not in `known` (a fogged seat's others) show "?" for their figures."""
    pygame.draw.rect(surface, (226, 222, 212), rect)
    pygame.draw.line(surface, w.EDGE, rect.topleft, rect.topright)
    factions = state.world.factions
    if not factions:
        return []
    cw = rect.width // len(factions)
    roomy = cw >= size * 11
    cells = []
    small = max(8, size - 3)
    step = (rect.height - size // 3) // 3
    for i, f in enumerate(factions):
        cell = pygame.Rect(rect.left + i * cw, rect.top, cw, rect.height)
        with w.clipped(surface, cell.inflate(-2, 0)):
            x, y = cell.left + size // 3, cell.top + size // 4
            pygame.draw.rect(surface, colours[i], (x, y + 2, size, size), border_radius=3)
            hidden = known is not None and i not in known
            vp = "? VP" if hidden else f"{float(state.f_score[i]):.0f} VP"
            coh = 0.0 if hidden else float(state.f_cohesion[i])
            label = "?" if hidden else f"{coh:.2f}"
            ink = w.WARN if state.f_collapsed[i] or (coh < f.breakpoint and not hidden and not f.insurgent) else w.INK
            note = "collapsed" if state.f_collapsed[i] else "figures not known" if hidden else (
                f"patron support {support[i]:.2f}" if support[i] >= 0 else "no patron")
            right = cell.right - size // 3
            if roomy:
                v = w.text(surface, vp, (right, y), size, w.INK, bold=True, anchor="topright")
                room = v.left - (x + size + 6) - 4
            else:
                room = right - (x + size + 6)
            short = w.fit_text(f.short, size, room, True)
            name = w.text(surface, short, (x + size + 6, y), size, w.INK, bold=True, full=f.short)
            tip(name, f.name, *(["Its figures are not known to your team"] if hidden else support_lines(state, i)[1:]),
                *([] if roomy else [note]))
            y += step
            if not roomy:
                v = w.text(surface, vp, (x, y), small, w.INK, bold=True)
                lw = w.width_of(label, small) + size // 3
                beside = v.right + lw > right  # no room after the points: the number goes beside the bar
                if not beside:
                    r = w.text(surface, label, (right, y), small, ink, anchor="topright")
                y += step
                bar = pygame.Rect(x, y + 3, cell.width - 2 * (size // 3) - (lw if beside else 0),
                                  max(5, int(size * 0.5)))
                if beside:
                    r = w.text(surface, label, (right, bar.centery), small, ink, anchor="midright")
            else:
                lw = w.width_of(label, small) + size // 2
                bar = pygame.Rect(x, y + 3, max(10, cell.width - size - lw), max(6, int(size * 0.6)))
                r = w.text(surface, label, (right, y), small, ink, anchor="topright")
            tip(v, f"{f.name}: {vp}", "Victory points: the value of the places it holds plus the conditions "
                "it achieved.")
            w.bar(surface, bar, coh, colours[i], mark=None if f.insurgent else f.breakpoint)
            tip(bar.union(r), f"{f.short} cohesion {label}", *breakpoint_text(f))
            if roomy:
                y += step
                r = w.text(surface, w.fit_text(note, small, cell.width - size), (x, y), small,
                           w.WARN if state.f_collapsed[i] else w.MUTED, full=note)
                if support[i] >= 0 and not hidden:
                    tip(r, f"{f.short}: patron support {support[i]:.2f}", "The mean support level (0-1) of the "
                        "patrons helping this faction, over air, ground and supply.")
        if i:
            pygame.draw.line(surface, (190, 186, 176), cell.topleft, cell.bottomleft)
        cells.append((cell, i))
    return cells


def stack_lines(state: State, units: Sequence[int]) -> list[str]:
    """A tooltip for a whole stack: the place, the count and troops, then one line per unit."""
    w_ = state.world
    place = w_.board.places[int(state.u_place[units[0]])]
    total = sum(float(state.u_strength[u]) for u in units)
    f = w_.factions[int(state.u_faction[units[0]])]
    lines = [f"{f.short} at {place.name}: {len(units)} units, {total:,.0f} troops"]
    for u in units:
        info = state.units[u]
        lines.append(f"{info.name}: {float(state.u_strength[u]):,.0f} troops, cohesion "
                     f"{float(state.u_cohesion[u]):.2f}, {Supply(int(state.u_supply[u])).label}")
    lines.append("Click to select; click again for the next unit.")
    return lines


def patron_support(state: State) -> list[float]:
    """Per faction: the mean support level of the patrons that help it (-1 when none does)."""
    out = []
    for f in state.world.factions:
        rows = [k for k, p in enumerate(state.world.patrons) if f.id in p.clients]
        out.append(float(state.p_support[rows].mean()) if rows else -1.0)
    return out


def breakpoint_text(f: Faction) -> tuple[str, ...]:
    """The cohesion bar's tooltip lines: what its mark means, or why an insurgent network's bar has none."""
    if f.insurgent:
        return ("Order and will to fight (0-1). Insurgent cells: no breakpoint,",
                "the faction never breaks as a whole; each cell's will holds at its starting",
                "cohesion, and a cell with nowhere to go goes to ground instead of surrendering.")
    return (f"Order and will to fight (0-1); the mark is the breakpoint {f.breakpoint:g}: below it the faction is "
            "broken.",)


def support_lines(state: State, faction: int) -> list[str]:
    """Tooltip lines for a faction's cell in the status bar."""
    f = state.world.factions[faction]
    breaks = "insurgent cells: never breaks as a whole" if f.insurgent else f"breaks below {f.breakpoint:g}"
    lines = [f"{f.name}", f"cohesion {float(state.f_cohesion[faction]):.2f} ({breaks})",
             f"score {float(state.f_score[faction]):.1f}"]
    for k, p in enumerate(state.world.patrons):
        if f.id in p.clients:
            air, ground, supply = (float(x) for x in state.p_support[k])
            lines.append(f"{p.name}: air {air:.2f}, ground {ground:.2f}, supply {supply:.2f}, "
                         f"capacity {float(state.p_capacity[k]):g}")
    return lines
