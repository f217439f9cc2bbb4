"""Generate the two large made-up test boards of tests/data/good/ (six_crowns.yaml, broad_plain.yaml).

One-off generator, not imported by the game; its output is committed, so the tests read plain YAML.
Run from the repository root:

    python tools/make_test_boards.py          # rewrites both files
    python main.py lint tests/data/good/six_crowns.yaml tests/data/good/broad_plain.yaml

Each board is a jittered grid of places in the open ocean (no real place lies there), every place
joined to its right and lower neighbours and to some diagonal ones; each faction holds the places
nearest its seat; its units stand on its front and at its seat; its victory conditions ask it to take
the most valuable hostile places near its front and to keep its seat. Names are grid references under
an invented region name ("Ashmark C4"), so they cannot be mistaken for real places. The generator is
deterministic (a fixed seed per board).
"""

from __future__ import annotations

import math
import random
import sys
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "data" / "good"

TERRAINS = [("open", 50), ("rough", 20), ("desert", 12), ("mountain", 8), ("urban", 10)]
TYPES = ["infantry", "infantry", "mechanised", "militia", "armour", "special_forces", "infantry"]


@dataclass
class FactionSpec:
    id: str
    name: str
    short: str
    colour: str
    seat: tuple[int, int]
    region: str
    allies: list[str] = field(default_factory=list)
    neutral: list[str] = field(default_factory=list)
    units: int = 6
    strength: float = 1.0
    """Multiplies its units' strengths: a stronger faction has an edge on its front."""


@dataclass
class BoardSpec:
    file: str
    title: str
    description: str
    header: str
    start_date: str
    turn_days: int
    turns: int
    cols: int
    rows: int
    lat0: float
    lon0: float
    step_deg: float
    factions: list[FactionSpec]
    patrons_yaml: str = ""
    benchmarks: bool = False
    rules_yaml: str = "rules: {}\n"
    seed: int = 1
    ai_yaml: str = ""


def letters(i: int) -> str:
    """Column label: A … Z, AA …"""
    out = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        out = chr(65 + r) + out
    return out


def pick(rng: random.Random, table: list[tuple[str, int]]) -> str:
    total = sum(w for _, w in table)
    x = rng.uniform(0, total)
    for name, w in table:
        x -= w
        if x <= 0:
            return name
    return table[-1][0]


