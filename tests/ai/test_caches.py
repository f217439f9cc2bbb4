"""The bots' kept lookups give what working them out afresh gives, on changed states too."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np

from game.ai import assess, make_bot
from game.ai.assess import Powers, unit_powers
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
