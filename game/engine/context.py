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
    origin: dict[int, int] = field(default_factory=dict)
    attacks: list[tuple[int, int]] = field(default_factory=list)
    air: NDArray[np.float64] = field(init=False)
    """Per place and faction: the air support its units fight with there this turn."""
    # per faction tallies of the turn (rows of one array):
    value_lost: NDArray[np.float64] = field(init=False)
    value_gained: NDArray[np.float64] = field(init=False)
    wins: NDArray[np.float64] = field(init=False)
    routs: NDArray[np.float64] = field(init=False)
    newly_cut: NDArray[np.float64] = field(init=False)

    def __post_init__(self) -> None:
        n, nf = self.start.world.board.n_places, len(self.start.world.factions)
        self.air = np.zeros((n, nf))
        self.value_lost, self.value_gained, self.wins, self.routs, self.newly_cut = np.zeros((5, nf))

    def unit_orders(self) -> list[tuple[str, Move | Attack | Withdraw]]:
        return [(s, o) for s, o in self.orders if isinstance(o, (Move, Attack, Withdraw))]
