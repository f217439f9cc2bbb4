"""Support phase: air strikes with decaying repeat missions, close air support both ways, interdiction,
reinforcements (corridor, arrival places, airlift), convoys hit by interdictors, supply surges,
diminishing returns, evacuations and truces."""

from __future__ import annotations

import math

import numpy as np
import pytest

from game.engine import AirStrike, Attack, Corridor, Faction, Move, Patron, Reinforce, Rules, SupplySurge, crt
from game.engine import events as ev
from game.engine.orders import CloseAir, Evacuate, Interdict, Negotiate
from game.engine.state import ARRAYS, State
from game.engine.support import add_unit, surged_stock
from game.engine.types import PlaceKind, Posture, Relation, Supply, UnitInfo, UnitType
from tests.boards import (
    crt_rules,
    forced,
    graph_world,
    line_state,
    line_world,
    make_state,
    of,
    place,
    resolve,
    split_control,
)

RULES = crt_rules(air_strike_loss=0.06, air_exposure={"urban": 0.5, "open": 1.2, "rough": 0.8, "mountain": 0.6,
                                                      "desert": 1.3},
                  air_strike_cohesion=0.05, strike_decay=0.5, interdict_loss=0.05, cost_air_strike=1.0,
                  cost_reinforce=2.0, cost_supply_surge=1.0, cost_other=1.0, reinforce_strength=2000.0,
                  reinforce_quality=1.0, interdiction_chance=0.3, surge_stock=0.5, surge_range_km=150.0,
                  help_cohesion=0.03, negotiate_chance=0.5, supply_range_km=250.0, limited_range_km=450.0,
                  stock_recover=0.0)
HALF = (1 - math.exp(-1.0)) / (1 - math.exp(-2.0))
"""What a support level of 0.5 buys at curvature 2."""
ALL_AIR = ("air_strike", "close_air", "interdict", "reinforce", "supply")


def patron_game(*, corridor: tuple[str, ...] | None = ("p0", "p1", "p2"), interdictor: bool = False,
                rules: Rules = RULES, capacity: float = 4.0, red_upto: int = 2, air: float = 1.0,
                ground: float = 1.0, actions: tuple[str, ...] = ALL_AIR,
                units: list[tuple[str, str, str, float]] | None = None) -> State:
    """Five places in a line 50 km apart; red holds p0..p{red_upto}; patron `pat` helps red down corridor c."""
    corridors = (Corridor("c", "The corridor", corridor),) if corridor else ()
    patrons = [Patron("pat", "Patron", clients=("red",), corridor="c" if corridor else None, actions=actions)]
    support = {"pat": {"air": air, "ground": ground, "supply": 1.0}}
    if interdictor:
        patrons.append(Patron("isr", "Interdictor", interdicts=("pat",), kind="interdictor"))
        support["isr"] = {"air": 1.0}
    world = line_world(5, corridors=corridors, patrons=tuple(patrons))
    units = units if units is not None else [("r1", "red", "p2", 3000.0), ("b1", "blue", "p3", 1000.0)]
    return line_state(world, split_control(world, red_upto), units, rules=rules, support=support,
                      capacity={"pat": capacity, "isr": 2.0}, reserve={"pat": 4000.0})


def test_an_air_strike_costs_strength_and_cohesion_by_exposure() -> None:
    s = patron_game()
    after, events = resolve(s, {"pat": [AirStrike("pat", "p3")]})
    frac = 0.06 * 1.0 * 1.2  # air_strike_loss × effect of full air × exposure in the open
    assert of(events, ev.AirStrike) == [ev.AirStrike("pat", "p3", round(1000 * frac, 3), ("b1",))]
    assert after.u_strength[1] == pytest.approx(1000 * (1 - frac))
    assert after.u_cohesion[1] == pytest.approx(0.8 - 0.05)
    half, events = resolve(patron_game(air=0.5), {"pat": [AirStrike("pat", "p3")]})
    assert half.u_strength[1] == pytest.approx(1000 * (1 - 0.06 * HALF * 1.2))


