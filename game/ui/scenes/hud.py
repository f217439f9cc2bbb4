"""Game-scene panels drawn with plain pygame: the faction status bar, the victory tab (standings against
history and the benchmarks behind them, then the victory conditions), the sides tab (relations and what each
patron does) and a small chart of standings (or victory points) and cohesion over the turns so far."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass

import pygame

from game.engine import Faction, State, Supply
from game.engine.benchmarks import benchmark_sides, standings
from game.engine.specs import VictoryCondition
from game.engine.types import Relation
from game.engine.view import View

from ..palette import legible_on
from ..session import Snapshot, side_name
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


Line = tuple[str, int, "w.RGB", bool]
"""One line of a text tab: text, size, colour, bold (an empty text is a gap of `size` pixels)."""


@dataclass(frozen=True)
class Mark:
    """One benchmark as the victory tab shows it."""

    side: str
    description: str
    value: float
    history: float
    weight: float


def benchmark_marks(state: State, sides: Collection[str] | None = None) -> tuple[list[Mark], dict[str, float]]:
    """The benchmarks of `sides` (None: every side) with their measures now, and those sides' standings."""
    w_ = state.world
    marks = [Mark(b.side, b.description, float(state.b_value[i]), b.history, b.weight)
             for i, b in enumerate(w_.benchmarks) if sides is None or b.side in sides]
    stand = {k: v for k, v in standings(state).items() if sides is None or k in sides}
    return marks, stand


def view_marks(view: View) -> tuple[list[Mark], dict[str, float]]:
    """`benchmark_marks` from what a team's view holds (its own sides' benchmarks only)."""
    return [Mark(b.side, b.description, b.value, b.history, b.weight) for b in view.benchmarks], dict(view.standings)


def benchmark_label(description: str) -> str:
    """A benchmark's description cut to its first clause ("How long it holds Damascus: the share of..." ->
    "How long it holds Damascus"); the whole text is in the after-action report and docs/history.md."""
    text = description.strip()
    for stop in (": ", ". ", "; ", " ("):
        k = text.find(stop)
        if k > 0:
            text = text[:k]
    return text.rstrip(".")


def standing_text(standing: float) -> str:
    """A standing in words: above 0 beats history."""
    if standing > 1e-9:
        return f"{standing:+.2f}, ahead of history"
    if standing < -1e-9:
        return f"{standing:+.2f}, behind history"
    return "0.00, level with history"


def standing_lines(state: State, marks: Sequence[Mark], stand: Mapping[str, float], width: int, size: int,
                   name: Callable[[str], str], first: Collection[str] = ()) -> list[Line]:
    """Each side's standing against history and its benchmarks, measure now against history's (sides in
    `first` on top, then in the scenario's order)."""
    order = [s for s in benchmark_sides(state.world) if s in stand]
    order = [s for s in order if s in first] + [s for s in order if s not in first]
    out: list[Line] = []
    small = max(6, size - 1)
    for side in order:
        value = stand[side]
        colour = w.GOOD if value > 1e-9 else w.WARN if value < -1e-9 else w.INK
        for line in w.wrap(f"{name(side)}: {standing_text(value)}", size, width, True):
            out.append((line, size, colour, True))
        for m in (m for m in marks if m.side == side):
            weight = f", counts ×{m.weight:g}" if m.weight != 1 else ""
            label = benchmark_label(m.description) or "benchmark"
            text = f"· {label}: now {m.value:.2f}, history {m.history:.2f}{weight}"
            out += [(line, small, w.INK, False) for line in w.wrap(text, small, width)]
        out.append(("", 4, w.INK, False))
    return out


