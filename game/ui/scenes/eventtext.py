"""Readable sentences for events and orders (turn report, orders panel); no pygame here.

Each report line carries a category (for its icon and order) and the place to centre the
map on; hotseat filtering hides other sides' refused orders and private injects.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

from game.engine import AirStrike, Attack, Entrench, Hold, Move, Order, Reinforce, State, SupplySurge, Withdraw
from game.engine import events as ev
from game.engine.benchmarks import benchmark_sides, standings
from game.engine.events import event_place

CATEGORY_ORDER = ("game", "standing", "victory", "capture", "combat", "air", "rout", "surrender", "inject", "supply",
                  "support", "corridor", "cohesion", "refused", "move")
CATEGORY_TITLES = {
    "game": "Result", "standing": "Against history", "inject": "News", "victory": "Victory conditions",
    "capture": "Places changing hands",
    "combat": "Combat", "air": "Air strikes", "rout": "Routs and retreats", "surrender": "Losses",
    "supply": "Supply", "support": "Patron support", "corridor": "Corridors", "cohesion": "Cohesion",
    "move": "Movements", "refused": "Refused orders",
}


@dataclass(frozen=True)
class ReportLine:
    category: str
    text: str
    place: str | None
    tally: tuple[tuple[str, float], ...] = ()
    """What the line counts (e.g. ("fell back", 15)): the summary adds these up, so it always agrees
    with the lines shown."""


TALLY: dict[type, str] = {ev.PlaceCaptured: "taken", ev.Combat: "fights", ev.Engagement: "fights",
                          ev.UnitRouted: "routed", ev.UnitSurrendered: "lost", ev.UnitFled: "lost",
                          ev.UnitDestroyed: "lost", ev.SupplyCut: "cut off"}


TALLY_BY_KIND = {kind.__name__: key for kind, key in TALLY.items()}
"""The same by the name of the event's class (as a team's view names its events' kinds)."""


def tally_by_kind(kind: str, reason: object = None, strength: object = None) -> tuple[tuple[str, float], ...]:
    """What one event of `kind` (an engine event class's name) adds to the turn's summary: a retreat by its
    `reason`, a desertion by the `strength` lost (when it is a number: another side's is a band of text)."""
    if kind == "UnitRetreated":
        return (("broke" if reason == "broke" else "fell back", 1),)
    if kind == "UnitDeserted":
        return (("deserted", float(strength)),) if isinstance(strength, (int, float)) else ()
    key = TALLY_BY_KIND.get(kind)
    return ((key, 1),) if key else ()


def tally_of(event: ev.Event) -> tuple[tuple[str, float], ...]:
    """What one event adds to the turn's summary."""
    return tally_by_kind(type(event).__name__, getattr(event, "reason", None), getattr(event, "strength", None))


class Namer:
    """Display names for ids of one world (places, factions, patrons, units, corridors). `before`: the state
    at the start of the turn told of, so units the turn's end dropped (destroyed, surrendered, melted
    away) are still called by their names, not their ids."""

    def __init__(self, state: State, before: State | None = None) -> None:
        w = state.world
        self.place = {p.id: p.name for p in w.board.places}
        self.side = {f.id: f.short or f.name for f in w.factions} | {p.id: p.name for p in w.patrons}
        self.short = {f.id: f.short for f in w.factions}
        gone = {u.id: u.name for u in before.units} if before is not None else {}
        self.unit = gone | {u.id: u.name for u in state.units}
        self.corridor = {c.id: c.name for c in w.board.corridors}

    def p(self, pid: str) -> str:
        return self.place.get(pid, pid)

    def s(self, sid: str) -> str:
        """A side's name: a faction's short name (as on its counters), a patron's name."""
        return self.side.get(sid, sid)

    def u(self, uid: str, faction: str = "") -> str:
        name = self.unit.get(uid, uid)
        return f"{name} ({self.short[faction]})" if faction in self.short else name


def troops(n: float) -> str:
    return f"{round(n):,} troops"