def test_repeat_missions_at_one_place_decay() -> None:
    s = patron_game(capacity=4.0, units=[("r1", "red", "p2", 3000.0), ("b1", "blue", "p3", 1000.0),
                                         ("b2", "blue", "p4", 1000.0)])
    after, events = resolve(s, {"pat": [AirStrike("pat", "p3"), AirStrike("pat", "p3"), AirStrike("pat", "p4"),
                                        AirStrike("pat", "p3")]})
    left = 1000.0
    expected = []
    for power in (1.0, 0.5, 0.25):
        loss = left * 0.06 * power * 1.2
        expected.append(round(loss, 3))
        left -= loss
    strikes = of(events, ev.AirStrike)
    assert [x.losses for x in strikes if x.place == "p3"] == pytest.approx(expected, abs=1e-3)
    assert [x.losses for x in strikes if x.place == "p4"] == pytest.approx([1000 * 0.06 * 1.2])  # a fresh place
    assert after.u_strength[1] == pytest.approx(left)
    cas = patron_game()  # close air support is a mission too
    _, events = resolve(cas, {"pat": [AirStrike("pat", "p3"), CloseAir("pat", "p3")]})
    assert of(events, ev.CloseAirSupport) == [ev.CloseAirSupport("pat", "p3", 0.5)]


def test_an_air_strike_hits_only_the_factions_it_may_strike() -> None:
    factions = (Faction("red", "Red", "RED"), Faction("blue", "Blue", "BLU", allies=("green",)),
                Faction("green", "Green", "GRN"))
    world = graph_world([place("a", supply_for=("red",)), place("b", supply_for=("blue", "green"))],
                        [("a", "b", 40.0)], factions,
                        patrons=(Patron("pat", "Patron", clients=("red",), strikes=("blue",)),))
    s = make_state(world, {"a": "red", "b": "blue"}, [("b1", "blue", "b", 1000.0), ("g1", "green", "b", 1000.0)],
                   rules=RULES, support={"pat": {"air": 1.0}}, capacity={"pat": 2.0})
    after, events = resolve(s, {"pat": [AirStrike("pat", "b")]})
    assert of(events, ev.AirStrike)[0].units == ("b1",)
    assert after.u_strength.tolist() == pytest.approx([1000 * (1 - 0.072), 1000.0])


def test_close_air_support_shifts_the_column_for_the_attacker() -> None:
    s = patron_game(rules=forced("repulsed"))
    _, events = resolve(s, {"red": [Attack("r1", "p3")], "pat": [CloseAir("pat", "p3")]})
    (combat,) = of(events, ev.Combat)
    assert dict(combat.shifts) == {"air": 1.5}
    assert of(events, ev.CloseAirSupport) == [ev.CloseAirSupport("pat", "p3", 1.0)]


def test_close_air_support_shifts_the_column_for_the_defender_at_its_strength() -> None:
    s = patron_game(air=0.5, rules=forced("repulsed"))
    _, events = resolve(s, {"blue": [Attack("b1", "p2")], "pat": [CloseAir("pat", "p2")]})
    (combat,) = of(events, ev.Combat)
    assert combat.defender == "red" and dict(combat.shifts) == pytest.approx({"air": -1.5 * HALF}, abs=1e-3)


def test_close_air_support_needs_the_patrons_units_near() -> None:
    s = patron_game()
    _, events = resolve(s, {"pat": [CloseAir("pat", "p0")]})
    assert of(events, ev.OrderRejected)[0].reason == "no units it supports there or next door"


def test_interdiction_costs_hostile_units_moving_along_the_route() -> None:
    units = [("r1", "red", "p1", 1000.0), ("b1", "blue", "p4", 1000.0)]
    s = patron_game(units=units)
    after, events = resolve(s, {"pat": [Interdict("pat", "p3", "p4")], "blue": [Move("b1", "p3")],
                                "red": [Move("r1", "p2")]})
    assert after.u_strength[1] == pytest.approx(1000 * (1 - 0.05))
    assert after.u_strength[0] == pytest.approx(1000.0)  # not along it, and not hostile to red anyway
    watched = of(events, ev.RouteInterdicted)
    assert watched == [ev.RouteInterdicted("pat", "p3~p4", 1.0), ev.RouteInterdicted("pat", "p3~p4", 1.0, 50.0)]
    own = patron_game(units=[("r1", "red", "p1", 1000.0)])
    after, _ = resolve(own, {"pat": [Interdict("pat", "p1", "p2")], "red": [Move("r1", "p2")]})
    assert after.u_strength[0] == pytest.approx(1000.0)  # the patron's own side crosses freely