def victory_lines(state: State, width: int, size: int, name: Callable[[str], str],
                  short: Callable[[str], str] | None = None,
                  marks: tuple[Sequence[Mark], Mapping[str, float]] | None = None,
                  first: Collection[str] = ()) -> list[Line]:
    """The victory tab's lines (text, size, colour, bold). With benchmarks: how the game is won, then each
    side's standing against history (`marks`: the benchmarks and standings the seat may read; by default
    all), then the victory conditions (achieved ones ticked). Without: the conditions, then how the game ends."""
    world = state.world
    done = set(state.achieved)
    out: list[Line] = []
    tail = size - 1
    if world.benchmarks:
        when = ("The figures are final: the game is over." if state.is_over else
                "The figures are as things stand now: measures still running (how long a place is held, how soon "
                "one is taken) fill in as the days pass.")
        how = (f"After turn {world.meta.turns}, every side whose standing is above 0 beats history and wins. "
               f"Standing: each benchmark's measure (0 to 1) less what history scored on it, times its weight, "
               f"summed. {when}")
        out += [(line, tail, w.MUTED, False) for line in w.wrap(how, tail, width)]
        out.append(("", 6, w.INK, False))
        shown, stand = marks if marks is not None else benchmark_marks(state)
        if stand:
            out += standing_lines(state, shown, stand, width, size, name, first)
        else:
            out += [(line, tail, w.MUTED, False)
                    for line in w.wrap("Other sides' standings are not shown to you.", tail, width)]
            out.append(("", 4, w.INK, False))
        if world.victory:
            out.append(("Conditions", size, w.INK, True))
    for vc in world.victory:
        ok = vc.id in done
        for line in w.wrap(f"{'✓' if ok else '·'} {condition_text(state, vc, name, short)}", size, width, ok):
            out.append((line, size, w.GOOD if ok else w.INK, ok))
        out.append(("", 4, w.INK, False))
    if world.benchmarks:
        if any(vc.decisive for vc in world.victory):
            note = "A condition that ends the game makes its faction the winner at once; the others add points."
            out += [(line, tail, w.MUTED, False) for line in w.wrap(note, tail, width)]
        return out
    tail_text = (f"After turn {world.meta.turns} the highest score wins. Score: victory value of the places "
                 f"a faction holds, plus the conditions it achieved.")
    out += [(line, tail, w.MUTED, False) for line in w.wrap(tail_text, tail, width)]
    return out


def relation_lines(state: State, width: int, size: int, name: Callable[[str], str],
                   short: Callable[[str], str], first: Collection[str] = ()) -> list[Line]:
    """The sides tab's lines: for each faction (those in `first` on top) whom it is allied with, neutral to
    (its units may pass through their places, and places may be handed over between them) and at war with;
    then each patron's clients and whom its aircraft may strike. Relations are public in every view."""
    world = state.world
    rel = state.relations
    out: list[Line] = []
    small = max(6, size - 1)
    note = ("Allied sides share places and fight together; neutral ones may pass through each other's places "
            "and hand places over by agreement; hostile ones fight.")
    out += [(line, small, w.MUTED, False) for line in w.wrap(note, small, width)]
    out.append(("", 6, w.INK, False))
    ids = [f.id for f in world.factions]
    order = [f for f in ids if f in first] + [f for f in ids if f not in first]
    for fid in order:
        i = world.faction_index[fid]
        out += [(line, size, w.INK, True) for line in w.wrap(name(fid), size, width, True)]
        for label, code in (("Allied with", Relation.ALLIED), ("At war with", Relation.HOSTILE),
                            ("Neutral to", Relation.NEUTRAL)):
            others = [short(g.id) for j, g in enumerate(world.factions) if j != i and int(rel[i, j]) == int(code)]
            if others:
                out += [(line, small, w.INK, False) for line in w.wrap(f"{label}: {', '.join(others)}", small, width)]
        out.append(("", 4, w.INK, False))
    if world.patrons:
        out.append(("Patrons", size, w.INK, True))
        for p in world.patrons:
            clients = ", ".join(short(c) for c in p.clients if c in world.faction_index)
            if p.kind == "interdictor" or not clients:
                what = "strikes convoys" + (f" of {', '.join(name(x) for x in p.interdicts)}" if p.interdicts else "")
            else:
                what = f"helps {clients}"
            if p.strikes:
                what += f"; may strike {', '.join(short(x) for x in p.strikes if x in world.faction_index)}"
            if p.strike_zone:
                what += f" (within {len(p.strike_zone)} places)"
            out += [(line, small, w.INK, False) for line in w.wrap(f"{p.name}: {what}", small, width)]
    return out


def draw_lines(surface: pygame.Surface, rect: pygame.Rect, lines: Sequence[Line], size: int, scroll: int = 0) -> int:
    """`lines` inside `rect`, from `scroll` pixels down; only whole lines are drawn, with a mark where more
    follows. Returns the height of all the lines."""
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


