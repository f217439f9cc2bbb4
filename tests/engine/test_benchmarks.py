"""Benchmarks: each kind's measure, the sides' standings against history, and the winners at the last turn."""

from __future__ import annotations

import pytest

from game.engine import Corridor, Faction, Move, Patron
from game.engine import events as ev
from game.engine.benchmarks import benchmark_sides, camp, standings, update_benchmarks
from game.engine.specs import Benchmark
from game.engine.state import State
from tests.boards import crt_rules, graph_world, make_state, of, place, resolve

BENCHMARKS = (
    Benchmark("hold_ab", "red", "hold", places=("a", "b"), history=0.5),
    Benchmark("take_c", "red", "capture", places=("c",), by_turn=1, history=0.0, weight=2.0),
    Benchmark("kill_blue", "red", "destroy", target="blue", history=0.0),
    Benchmark("keep_ru", "ru", "keep_forces", history=0.5),
    Benchmark("route", "ru", "corridor", corridor="k", history=0.5),
    Benchmark("depots_b", "blue", "depots", places=("b",), history=0.2),
    Benchmark("will", "blue", "cohesion", history=0.8),
)
A, B, C, D = range(4)


def game(turns: int = 3) -> State:
    """a (red's source) - b (red, a depot) - c (blue, empty) - d (blue's source); Russia helps red down
    corridor a-b and commands its own forces (rus) at a."""
    factions = (Faction("red", "Red", "RED", allies=("rus",)), Faction("blue", "Blue", "BLU"),
                Faction("rus", "Russian forces", "RUS", commander="ru"))
    places = [place("a", supply_for=("red", "rus")), place("b", depot=True), place("c"),
              place("d", supply_for=("blue",))]
    world = graph_world(places, [("a", "b", 30.0), ("b", "c", 30.0), ("c", "d", 30.0)], factions,
                        corridors=(Corridor("k", "K", ("a", "b")),),
                        patrons=(Patron("ru", "Russia", clients=("red",), corridor="k"),), turns=turns,
                        benchmarks=BENCHMARKS)
    return make_state(world, {"a": "red", "b": "red", "c": "blue", "d": "blue"},
                      [("r1", "red", "b", 1000.0), ("k1", "rus", "a", 500.0), ("b1", "blue", "d", 1000.0)],
                      rules=crt_rules(cohesion_per_value_lost=0.012, cohesion_per_value_gained=0.006))


def values(s: State) -> dict[str, float]:
    return {b.id: float(v) for b, v in zip(s.world.benchmarks, s.b_value)}


def test_the_starting_measures_and_figures() -> None:
    s = game()
    assert values(s) == pytest.approx({"hold_ab": 1.0, "take_c": 0.0, "kill_blue": 0.0, "keep_ru": 1.0,
                                       "route": 1.0, "depots_b": 0.0, "will": 0.8})
    assert s.b_base.tolist() == [0.0, 0.0, 1000.0, 500.0, 0.0, 1.0, 0.0]  # destroy, keep and depots' bases
    assert camp(s.world, "ru") == (0, 2) and camp(s.world, "red") == (0,) and camp(s.world, "nobody") == ()
    assert benchmark_sides(s.world) == ("red", "blue", "ru")


def test_each_kind_measures_what_it_says() -> None:
    s = game()
    s.controller[B] = 1  # blue takes b: red holds half of a and b; the corridor a-b closes
    s.controller[C] = 0  # red takes c
    s.u_strength[1] = 250.0  # Russia's forces lose half...
    s.p_evacuated[0] = 100.0  # ...of which a fifth was taken off the map safely
    s.u_strength[2] = 400.0  # blue loses 60 %
    s.depot[B] = 0.25
    s.f_cohesion[1] = 0.6
    s.invalidate()
    update_benchmarks(s)  # the end of turn 1
    assert values(s) == pytest.approx({"hold_ab": 0.5, "take_c": 1.0, "kill_blue": 0.6, "keep_ru": 0.7,
                                       "route": 0.5, "depots_b": 0.75, "will": 0.6})
    s.controller[C] = 1  # c lost again: a capture counts the best share up to its turn
    s.contested[A] = True  # a contested place is not held
    s.invalidate()
    s = s.evolve(turn=2)
    update_benchmarks(s)
    assert values(s)["take_c"] == 1.0 and values(s)["hold_ab"] == 0.0
    assert values(s)["route"] == pytest.approx((0.5 * 2 + 0.0) / 3)  # the share of turns the corridor was open


def test_a_measure_past_its_turn_stays_as_it_was() -> None:
    s = game()
    s = s.evolve(turn=2)
    s.controller[C] = 0  # red takes c on turn 2, after its benchmark's turn 1
    s.invalidate()
    update_benchmarks(s)
    assert values(s)["take_c"] == 0.0


def test_standings_are_the_weighted_measures_less_history() -> None:
    s = game()
    s.b_value[:] = [1.0, 1.0, 0.5, 0.4, 0.5, 0.0, 0.7]
    assert standings(s) == pytest.approx({"red": (1.0 - 0.5) + 2.0 * (1.0 - 0.0) + 0.5,
                                          "ru": (0.4 - 0.5) + 0.0, "blue": -0.2 + (0.7 - 0.8)})


