"""preview_attack: the preview reads the results table the battle reads (crt.odds), with its expected
losses from the rules' loss tables and every column shift named."""

from __future__ import annotations

import pytest

from game.engine import Attack, Patron, Terrain, crt, resolve_turn, turn_rng
from game.engine import events as ev
from game.engine.orders import CloseAir
from game.engine.preview import SHIFTS, AttackPreview, preview_attack
from tests.boards import line_state, line_world, split_control


def battle_state(terrain: Terrain = Terrain.URBAN, patrons: tuple[Patron, ...] = ()):  # type: ignore[no-untyped-def]
    world = line_world(4, terrain=terrain, patrons=patrons)
    return line_state(world, split_control(world, 1), [("r1", "red", "p1", 5000.0), ("r2", "red", "p1", 2000.0),
                                                       ("b1", "blue", "p2", 3000.0)], cohesion=0.95,
                      support={p.id: {"air": 1.0, "ground": 1.0, "supply": 1.0} for p in patrons},
                      capacity={p.id: 3.0 for p in patrons})


def test_the_preview_reads_the_battles_own_odds():
    st = battle_state()
    p = preview_attack(st, "red", ["r1", "r2"], "p2")
    odds = crt.odds(st, [0, 1], [2], 2)
    assert (p.ratio, p.chance, p.column) == (odds.ratio, odds.success, odds.column_label)
    assert dict(p.outcomes) == odds.chances and p.outcomes[0][0] == crt.RESULTS[-1]
    assert p.attackers == ("r1", "r2") and p.defenders == ("b1",) and p.defender == "blue"
    _, events = resolve_turn(st, {"red": [Attack("r1", "p2"), Attack("r2", "p2")]}, turn_rng(7, st.turn))
    fight = next(e for e in events if isinstance(e, ev.Combat))
    assert fight.defenders == p.defenders
    assert fight.ratio == pytest.approx(p.ratio, abs=1e-4) and fight.chance == pytest.approx(p.chance, abs=1e-4)


def test_expected_losses_weigh_every_result():
    st = battle_state()
    p = preview_attack(st, "red", ["r1"], "p2")
    r = st.rules
    outcomes = dict(p.outcomes)
    assert p.expected_attacker_losses == pytest.approx(
        5000 * sum(c * min(r.crt_attacker_loss.get(k, 0.0), r.loss_cap) for k, c in outcomes.items()))
    assert p.expected_defender_losses == pytest.approx(
        3000 * sum(c * min(r.crt_defender_loss.get(k, 0.0), r.loss_cap) for k, c in outcomes.items()))


def test_every_usual_shift_is_named_and_the_applied_ones_match_the_table():
    st = battle_state()
    p = preview_attack(st, "red", ["r1"], "p2")
    names = [m.name for m in p.modifiers]
    assert set(SHIFTS) <= set(names) and p.modifier_unit == "columns"
    odds = crt.odds(st, [0], [2], 2)
    assert {m.name: m.value for m in p.modifiers if m.value} == {x.name: x.columns for x in odds.shifts}
    terrain = next(m for m in p.modifiers if m.name == "terrain")
    assert terrain.value == st.rules.terrain_shift["urban"] and "urban" in terrain.explanation


def test_planned_close_air_support_shifts_the_odds():
    pat = Patron("pat", "Patron", clients=("red",))
    st = battle_state(Terrain.OPEN, (pat,))
    plain = preview_attack(st, "red", ["r1"], "p2")
    helped = preview_attack(st, "red", ["r1"], "p2", {"pat": [CloseAir("pat", "p2")]})
    air = next(m for m in helped.modifiers if m.name == "air")
    assert air.value == pytest.approx(st.rules.air_shift) and helped.chance >= plain.chance


def test_an_undefended_place_is_taken_without_a_fight():
    st = battle_state()
    p = preview_attack(st, "red", ["r1"], "p3")
    assert isinstance(p, AttackPreview) and p.uncontested and p.chance == 1.0 and p.modifiers == ()
