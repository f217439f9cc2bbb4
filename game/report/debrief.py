"""Evidence for the debrief: what the record of the game shows under its questions, as a starting point
for the discussion (the teams' and the umpire's notes go beside it). Built from the report's views only,
so a team's report cites only what that team saw."""

from __future__ import annotations

import re

from game.engine.events import CONTROL_CHANGES

from .document import Report
from .narrate import Names, describe

MAJOR = 4.0
"""Places worth at least this much (the map names them) are turning points when they change hands."""
DIFFERENCES = 8
"""At most this many benchmarks are listed where the game differed most from history."""
SWINGS = 5
"""At most this many sides' largest one-day moves against history are listed."""
CHANGES_HANDS = frozenset(kind.__name__ for kind in CONTROL_CHANGES)
"""The kinds of event (as a view names them) by which a place changes hands."""


def _when(turn: int, date: str) -> str:
    return f"Turn {turn} ({date})"


def happened(report: Report, n: Names) -> list[str]:
    """The turning points: armies that broke and major places that changed hands, in the order they
    happened; then the sides' largest one-day moves against history, largest first."""
    out: list[str] = []
    value = {p.id: p.value for p in report.start.places}
    before = dict(report.start.standings)
    swings: dict[str, tuple[float, int, str]] = {}
    for page in report.pages:
        when = _when(page.turn, page.date)
        for e in page.view.events:
            d = e.data
            if e.kind == "FactionBroken" or (e.kind in CHANGES_HANDS and value.get(str(d.get("place")), 0.0) >= MAJOR):
                out.append(f"{when}: {describe(e, n)}")
        for side, now in page.view.standings.items():
            move = now - before.get(side, 0.0)
            if abs(move) > abs(swings.get(side, (0.0, 0, ""))[0]) + 1e-9:
                swings[side] = (move, page.turn, page.date)
            before[side] = now
    ranked = sorted(swings.items(), key=lambda kv: (-abs(kv[1][0]), kv[0]))
    for side, (move, turn, date) in [kv for kv in ranked if abs(kv[1][0]) >= 0.01][:SWINGS]:
        out.append(f"Largest one-day move against history for {n(side)}: {move:+.2f}, on {_when(turn, date).lower()}.")
    return out


def differed(report: Report, n: Names) -> list[str]:
    """Where the game differed most from history: the benchmarks whose measure, weighted, is furthest
    from history's (each side's total is in the report's summary)."""
    final = report.final
    marks = sorted((b for b in final.benchmarks if abs(b.value - b.history) >= 0.005),
                   key=lambda b: (-abs(b.weight * (b.value - b.history)), b.side, b.id))
    out = []
    for b in marks[:DIFFERENCES]:
        what = re.split(r"\. (?=[A-Z])", b.description or b.id)[0].rstrip(".")  # its first sentence
        out.append(f"{n(b.side)}: {what}: game {b.value:.2f}, history {b.history:.2f} "
                   f"({b.weight * (b.value - b.history):+.2f} to its standing).")
    return out


def evidence(report: Report) -> dict[str, list[str]]:
    """Per debrief question (by key): what the record shows (nothing before the first turn is played: the
    measures at the start are not yet the game's)."""
    if not report.pages:
        return {}
    n = report.names()
    return {"happened": happened(report, n), "why": differed(report, n)}