def test_the_sides_that_beat_history_win_at_the_last_turn() -> None:
    s = game(turns=1)
    after, events = resolve(s, {"red": [Move("r1", "c")]})
    assert of(events, ev.PlaceCaptured) == [ev.PlaceCaptured("c", "red", "blue", 1.0)]
    standing = standings(after)
    assert standing == pytest.approx({"red": 0.5 + 2.0 + 0.0, "ru": 0.5 + 0.5,
                                      "blue": -0.2 + (0.8 - 0.012 - 0.8)})  # blue lost c's value in cohesion
    assert after.outcome is not None and after.outcome.winners == ("red", "ru")
    assert after.outcome.reason == "beat history on their benchmarks"
    assert of(events, ev.GameOver) == [ev.GameOver(("red", "ru"), "beat history on their benchmarks")]


def test_a_race_counts_how_early_and_held_turns_how_long() -> None:
    """race: 1 for holding the places on turn 1, (last - t + 1) / last for a first hold on turn t, 0 after the
    last turn; held_turns: the mean share held at the end of turns 1 to last."""
    marks = (Benchmark("race_c", "red", "race", places=("c",), by_turn=4, history=0.75),
             Benchmark("keep_b", "red", "held_turns", places=("b",), by_turn=4, history=0.25))
    w = graph_world([place("a", supply_for=("red",)), place("b"), place("c"), place("d", supply_for=("blue",))],
                    [("a", "b", 30.0), ("b", "c", 30.0), ("c", "d", 30.0)],
                    (Faction("red", "Red", "RED"), Faction("blue", "Blue", "BLU")), turns=6, benchmarks=marks)
    s = make_state(w, {"a": "red", "b": "red", "c": "blue", "d": "blue"},
                   [("r1", "red", "b", 1000.0), ("b1", "blue", "d", 1000.0)])
    assert values(s) == {"race_c": 0.0, "keep_b": 0.0}  # nothing measured before turn 1
    held = []
    for turn, (c_owner, b_owner) in enumerate([(1, 0), (1, 0), (0, 1), (1, 1), (0, 0), (0, 0)], start=1):
        s = s.evolve(turn=turn)
        s.controller[C], s.controller[B] = c_owner, b_owner
        s.invalidate()
        update_benchmarks(s)
        held.append(values(s))
    # red first holds c at the end of turn 3: (4 - 3 + 1) / 4; holding it again on turn 5 is past the race
    assert [h["race_c"] for h in held] == pytest.approx([0.0, 0.0, 0.5, 0.5, 0.5, 0.5])
    # red holds b on turns 1 and 2 of the four: half the time; turns after the fourth do not count
    assert [h["keep_b"] for h in held] == pytest.approx([0.25, 0.5, 0.5, 0.5, 0.5, 0.5])


def test_a_race_won_on_turn_one_scores_full_and_a_lost_one_nothing() -> None:
    marks = (Benchmark("fast", "red", "race", places=("b",), by_turn=3),
             Benchmark("never", "red", "race", places=("d",), by_turn=3))
    w = graph_world([place("a", supply_for=("red",)), place("b"), place("c"), place("d", supply_for=("blue",))],
                    [("a", "b", 30.0), ("b", "c", 30.0), ("c", "d", 30.0)],
                    (Faction("red", "Red", "RED"), Faction("blue", "Blue", "BLU")), turns=3, benchmarks=marks)
    s = make_state(w, {"a": "red", "b": "red", "c": "blue", "d": "blue"},
                   [("r1", "red", "b", 1000.0), ("b1", "blue", "d", 1000.0)])
    for turn in (1, 2, 3):
        s = s.evolve(turn=turn)
        update_benchmarks(s)
    assert values(s) == {"fast": 1.0, "never": 0.0}


def test_a_contested_place_is_not_kept_even_by_its_holder() -> None:
    """Keeping a place (hold, held_turns) means holding it uncontested: street fighting in it is not
    keeping it, whoever holds it on paper."""
    s = game()
    s.u_place[2] = B  # blue's unit fights its way into red's b
    s.contested[B] = True
    s.invalidate()
    update_benchmarks(s)
    assert values(s)["hold_ab"] == pytest.approx(0.5)  # a only


def test_fighting_inside_a_place_to_be_taken_counts_half_a_capture() -> None:
    s = game()
    s.u_place[0] = C  # red's unit fights inside blue's c (a shared entry), with blue's unit there too
    s.u_place[2] = C
    s.contested[C] = True
    s.invalidate()
    update_benchmarks(s)
    assert values(s)["take_c"] == pytest.approx(0.5)  # half an entry, shared with the enemy
    fresh = game()
    fresh.u_place[2] = C
    fresh.contested[C] = True  # contested between others (no red unit there): nothing for red
    fresh.invalidate()
    update_benchmarks(fresh)
    assert values(fresh)["take_c"] == 0.0