def test_attacks_across_an_interdicted_route_fight_at_worse_odds() -> None:
    s = patron_game(rules=forced("repulsed"))
    _, events = resolve(s, {"blue": [Attack("b1", "p2")], "pat": [Interdict("pat", "p2", "p3")]})
    assert dict(of(events, ev.Combat)[0].shifts) == {"interdiction": -1.0}
    _, events = resolve(s, {"blue": [Attack("b1", "p2")], "pat": [Interdict("pat", "p3", "p4")]})
    assert of(events, ev.Combat)[0].shifts == ()  # another route


def test_reinforcements_arrive_down_an_open_corridor_by_degrees() -> None:
    s = patron_game(ground=0.5)
    after, events = resolve(s, {"pat": [Reinforce("pat", "p2", "red")]})
    strength = 2000.0 * HALF
    assert of(events, ev.ReinforcementsArrived) == [ev.ReinforcementsArrived("pat", "red", "pat_t1_0", "p2",
                                                                             round(strength, 3))]
    new = after.unit_index()["pat_t1_0"]
    assert int(after.u_place[new]) == 2 and after.u_strength[new] == pytest.approx(strength)
    assert after.units[new].faction == "red" and after.units[new].quality == 1.0
    assert after.p_reserve[0] == pytest.approx(4000.0 - strength)
    assert after.f_cohesion[0] == pytest.approx(0.8 + 0.03 * HALF)  # help that arrives lifts the client


def test_reinforcements_to_arrival_places_and_by_airlift() -> None:
    factions = (Faction("red", "Red", "RED"), Faction("blue", "Blue", "BLU"))
    places = [place("t", supply_for=("red",)), place("ab", kind=PlaceKind.AIRBASE), place("q"), place("e"),
              place("f", supply_for=("blue",))]
    patrons = (Patron("ir", "Airlifter", clients=("red",), actions=("reinforce", "supply", "airlift")),
               Patron("hz", "Neighbour", clients=("red",), reinforce_at=("q",)),
               Patron("isr", "Interdictor", interdicts=("ir", "hz"), kind="interdictor"))
    world = graph_world(places, [("t", "ab", 50.0), ("ab", "q", 50.0), ("q", "e", 50.0), ("e", "f", 50.0)],
                        factions, patrons=patrons)
    control = {"t": "red", "ab": "red", "q": "red", "e": "blue", "f": "blue"}
    support = {"ir": {"ground": 1.0, "supply": 1.0}, "hz": {"ground": 1.0}, "isr": {"air": 1.0}}
    s = make_state(world, control, [("r1", "red", "ab", 1000.0)], rules=RULES.replace(interdiction_chance=0.0),
                   support=support, capacity={"ir": 4.0, "hz": 4.0}, reserve={"ir": 5000.0, "hz": 5000.0})
    after, events = resolve(s, {"ir": [Reinforce("ir", "ab", "red")], "hz": [Reinforce("hz", "q", "red")]})
    assert [(e.patron, e.place) for e in of(events, ev.ReinforcementsArrived)] == [("ir", "ab"), ("hz", "q")]
    _, events = resolve(s, {"ir": [Reinforce("ir", "q", "red")], "hz": [Reinforce("hz", "t", "red")]})
    assert [e.reason for e in of(events, ev.OrderRejected)] == ["not a place its help can reach"] * 2
    s.controller[2] = 1  # blue takes q: no more arrivals there
    s.invalidate()
    _, events = resolve(s, {"hz": [Reinforce("hz", "q", "red")]})
    assert of(events, ev.OrderRejected)[0].reason == "not a place its help can reach"
    hit = s.copy(rules=RULES.replace(interdiction_chance=1.0))
    hit.controller[2] = 0
    after, events = resolve(hit, {"ir": [Reinforce("ir", "ab", "red")], "hz": [Reinforce("hz", "q", "red")]})
    assert of(events, ev.ConvoyInterdicted) == [ev.ConvoyInterdicted("ir", "isr", "ab", 2000.0),
                                                ev.ConvoyInterdicted("hz", "isr", "q", 2000.0)]
    assert not of(events, ev.ReinforcementsArrived)
    assert after.p_reserve.tolist() == pytest.approx([3000.0, 3000.0, 0.0]) and len(after.units) == 1


