"""Events phase: inject conditions, every effect type, firing once / repeatedly / by chance."""

from __future__ import annotations

import pytest

from game.engine import Channel, Corridor, Patron, UnitType
from game.engine import events as ev
from game.engine.injects import apply_effect, holds
from game.engine.specs import (
    AddUnit,
    ChangeCohesion,
    CohesionBelow,
    Controls,
    CorridorClosed,
    DateReached,
    FlagSet,
    Inject,
    OnTurn,
    RemoveUnit,
    SetCapacity,
    SetController,
    SetFlag,
    SetRoute,
    SetRule,
    SetSupport,
)
from tests.boards import line_state, line_world, of, resolve, split_control

PATRON = Patron("pat", "Patron", clients=("red",), corridor="c")


def game(*injects: Inject):
    world = line_world(4, corridors=(Corridor("c", "C", ("p0", "p1")),), patrons=(PATRON,), injects=injects)
    return line_state(world, split_control(world, 1), [("r1", "red", "p1", 1000.0), ("b1", "blue", "p3", 500.0)],
                      support={"pat": {"air": 0.5, "ground": 0.5, "supply": 0.5}}, capacity={"pat": 2.0})


def test_conditions() -> None:
    s = game()
    assert holds(s, OnTurn(1)) and not holds(s, OnTurn(2)) and not holds(s, OnTurn(2, or_later=True))
    assert holds(s.copy(turn=5), OnTurn(2, or_later=True)) and not holds(s.copy(turn=5), OnTurn(2))
    assert holds(s, DateReached("2024-12-07")) and not holds(s, DateReached("2024-12-08"))
    assert holds(s.copy(turn=2), DateReached("2024-12-08"))
    assert holds(s, Controls("red", "p1")) and not holds(s, Controls("blue", "p1"))
    s.contested[1] = True
    assert not holds(s, Controls("red", "p1"))
    assert not holds(s, CorridorClosed("c", "red"))  # street fighting does not close a corridor
    s.contested[1] = False
    s.controller[1] = 1
    assert holds(s, CorridorClosed("c", "red"))
    s.controller[1] = 0
    assert not holds(s, CorridorClosed("c", "red"))
    assert holds(s, CohesionBelow("red", 0.81)) and not holds(s, CohesionBelow("red", 0.8))
    assert not holds(s, FlagSet("f")) and holds(s.copy(flags=frozenset({"f"})), FlagSet("f"))


def test_support_and_capacity_effects_set_or_shift_and_clamp() -> None:
    s = game()
    s = apply_effect(s, SetSupport("pat", Channel.AIR, value=0.9))
    s = apply_effect(s, SetSupport("pat", Channel.GROUND, delta=0.8))
    s = apply_effect(s, SetSupport("pat", Channel.SUPPLY, value=0.2, delta=-0.5))
    assert s.p_support[0].tolist() == pytest.approx([0.9, 1.0, 0.0])
    s = apply_effect(s, SetCapacity("pat", delta=-5.0))
    assert s.p_capacity[0] == 0.0
    s = apply_effect(s, SetCapacity("pat", value=3.5))
    assert s.p_capacity[0] == 3.5


def test_unit_rule_route_flag_and_cohesion_effects() -> None:
    s = game()
    s = apply_effect(s, AddUnit("new", "blue", "New", UnitType.ARMOUR, "p2", 1500.0, 1.2, 0.6))
    u = s.unit_index()["new"]
    assert (s.units[u].type, s.units[u].quality, int(s.u_place[u]), s.u_strength[u], s.u_cohesion[u]) == (
        UnitType.ARMOUR, 1.2, 2, 1500.0, 0.6)
    assert len(s.u_faction) == len(s.units) == 3
    again = apply_effect(s, AddUnit("new", "blue", "New", UnitType.ARMOUR, "p3", 99.0))
    assert len(again.units) == 3 and again.u_strength[u] == 1500.0
    s = apply_effect(s, RemoveUnit("r1"))
    assert s.u_strength[s.unit_index()["r1"]] == 0.0
    s = apply_effect(s, RemoveUnit("nobody"))
    s = apply_effect(s, SetRule("combat_k", 6.0))
    assert s.rules.combat_k == 6.0
    s = apply_effect(s, SetRoute("p2", "p1", False))
    assert s.route_open.tolist() == [True, False, True]
    s = apply_effect(s, SetFlag("truce"))
    assert s.flags == frozenset({"truce"})
    s = apply_effect(s, SetFlag("truce", False))
    assert s.flags == frozenset()
    s = apply_effect(s, ChangeCohesion("blue", -0.3))
    s = apply_effect(s, ChangeCohesion("red", 0.5))
    assert s.f_cohesion.tolist() == pytest.approx([1.0, 0.5])


def test_an_inject_fires_when_its_conditions_hold_and_only_once() -> None:
    inject = Inject("i", "Truce", "A truce is called.", when=(OnTurn(2, or_later=True), Controls("red", "p1")),
                    effects=(SetFlag("truce"), SetCapacity("pat", value=5.0)), audience=("red", "pat"))
    s = game(inject)
    s1, e1 = resolve(s, {})
    assert not of(e1, ev.InjectFired) and s1.fired == frozenset()
    s2, e2 = resolve(s1, {})
    assert of(e2, ev.InjectFired) == [ev.InjectFired("i", "Truce", "A truce is called.", ("red", "pat"))]
    assert s2.flags == frozenset({"truce"}) and s2.fired == frozenset({"i"}) and s2.p_capacity[0] == 5.0
    s3, e3 = resolve(s2.copy(p_capacity=s2.p_capacity * 0), {})
    assert not of(e3, ev.InjectFired) and s3.p_capacity[0] == 0.0


def test_a_place_an_inject_gives_away_is_reported_as_changing_hands() -> None:
    inject = Inject("i", "Defection", "The p2 garrison declares for red.", when=(OnTurn(1),),
                    effects=(SetController("p2", "red"), SetController("p0", "red")))  # red holds p0 already
    s1, events = resolve(game(inject), {})
    assert s1.world.factions[int(s1.controller[2])].id == "red"
    assert [e for e in events if isinstance(e, (ev.InjectFired, *ev.CONTROL_CHANGES))] == [
        ev.InjectFired("i", "Defection", "The p2 garrison declares for red.", ("all",)),
        ev.PlaceControlSet("p2", "red", "blue")]


def test_repeating_and_chance_injects() -> None:
    every = Inject("drain", "Drain", when=(), effects=(ChangeCohesion("blue", -0.1),), once=False)
    s = game(every)
    for _ in range(3):
        s, events = resolve(s, {})
        assert len(of(events, ev.InjectFired)) == 1
    assert s.f_cohesion[1] < 0.8 - 0.25
    never = game(Inject("never", "Never", chance=0.0, effects=(SetFlag("x"),)))
    assert not of(resolve(never, {})[1], ev.InjectFired)
    maybe = game(Inject("maybe", "Maybe", chance=0.5, effects=(SetFlag("x"),)))
    fired = sum(bool(of(resolve(maybe, {}, seed=seed)[1], ev.InjectFired)) for seed in range(60))
    assert 15 < fired < 45


def test_an_added_unit_joins_the_game_and_a_removed_one_leaves_it() -> None:
    s = game(Inject("add", "Add", effects=(AddUnit("x1", "red", "X", UnitType.MILITIA, "p0", 700.0),
                                           RemoveUnit("b1"))))
    after, _ = resolve(s, {})
    assert [u.id for u in after.units] == ["r1", "x1"]
    assert after.u_strength.tolist() == pytest.approx([1000.0, 700.0])
