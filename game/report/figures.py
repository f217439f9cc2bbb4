"""Pictures for the after-action report, drawn with matplotlib from Views only: the map at a turn
and the charts of territory, cohesion and standing over time. Each returns PNG bytes."""

from __future__ import annotations

import io
import json
import math
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from game.engine.view import PlaceView, View

ROOT = Path(__file__).resolve().parents[2]
SEA, LAND, BORDER = "#9db8d2", "#ece8dc", "#9a968c"
ASPECT = 1.2
"""Height of a degree of latitude over a degree of longitude on the map (about 1/cos 34°)."""


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _png(fig: Any, dpi: int) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    _pyplot().close(fig)
    return buf.getvalue()


def outline_path(outline: str, scenario: str | Path | None) -> Path | None:
    """The scenario's outline file: relative to the scenario file, else to the shipped scenarios folder."""
    if not outline:
        return None
    rel = Path(outline)
    bases = ([Path(scenario).resolve().parent] if scenario else []) + [ROOT / "scenarios"]
    for base in bases:
        cand = rel if rel.is_absolute() else base / rel
        if cand.is_file():
            return cand
    return None


def read_outline(path: Path | None) -> list[list[list[float]]]:
    """Country rings ([lon, lat] points) from an outline JSON; empty when missing or malformed."""
    if path is None:
        return []
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return [ring for c in dict(data["countries"]).values() for ring in c["polygons"] if len(ring) >= 3]
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return []


def _short(x: float) -> str:
    return f"{x / 1000:.1f}k" if x >= 1000 else f"{x:.0f}"


def _stacks(view: View) -> dict[str, list[tuple[str, str]]]:
    """Per place: (faction, badge text) of each side's units there: the faction's short name (so that the
    map does not tell sides apart by colour alone) and their strength, own exact, others estimated."""
    short = {f.id: f.short for f in view.factions}
    own: dict[tuple[str, str], float] = {}
    for u in view.units:
        own[(u.place, u.faction)] = own.get((u.place, u.faction), 0.0) + u.strength
    est: dict[tuple[str, str], list[float]] = {}
    for e in view.estimates:
        lo_hi = est.setdefault((e.place, e.faction), [0.0, 0.0])
        lo_hi[0] += e.low
        lo_hi[1] += e.high
    out: dict[str, list[tuple[str, str]]] = {}
    for (place, fac), s in own.items():
        out.setdefault(place, []).append((fac, f"{short.get(fac, fac)} {_short(s)}"))
    for (place, fac), (lo, hi) in est.items():
        top = "+" if hi == float("inf") else f"-{_short(hi)}"
        out.setdefault(place, []).append((fac, f"{short.get(fac, fac)} ~{_short(lo)}{top}"))
    return out


Box = tuple[float, float, float, float]
"""A rectangle on the picture, in points from the axes' lower left: x0, y0, x1, y1."""

NAME_SIZE = 7.0
BADGE_SIZE = 6.5
"""Font sizes (points) of place names and of the strength badges of unit stacks."""
BADGE_ROW = 10.0
"""Height (points) of a row of a stack of badges: a badge's box (its text and padding, about 9.3 points at
`BADGE_SIZE`, and its edge) and a small gap. At 9 points the rows overlapped by a fraction of a point and
the top row stuck out of the room kept for the stack, over the label above."""
BADGE_INSET = 0.35
"""How far (points) a badge's box is kept inside its row, below and above."""

_BADGE_SPOTS = ((1, 1), (-1, 1), (1, -1), (-1, -1), (0, 1), (0, -1), (1, 0), (-1, 0))
"""Where a place's badges may go, as (right, left or centred; above, below or level) of its marker, most
wanted first."""
GAPS = (0.0, 5.0, 12.0, 20.0, 30.0, 45.0, 60.0, 80.0)
"""How far out from a marker (points) a label may be moved to find a free spot; from `LEADER` on a thin
line joins it to its place. The farthest are tried only when every nearer spot hides something."""
LEADER = 12.0
LABEL_OVERLAP = 4.0
"""A label hidden under another counts this many times the same area of a marker (markers are small and
keep their colour at the edges; a label half hidden cannot be read)."""
_NAME_SPOTS = ((1, -1), (-1, -1), (0, -1), (1, 0), (-1, 0), (-1, 1), (0, 1), (1, 1))
"""Where a place's name may go: right, left or centred; below, level or above its marker."""


def _text_sizer(fig: Any) -> Callable[[str, float], tuple[float, float]]:
    """A line of text's width and height in points at a font size, as the figure's renderer draws it."""
    from matplotlib.font_manager import FontProperties

    renderer = fig.canvas.get_renderer()
    per_pt = fig.dpi / 72.0

    def size(text: str, points: float) -> tuple[float, float]:
        w, _, _ = renderer.get_text_width_height_descent(text, FontProperties(size=points), ismath=False)
        return w / per_pt + 0.3 * points + 1.0, 1.25 * points  # and the badge's padding

    return size