def draw_victory(surface: pygame.Surface, rect: pygame.Rect, state: State, name: Callable[[str], str],
                 size: int, short: Callable[[str], str] | None = None, scroll: int = 0,
                 marks: tuple[Sequence[Mark], Mapping[str, float]] | None = None, first: Collection[str] = ()) -> int:
    """The victory tab inside `rect` (see `victory_lines`, `draw_lines`). Returns the height of all the lines."""
    return draw_lines(surface, rect, victory_lines(state, rect.width, size, name, short, marks, first), size, scroll)


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
               turns: int = 0, keep: Collection[int] = (), background: RGB = w.PAPER) -> None:
    """Lines per faction of `key` ("score" or "cohesion"), or per side with benchmarks ("standing", signed, with
    history's 0 marked), over the turns so far; the names at the lines' ends, inside `rect` (on `background`,
    darkened where a pale colour would not read), those of `keep` kept when not all fit (`name_places`)."""
    w.text(surface, title, rect.topleft, size, w.INK, bold=True)
    small = max(8, size - 3)
    name_w = max((w.width_of(lb, small, True) for lb in labels), default=0) + 6
    series = [[getattr(h, key)[i] for h in history if len(getattr(h, key)) > i] for i in range(len(labels))]
    lo, top = 0.0, 1.0
    if key == "score" and all(series):
        top = max(1.0, max(max(s) for s in series) * 1.1)
    elif key == "standing" and all(series):  # signed: 0 is history's mark
        lo = min([0.0, *(min(s) for s in series)])
        top = max([0.0, *(max(s) for s in series)])
        room = max(0.5, (top - lo) * 1.1)
        lo, top = lo - (room - (top - lo)) / 2, top + (room - (top - lo)) / 2
    left = max(size * 2, max(w.width_of(f"{v:+.1f}", small) for v in (lo, top)) + 6) if key == "standing" else size * 2
    area = pygame.Rect(rect.left + left, rect.top + int(size * 1.5), rect.width - left - name_w,
                       rect.height - int(size * 1.5) - int(small * 1.6))
    pygame.draw.rect(surface, (255, 255, 252), area)
    pygame.draw.rect(surface, w.EDGE, area, 1)
    if not history or not series or not all(series) or area.width < 20 or area.height < 20:
        return
    n = max(len(s) for s in series)

    def xy(k: int, v: float) -> tuple[int, int]:
        x = area.left + (area.width * k // max(1, n - 1) if n > 1 else area.width // 2)
        return x, area.bottom - round(area.height * max(0.0, min(1.0, (v - lo) / (top - lo))))

    if key == "standing":
        zero = xy(0, 0.0)[1]
        pygame.draw.line(surface, w.EDGE, (area.left, zero), (area.right, zero), 1)
        w.text(surface, f"{top:+.1f}", (area.left - 4, area.top), small, w.MUTED, anchor="topright")
        w.text(surface, "0", (area.left - 4, zero), small, w.MUTED, anchor="midright")
        w.text(surface, f"{lo:+.1f}", (area.left - 4, area.bottom), small, w.MUTED, anchor="bottomright")
    else:
        w.text(surface, f"{top:.0f}" if key == "score" else "1.0", (area.left - 4, area.top), small, w.MUTED,
               anchor="topright")
        w.text(surface, "0", (area.left - 4, area.bottom), small, w.MUTED, anchor="bottomright")
    first, last = chart_labels(history, turns or history[-1].turn)
    w.text(surface, first, (area.left, area.bottom + 2), small, w.MUTED)
    w.text(surface, last, (area.right, area.bottom + 2), small, w.MUTED, anchor="topright")
    what = {"score": "a faction's victory points (places held plus conditions achieved)",
            "standing": "a side's standing against history (its benchmarks' measures less history's, weighted); "
                        "above 0 beats history",
            }.get(key, "a faction's cohesion (0-1): order and morale; below the breakpoint units desert or fall back")
    tip(area, title, f"Each line: {what}, from the {first} to the {last}.")
    ends = []
    for i, s in enumerate(series):
        pts = [xy(k, v) for k, v in enumerate(s)]
        if len(pts) > 1:
            pygame.draw.lines(surface, colours[i], False, pts, max(2, size // 7))
        for p in pts[-1:]:
            pygame.draw.circle(surface, colours[i], p, max(3, size // 5))
        ends.append(pts[-1][1])
    line = w.fonts.font(max(6, small), True).get_linesize()
    for i, y in name_places(ends, line, area.top, rect.bottom - line, keep):  # clear of the title above
        w.text(surface, labels[i], (area.right + 4, y), small, legible_on(colours[i], background), bold=True,
               anchor="midleft")


def name_places(ends: Sequence[int], line: int, lo: int, hi: int, keep: Collection[int] = ()) -> list[tuple[int, int]]:
    """(line, y) of the names beside the lines' ends (`ends`: their heights), in the same order as the ends and
    each as near its own as the others allow, between `lo` and `hi`. When not all fit, those of `keep` (the
    seat's own sides) are kept, then the others in their order: a name is never moved beside another's end
    for want of room, nor a side's own dropped."""
    room = max(0, (hi - lo) // max(1, line) + 1)
    order = [i for i in range(len(ends)) if i in keep] + [i for i in range(len(ends)) if i not in keep]
    kept = sorted(order[:room], key=lambda i: (ends[i], i))
    ys = [max(lo, min(hi, ends[i])) for i in kept]
    for k in range(1, len(ys)):
        ys[k] = max(ys[k], ys[k - 1] + line)
    for k in range(len(ys) - 1, -1, -1):
        ys[k] = min(ys[k], hi if k == len(ys) - 1 else ys[k + 1] - line)
    return list(zip(kept, ys))


def status_figure(state: State, i: int, standing: Mapping[str, float] | None, hidden: bool) -> tuple[str, list[str]]:
    """The figure a faction's status cell shows, and its tooltip: its standing against history (or its
    commanding patron's) where the scenario has benchmarks (`standing`: those the seat may read), else its
    victory points."""
    f = state.world.factions[i]
    if standing is None:
        vp = "? VP" if hidden else f"{float(state.f_score[i]):.0f} VP"
        return vp, [f"{f.name}: {vp}", "Victory points: the value of the places it holds plus the conditions it "
                    "achieved."]
    side = f.id if f.id in standing or not f.commander else f.commander
    if hidden or side not in standing:
        known = any(b.side == side for b in state.world.benchmarks)
        text = "?" if known else "-"
        return text, [f"{f.name}: standing {'not known to your team' if known else 'not judged (no benchmarks)'}"]
    value = standing[side]
    whose = "" if side == f.id else f" (its patron's, {side_name(state, side)})"
    return f"{value:+.2f}", [f"{f.name}: standing {value:+.2f}{whose}",
                             "Standing against history: its benchmarks' measures less history's, weighted; above 0 "
                             "beats history (the Victory tab has each benchmark)."]


def status_need(state: State, i: int, standing: Mapping[str, float] | None, size: int, small: int,
                apart: bool) -> int:
    """The width a narrow status cell needs to show a faction's name whole (swatch, name, margins) and its
    figures: side by side over the bar, or (`apart`) one under the other, the cohesion beside a short bar."""
    name = size // 3 + size + 6 + w.width_of(state.world.factions[i].short, size, True) + size // 3
    figure = w.width_of(status_figure(state, i, standing, False)[0], small, True)
    label = w.width_of("0.00", small) + size // 3
    figures = 2 * (size // 3) + (max(figure, label + size) if apart else figure + label)
    return max(name, figures)


def cell_edges(rect: pygame.Rect, needs: Sequence[int]) -> list[int]:
    """The left edges of the status cells (and the right end): equal widths where every cell has what it
    needs; else each cell its need and an equal share of what is left ("SOUTH" whole beside "IS" at 1024 pixels),
    or equal widths again when the needs do not fit at all (the names are then shortened)."""
    n = len(needs)
    cw = rect.width // n
    if all(need <= cw for need in needs) or sum(needs) > rect.width:
        return [rect.left + i * cw for i in range(n + 1)]
    spare = rect.width - sum(needs)
    out, x = [rect.left], float(rect.left)
    for need in needs:
        x += need + spare / n
        out.append(round(x))
    return out


def draw_status(surface: pygame.Surface, rect: pygame.Rect, state: State, colours: Sequence[RGB],
                support: Sequence[float], size: int, tip: Tip = _no_tip,
                known: Collection[int] | None = None,
                standing: Mapping[str, float] | None = None) -> list[tuple[pygame.Rect, int]]:
    """One cell per faction: name, its standing against history (`standing`, where the scenario has
    benchmarks) or victory points, cohesion bar with its breakpoint, patron support (when the cells are wide
    enough; else in the name's tooltip). Returns the cells; each number registers its own tooltip. Factions
    not in `known` (a fogged seat's others) show "?" for their figures."""
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
    lefts = [rect.left + i * cw for i in range(len(factions) + 1)]
    if not roomy:
        needs = [status_need(state, i, standing, size, small, False) for i in range(len(factions))]
        if sum(needs) > rect.width:  # the figures one under the other rather than a name shortened
            needs = [status_need(state, i, standing, size, small, True) for i in range(len(factions))]
        lefts = cell_edges(rect, needs)
    for i, f in enumerate(factions):
        cell = pygame.Rect(lefts[i], rect.top, lefts[i + 1] - lefts[i], rect.height)
        with w.clipped(surface, cell.inflate(-2, 0)):
            x, y = cell.left + size // 3, cell.top + size // 4
            pygame.draw.rect(surface, colours[i], (x, y + 2, size, size), border_radius=3)
            hidden = known is not None and i not in known
            vp, vp_tip = status_figure(state, i, standing, hidden)
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
            tip(v, *vp_tip)
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