def describe_order(state: State, order: Order, names: Namer | None = None, with_unit: bool = True) -> str:
    """`Move 25th Division → Homs`, `Air strike on Hama`, … (`with_unit=False`: `Move → Homs`)."""
    n = names or Namer(state)
    if not with_unit and isinstance(order, (Move, Attack, Withdraw, Entrench, Hold)):
        verb = type(order).__name__
        where = getattr(order, "to", None) or getattr(order, "target", None)
        return f"Order: {verb}" + (f" → {n.p(where)}" if where else "")
    if isinstance(order, Move):
        return f"Move {n.u(order.unit)} → {n.p(order.to)}"
    if isinstance(order, Attack):
        return f"Attack {n.p(order.target)} with {n.u(order.unit)}"
    if isinstance(order, Withdraw):
        return f"Withdraw {n.u(order.unit)} → {n.p(order.to)}"
    if isinstance(order, Entrench):
        return f"Entrench {n.u(order.unit)}"
    if isinstance(order, Hold):
        return f"Hold with {n.u(order.unit)}"
    if isinstance(order, AirStrike):
        return f"Air strike on {n.p(order.place)}"
    if isinstance(order, Reinforce):
        who = f" for {n.s(order.faction)}" if order.faction else ""
        return f"Reinforcements{who} to {n.p(order.place)}"
    if isinstance(order, SupplySurge):
        return f"Supply surge to {n.s(order.faction)}"
    return str(order)


def order_parts(state: State, order: Order, names: Namer | None = None) -> tuple[str, str]:
    """An order in two parts for a list: what it does ("Attack → Hama") and the unit it is for ("" for a
    patron's orders)."""
    n = names or Namer(state)
    faction = state.units[state.unit_index()[order.unit]].faction if hasattr(order, "unit") and \
        order.unit in state.unit_index() else ""  # type: ignore[union-attr]
    if isinstance(order, (Move, Attack, Withdraw, Entrench, Hold)):
        return describe_order(state, order, n, with_unit=False).removeprefix("Order: "), n.u(order.unit, faction)
    return describe_order(state, order, n), ""


RESULT_WORDS = {"rout": "routed the defenders", "retreat": "drove the defenders out",
                "exchange": "traded heavy losses, the defenders holding", "engaged": "fought on without a decision",
                "repulsed": "was repulsed"}


def _combat(e: ev.Combat, n: Namer) -> str:
    if e.result:
        done = RESULT_WORDS.get(e.result, e.result)
        if e.result == "retreat" and not e.success:
            done = "pushed, but the entrenched defenders stood"
        read = f" (read at {e.column}, {e.chance:.0%} chance to make them give way)" if e.column else \
            f" ({e.chance:.0%} chance)"
    else:
        done = "took the place" if e.success else "was held off"
        read = f" ({e.chance:.0%} chance)"
    if e.inside:  # fighting already inside the place (street fighting or a meeting): no attack was launched
        return (f"{n.s(e.attacker)} fought {n.s(e.defender)} inside {n.p(e.place)} at {e.ratio:.1f} : 1{read} and "
                f"{done}; losses {round(e.attacker_losses):,} for {n.s(e.attacker)}, "
                f"{round(e.defender_losses):,} for {n.s(e.defender)}.")
    return (f"{n.s(e.attacker)} attacked {n.p(e.place)} held by {n.s(e.defender)} at {e.ratio:.1f} : 1{read} and "
            f"{done}; losses {round(e.attacker_losses):,} attacking, {round(e.defender_losses):,} defending.")


SentenceFn = Callable[[ev.Event, Namer], tuple[str, str]]

