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
    air: NDArray[np.float64] = field(default_factory=lambda: np.zeros((0, 0)))
    surge: set[int] = field(default_factory=set)
    origin: dict[int, int] = field(default_factory=dict)
    attacks: list[tuple[int, int]] = field(default_factory=list)
    value_lost: NDArray[np.float64] = field(default_factory=lambda: np.zeros(0))
    value_gained: NDArray[np.float64] = field(default_factory=lambda: np.zeros(0))
    wins: NDArray[np.float64] = field(default_factory=lambda: np.zeros(0))
    routs: NDArray[np.float64] = field(default_factory=lambda: np.zeros(0))
    newly_cut: NDArray[np.float64] = field(default_factory=lambda: np.zeros(0))

    def __post_init__(self) -> None:
        n, nf = self.start.world.board.n_places, len(self.start.world.factions)
        self.air = np.zeros((n, nf))
        for name in ("value_lost", "value_gained", "wins", "routs", "newly_cut"):
            setattr(self, name, np.zeros(nf))

    def unit_orders(self) -> list[tuple[str, Move | Attack | Withdraw]]:
        return [(s, o) for s, o in self.orders if isinstance(o, (Move, Attack, Withdraw))]