def build(spec: BoardSpec) -> str:
    rng = random.Random(spec.seed)
    cells = [(c, r) for r in range(spec.rows) for c in range(spec.cols)]
    pid = {cell: f"p_{letters(cell[0]).lower()}{cell[1] + 1}" for cell in cells}
    fac_of: dict[tuple[int, int], FactionSpec] = {}
    for cell in cells:
        fac_of[cell] = min(spec.factions, key=lambda f: (math.dist(cell, f.seat) + 0.01 * spec.factions.index(f)))
    seats = {f.seat: f for f in spec.factions}
    hostile = {(a.id, b.id) for a in spec.factions for b in spec.factions
               if a.id != b.id and b.id not in a.allies and b.id not in a.neutral}

    # routes: right and lower neighbours, and some diagonals
    edges: list[tuple[tuple[int, int], tuple[int, int], str]] = []
    main_rows = {spec.rows // 2} | {f.seat[1] for f in spec.factions}
    main_cols = {spec.cols // 2} | {f.seat[0] for f in spec.factions}
    for (c, r) in cells:
        if c + 1 < spec.cols:
            edges.append(((c, r), (c + 1, r), "highway" if r in main_rows else "road"))
        if r + 1 < spec.rows:
            edges.append(((c, r), (c, r + 1), "highway" if c in main_cols else "road"))
        if c + 1 < spec.cols and r + 1 < spec.rows and rng.random() < 0.18:
            edges.append(((c, r), (c + 1, r + 1), "track"))
        if c >= 1 and r + 1 < spec.rows and rng.random() < 0.12:
            edges.append(((c, r), (c - 1, r + 1), "track"))
    nbrs: dict[tuple[int, int], list[tuple[int, int]]] = {cell: [] for cell in cells}
    for a, b, _ in edges:
        nbrs[a].append(b)
        nbrs[b].append(a)

    # places
    lines = []
    kind: dict[tuple[int, int], str] = {}
    value: dict[tuple[int, int], int] = {}
    for cell in cells:
        c, r = cell
        f = fac_of[cell]
        lat = spec.lat0 - r * spec.step_deg + rng.uniform(-0.12, 0.12) * spec.step_deg
        lon = spec.lon0 + c * spec.step_deg * 1.3 + rng.uniform(-0.12, 0.12) * spec.step_deg
        extra = ""
        if cell in seats:
            k, terr, val, fort = "city", "urban", 8, 2
            extra = f", supply_for: [{f.id}]"
            name = f"Seat of {f.name.split()[-1]}"
        else:
            terr = pick(rng, TERRAINS)
            roll = rng.random()
            if terr == "urban" or roll < 0.06:
                k, terr, val, fort = "city", "urban", rng.choice([3, 4, 5]), rng.choice([0, 1, 1])
            elif roll < 0.7:
                k, val, fort = "town", rng.choice([1, 1, 1, 2, 2, 3]), rng.choice([0, 0, 0, 1])
            else:
                k, val, fort = "junction", rng.choice([0, 1]), 0
            name = f"{f.region} {letters(c)}{r + 1}"
        kind[cell], value[cell] = k, val
        lines.append(f"    - {{id: {pid[cell]}, name: \"{name}\", lat: {lat:.3f}, lon: {lon:.3f}, kind: {k}, "
                     f"terrain: {terr}, value: {val}, fort: {fort}{extra}, controller: {f.id}}}")
    route_lines = [f"    - {{a: {pid[a]}, b: {pid[b]}, kind: {k}}}" for a, b, k in edges]

    # fronts: own places next to a hostile faction's place
    def hops_from(starts: list[tuple[int, int]]) -> dict[tuple[int, int], int]:
        dist = {s: 0 for s in starts}
        todo = deque(starts)
        while todo:
            x = todo.popleft()
            for y in nbrs[x]:
                if y not in dist:
                    dist[y] = dist[x] + 1
                    todo.append(y)
        return dist

    unit_lines: list[str] = []
    victory_lines: list[str] = []
    bench_lines: list[str] = []
    for f in spec.factions:
        own = [x for x in cells if fac_of[x] is f]
        front = [x for x in own if any((f.id, fac_of[y].id) in hostile for y in nbrs[x])]
        front.sort(key=lambda x: (math.dist(x, f.seat), x))
        near_enemy = hops_from(front)
        targets = [x for x in cells if (f.id, fac_of[x].id) in hostile and near_enemy.get(x, 99) <= 2]
        targets.sort(key=lambda x: (-value[x], near_enemy[x], x))
        goal = targets[:3]
        strengths = [int(rng.choice([2000, 2500, 3000, 3500]) * f.strength) for _ in range(f.units)]
        unit_lines.append(f"  - {{id: {f.id}_guard, faction: {f.id}, name: \"{f.name} Seat Guard\", type: militia, "
                          f"place: {pid[f.seat]}, strength: 1500}}")
        home = hops_from(front) if front else {x: 0 for x in own}
        spots = sorted(own, key=lambda x: (home.get(x, 99), math.dist(x, f.seat), x))[:max(2, len(front))]
        count: dict[tuple[int, int], int] = {}
        for k in range(f.units):
            at = min(spots, key=lambda x: (count.get(x, 0), spots.index(x)))
            count[at] = count.get(at, 0) + 1
            t = TYPES[k % len(TYPES)]
            unit_lines.append(f"  - {{id: {f.id}_{k + 1}, faction: {f.id}, name: \"{f.name} {k + 1}\", type: {t}, "
                              f"place: {pid[at]}, strength: {strengths[k]}, cohesion: 0.75}}")
        if goal:
            ids = ", ".join(pid[x] for x in goal)
            victory_lines.append(f"  - {{id: {f.id}_advance, faction: {f.id}, kind: capture, places: [{ids}], "
                                 f"points: 20, description: \"{f.name} takes the hostile places nearest its front.\"}}")
            if spec.benchmarks:
                bench_lines.append(f"  - {{id: bm_{f.id}_advance, side: {f.id}, kind: capture, places: [{ids}], "
                                   f"history: 0.34, description: \"It took one of the three places.\"}}")
        victory_lines.append(f"  - {{id: {f.id}_seat, faction: {f.id}, kind: hold, places: [{pid[f.seat]}], "
                             f"points: 10, description: \"{f.name} keeps its seat.\"}}")
        if spec.benchmarks:
            bench_lines.append(f"  - {{id: bm_{f.id}_seat, side: {f.id}, kind: hold, places: [{pid[f.seat]}], "
                               f"history: 1.0, description: \"It kept its seat.\"}}")
            bench_lines.append(f"  - {{id: bm_{f.id}_forces, side: {f.id}, kind: keep_forces, history: 0.8, "
                               f"description: \"It kept four fifths of its strength.\"}}")

    fac_lines = []
    for f in spec.factions:
        rel = ""
        if f.allies:
            rel += f", allies: [{', '.join(f.allies)}]"
        if f.neutral:
            rel += f", neutral: [{', '.join(f.neutral)}]"
        fac_lines.append(f"  - {{id: {f.id}, name: \"{f.name}\", short: {f.short}, colour: \"{f.colour}\", "
                         f"cohesion: 0.75, capital: {pid[f.seat]}{rel}}}")

    out = [spec.header.rstrip(), "meta:", f"  title: \"{spec.title}\"", f"  start_date: {spec.start_date}",
           f"  turn_days: {spec.turn_days}", f"  turns: {spec.turns}", "  description: >-"]
    out += [f"    {line}" for line in spec.description.strip().splitlines()]
    out += [f"  seed: {spec.seed}", "", spec.rules_yaml.rstrip(), "", "map:", "  places:", *lines, "  routes:",
            *route_lines, "", "factions:", *fac_lines, ""]
    if spec.patrons_yaml:
        out += [spec.patrons_yaml.rstrip(), ""]
    out += ["units:", *unit_lines, "", "victory:", *victory_lines]
    if bench_lines:
        out += ["", "benchmarks:", *bench_lines]
    if spec.ai_yaml:
        out += ["", spec.ai_yaml.rstrip()]
    return "\n".join(out) + "\n"


HEADER = """# yaml-language-server: $schema=../../../scenarios/scenario.schema.json
# A made-up test board (tests/ai/test_scenario_shapes.py), generated by tools/make_test_boards.py: edit the
# generator, not this file. {what} Nothing here is real: the coordinates lie in the open ocean
# and the names are grid references under invented region names."""

SIX = BoardSpec(
    file="six_crowns.yaml",
    title="Six Crowns (test board)",
    description=("A made-up war of two leagues of three crowns each on a board of 48 places, one week a turn:\n"
                 "each crown must take the hostile places nearest its front and keep its seat; an outside\n"
                 "power helps each league. Ashmark in the north and Flintholm in the south are the strongest;\n"
                 "the crowns facing them, Dunhallow and Cedrove, hold their fronts thinly."),
    header=HEADER.format(what="Six factions in two alliances of three, weekly\n# turns, two patrons, benchmarks."),
    start_date="2033-03-07", turn_days=7, turns=10, cols=8, rows=6, lat0=-32.0, lon0=84.0, step_deg=0.32,
    factions=[
        FactionSpec("ashen", "Crown of Ashmark", "ASH", "#E69F00", (0, 0), "Ashmark", allies=["birch", "cedar"],
                    strength=1.8),
        FactionSpec("birch", "Crown of Birchmere", "BIR", "#56B4E9", (0, 3), "Birchmere", allies=["ashen", "cedar"]),
        FactionSpec("cedar", "Crown of Cedrove", "CED", "#009E73", (1, 5), "Cedrove", allies=["ashen", "birch"],
                    units=4),
        FactionSpec("dune", "Crown of Dunhallow", "DUN", "#F0E442", (7, 0), "Dunhallow", allies=["elm", "flint"],
                    units=4),
        FactionSpec("elm", "Crown of Elmscar", "ELM", "#0072B2", (7, 3), "Elmscar", allies=["dune", "flint"]),
        FactionSpec("flint", "Crown of Flintholm", "FLN", "#D55E00", (6, 5), "Flintholm", allies=["dune", "elm"],
                    strength=1.8),
    ],
    patrons_yaml="""patrons:
  - id: west_court
    name: "The West Court"
    clients: [ashen, birch, cedar]
    actions: [air_strike, close_air, reinforce, supply]
    support: {air: 0.5, ground: 0.4, supply: 0.5}
    capacity: 3
    reserve: 6000
    description: "An outside power that backs the western league."
  - id: east_court
    name: "The East Court"
    clients: [dune, elm, flint]
    actions: [close_air, reinforce, supply]
    support: {air: 0.3, ground: 0.6, supply: 0.5}
    capacity: 3
    reserve: 8000
    description: "An outside power that backs the eastern league."
""",
    benchmarks=True,
    seed=6,
)

BROAD = BoardSpec(
    file="broad_plain.yaml",
    title="The Broad Plain (test board)",
    description=("A made-up four-sided war on a plain of 300 places, one day a turn, without outside powers:\n"
                 "each march must take the hostile places nearest its front and keep its seat. The\n"
                 "northern and eastern marches are neutral to each other."),
    header=HEADER.format(what="Four factions (two of them neutral to each\n# other), 300 places, daily turns, "
                              "no patrons."),
    start_date="2034-06-01", turn_days=1, turns=10, cols=20, rows=15, lat0=-38.0, lon0=-140.0, step_deg=0.28,
    factions=[
        FactionSpec("north", "March of Norrow", "NOR", "#0072B2", (9, 1), "Norrow", neutral=["east"], units=8),
        FactionSpec("east", "March of Estery", "EST", "#009E73", (18, 7), "Estery", neutral=["north"], units=8),
        FactionSpec("south", "March of Sudby", "SUD", "#D55E00", (10, 13), "Sudby", units=8),
        FactionSpec("west", "March of Westerling", "WST", "#CC79A7", (1, 7), "Westerling", units=8),
    ],
    rules_yaml="rules:\n  supply_range_km: 400\n  limited_range_km: 700\n",
    seed=11,
)


def main(argv: list[str]) -> int:
    for spec in (SIX, BROAD):
        path = OUT / spec.file
        path.write_text(build(spec), encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
