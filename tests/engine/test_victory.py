"""Victory phase: hold, capture, cohesion_below and points conditions, decisive ends, the final score."""

from __future__ import annotations

from game.engine import Hold, Move, state_hash
from game.engine import events as ev
from game.engine.specs import VictoryCondition
from game.engine.victory import place_scores
from tests.boards import line_state, line_world, of, resolve, split_control


def game(*conditions: VictoryCondition, turns: int = 3, units: list | None = None):
    world = line_world(4, victory=conditions, turns=turns)
    return line_state(world, split_control(world, 1), units or [("r1", "red", "p1", 1000.0)])


def play(s, orders_by_turn: dict[int, dict] | None = None):
    """Play to the end; return the final state and every turn's events."""
    history = []
    while not s.is_over:
        s, events = resolve(s, (orders_by_turn or {}).get(s.turn, {}))
        history.append(events)
    return s, history


def test_place_scores_count_uncontested_values() -> None:
    s = game()
    assert place_scores(s).tolist() == [2.0, 2.0]
    s.contested[0] = True
    assert place_scores(s).tolist() == [1.0, 2.0]


def test_hold_is_judged_on_its_turn_only() -> None:
    s = game(VictoryCondition("h", "red", "hold", places=("p0", "p1"), points=5.0),
             VictoryCondition("h2", "red", "hold", places=("p0",), by_turn=2, points=1.0))
    final, history = play(s)
    assert [[e.condition for e in of(h, ev.VictoryAchieved)] for h in history] == [[], ["h2"], ["h"]]
    assert final.achieved == ("h2", "h")
    assert final.f_score.tolist() == [2.0 + 5.0 + 1.0, 2.0]


def test_capture_counts_by_its_deadline_only() -> None:
    cond = VictoryCondition("cap", "red", "capture", places=("p2",), by_turn=2, points=4.0)
    on_time, history = play(game(cond), {1: {"red": [Move("r1", "p2")]}})
    assert [e.condition for e in of(history[0], ev.VictoryAchieved)] == ["cap"]
    assert on_time.f_score[0] == 3.0 + 4.0
    late, _ = play(game(cond), {3: {"red": [Move("r1", "p2")]}})
    assert late.achieved == () and int(late.controller[2]) == 0


def test_cohesion_below_and_points() -> None:
    s = game(VictoryCondition("broke", "red", "cohesion_below", target="blue", threshold=0.5, points=2.0),
             VictoryCondition("pts", "blue", "points", threshold=3.0, points=1.0))
    s.f_cohesion[1] = 0.4
    after, events = resolve(s, {})
    assert [e.condition for e in of(events, ev.VictoryAchieved)] == ["broke"]
    s.f_cohesion[1] = 0.8
    s.controller[0] = 1  # blue holds p0, p2 and p3: 3 points
    after, events = resolve(s, {})
    assert [e.condition for e in of(events, ev.VictoryAchieved)] == ["pts"]
    assert after.f_score.tolist() == [1.0, 3.0 + 1.0]


def test_a_decisive_condition_ends_the_game() -> None:
    cond = VictoryCondition("win", "red", "capture", places=("p2",), points=10.0, decisive=True,
                            description="Red takes p2.")
    s = game(cond, turns=10)
    after, events = resolve(s, {"red": [Move("r1", "p2")]})
    assert after.is_over and after.outcome is not None
    assert (after.outcome.winners, after.outcome.reason, after.outcome.turn) == (("red",), "Red takes p2.", 1)
    assert of(events, ev.VictoryAchieved) == [ev.VictoryAchieved("win", "red", 10.0, True, "Red takes p2.")]
    assert of(events, ev.GameOver) == [ev.GameOver(("red",), "Red takes p2.")]
    same, rejected = resolve(after, {"red": [Hold("r1")]})
    assert same is after and state_hash(same) == state_hash(after)
    assert rejected == [ev.OrderRejected("red", Hold("r1"), "the game is over")]


def test_the_last_turn_names_the_highest_score_and_ties_share_it() -> None:
    final, history = play(game(turns=2))
    assert final.turn == 3 and final.outcome is not None
    assert final.outcome.winners == ("red", "blue") and final.outcome.reason == "highest score at the last turn"
    assert of(history[-1], ev.GameOver) == [ev.GameOver(("red", "blue"), "highest score at the last turn")]
    final, _ = play(game(VictoryCondition("h", "blue", "hold", places=("p3",), points=1.0),
                         turns=2))
    assert final.outcome is not None and final.outcome.winners == ("blue",)
    assert final.f_score.tolist() == [2.0, 3.0]
