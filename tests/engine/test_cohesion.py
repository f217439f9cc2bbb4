"""Cohesion phase: faction will from the turn's tallies, units following it, breaking, desertion, rallying."""

from __future__ import annotations

import numpy as np
import pytest

from game.engine import Faction, Rules
from game.engine import events as ev
from game.engine.cohesion import faction_change, hostile_near
from game.engine.context import TurnContext
from game.engine.types import Posture
from tests.boards import graph_world, line_state, line_world, make_state, of, place, resolve, split_control

QUIET = Rules().replace(shock_sd=0.0, desertion_chance=0.0, break_withdraw_chance=0.0)


def test_faction_change_adds_up_the_turn() -> None:
    world = line_world(3)
    s = line_state(world, split_control(world, 0), [])
    ctx = TurnContext(start=s)
    ctx.value_lost[:] = [2.0, 0.0]
    ctx.value_gained[:] = [0.0, 2.0]
    ctx.routs[:] = [1.0, 0.0]
    ctx.newly_cut[:] = [0.0, 3.0]
    ctx.wins[:] = [0.0, 2.0]
    r = s.rules
    assert faction_change(s, ctx) == pytest.approx([
        -2.0 * r.cohesion_per_value_lost - r.rout_penalty,
        2.0 * r.cohesion_per_value_gained - 3.0 * r.cut_penalty + 2.0 * r.combat_win_bonus])


def test_unit_cohesion_moves_toward_its_faction() -> None:
    world = line_world(3)
    s = line_state(world, split_control(world, 0), [("r1", "red", "p0", 100.0), ("b1", "blue", "p2", 100.0)],
                   rules=QUIET.replace(cohesion_drift=-0.1))
    s.u_cohesion[:] = [0.5, 1.0]
    after, events = resolve(s, {})
    assert after.f_cohesion.tolist() == pytest.approx([0.7, 0.7])
    assert after.u_cohesion.tolist() == pytest.approx([0.5 + (0.7 - 0.5) * 0.4, 1.0 + (0.7 - 1.0) * 0.4])
    assert of(events, ev.CohesionChanged) == [ev.CohesionChanged("red", 0.8, 0.7), ev.CohesionChanged("blue", 0.8, 0.7)]


def test_random_shocks_spread_unit_cohesion() -> None:
    world = line_world(3)
    units = [(f"r{i}", "red", "p0", 100.0) for i in range(6)]
    s = line_state(world, split_control(world, 0), units, rules=Rules().replace(shock_sd=0.05))
    after, _ = resolve(s, {})
    assert np.std(after.u_cohesion) > 0.005
    assert ((after.u_cohesion >= 0) & (after.u_cohesion <= 1)).all()


def allied_world(breakpoint: float = 0.3):
    factions = (Faction("red", "Red", "RED", allies=("green",), breakpoint=breakpoint, sources=("a",)),
                Faction("green", "Green", "GRN", sources=("a",)), Faction("blue", "Blue", "BLU", sources=("d",)))
    places = [place("a"), place("b"), place("c"), place("d")]
    return graph_world(places, [("a", "b", 30.0), ("b", "c", 30.0), ("c", "d", 30.0)], factions)


CONTROL = {"a": "red", "b": "red", "c": "blue", "d": "blue"}


def test_below_the_breakpoint_a_faction_breaks_once_and_its_allies_suffer() -> None:
    rules = QUIET.replace(desertion_chance=1.0)
    s = make_state(allied_world(), CONTROL, [("r1", "red", "b", 1000.0)], rules=rules)
    s.f_cohesion[:] = [0.25, 0.8, 0.8]
    after, events = resolve(s, {})
    assert of(events, ev.FactionBroken) == [ev.FactionBroken("red", 0.25)]
    assert after.f_collapsed.tolist() == [True, False, False]
    assert after.f_cohesion.tolist() == pytest.approx([0.25, 0.8 - rules.collapse_spread, 0.8])
    assert of(events, ev.UnitDeserted) == [ev.UnitDeserted("r1", "red", "b", 80.0)]
    assert after.u_strength[0] == pytest.approx(1000 * (1 - rules.desertion_rate))
    again, events = resolve(after, {})
    assert not of(events, ev.FactionBroken) and len(of(events, ev.UnitDeserted)) == 1


def test_hostile_near_marks_places_with_living_enemies_there_or_one_route_away() -> None:
    units = [("b1", "blue", "d", 100.0), ("g1", "green", "a", 100.0), ("b2", "blue", "a", 0.0)]
    s = make_state(allied_world(), CONTROL, units)
    assert hostile_near(s, 0).tolist() == [False, False, True, True]  # the dead b2 does not count
    assert hostile_near(s, 2).tolist() == [True, True, False, False]


def test_broken_units_near_the_enemy_fall_back_routed_and_shake_their_neighbours() -> None:
    rules = QUIET.replace(break_withdraw_chance=1.0, unit_follow=0.0)
    units = [("r1", "red", "b", 1000.0), ("r2", "red", "a", 1000.0), ("b1", "blue", "c", 1000.0)]
    s = make_state(allied_world(), CONTROL, units, rules=rules)
    s.f_cohesion[0] = 0.25
    after, events = resolve(s, {})
    assert ev.UnitRetreated("r1", "red", "b", "a", reason="broke") in events
    idx = after.unit_index()
    assert int(after.u_place[idx["r1"]]) == 0 and Posture(int(after.u_posture[idx["r1"]])) == Posture.ROUTED
    assert after.u_cohesion[idx["r2"]] == pytest.approx(0.8 - rules.contagion)  # r2 was next to b
    assert int(after.u_place[idx["r2"]]) == 0  # r2 had no enemy next to it


def test_routed_units_rally_when_their_cohesion_recovers() -> None:
    world = line_world(3)
    s = line_state(world, split_control(world, 0), [("r1", "red", "p0", 100.0), ("r2", "red", "p0", 100.0)],
                   rules=QUIET.replace(unit_follow=0.0))
    s.u_posture[:] = int(Posture.ROUTED)
    s.u_cohesion[:] = [0.2, 0.5]
    after, events = resolve(s, {})
    assert of(events, ev.UnitRallied) == [ev.UnitRallied("r2", "red", "p0")]
    assert [Posture(int(p)) for p in after.u_posture] == [Posture.ROUTED, Posture.DEFEND]
