"""The combat results table: odds columns, column shifts, graded results, and diminishing returns.

As in operational board wargames, the power ratio picks a column; terrain, fortification, the
defenders' posture, supply, stocks, quality, close air support, interdiction and a river crossed by
the attack shift it (a fractional shift is a chance of the next column); a die read on that column
gives a graded result.
Nothing here changes a state: the battle (combat.py), the combat preview and the bots all read
the same numbers from `odds`.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from operator import mul

import numpy as np

from .rng import Stream
from .rules import Rules
from .state import State
from .types import Posture, Supply

RESULTS: tuple[str, ...] = ("repulsed", "engaged", "exchange", "retreat", "rout")
"""Graded results, from the attacker's worst to its best (the order the die reads them in)."""

SUCCESS: frozenset[str] = frozenset({"retreat", "rout"})
"""Results after which the defenders leave (or stand and bleed) and the attackers may move in."""

_TABLES = ("crt_repulsed", "crt_engaged", "crt_exchange", "crt_retreat", "crt_rout")
_POSTURES = [p.label for p in Posture]
_SUPPLIES = [x.label for x in Supply]


def effect(level: float, rules: Rules) -> float:
    """What a support level buys, with diminishing returns: 0 at 0, 1 at 1, concave between."""
    c = rules.support_curvature
    level = min(max(level, 0.0), 1.0)
    if c <= 1e-9:
        return level
    return (1.0 - math.exp(-c * level)) / (1.0 - math.exp(-c))


def commitment(level: float, rules: Rules) -> float:
    """The will of a patron's contingent under its own command: the `contingent_will` the patron's
    men bring when it sends any at all, and the rest of the way to 1 by what its ground support level
    buys (`effect`)."""
    base = min(max(rules.contingent_will, 0.0), 1.0)
    return base + (1.0 - base) * effect(level, rules)


@dataclass(frozen=True)
class Shift:
    """One reason the column moved: its name, columns (positive favours the attacker), in words."""

    name: str
    columns: float
    why: str


@dataclass(frozen=True)
class Odds:
    """Everything that decides a battle before the dice: powers, the column and why, and the chance
    of each graded result."""

    attack: float
    defence: float
    ratio: float
    base_column: float
    shifts: tuple[Shift, ...]
    column: float
    labels: tuple[str, ...]
    chances: dict[str, float]

    @property
    def success(self) -> float:
        """Chance the defenders must give way (retreat or rout)."""
        return sum(self.chances[r] for r in SUCCESS)

    @property
    def column_label(self) -> str:
        """The column the shifts land on, as odds (e.g. "2:1"), the nearer one for a fraction."""
        return self.labels[int(round(self.column))].replace("r", "").replace("_", ":")


def table(s: State) -> tuple[list[str], list[float], np.ndarray]:
    """Column keys, their log odds, and the chance of each result per column (rows sum to 1); cached
    on the state (derived from its rules alone)."""
    hit = s.cache.get("crt_table")
    if hit is None:
        memo = s.world.for_rules(s.rules)
        hit = memo.get("crt_table")
        if hit is None:
            hit = memo["crt_table"] = _table(s.rules)
        s.cache["crt_table"] = hit
    return hit  # type: ignore[no-any-return]


def _table(rules: Rules) -> tuple[list[str], list[float], np.ndarray]:
    keys = sorted(rules.crt_odds, key=rules.crt_odds.__getitem__)
    logs = [math.log(max(rules.crt_odds[k], 1e-9)) for k in keys]
    faces = np.array([[float(getattr(rules, t).get(k, 0.0)) for t in _TABLES] for k in keys])
    total = faces.sum(axis=1, keepdims=True)
    faces = np.where(total > 0, faces / np.where(total > 0, total, 1.0), np.eye(len(_TABLES))[0])
    faces.flags.writeable = False
    return keys, logs, faces


def _rows(s: State) -> list[list[float]]:
    """`table(s)`'s chances as lists (plain floats read faster than a numpy row of five)."""
    hit = s.cache.get("crt_rows")
    if hit is None:
        memo = s.world.for_rules(s.rules)
        hit = memo.get("crt_rows")
        if hit is None:
            hit = memo["crt_rows"] = table(s)[2].tolist()
        s.cache["crt_rows"] = hit
    return hit  # type: ignore[no-any-return]


def base_column(ratio: float, logs: Sequence[float]) -> float:
    """The column of a power ratio: linear in log odds between the table's columns, extended beyond them."""
    x = math.log(max(ratio, 1e-9))
    n = len(logs)
    if n == 1:
        return 0.0
    if x <= logs[0]:
        k = 0
    elif x >= logs[-1]:
        k = n - 2
    else:
        k = min(bisect.bisect_right(logs, x) - 1, n - 2)  # the last column at or below x (logs ascend)
    span = logs[k + 1] - logs[k]
    return k + (x - logs[k]) / span if span > 0 else float(k)