def test_an_interdictor_destroys_a_convoy_by_chance() -> None:
    s = patron_game(interdictor=True, rules=RULES.replace(interdiction_chance=1.0))
    after, events = resolve(s, {"pat": [Reinforce("pat", "p2", "red")]})
    assert of(events, ev.ConvoyInterdicted) == [ev.ConvoyInterdicted("pat", "isr", "p2", 2000.0)]
    assert not of(events, ev.ReinforcementsArrived)
    assert len(after.units) == len(s.units) and after.p_reserve[0] == pytest.approx(2000.0)
    s = patron_game(interdictor=True, rules=RULES.replace(interdiction_chance=0.0))
    _, events = resolve(s, {"pat": [Reinforce("pat", "p2", "red")]})
    assert not of(events, ev.ConvoyInterdicted) and of(events, ev.ReinforcementsArrived)


def test_a_supply_surge_raises_stocks_within_range_and_lifts_limited_units() -> None:
    rules = RULES.replace(supply_range_km=40.0, limited_range_km=200.0, surge_range_km=60.0)
    s = patron_game(corridor=("p0",), rules=rules, units=[("r1", "red", "p1", 1000.0), ("r2", "red", "p2", 1000.0)])
    assert [Supply(int(x)) for x in s.u_supply] == [Supply.LIMITED, Supply.LIMITED]  # 50 and 100 km from p0
    plain, _ = resolve(s, {})
    surged, events = resolve(s, {"pat": [SupplySurge("pat", "red")]})
    assert of(events, ev.SupplySurged) == [ev.SupplySurged("pat", "red", 1, False)]
    assert [Supply(int(x)) for x in surged.u_supply] == [Supply.SUPPLIED, Supply.LIMITED]
    assert surged.u_strength.tolist() == pytest.approx([1000.0, 1000.0 * (1 - rules.limited_attrition)])
    use = rules.stock_use["limited"]
    assert plain.u_stock.tolist() == pytest.approx([0.5 - use, 0.5 - use])
    assert surged.u_stock.tolist() == pytest.approx([0.5 + 0.5, 0.5 - use])  # capped at 1 (0 recovery here)


def test_surges_from_several_patrons_add_less_each_and_in_any_order() -> None:
    """Each surge closes a share of the gap to a full stock (diminishing returns): a half-effect surge
    closes half the gap from the normal 0.5, so two give 0.875, not a capped 1.0; the order of the
    patrons does not matter, and one full-effect surge still fills a unit."""
    stock = np.array([0.5, 0.2, 1.0])
    once = surged_stock(stock, 0.25)
    assert once.tolist() == pytest.approx([0.75, 0.6, 1.0])
    assert surged_stock(once, 0.25).tolist() == pytest.approx([0.875, 0.8, 1.0])
    a_then_b = surged_stock(surged_stock(stock, 0.1), 0.3)
    assert a_then_b.tolist() == pytest.approx(surged_stock(surged_stock(stock, 0.3), 0.1).tolist())
    assert surged_stock(stock, 0.5).tolist() == pytest.approx([1.0, 1.0, 1.0])
    assert surged_stock(stock, 0.0).tolist() == pytest.approx(stock.tolist())


