"""preview_attack: the preview's power, odds and losses are the combat model's own, and its modifiers
explain them."""

from __future__ import annotations

import math

import pytest

from game.engine import AirStrike, Attack, Patron, Terrain, resolve_turn, turn_rng
from game.engine import events as ev
from game.engine.combat import loss_rates, success_chance
from game.engine.preview import AttackPreview, preview_attack
from tests.boards import line_state, line_world, split_control


def battle_state(terrain: Terrain = Terrain.URBAN, patrons: tuple[Patron, ...] = ()):  # type: ignore[no-untyped-def]
    world = line_world(4, terrain=terrain, patrons=patrons)
    return line_state(world, split_control(world, 1), [("r1", "red", "p1", 5000.0), ("r2", "red", "p1", 2000.0),
                                                       ("b1", "blue", "p2", 3000.0)],
                      support={p.id: {"air": 1.0, "ground": 1.0, "supply": 1.0} for p in patrons},
                      capacity={p.id: 3.0 for p in patrons})


def test_the_preview_gives_the_battles_own_ratio_and_chance():
    st = battle_state()
    p = preview_attack(st, "red", ["r1", "r2"], "p2")
    _, events = resolve_turn(st, {"red": [Attack("r1", "p2"), Attack("r2", "p2")]}, turn_rng(7, st.turn))
    fight = next(e for e in events if isinstance(e, ev.Combat))
    assert p.ratio == pytest.approx(fight.ratio, abs=1e-4) and p.chance == pytest.approx(fight.chance, abs=1e-4)
    assert p.chance == pytest.approx(success_chance(p.ratio, st.rules))
    assert p.attackers == ("r1", "r2") and p.defenders == ("b1",) and p.defender == "blue"


def test_expected_losses_weigh_both_outcomes():
    st = battle_state()
    p = preview_attack(st, "red", ["r1"], "p2")
    (aw, dw), (al, dl) = loss_rates(p.ratio, True, st.rules), loss_rates(p.ratio, False, st.rules)
    assert p.expected_attacker_losses == pytest.approx(5000 * (p.chance * aw + (1 - p.chance) * al))
    assert p.expected_defender_losses == pytest.approx(3000 * (p.chance * dw + (1 - p.chance) * dl))
    assert dict(p.outcomes) == pytest.approx({"taken": p.chance, "held": 1 - p.chance})


def test_the_modifiers_multiply_up_to_each_sides_power():
    st = battle_state()
    p = preview_attack(st, "red", ["r1"], "p2")
    mods = {m.name: m.value for m in p.modifiers}
    attack = math.prod(v for k, v in mods.items() if k.startswith("attacker "))
    defence = math.prod(v for k, v in mods.items() if not k.startswith("attacker "))
    assert p.attacker_power == pytest.approx(5000 * attack)
    assert p.defender_power == pytest.approx(3000 * defence)
    assert mods["terrain"] == st.rules.terrain_defence["urban"]
    assert {"terrain", "fortification", "posture", "attacker supply", "defender air", "attacker quality",
            "defender cohesion"} <= set(mods)


def test_a_planned_air_strike_shows_as_air_support():
    pat = Patron("pat", "Patron", clients=("red",))
    st = battle_state(Terrain.OPEN, (pat,))
    plain = preview_attack(st, "red", ["r1"], "p2")
    helped = preview_attack(st, "red", ["r1"], "p2", {"pat": [AirStrike("pat", "p2")]})
    air = next(m for m in helped.modifiers if m.name == "attacker air")
    assert air.value == pytest.approx(1 + st.rules.air_factor) and helped.chance > plain.chance


def test_an_undefended_place_is_taken_without_a_fight():
    st = battle_state()
    p = preview_attack(st, "red", ["r1"], "p3")
    assert isinstance(p, AttackPreview) and p.uncontested and p.chance == 1.0 and p.modifiers == ()
