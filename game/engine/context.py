"""The working memory of one turn's resolution, shared by the phases."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from .events import Event
from .orders import Attack, Move, Order, Withdraw
from .state import State


@dataclass
class TurnContext:
    """Accepted orders, per-turn modifiers and tallies that later phases read."""

    start: State
    orders: list[tuple[str, Order]] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    surge: set[int] = field(default_factory=set)
    surged: set[int] = field(default_factory=set)
    """Units a supply surge reached this turn (limited ones count as supplied)."""
    origin: dict[int, int] = field(default_factory=dict)
    attacks: list[tuple[int, int]] = field(default_factory=list)
    air: NDArray[np.float64] = field(init=False)
    """Per place and faction: the effect of close air support its units fight with there this turn."""
    missions: dict[int, int] = field(default_factory=dict)
    """Air missions flown at each place this turn (each does less than the one before)."""
    interdicted: dict[int, float] = field(default_factory=dict)
    """Per route: the effect of the air watching it this turn, and for whom: see `interdictors`."""
    interdictors: dict[int, set[int]] = field(default_factory=dict)
    """Per interdicted route: the factions the interdiction works for (units hostile to them suffer)."""
    interdicted_by: dict[int, str] = field(default_factory=dict)
    """Per interdicted route: the first patron watching it (for the report)."""
    fought: set[int] = field(default_factory=set)
    """Places where a battle was fought this turn."""
    attacked: set[int] = field(default_factory=set)
    """Units that attacked or were attacked this turn (they face a morale check)."""
    checked: set[int] = field(default_factory=set)
    """Units that took their morale check this turn (before a battle, or failing one)."""
    morale: NDArray[np.float64] | None = None
    """Per unit: the morale check modifier, worked out once when the first assault is resolved."""
    cut_off: NDArray[np.bool_] | None = None
    """Per unit, after the supply phase: no route to its faction's capital."""
    forced: dict[int, str] = field(default_factory=dict)
    """Per place: the results-table result the umpire fixed for the battle there (engine/umpire.py)."""
    # per faction tallies of the turn (rows of one array):
    value_lost: NDArray[np.float64] = field(init=False)
    value_gained: NDArray[np.float64] = field(init=False)
    wins: NDArray[np.float64] = field(init=False)
    routs: NDArray[np.float64] = field(init=False)
    """Share of the faction's strength (at the start of the turn) that routed or broke."""
    newly_cut: NDArray[np.float64] = field(init=False)
    help: NDArray[np.float64] = field(init=False)
    """Reinforcements that arrived, in full reinforcements' worth."""
    _totals: NDArray[np.float64] | None = field(default=None, repr=False)
    isolated: NDArray[np.float64] = field(init=False)
    """Share of the faction's strength that lost its route to the capital this turn."""

    def __post_init__(self) -> None:
        n, nf = self.start.world.board.n_places, len(self.start.world.factions)
        self.air = np.zeros((n, nf))
        (self.value_lost, self.value_gained, self.wins, self.routs, self.newly_cut, self.help,
         self.isolated) = np.zeros((7, nf))

    def routed(self, u: int) -> None:
        """Tally a unit that routed or broke, as its share of its faction's strength at the start of the turn."""
        s = self.start
        totals = self._totals
        if totals is None:
            alive = s.u_strength > 0
            summed = np.bincount(s.u_faction[alive], weights=s.u_strength[alive], minlength=len(self.routs))
            totals = self._totals = np.asarray(summed, dtype=np.float64)
        f = s.u_faction.item(u) if u < len(s.units) else -1
        if f < 0:
            return
        total = totals.item(f)
        self.routs[f] += s.u_strength.item(u) / total if total > 0 else 0.0

    def unit_orders(self) -> list[tuple[str, Move | Attack | Withdraw]]:
        return [(s, o) for s, o in self.orders if isinstance(o, (Move, Attack, Withdraw))]
