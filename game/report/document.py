"""What an after-action report shows, as plain data the HTML and Markdown writers render."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from game.engine.view import View

from .history import HistoryLine
from .narrate import Names

DEBRIEF = (
    ("planned", "What was planned?", "Each team's aims and plan at the start, and how they changed."),
    ("happened", "What happened?", "The turning points: what the maps, events and charts show."),
    ("why", "Why did it happen?", "Decisions, chance, the model's rules, and where the game differed from history."),
    ("differently", "What would you do differently?", "Next time, as a team, and as the umpire."),
)
"""The four questions of the structured debrief: key, question, prompt."""

EVIDENCE = "From the record of the game (a starting point for the discussion, not a verdict):"
"""The heading of what the record shows under a question (see debrief.py)."""

CAVEAT = ("This game explores the assumptions of a model; it is not a forecast and not a record of events. "
          "Strengths, support levels and cohesion are estimates for play.")


@dataclass
class TurnPage:
    """One turn of the report: the map at its end, its key events, the orders revealed, what history
    did that day and the umpire's records."""

    turn: int
    date: str
    view: View
    map_png: bytes
    events: list[str]
    orders: dict[str, list[str]]
    history: list[HistoryLine]
    umpire: list[dict[str, Any]]


@dataclass
class Report:
    """Everything a rendered report shows."""

    title: str
    team: str
    team_name: str
    umpire: bool
    seed: int
    source: str
    start: View
    start_png: bytes
    pages: list[TurnPage]
    charts: dict[str, bytes]
    umpire_records: list[dict[str, Any]]
    facts: dict[str, str] = field(default_factory=dict)
    team_names: dict[str, str] = field(default_factory=dict)
    """Every team's name by id (public: the scenario's `teams:`)."""

    def names(self) -> Names:
        """The names its reader may know: from the start and every turn's view, and the teams'."""
        out = Names()
        out.learn(self.start)
        for p in self.pages:
            out.learn(p.view)
        out.learn_teams(self.team_names)
        return out

    @property
    def final(self) -> View:
        return self.pages[-1].view if self.pages else self.start
