"""The bot interface: `make_bot(level, ai_block)` returns a callable
`bot(state, side, rng) -> list[Order]` that plays any faction or patron."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from game.engine import Order, State

from .assess import Foresight, foresee
from .faction import faction_orders
from .lookahead import best_plan
from .patron import patron_plan
from .race import race_plans
from .weights import LEVELS, Weights, side_weights


def plan_for(s: State, side: str, w: Weights, rng: np.random.Generator,
             foresight: Foresight | None = None) -> list[Order]:
    """The planner's orders for one side (no lookahead; `foresight`: the others' expected orders)."""
    if s.is_over:
        return []
    if side in s.world.patron_index:
        return patron_plan(s, side, w, rng)
    if side not in s.world.faction_index:
        raise KeyError(f"unknown side {side!r}")
    return faction_orders(s, side, w, rng, foresight)


def scenario_ai_block(s: State) -> Mapping[str, Any] | None:
    """The scenario's parsed `ai:` block, when the loader attached one to the world (or its meta)."""
    for holder in (s.world, s.world.meta):
        block = getattr(holder, "ai", None)
        if isinstance(block, Mapping):
            return block
    return None


class Bot:
    """A bot of one level with the personalities of one `ai:` block; picklable, so batches can ship it."""

    def __init__(self, level: str = "normal", ai: Mapping[str, Any] | None = None) -> None:
        if level not in LEVELS:
            raise ValueError(f"unknown AI level {level!r}; expected one of {', '.join(LEVELS)}")
        side_weights(ai, "default", level)  # fail early on a bad block
        self.level = level
        self.ai = dict(ai) if ai else None
        self._weights: dict[tuple[str, str], Weights] = {}

    def weights(self, state: State, side: str, level: str | None = None) -> Weights:
        block = self.ai if self.ai is not None else scenario_ai_block(state)
        key = (side, level or self.level)
        if key not in self._weights or self.ai is None:
            self._weights[key] = side_weights(block, side, key[1])
        return self._weights[key]

    def __call__(self, state: State, side: str, rng: np.random.Generator) -> list[Order]:
        w = self.weights(state, side)
        if self.level != "hard" or state.is_over:
            return plan_for(state, side, w, rng)
        sub = np.random.default_rng(int(rng.integers(0, 2**63 - 1)))
        others = {o: plan_for(state, o, self.weights(state, o, "normal"), sub)
                  for o in state.world.sides if o != side}
        def predict(s: State, g: np.random.Generator) -> dict[str, list[Order]]:
            return {o: plan_for(s, o, self.weights(s, o, "normal"), g) for o in s.world.sides}

        ahead = foresee(state, others)

        def plan(s: State, sd: str, wt: Weights, g: np.random.Generator) -> list[Order]:
            return plan_for(s, sd, wt, g, ahead if FORESIGHT else None)

        own = [plan_for(state, side, w, np.random.default_rng(int(rng.integers(0, 2**63 - 1))))] if NORMAL_TOO else []
        if RACE and own:  # the normal plan changed place by place where a capture goal lacks a few
            own += race_plans(state, side, own[0])
        return best_plan(state, side, w, plan, others, rng, predict, own)


def make_bot(level: str = "normal", ai: Mapping[str, Any] | None = None) -> Bot:
    """A bot of `level` (easy, normal or hard) using the weights of an `ai:` block (None: the
    scenario's own block if the world carries one, else the defaults)."""
    return Bot(level, ai)


FORESIGHT = True
NORMAL_TOO = True
RACE = True
_NORMAL = Bot("normal")


def choose_orders(state: State, side: str, rng: np.random.Generator) -> list[Order]:
    """The normal bot: legal orders for every unit of a faction, or a patron's spending for the turn."""
    return _NORMAL(state, side, rng)
