"""Victory phase: scenario conditions checked at the end of each turn, and the score table."""

from __future__ import annotations

import numpy as np

from . import events as ev
from .benchmarks import standings, update_benchmarks
from .context import TurnContext
from .specs import VictoryCondition
from .state import Outcome, State


def place_scores(s: State) -> np.ndarray:
    """Victory value of the uncontested places each faction holds."""
    w = s.world
    values = w.cache.get("place_values")
    if values is None:
        values = w.cache["place_values"] = np.array([p.value for p in w.board.places], dtype=np.float64)
    held = values * ~s.contested
    return np.bincount(s.controller, weights=held, minlength=len(w.factions))  # float64, summed in place order


def scores(s: State, achieved: tuple[str, ...]) -> np.ndarray:
    w = s.world
    out = place_scores(s)
    for vc in w.victory:
        if vc.id in achieved:
            out[w.faction_index[vc.faction]] += vc.points
    return out


def holders(s: State) -> list[int]:
    """Per place, the faction holding it uncontested, or -1 where it is contested."""
    return np.where(s.contested, -1, s.controller).tolist()  # type: ignore[no-any-return]


def is_met(s: State, vc: VictoryCondition, score: np.ndarray, held: list[int] | None = None) -> bool:
    """Whether a condition is met now; `held`: `holders(s)`, when checking several conditions."""
    w = s.world
    last = w.meta.turns
    by = vc.by_turn if vc.by_turn is not None else last
    if s.turn > by:
        return False
    f = w.faction_index[vc.faction]
    if vc.kind in ("hold", "capture"):
        held = holders(s) if held is None else held
        index = w.board.index
        for p in vc.places:
            if held[index[p]] != f:
                return False
        return vc.kind == "capture" or s.turn == by
    if vc.kind == "cohesion_below":
        target = w.faction_index[vc.target] if vc.target else f
        return bool(s.f_cohesion.item(target) < vc.threshold)
    if vc.kind == "points":
        return bool(score.item(f) >= vc.threshold)
    return False


def run_victory(s: State, ctx: TurnContext) -> State:
    w = s.world
    achieved = list(s.achieved)
    outcome = s.outcome
    score = scores(s, tuple(achieved))
    held = holders(s)
    for vc in w.victory:
        if vc.id in achieved or not is_met(s, vc, score, held):
            continue
        achieved.append(vc.id)
        ctx.events.append(ev.VictoryAchieved(vc.id, vc.faction, vc.points, vc.decisive, vc.description))
        if vc.decisive and outcome is None:
            outcome = Outcome((vc.faction,), vc.description or vc.id, s.turn)
    if len(achieved) > len(s.achieved):
        score = scores(s, tuple(achieved))
    update_benchmarks(s)
    if outcome is None and s.turn >= w.meta.turns:
        if w.benchmarks:
            standing = standings(s)
            winners = tuple(side for side in w.sides if standing.get(side, 0.0) > 1e-9)
            outcome = Outcome(winners, "beat history on their benchmarks", s.turn)
        else:
            best = float(score.max()) if len(score) else 0.0
            winners = tuple(f.id for i, f in enumerate(w.factions) if float(score[i]) == best)
            outcome = Outcome(winners, "highest score at the last turn", s.turn)
    if outcome is not None and s.outcome is None:
        ctx.events.append(ev.GameOver(outcome.winners, outcome.reason))
    s.f_score[:] = score
    if outcome is s.outcome and len(achieved) == len(s.achieved):
        return s
    return s.evolve(achieved=tuple(achieved), outcome=outcome)