def _overlap(a: Box, b: Box) -> float:
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return w * h if w > 0 and h > 0 else 0.0


def _spot(x: float, y: float, r: float, w: float, h: float, side: tuple[int, int, float]) -> Box:
    """The box of a `w` × `h` label beside a marker of radius `r` at (x, y), on `side` (and `gap` points
    further out)."""
    dx, dy, gap = side
    r += gap
    x0 = x + r + 1.0 if dx > 0 else x - r - 1.0 - w if dx < 0 else x - w / 2
    y0 = y + r * 0.5 if dy > 0 else y - r * 0.5 - h if dy < 0 else y - h / 2
    if dx == 0:  # centred above or below: clear of the marker itself
        y0 = y + r + 1.0 if dy > 0 else y - r - 1.0 - h
    return x0, y0, x0 + w, y0 + h


class Taken:
    """What is drawn so far (markers, then labels), bucketed on a grid so that a label's spot is checked
    against its neighbours only (a map of a thousand places stays quick)."""

    CELL = 24.0

    def __init__(self) -> None:
        self.boxes: list[tuple[Box, float]] = []
        self.grid: dict[tuple[int, int], list[int]] = {}

    def _cells(self, box: Box) -> list[tuple[int, int]]:
        c = self.CELL
        return [(i, j) for i in range(math.floor(box[0] / c), math.floor(box[2] / c) + 1)
                for j in range(math.floor(box[1] / c), math.floor(box[3] / c) + 1)]

    def add(self, box: Box, weight: float) -> None:
        k = len(self.boxes)
        self.boxes.append((box, weight))
        for cell in self._cells(box):
            self.grid.setdefault(cell, []).append(k)

    def _near(self, box: Box) -> list[int]:
        return sorted({k for cell in self._cells(box) for k in self.grid.get(cell, ())})

    def hidden(self, box: Box) -> float:
        """The area of what is drawn that `box` would cover, each thing counted by its weight."""
        return sum(_overlap(box, self.boxes[k][0]) * self.boxes[k][1] for k in self._near(box))

    def hides_label(self, box: Box) -> bool:
        """Whether `box` would cover part of a label placed before (a marker may be covered a little)."""
        return any(self.boxes[k][1] == LABEL_OVERLAP and _overlap(box, self.boxes[k][0]) > 0.0
                   for k in self._near(box))


def _place_box(taken: Taken, x: float, y: float, r: float, w: float, h: float,
               sides: Sequence[tuple[int, int]], frame: Box, *, optional: bool = False) -> Box | None:
    """The first of `sides` (next to the marker, then further out: `GAPS`) where the box hides nothing
    `taken` and stays inside `frame`, else the one hiding least of those that hide no other label (a
    label hidden counting `LABEL_OVERLAP` times a marker). Where every spot hides a label, an `optional`
    label is left out (None: its marker stays, unlabelled); any other takes the spot hiding least. The
    box is added to `taken` as a label."""
    best: tuple[float, int, Box] | None = None
    clear: tuple[float, int, Box] | None = None  # the best of the spots that hide no label
    for i, side in enumerate([(dx, dy, gap) for gap in GAPS for dx, dy in sides]):
        box = _spot(x, y, r, w, h, side)
        out = max(frame[0] - box[0], 0.0) + max(box[2] - frame[2], 0.0) + max(frame[1] - box[1], 0.0) \
            + max(box[3] - frame[3], 0.0)
        cost = taken.hidden(box) + out * h * 4.0
        if best is None or cost < best[0]:
            best = (cost, i, box)
        if (clear is None or cost < clear[0]) and not taken.hides_label(box):
            clear = (cost, i, box)
        if cost == 0.0:
            break
    assert best is not None
    if clear is None and optional:
        return None
    box = (clear or best)[2]
    taken.add(box, LABEL_OVERLAP)
    return box


def _leader(ax: Any, x: float, y: float, r: float, box: Box) -> None:
    """A thin line from a marker to a label placed `LEADER` points or more away from it."""
    nx, ny = min(max(x, box[0]), box[2]), min(max(y, box[1]), box[3])  # the label's nearest point
    if math.hypot(nx - x, ny - y) - r < LEADER:
        return
    ax.annotate("", (x, y), xycoords="axes points", xytext=(nx, ny), textcoords="axes points", zorder=4,
                arrowprops={"arrowstyle": "-", "color": "#333", "lw": 0.5, "shrinkA": 0, "shrinkB": r})