def test_two_patrons_surging_one_client_fill_its_stock_by_degrees() -> None:
    rules = RULES.replace(supply_range_km=400.0, surge_range_km=400.0)
    pats = (Patron("pat", "Patron", clients=("red",), actions=("supply",)),
            Patron("two", "Second", clients=("red",), actions=("supply",)))
    factions = (Faction("red", "Red", "RED"), Faction("blue", "Blue", "BLU"))
    world = graph_world([place("t", supply_for=("red",)), place("f", supply_for=("blue",))], [("t", "f", 300.0)],
                        factions, patrons=pats)
    s = make_state(world, {"t": "red", "f": "blue"}, [("r1", "red", "t", 1000.0)], rules=rules,
                   support={"pat": {"supply": 0.5}, "two": {"supply": 0.5}}, capacity={"pat": 2.0, "two": 2.0})
    one, _ = resolve(s, {"pat": [SupplySurge("pat", "red")]})
    both, events = resolve(s, {"pat": [SupplySurge("pat", "red")], "two": [SupplySurge("two", "red")]})
    assert len(of(events, ev.SupplySurged)) == 2
    first = one.u_stock.item(0) - 0.5
    second = both.u_stock.item(0) - one.u_stock.item(0)
    assert 0 < second < first and both.u_stock.item(0) < 1.0


def test_a_surge_goes_by_air_when_the_corridor_is_closed() -> None:
    factions = (Faction("red", "Red", "RED"), Faction("blue", "Blue", "BLU"))
    places = [place("e"), place("ab", kind=PlaceKind.AIRBASE), place("t", supply_for=("red",)),
              place("f", supply_for=("blue",))]
    pats = (Patron("ir", "Airlifter", clients=("red",), corridor="c", actions=("supply", "airlift")),
            Patron("pat", "Patron", clients=("red",), corridor="c", actions=("supply",)),
            Patron("isr", "Interdictor", interdicts=("ir",), kind="interdictor"))
    world = graph_world(places, [("e", "ab", 50.0), ("ab", "t", 50.0), ("t", "f", 300.0)], factions,
                        corridors=(Corridor("c", "C", ("e",)),), patrons=pats)
    s = make_state(world, {"e": "blue", "ab": "red", "t": "red", "f": "blue"},
                   [("r1", "red", "ab", 1000.0), ("r2", "red", "t", 1000.0)],
                   rules=RULES.replace(surge_range_km=10.0, interdiction_chance=0.0),
                   support={"ir": {"supply": 0.5}, "pat": {"supply": 1.0}, "isr": {"air": 1.0}},
                   capacity={"ir": 2.0, "pat": 2.0})
    orders = {"ir": [SupplySurge("ir", "red")], "pat": [SupplySurge("pat", "red")]}
    after, events = resolve(s, orders)
    assert of(events, ev.OrderRejected) == [ev.OrderRejected("pat", SupplySurge("pat", "red"), "corridor c is closed")]
    assert of(events, ev.SupplySurged) == [ev.SupplySurged("ir", "red", 1, True)]
    assert after.u_stock.tolist() == pytest.approx([0.5 + 0.5 * HALF, 0.5])
    hit, events = resolve(s.copy(rules=s.rules.replace(interdiction_chance=1.0)), orders)
    assert of(events, ev.ConvoyInterdicted) == [ev.ConvoyInterdicted("ir", "isr", "ab", 0.0)]
    assert not of(events, ev.SupplySurged) and hit.u_stock.tolist() == pytest.approx([0.5, 0.5])


def test_support_has_diminishing_returns() -> None:
    levels = [0.0, 0.25, 0.5, 0.75, 1.0]
    got = [crt.effect(x, RULES) for x in levels]
    assert got[0] == 0.0 and got[-1] == pytest.approx(1.0)
    steps = np.diff(got)
    assert (steps > 0).all() and (np.diff(steps) < 0).all()  # each quarter buys less than the one before
    assert crt.effect(0.5, RULES) == pytest.approx(HALF)
    fine = [crt.effect(x, RULES) for x in np.linspace(0, 1, 101)]
    assert (np.diff(fine, 2) < 0).all()  # concave
    assert crt.effect(-1.0, RULES) == 0.0 and crt.effect(3.0, RULES) == pytest.approx(1.0)
    assert crt.effect(0.3, RULES.replace(support_curvature=0.0)) == pytest.approx(0.3)  # 0: linear
    strengths = []
    for ground in levels[1:]:
        after, _ = resolve(patron_game(ground=ground), {"pat": [Reinforce("pat", "p2", "red")]})
        strengths.append(float(after.u_strength[-1]))
    assert strengths == pytest.approx([2000.0 * crt.effect(x, RULES) for x in levels[1:]])
    assert (np.diff([0.0, *strengths], 2) < 0).all()