def unit_power(s: State, u: int, defending: bool) -> float:
    """Strength × type × cohesion factor: what one unit brings to the ratio."""
    r = s.rules
    info = s.units[u]
    by_type = r.type_defence if defending else r.type_attack
    floor = r.cohesion_power_floor
    return (s.u_strength.item(u) * by_type.get(info.type, 1.0)  # a StrEnum member is its value
            * (floor + (1.0 - floor) * min(max(s.u_cohesion.item(u), 0.0), 1.0)))


def _read_side(s: State, units: Sequence[int], defending: bool) -> tuple[list[float], list[float], list[float],
                                                                        list[float], list[float]]:
    """One side's units read once: strengths, powers (as `unit_power`), supply shifts, stocks and qualities."""
    r = s.rules
    strength, cohesion, supply, stock, infos = s.u_strength, s.u_cohesion, s.u_supply, s.u_stock, s.units
    by_type = r.type_defence if defending else r.type_attack
    floor, supply_shift = r.cohesion_power_floor, r.supply_shift
    xs: list[float] = []
    pows: list[float] = []
    sups: list[float] = []
    stocks: list[float] = []
    qs: list[float] = []
    for u in units:
        x, info = strength.item(u), infos[u]
        xs.append(x)
        pows.append(x * by_type.get(info.type, 1.0) * (floor + (1.0 - floor) * min(max(cohesion.item(u), 0.0), 1.0)))
        sups.append(supply_shift.get(_SUPPLIES[supply.item(u)], 0.0))
        stocks.append(stock.item(u))
        qs.append(info.quality)
    return xs, pows, sups, stocks, qs


def _mean(strength: Sequence[float], total: float, values: Sequence[float]) -> float:
    """Strength-weighted mean of per-unit values (`total`: the strengths' sum, read once for several values)."""
    if total <= 0:
        return sum(values) / len(values) if values else 0.0
    weighted: float = sum(map(mul, strength, values))  # the same products and sum as a generator's, made faster
    return weighted / total


def river_crossings(s: State) -> frozenset[tuple[int, int]]:
    """(from, to) place pairs, both ways, whose route (the shortest between them, the one an attack takes, as
    for interdiction) is a river route; empty on a board without rivers (cached on the world)."""
    w = s.world
    hit = w.cache.get("river_crossings")
    if hit is None:
        b = w.board
        pairs: set[tuple[int, int]] = set()
        for a, c in b.ends[[i for i, r in enumerate(b.routes) if r.river]].tolist():
            if b.routes[b.route_between(a, c)].river:
                pairs.update(((a, c), (c, a)))
        hit = w.cache["river_crossings"] = frozenset(pairs)
    return hit  # type: ignore[no-any-return]