def _label(ax: Any, view: View, pos: dict[str, tuple[float, float]], colour: dict[str, str], px_per_pt: float) -> None:
    """Place names and unit badges beside their markers where they hide nothing else drawn so far: the
    places that matter most first, each at the first free spot of a few around its marker (a greedy
    placement, as map labelling usually is), else where it hides least. Without it, dense clusters
    (the coast, Homs, Damascus) printed badges over one another and over the names."""
    ax_box = ax.get_window_extent()
    frame: Box = (0.0, 0.0, ax_box.width / px_per_pt, ax_box.height / px_per_pt)
    at: dict[str, tuple[float, float, float]] = {}  # per place: x, y (points in the axes) and marker radius
    for p in view.places:
        x0, y0 = ax.transData.transform(pos[p.id])
        at[p.id] = ((x0 - ax_box.x0) / px_per_pt, (y0 - ax_box.y0) / px_per_pt, (30 + 14 * p.value) ** 0.5 / 2)
    taken = Taken()
    for x, y, r in at.values():
        taken.add((x - r, y - r, x + r, y + r), 1.0)
    stacks = _stacks(view)
    size_of = _text_sizer(ax.figure)
    for p in sorted(view.places, key=lambda q: (-q.value, q.id)):  # each place's badges, then its name
        x, y, r = at[p.id]
        rows = stacks.get(p.id, [])[:4]
        if rows:
            w = max(size_of(text, BADGE_SIZE)[0] for _, text in rows) + 2.0
            box = _place_box(taken, x, y, r, w, BADGE_ROW * len(rows), _BADGE_SPOTS, frame)
            assert box is not None
            _leader(ax, x, y, r, box)
            pad = 0.15 * BADGE_SIZE  # the box's padding around the text (boxstyle pad, in font sizes)
            for k, (fac, text) in enumerate(rows):
                bottom = box[3] - BADGE_ROW * (k + 1) + BADGE_INSET + pad
                ax.annotate(text, (0, 0), xycoords="axes points", xytext=(box[0] + 1.0, bottom),
                            textcoords="axes points", fontsize=BADGE_SIZE, color="white", zorder=6, va="bottom",
                            bbox={"boxstyle": "round,pad=0.15", "fc": colour.get(fac, "#444"), "ec": "#222",
                                  "lw": 0.4})
        if p.value >= 4 or p.kind == "city":
            w, h = size_of(p.name, NAME_SIZE)
            box = _place_box(taken, x, y, r, w, h, _NAME_SPOTS, frame, optional=p.value < 4)
            if box is None:  # a small town's name with no room left: its marker (and its badges) say enough
                continue
            _leader(ax, x, y, r, box)
            ax.annotate(p.name, (0, 0), xycoords="axes points", xytext=(box[0] + 1.0, box[1] + 0.15 * NAME_SIZE),
                        textcoords="axes points", fontsize=NAME_SIZE, color="#222", zorder=5, va="bottom")


def map_png(view: View, rings: Sequence[Sequence[Sequence[float]]] = (), *, heading: str = "",
            height: float = 8.0, dpi: int = 96) -> bytes:
    """The map of a view: places coloured by controller (ringed when contested, faded when the team
    does not see them), routes (dashed when closed), unit stacks with their strength."""
    return map_picture(view, rings, heading=heading, height=height, dpi=dpi)[0]