def own_forces_game(chance: float = 1.0) -> State:
    """Patron `ru` commands its own forces (faction `rus`, allied to red) at a base next to blue."""
    factions = (Faction("red", "Red", "RED", allies=("rus",)), Faction("blue", "Blue", "BLU"),
                Faction("rus", "Russian forces", "RUS", commander="ru"))
    places = [place("h", kind=PlaceKind.BASE, supply_for=("red", "rus")), place("m"), place("x"),
              place("f", supply_for=("blue",))]
    patrons = (Patron("ru", "Russia", clients=("red",), actions=("air_strike", "evacuate", "negotiate")),)
    world = graph_world(places, [("h", "m", 40.0), ("m", "x", 40.0), ("x", "f", 40.0)], factions, patrons=patrons)
    return make_state(world, {"h": "red", "m": "red", "x": "blue", "f": "blue"},
                      [("k1", "rus", "h", 1500.0), ("k2", "rus", "m", 500.0), ("b1", "blue", "x", 1000.0)],
                      rules=RULES.replace(negotiate_chance=chance), support={"ru": {"air": 1.0}},
                      capacity={"ru": 3.0})


def test_evacuations_take_forces_off_the_map_and_are_counted() -> None:
    s = own_forces_game()
    after, events = resolve(s, {"ru": [Evacuate("ru", "h"), Evacuate("ru", "m")]})
    assert of(events, ev.OrderRejected)[0].reason == ("evacuate from a base, an airbase or a border crossing "
                                                      "(or next to one)")
    assert of(events, ev.ForcesEvacuated) == [ev.ForcesEvacuated("ru", "h", ("k1",), 1500.0)]
    assert after.p_evacuated.tolist() == [1500.0] and [u.id for u in after.units] == ["k2", "b1"]
    _, events = resolve(s, {"ru": [Evacuate("ru", "f")]})
    assert of(events, ev.OrderRejected)[0].reason == "no Russia forces there"


def test_a_truce_taken_makes_the_factions_neutral_and_stops_strikes_on_them() -> None:
    s = own_forces_game(chance=1.0)
    assert s.hostile[2, 1]
    after, events = resolve(s, {"ru": [Negotiate("ru", "blue")]})
    assert of(events, ev.TruceOffered) == [ev.TruceOffered("ru", "blue", True)]
    assert of(events, ev.RelationChanged) == [ev.RelationChanged("rus", "blue", "neutral")]
    assert after.relations[2, 1] == after.relations[1, 2] == int(Relation.NEUTRAL)
    assert after.relations[0, 1] == int(Relation.HOSTILE)  # the client's war goes on
    _, events = resolve(after, {"ru": [AirStrike("ru", "x"), Negotiate("ru", "blue")]})
    assert [e.reason for e in of(events, ev.OrderRejected)] == ["no units it may strike there",
                                                                "Russia's forces are not at war with Blue"]
    refused, events = resolve(own_forces_game(chance=0.0), {"ru": [Negotiate("ru", "blue")]})
    assert of(events, ev.TruceOffered) == [ev.TruceOffered("ru", "blue", False)] and not of(events, ev.RelationChanged)
    assert refused.hostile[2, 1]
    _, events = resolve(refused, {"ru": [AirStrike("ru", "x")]})
    assert of(events, ev.AirStrike)


def test_a_corridor_closed_by_capture_is_reported_and_blocks_reinforcement() -> None:
    s = patron_game(units=[("b1", "blue", "p3", 1000.0)])
    after, events = resolve(s, {"blue": [Move("b1", "p2")]})
    assert of(events, ev.PlaceCaptured) == [ev.PlaceCaptured("p2", "blue", "red", 1.0)]
    assert of(events, ev.CorridorChanged) == [ev.CorridorChanged("c", "red", False)]
    after2, events = resolve(after, {"pat": [Reinforce("pat", "p2", "red"), SupplySurge("pat", "red"),
                                             Reinforce("pat", "p1", "red")]})
    rejected = of(events, ev.OrderRejected)
    assert [(r.order, r.reason) for r in rejected] == [
        (Reinforce("pat", "p2", "red"), "the corridor is not open to that place"),
        (SupplySurge("pat", "red"), "corridor c is closed")]
    assert of(events, ev.ReinforcementsArrived)[0].place == "p1"  # the corridor is open up to p1