def odds(s: State, attackers: Sequence[int], defenders: Sequence[int], place: int, *,
         air_attack: float = 0.0, air_defence: float = 0.0, interdicted: Mapping[int, float] | None = None,
         extra: float = 0.0) -> Odds:
    """The odds of `attackers` against `defenders` at `place`. `air_attack`/`air_defence`: the effect of
    close air support flown for each side there; `interdicted`: attackers coming across an interdicted
    route, with the effect of the interdiction on it; `extra`: columns a bot allows for what it cannot
    see yet (e.g. help coming from next door)."""
    r = s.rules
    keys, logs, _ = table(s)
    a_str, a_pows, a_sups, a_stocks, a_qs = _read_side(s, attackers, defending=False)
    d_str, d_pows, d_sups, d_stocks, d_qs = _read_side(s, defenders, defending=True)
    postures = [_POSTURES[s.u_posture.item(u)] for u in defenders]
    a_pow = sum(a_pows)
    d_pow = sum(d_pows)
    ratio = a_pow / max(d_pow, 1e-9)
    base = base_column(ratio, logs)
    pl = s.world.board.places[place]
    shifts: list[Shift] = []

    def add(name: str, columns: float, why: str) -> None:
        """A shift that moves the column (most battles have few)."""
        if abs(columns) > 1e-9:
            shifts.append(Shift(name, columns, why))

    columns = r.terrain_shift.get(pl.terrain, 0.0)
    if abs(columns) > 1e-9:  # its words written only then
        add("terrain", columns, f"{pl.terrain.value} ground")
    columns = r.fort_shift * pl.fort
    if abs(columns) > 1e-9:
        add("fortification", columns, f"fortification level {pl.fort}")
    a_total, d_total = sum(a_str), sum(d_str)
    posture = _mean(d_str, d_total, [r.posture_shift.get(x, 0.0) for x in postures])
    if abs(posture) > 1e-9:
        add("posture", posture, "defenders " + "/".join(sorted(set(postures))))
    a_sup = _mean(a_str, a_total, a_sups)
    d_sup = _mean(d_str, d_total, d_sups)
    add("supply", d_sup - a_sup, "supply of both sides")
    a_stock = _mean(a_str, a_total, a_stocks)
    d_stock = _mean(d_str, d_total, d_stocks)
    add("stocks", 2.0 * r.stock_shift * (a_stock - d_stock), "ammunition and fuel on hand")
    a_q = _mean(a_str, a_total, a_qs)
    d_q = _mean(d_str, d_total, d_qs)
    add("quality", r.quality_shift * (a_q - d_q), "training and equipment")
    add("air", r.air_shift * (min(air_attack, 1.0) - min(air_defence, 1.0)), "close air support")
    if interdicted:
        hit = _mean(a_str, a_total, [min(interdicted.get(u, 0.0), 1.0) for u in attackers])
        add("interdiction", -r.interdict_shift * hit, "attackers crossing an interdicted route")
    rivers = river_crossings(s)
    if rivers:  # attackers already inside the place (street fighting, a meeting) cross nothing
        across = _mean(a_str, a_total, [float((s.u_place.item(u), place) in rivers) for u in attackers])
        add("river", -r.river_shift * across, "attackers crossing a river")
    add("expected", extra, "what may still change before the battle")
    last = len(keys) - 1
    column = min(max(base + sum(x.columns for x in shifts), 0.0), float(last))
    lo = int(math.floor(column))
    frac = column - lo
    rows = _rows(s)
    if frac > 0:
        keep = 1.0 - frac
        chances = {name: a * keep + b * frac for name, a, b in zip(RESULTS, rows[lo], rows[min(lo + 1, last)])}
    else:
        chances = {name: a * (1.0 - frac) + 0.0 for name, a in zip(RESULTS, rows[lo])}
    return Odds(a_pow, d_pow, ratio, base, tuple(shifts), column, tuple(keys), chances)


def roll(s: State, o: Odds, rng: Stream) -> str:
    """Read the die: a fractional column is the next one with the chance of its fraction."""
    rows = _rows(s)
    lo = int(math.floor(o.column))
    between, die = rng.random(), rng.random()  # both drawn always (the same dice whatever the column)
    col = lo + 1 if o.column - lo > 0 and between < o.column - lo else lo
    acc = 0.0
    for name, p in zip(RESULTS, rows[min(col, len(rows) - 1)]):
        acc += p
        if die < acc:
            return name
    return RESULTS[-1]


def column_factor(s: State) -> float:
    """The power ratio one column is worth on average: for folding column shifts into powers, as the
    bots' quick estimates do (cached on the state)."""
    hit = s.cache.get("crt_column_factor")
    if hit is None:
        _, logs, _ = table(s)
        step = (logs[-1] - logs[0]) / max(len(logs) - 1, 1)
        hit = s.cache["crt_column_factor"] = math.exp(step)
    return hit  # type: ignore[no-any-return]


def _folded(s: State) -> tuple[list[float], list[float], list[float]]:
    """Per column: the log odds, the chance the defenders give way, and the chance of an engagement (cached)."""
    hit = s.cache.get("crt_success")
    if hit is None:
        memo = s.world.for_rules(s.rules)
        hit = memo.get("crt_success")
        if hit is None:
            _, logs, faces = table(s)
            ok = [RESULTS.index(x) for x in SUCCESS]
            hit = memo["crt_success"] = (logs, faces[:, ok].sum(axis=1).tolist(),
                                         faces[:, RESULTS.index("engaged")].tolist())
        s.cache["crt_success"] = hit
    return hit  # type: ignore[no-any-return]


def success_chance(s: State, ratio: float) -> float:
    """Chance the defenders give way at a power ratio with every shift already folded into the powers."""
    return progress_chances(s, ratio)[0]


def progress_chances(s: State, ratio: float) -> tuple[float, float]:
    """(defenders give way, the fight stays engaged) at a folded power ratio: what a bot weighs before
    an attack (in a city an engagement gets the attackers into the streets)."""
    logs, success, engaged = _folded(s)
    last = len(success) - 1
    col = min(max(base_column(ratio, logs), 0.0), float(last))
    lo = int(col)
    frac = col - lo
    hi = min(lo + 1, last)
    return (success[lo] * (1.0 - frac) + success[hi] * frac, engaged[lo] * (1.0 - frac) + engaged[hi] * frac)