SENTENCES: dict[type, SentenceFn] = {
    ev.GameOver: lambda e, n: ("game", f"Game over: {', '.join(n.s(w) for w in e.winners) or 'nobody'} "
                                       f"({e.reason})."),
    ev.InjectFired: lambda e, n: ("inject", f"{e.title}: {e.message}" if e.message else f"{e.title}."),
    ev.VictoryAchieved: lambda e, n: ("victory", f"{n.s(e.faction)} achieved “{e.description or e.condition}” "
                                                 f"(+{e.points:g} points{', decisive' if e.decisive else ''})."),
    ev.PlaceCaptured: lambda e, n: ("capture", f"{n.s(e.faction)} took {n.p(e.place)} from {n.s(e.previous)}."),
    ev.PlaceHandedOver: lambda e, n: ("capture", f"{n.s(e.previous)} handed {n.p(e.place)} over to "
                                                 f"{n.s(e.faction)}."),
    ev.PlaceControlSet: lambda e, n: ("capture", f"{n.p(e.place)} passed from {n.s(e.previous)} to "
                                                 f"{n.s(e.faction)} by an event."),
    ev.PlaceContested: lambda e, n: ("capture", f"{n.p(e.place)} is contested by "
                                                f"{' and '.join(n.s(f) for f in e.factions)}."),
    ev.Combat: lambda e, n: ("combat", _combat(e, n)),  # type: ignore[arg-type]
    ev.Engagement: lambda e, n: ("combat", f"Forces met on the road ({e.route.replace('~', '–')}): "
                                           f"{n.s(e.winner)} beat {n.s(e.loser)}."),
    ev.AirStrike: lambda e, n: ("air", f"{n.s(e.patron)} air strike on {n.p(e.place)}: {round(e.losses):,} "
                                       f"casualties among {len(e.units)} unit{'s' * (len(e.units) != 1)}."),
    ev.UnitRouted: lambda e, n: ("rout", f"{n.u(e.unit, e.faction)} routed at {n.p(e.place)}."),
    ev.UnitRetreated: lambda e, n: ("rout", f"{n.u(e.unit, e.faction)} fell back from {n.p(e.place)} to "
                                            f"{n.p(e.to)} ({e.reason})."),
    ev.UnitRallied: lambda e, n: ("rout", f"{n.u(e.unit, e.faction)} rallied at {n.p(e.place)}."),
    ev.UnitSurrendered: lambda e, n: ("surrender", f"{n.u(e.unit, e.faction)} surrendered at {n.p(e.place)} "
                                                   f"({troops(e.strength)})."),
    ev.UnitDestroyed: lambda e, n: ("surrender", f"{n.u(e.unit, e.faction)} was destroyed at {n.p(e.place)}."),
    ev.UnitFled: lambda e, n: ("surrender", f"{n.u(e.unit, e.faction)} fled from {n.p(e.place)} across the border "
                                            f"into {e.country} ({troops(e.strength)})."),
    ev.UnitDeserted: lambda e, n: ("surrender", f"Desertion: {n.u(e.unit, e.faction)} lost {troops(e.strength)} "
                                                f"at {n.p(e.place)}."),
    ev.UnitWentToGround: lambda e, n: ("rout", f"{n.u(e.unit, e.faction)} went to ground at {n.p(e.place)} "
                                               f"instead of surrendering ({troops(e.strength)} left)."),
    ev.SupplyCut: lambda e, n: ("supply", f"{n.u(e.unit, e.faction)} at {n.p(e.place)} is cut off from supply."),
    ev.SupplyRestored: lambda e, n: ("supply", f"Supply restored to {n.u(e.unit, e.faction)} at {n.p(e.place)}."),
    ev.ReinforcementsArrived: lambda e, n: ("support", f"{n.s(e.patron)} reinforcements ({troops(e.strength)}) "
                                                       f"reached {n.s(e.faction)} at {n.p(e.place)}."),
    ev.ConvoyInterdicted: lambda e, n: ("support", f"{n.s(e.interdictor)} struck a {n.s(e.patron)} convoy at "
                                                   f"{n.p(e.place)} ({troops(e.strength)} lost)."),
    ev.SupplySurged: lambda e, n: ("support", f"{n.s(e.patron)} surged supplies to {n.s(e.faction)} "
                                              f"({e.units} units)."),
    ev.CorridorChanged: lambda e, n: ("corridor", f"The {n.corridor.get(e.corridor, e.corridor)} corridor is now "
                                                  f"{'open' if e.open else 'closed'} for {n.s(e.faction)}."),
    ev.CohesionChanged: lambda e, n: ("cohesion", f"{n.s(e.faction)} cohesion {e.before:.2f} → {e.after:.2f}."),
    ev.FactionBroken: lambda e, n: ("cohesion", f"{n.s(e.faction)} cohesion fell to {e.cohesion:.2f}, below its "
                                                f"breakpoint: its units may desert or fall back without orders."),
    ev.AttackCalledOff: lambda e, n: ("combat", f"{n.u(e.unit, e.faction)} did not attack {n.p(e.place)}: "
                                                f"{e.reason}."),
    ev.UnitMoved: lambda e, n: ("move", f"{n.u(e.unit, e.faction)} moved "
                                        f"{' → '.join(n.p(p) for p in (e.path[0], e.path[-1]))}." if e.path else
                                        f"{n.u(e.unit, e.faction)} moved."),
}


def shows_change(before: float, after: float) -> bool:
    """Whether a cohesion change shows at the report's two decimals (0.704 → 0.696 reads 0.70 → 0.70)."""
    return f"{before:.2f}" != f"{after:.2f}"


def _moved(e: ev.CohesionChanged) -> bool:
    return shows_change(e.before, e.after)


