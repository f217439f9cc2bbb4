"""The bots' kept lookups give what working them out afresh gives, on changed states too."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np

from game.ai import assess, make_bot
from game.ai.assess import Powers, foresee, unit_powers
from game.ai.faction import Planner
from game.engine import State, resolve_turn, turn_rng
from game.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[2]


def _fresh_powers(s: State) -> Powers:
    assess._STATIC.get(s.world, {}).pop("unit_tables", None)
    return unit_powers(s)


def test_unit_powers_follow_the_units_and_rules_of_each_state() -> None:
    s = load_scenario(ROOT / "tests" / "data" / "good" / "ford_race.yaml")[1]
    unit_powers(s)  # keeps the tables of s's units and rules
    better = s.evolve(units=tuple(dataclasses.replace(u, quality=u.quality + 0.5) for u in s.units))
    other_rules = s.evolve(rules=s.rules.replace(quality_shift=s.rules.quality_shift + 0.5,
                                                 type_attack={k: 2.0 * v for k, v in s.rules.type_attack.items()}))
    bot = make_bot("normal")
    orders = {side: bot(s, side, np.random.default_rng(1)) for side in s.world.sides}
    later, _ = resolve_turn(s, orders, turn_rng(1, s.turn))
    for t in (better, other_rules, later):
        kept = unit_powers(t)
        fresh = _fresh_powers(t)
        for a, b in ((kept.attack, fresh.attack), (kept.defence, fresh.defence),
                     (kept.base_defence, fresh.base_defence)):
            assert np.array_equal(a, b)
    assert not np.array_equal(unit_powers(better).attack, unit_powers(s).attack)


def test_kept_attack_odds_follow_the_foresight() -> None:
    """The planner keeps its attack odds per state, faction and foresight: asked with one foresight and
    then another (where the defenders move off, so none stands), it gives what a fresh copy of the state
    gives with the second."""
    s = load_scenario(ROOT / "tests" / "data" / "good" / "ford_race.yaml")[1]
    bot = make_bot("normal")
    for _ in range(2):  # into the race, where attacks are weighed
        s, _ = resolve_turn(s, {side: bot(s, side, np.random.default_rng(2)) for side in s.world.sides},
                            turn_rng(2, s.turn))
    stay = foresee(s, {})
    leave = dataclasses.replace(stay, moving=np.ones(len(s.units), dtype=bool))
    differ = 0
    for side in s.world.sides:
        f = s.world.faction_index[side]
        w = bot.weights(s, side)
        first = Planner(s, f, w, np.random.default_rng(4), stay)
        second = Planner(s, f, w, np.random.default_rng(4), leave)
        fresh = Planner(s.evolve(), f, w, np.random.default_rng(4), leave)
        for t, near in first.attackers_to.items():
            defenders = first.defenders_at(t)
            a = first.exact_chance(t, near, defenders)
            b = second.exact_chance(t, near, defenders)
            assert b == fresh.exact_chance(t, near, defenders)
            differ += a != b
    assert differ  # the foresight matters to some of them
