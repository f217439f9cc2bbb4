"""The state at the start of turn 1: the scenario's facts, with supply traced and the benchmarks'
starting figures taken."""

from __future__ import annotations

from .benchmarks import start_benchmarks
from .control import contested_mask
from .rules import Rules
from .state import State, World, blank_state
from .supply import supply_distances, supply_states
from .types import UnitInfo


def initial_state(world: World, rules: Rules, *, control: dict[str, str],
                  units: list[tuple[UnitInfo, str, float, float]], cohesion: dict[str, float],
                  support: dict[str, dict[str, float]],
                  capacity: dict[str, float], reserve: dict[str, float],
                  closed_routes: tuple[str, ...] = ()) -> State:
    """Build turn 1. `control` maps every place id to its faction id; each unit is
    (info, place id, strength, cohesion); support maps patron -> channel -> level."""
    state = blank_state(world, rules, control=control, units=units, cohesion=cohesion, support=support,
                        capacity=capacity, reserve=reserve, closed_routes=closed_routes)
    state.contested[:] = contested_mask(state)  # hostile units that start together are already fighting
    state.invalidate()
    state.u_supply[:] = supply_states(state, supply_distances(state))
    start_benchmarks(state)
    return state