def sentence(event: ev.Event, names: Namer, state: State) -> ReportLine | None:
    """One report line for an event (None for events the report leaves out)."""
    if isinstance(event, ev.OrderRejected):
        text = f"{names.s(event.side)}: {describe_order(state, event.order, names)} was refused: {event.reason}."
        place = getattr(event.order, "to", None) or getattr(event.order, "target", None) or \
            getattr(event.order, "place", None)
        return ReportLine("refused", text, place)
    fn = SENTENCES.get(type(event))
    if fn is None:
        return None
    if isinstance(event, ev.CohesionChanged) and not _moved(event):
        return None
    category, text = fn(event, names)
    return ReportLine(category, text, event_place(event), tally_of(event))


def is_visible(event: ev.Event, viewer: Collection[str] | None, teams: dict[str, str]) -> bool:
    """Whether a seat playing `viewer` sides may read this event (None: everyone sees everything)."""
    if viewer is None:
        return True
    if isinstance(event, ev.OrderRejected):
        return event.side in viewer
    if isinstance(event, ev.AttackCalledOff):
        return event.faction in viewer
    if isinstance(event, ev.InjectFired):
        audience = set(event.audience)
        mine = set(viewer) | {teams[s] for s in viewer if s in teams}
        return "all" in audience or bool(audience & mine)
    return True


GROUP_AT = 4
"""Four or more retreats, cut-offs, desertions or moves of one faction in a turn read as one line."""


def _pairs(pairs: list[tuple[str, str]], names: Namer, limit: int = 4) -> str:
    counts = Counter(pairs)
    parts = [f"{names.p(a)} → {names.p(b)}" + (f" ({k})" if k > 1 else "") for (a, b), k in counts.most_common(limit)]
    more = len(counts) - limit
    return ", ".join(parts) + (f" and {more} more" if more > 0 else "")


def _places(places: list[str], names: Namer, limit: int = 5) -> str:
    counts = Counter(places)
    parts = [names.p(p) + (f" ({k})" if k > 1 else "") for p, k in counts.most_common(limit)]
    more = len(counts) - limit
    return ", ".join(parts) + (f" and {more} more" if more > 0 else "")


def grouped(events: Sequence[ev.Event], names: Namer) -> tuple[list[ReportLine], set[int]]:
    """One line for each faction's many retreats, cut-offs, restorations, desertions or moves;
    returns the lines and the positions of the events they stand for."""
    buckets: dict[tuple[type, str, str], list[int]] = {}
    for k, e in enumerate(events):
        if isinstance(e, (ev.UnitRetreated, ev.SupplyCut, ev.SupplyRestored, ev.UnitDeserted, ev.UnitMoved)):
            buckets.setdefault((type(e), e.faction, getattr(e, "reason", "")), []).append(k)
    lines: list[ReportLine] = []
    used: set[int] = set()
    for (kind, faction, reason), idx in buckets.items():
        if len(idx) < GROUP_AT:
            continue
        es = [events[k] for k in idx]
        who, n = names.s(faction), len(es)
        if kind is ev.UnitRetreated:
            text = f"{n} {who} units fell back ({reason}): " + _pairs([(e.place, e.to) for e in es], names) + "."
            line = ReportLine("rout", text, Counter(e.place for e in es).most_common(1)[0][0])
        elif kind is ev.UnitMoved:
            pairs = [(e.path[0], e.path[-1]) for e in es if e.path]
            line = ReportLine("move", f"{n} {who} units moved: " + _pairs(pairs, names) + ".",
                              pairs[0][1] if pairs else None)
        elif kind is ev.UnitDeserted:
            total = sum(e.strength for e in es)
            line = ReportLine("surrender", f"Desertion: {who} lost {troops(total)} from {n} units at "
                              + _places([e.place for e in es], names) + ".", es[0].place)
        else:
            state = "are cut off from supply" if kind is ev.SupplyCut else "have supply again"
            line = ReportLine("supply", f"{n} {who} units {state}: " + _places([e.place for e in es], names) + ".",
                              Counter(e.place for e in es).most_common(1)[0][0])
        total: dict[str, float] = {}
        for e in es:
            for key, n_ in tally_of(e):
                total[key] = total.get(key, 0) + n_
        lines.append(ReportLine(line.category, line.text, line.place, tuple(total.items())))
        used.update(idx)
    coh = [k for k, e in enumerate(events) if isinstance(e, ev.CohesionChanged)]
    shown = [events[k] for k in coh if _moved(events[k])]  # type: ignore[arg-type]
    if shown:
        parts = [f"{names.s(e.faction)} {e.before:.2f} → {e.after:.2f}" for e in shown]  # type: ignore[union-attr]
        lines.append(ReportLine("cohesion", "Cohesion: " + ", ".join(parts) + ".", None))
    used.update(coh)
    return lines, used


