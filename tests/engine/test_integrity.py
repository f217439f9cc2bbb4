"""The pure check of a serialised game: real games pass, each kind of damage is named with where it is."""

from __future__ import annotations

import copy
import json

import pytest

from bench.synthetic import random_game
from game.engine import Order, Rules, game_from_dict, game_to_dict, resolve_turn, turn_rng
from game.engine.codec import depth_of, shape_problems
from game.engine.integrity import DamagedGame, game_problems
from game.sim.runner import bot_orders


@pytest.mark.parametrize("seed", range(4))
def test_played_games_have_no_problems(seed: int) -> None:
    s = random_game(seed, 12, 3)
    for _ in range(4):
        assert game_problems(json.loads(json.dumps(game_to_dict(s)))) == []
        if s.is_over:
            break
        s, _ = resolve_turn(s, bot_orders(s, seed), turn_rng(seed, s.turn))


def test_damage_is_one_located_problem_per_kind() -> None:
    save = json.loads(json.dumps(game_to_dict(random_game(1, 12, 3))))
    cases = {
        ("state", "controller", 0): (77, "state.controller[0]: expected a faction index"),
        ("state", "u_strength", 0): (-1.0, "state.u_strength[0]: expected 0 to 1e+09, got -1.0"),
        ("state", "u_cohesion", 0): (1.5, "state.u_cohesion[0]: expected 0 to 1, got 1.5"),
        ("state", "turn"): (0, "state.turn: 0 is not a turn of this game"),
        ("world", "meta", "start_date"): ("2024-02-30", "world.meta.start_date: expected a date"),
        ("world", "factions", 0, "id"): (save["world"]["factions"][1]["id"], "duplicate faction id"),
    }
    for path, (value, words) in cases.items():
        bad = copy.deepcopy(save)
        target = bad
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
        problems = game_problems(bad)
        assert problems and words in problems[0], (path, problems)
        with pytest.raises(DamagedGame, match=words.replace("[", r"\[").replace("+", r"\+")):
            game_from_dict(bad)


def test_shape_problems_name_the_field_and_what_was_expected() -> None:
    assert shape_problems(list[Order], [{"@type": "Move", "unit": "u", "to": "p"}], "o") == []
    assert shape_problems(list[Order], None, "o") == ["o: expected a list, got null"]
    assert shape_problems(list[Order], [{"@type": "Move", "unit": 1, "to": "p"}], "o") == [
        "o[0].unit: expected text, got a number"]
    assert shape_problems(Rules, {"@type": "Rules", "combat_k": float("nan")}, "r") == [
        "r.combat_k: expected a finite number, got nan"]
    assert shape_problems(Rules, {"@type": "Rules", "warp": 1}, "r") == ["r: unknown field 'warp' in a Rules record"]
    assert len(shape_problems(list[Order], list(range(500)), "o")) == 20


def test_depth_is_measured_without_recursion() -> None:
    assert depth_of(1) == 0 and depth_of([]) == 1 and depth_of({"a": [[1]]}) == 3
    deep: list[object] = []
    for _ in range(100_000):
        deep = [deep]
    assert depth_of(deep) == 65