def map_picture(view: View, rings: Sequence[Sequence[Sequence[float]]] = (), *, heading: str = "",
                height: float = 8.0, dpi: int = 96) -> tuple[bytes, dict[str, tuple[float, float]]]:
    """`map_png` and where each place is on the picture (fractions of its width and height from the top
    left), so a page can make the places clickable."""
    plt = _pyplot()
    colour = {f.id: f.colour for f in view.factions}
    pos = {p.id: (p.lon, p.lat) for p in view.places}
    lons = [p.lon for p in view.places]
    lats = [p.lat for p in view.places]
    pad = 0.3
    span_x = max(lons) - min(lons) + 2 * pad
    span_y = (max(lats) - min(lats) + 2 * pad) * ASPECT
    legend_w = 1.7
    width = height * 0.93 * span_x / span_y + legend_w
    fig, ax = plt.subplots(figsize=(width, height))
    fig.subplots_adjust(left=0.01, right=1 - legend_w / width, top=0.94, bottom=0.01)
    ax.set_facecolor(SEA)
    for ring in rings:
        xs, ys = zip(*[(pt[0], pt[1]) for pt in ring])
        ax.fill(xs, ys, color=LAND, ec=BORDER, lw=0.6, zorder=0)
    for r in view.routes:
        (x0, y0), (x1, y1) = pos[r.a], pos[r.b]
        ax.plot([x0, x1], [y0, y1], color="#555" if r.open else "#b22", lw=1.4 if r.kind == "highway" else 0.8,
                ls="-" if r.open else "--", alpha=0.6, zorder=1)
    groups: dict[tuple[str, bool], list[PlaceView]] = {}
    for p in view.places:  # one scatter per marker and sight (one per place was half the drawing time)
        groups.setdefault(("s" if p.kind in ("base", "airbase") else "o", p.seen), []).append(p)
    for (marker, seen), group in groups.items():
        ax.scatter([pos[p.id][0] for p in group], [pos[p.id][1] for p in group],
                   s=[30 + 14 * p.value for p in group], c=[colour.get(p.controller, "#888") for p in group],
                   ec="#222" if seen else "#999", lw=[2.2 if p.contested else 0.6 for p in group],
                   alpha=1.0 if seen else 0.45, zorder=3, marker=marker)
    ax.set_xlim(min(lons) - pad, max(lons) + pad)
    ax.set_ylim(min(lats) - pad, max(lats) + pad)
    ax.set_aspect(ASPECT)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.apply_aspect()  # where the axes sit once their aspect is applied, without drawing the figure twice
    _label(ax, view, pos, colour, fig.dpi / 72.0)
    held = {p.controller for p in view.places} | {u.faction for u in view.units} | {e.faction for e in view.estimates}
    handles = [plt.Line2D([], [], marker="o", ls="", color=f.colour, label=f.short) for f in view.factions
               if f.id in held]
    if any(not p.seen for p in view.places):  # not on the projector's public map, where nothing is faded
        handles.append(plt.Line2D([], [], marker="o", ls="", color="#bbb", label="faded: not seen"))
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=7, framealpha=0.9,
              title="holds / units", title_fontsize=7)
    ax.set_title(heading or f"{view.title}: {view.date}", fontsize=10)
    w_px, h_px = fig.canvas.get_width_height()
    spots = {}
    for p in view.places:
        x, y = ax.transData.transform(pos[p.id])
        spots[p.id] = (round(float(x) / w_px, 4), round(1.0 - float(y) / h_px, 4))
    return _png(fig, dpi), spots


def _line_chart(series: dict[str, list[float | None]], turns: list[int], styles: dict[str, tuple[str, str]],
                title: str, ylabel: str, *, zero_line: bool = False) -> bytes:
    """One line per series; `styles` gives a series' colour and line style (factions solid, patrons dashed)."""
    plt = _pyplot()
    from matplotlib.ticker import MaxNLocator

    fig, ax = plt.subplots(figsize=(8.0, 3.6))
    for name, values in series.items():
        pts = [(t, v) for t, v in zip(turns, values) if v is not None]
        colour, line = styles.get(name, (None, "-"))
        if pts:
            ax.plot([t for t, _ in pts], [v for _, v in pts], marker="o", ms=3, label=name, color=colour, ls=line)
    if zero_line:
        ax.axhline(0.0, color="#444", lw=0.8, ls="--")
    ax.set_title(title, fontsize=10)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("turn (0: the start)")
    ax.set_ylabel(ylabel)
    ax.grid(alpha=0.3)
    if series:
        ax.legend(fontsize=7, loc="center left", bbox_to_anchor=(1.0, 0.5))
    fig.tight_layout()
    return _png(fig, 90)


def charts(views: Sequence[View]) -> dict[str, bytes]:
    """Territory (share of place value held), faction cohesion and each side's standing against its
    benchmarks, turn by turn; only what the views hold (a team's charts show its own cohesion and standing)."""
    turns = [v.turn - 1 for v in views]
    first = views[0]
    styles = {f.short: (f.colour, "-") for f in first.factions}
    cycle = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#999999")
    styles.update({p.name: (cycle[i % len(cycle)], "--") for i, p in enumerate(first.patrons)})
    label = {f.id: f.short for f in first.factions} | {p.id: p.name for p in first.patrons}
    total = sum(p.value for p in first.places) or 1.0
    territory: dict[str, list[float | None]] = {}
    cohesion: dict[str, list[float | None]] = {}
    for f in first.factions:
        share = [sum(p.value for p in v.places if p.controller == f.id) / total for v in views]
        if any(share):
            territory[f.short] = list(share)
        coh = [next(x.cohesion for x in v.factions if x.id == f.id) for v in views]
        if any(c is not None for c in coh):
            cohesion[f.short] = coh
    sides = sorted({s for v in views for s in v.standings})
    standing: dict[str, list[float | None]] = {label.get(s, s): [v.standings.get(s) for v in views] for s in sides}
    out = {"territory": _line_chart(territory, turns, styles, "Territory: share of the map's value held",
                                    "share of value")}
    if cohesion:
        out["cohesion"] = _line_chart(cohesion, turns, styles, "Cohesion of each faction", "cohesion (0-1)")
    if standing:
        out["standing"] = _line_chart(standing, turns, styles, "Standing against history's benchmarks (above 0 beats "
                                      "history)", "standing", zero_line=True)
    return out