def report_lines(state: State, events: Sequence[ev.Event], viewer: Collection[str] | None = None,
                 before: State | None = None) -> list[ReportLine]:
    """The turn report for a viewer, grouped by category in reading order. With the state at the start
    of the turn (`before`), each battle says what made its odds."""
    names = Namer(state, before)
    teams = {s: t.id for t in state.world.teams for s in t.sides}
    visible = [e for e in events if is_visible(e, viewer, teams)]
    lines, used = grouped(visible, names)
    for k, e in enumerate(visible):
        line = None if k in used else sentence(e, names, state)
        if line is not None and before is not None and isinstance(e, ev.Combat):
            why = odds_factors(before, e)
            if why:
                line = ReportLine(line.category, f"{line.text} Odds: {why}.", line.place, line.tally)
        if line is not None:
            lines.append(line)
    if before is not None:
        lines += standing_lines(before, state, viewer, names)
    rank = {c: i for i, c in enumerate(CATEGORY_ORDER)}
    return sorted(lines, key=lambda ln: rank.get(ln.category, len(rank)))


def standing_lines(before: State, after: State, viewer: Collection[str] | None, names: Namer) -> list[ReportLine]:
    """Where benchmarks decide who wins: the viewer's sides' standings against history after the turn, and
    how far the turn moved them (every side's when the computer plays them all: `viewer` None)."""
    if not after.world.benchmarks:
        return []
    was, now = standings(before), standings(after)
    parts = []
    for side in benchmark_sides(after.world):
        if viewer is None or side in viewer:
            move = now[side] - was.get(side, 0.0)
            change = f" ({move:+.2f})" if abs(move) >= 0.005 else ""
            parts.append(f"{names.s(side)} {now[side]:+.2f}{change}")
    return [standing_line(parts)] if parts else []


def standing_line(parts: Sequence[str]) -> ReportLine:
    """The report's "Against history" line from each side's "name standing" part."""
    return ReportLine("standing", "Standing (above 0 beats history): " + ", ".join(parts) + ".", None)


SUMMARY = (("taken", "place taken", "places taken", True), ("fights", "fight", "fights", True),
           ("routed", "routed", "routed", False), ("broke", "broke and fell back", "broke and fell back", False),
           ("fell back", "fell back", "fell back", False), ("cut off", "cut off", "cut off", False),
           ("lost", "unit lost", "units lost", True), ("deserted", "troops deserted", "troops deserted", False))


def summary(lines: Sequence[ReportLine]) -> str:
    """`2 places taken · 3 fights · 15 broke and fell back · 0 units lost`: the tallies of the report's
    own lines (always shown: places, fights, units lost; the rest when there are any)."""
    total: dict[str, float] = {}
    for line in lines:
        for key, n in line.tally:
            total[key] = total.get(key, 0) + n
    parts = []
    for key, one, many, always in SUMMARY:
        n = total.get(key, 0)
        if n or always:
            parts.append(f"{n:,.0f} {one if n == 1 else many}")
    return " · ".join(parts)


def odds_factors(before: State, e: ev.Combat, most: int = 3) -> str:
    """What moved a battle's odds most, e.g. "terrain −1.00, fortification −1.00, quality +0.20 columns": the
    battle's own column shifts, or (for a battle recorded without them) the combat preview at the start
    of the turn."""
    shifts = [(name, value) for name, value in e.shifts if abs(value) >= 0.05]
    unit = "columns"
    if not e.shifts:
        from game.engine.preview import preview_attack

        try:
            p = preview_attack(before, e.attacker, [u for u in e.attackers if u in before.unit_index()], e.place)
        except (KeyError, ValueError):
            return ""
        unit = p.modifier_unit
        shifts = [(m.name, m.value) for m in p.modifiers if abs(m.value - (1.0 if unit == "×" else 0.0)) >= 0.05]
    neutral = 1.0 if unit == "×" else 0.0
    strong = sorted(shifts, key=lambda x: -abs(x[1] - neutral))[:most]
    if not strong:
        return ""
    if unit == "×":
        return ", ".join(f"{name} ×{value:.2f}" for name, value in strong)
    return ", ".join(f"{name} {value:+.2f}" for name, value in strong) + " columns"