def test_reopening_a_corridor_is_reported() -> None:
    s = patron_game(red_upto=1, units=[("r1", "red", "p1", 1000.0)])
    after, events = resolve(s, {"red": [Move("r1", "p2")]})
    assert of(events, ev.CorridorChanged) == [ev.CorridorChanged("c", "red", True)]


def test_orders_beyond_capacity_are_rejected_in_order_on_each_channel() -> None:
    """Each support channel has the patron's capacity: air missions do not crowd out supplies."""
    s = patron_game(capacity=1.0)
    orders = [AirStrike("pat", "p3"), SupplySurge("pat", "red"), AirStrike("pat", "p3"), SupplySurge("pat", "red")]
    _, events = resolve(s, {"pat": orders})
    rejected = of(events, ev.OrderRejected)
    assert [(r.order, r.reason) for r in rejected] == [(AirStrike("pat", "p3"), "over this turn's capacity"),
                                                       (SupplySurge("pat", "red"), "over this turn's capacity")]
    assert len(of(events, ev.AirStrike)) == 1 and len(of(events, ev.SupplySurged)) == 1


def test_an_added_unit_grows_every_unit_array_keeping_its_dtype() -> None:
    s = patron_game()
    info = UnitInfo("new", "blue", "New", UnitType.ARMOUR, 1.0)
    after = add_unit(s, info, 4, 1234.5, 0.8)
    assert after.units == (*s.units, info)
    for k in ARRAYS:
        if k.startswith("u_"):
            assert getattr(after, k).dtype == getattr(s, k).dtype
            assert getattr(after, k)[:-1].tolist() == getattr(s, k).tolist()
    assert (after.u_faction[-1], after.u_place[-1], after.u_strength[-1], after.u_cohesion[-1]) == (1, 4, 1234.5, 0.8)
    assert (after.u_posture[-1], after.u_supply[-1], after.u_stock[-1]) == (Posture.DEFEND, Supply.SUPPLIED, 0.5)


def test_a_delivered_surge_counts_as_help_to_the_clients_cohesion_by_surge_help() -> None:
    rules = RULES.replace(surge_help=0.5, help_cohesion=0.1)
    s = patron_game(rules=rules)
    plain, _ = resolve(s, {})
    surged, _ = resolve(s, {"pat": [SupplySurge("pat", "red")]})
    assert surged.f_cohesion[0] - plain.f_cohesion[0] == pytest.approx(0.5 * 0.1)  # supply 1.0: full effect
    off, _ = resolve(patron_game(), {"pat": [SupplySurge("pat", "red")]})
    assert off.f_cohesion[0] == pytest.approx(plain.f_cohesion[0])  # the rule's default: stocks only
    nobody = patron_game(corridor=("p0",), rules=rules.replace(surge_range_km=10.0),
                         units=[("r1", "red", "p2", 1000.0)])
    reached, events = resolve(nobody, {"pat": [SupplySurge("pat", "red")]})
    assert of(events, ev.SupplySurged)[0].units == 0
    assert reached.f_cohesion[0] == pytest.approx(resolve(nobody, {})[0].f_cohesion[0])  # nobody reached


def test_close_air_support_flown_counts_as_help_by_air_help_and_decays_with_repeat_missions() -> None:
    rules = RULES.replace(air_help=0.5, help_cohesion=0.1)
    s = patron_game(air=0.5, rules=rules)
    plain, _ = resolve(s, {})
    once, _ = resolve(s, {"pat": [CloseAir("pat", "p2")]})
    assert once.f_cohesion[0] - plain.f_cohesion[0] == pytest.approx(0.5 * 0.1 * HALF)
    twice, _ = resolve(s, {"pat": [CloseAir("pat", "p2"), CloseAir("pat", "p2")]})
    assert twice.f_cohesion[0] - plain.f_cohesion[0] == pytest.approx(0.5 * 0.1 * HALF * 1.5)  # strike_decay 0.5
