"""Relations between factions: hand-overs, theatres, neutral passage, zones of control, commanded forces
and relations changed by events."""

from __future__ import annotations

import pytest

from game.engine import Attack, Faction, Hold, Move, Patron, Rules, UnitType, check_order, legal_orders
from game.engine import events as ev
from game.engine.context import TurnContext
from game.engine.control import run_control
from game.engine.injects import apply_effect
from game.engine.movement import can_enter, can_pass, reachable
from game.engine.orders import HandOver, Reinforce
from game.engine.specs import Inject, OnTurn, SetRelation
from game.engine.state import State
from game.engine.types import Relation
from tests.boards import graph_world, make_state, of, place, resolve

FACTIONS = (Faction("red", "Red", "RED", neutral=("grey",)), Faction("blue", "Blue", "BLU"),
            Faction("grey", "Grey", "GRY", theatre=("b", "c", "d")))
"""Red and grey are neutral to each other; blue is at war with both; grey keeps to b, c and d."""


def row(control: dict[str, str], units: list[tuple[str, str, str, float]], rules: Rules | None = None,
        injects: tuple[Inject, ...] = ()) -> State:
    """a - b - c - d - e, 40 km apart."""
    places = [place("a", supply_for=("red",)), place("b"), place("c", supply_for=("grey",)), place("d"),
              place("e", supply_for=("blue",))]
    world = graph_world(places, [("a", "b", 40.0), ("b", "c", 40.0), ("c", "d", 40.0), ("d", "e", 40.0)], FACTIONS,
                        injects=injects)
    return make_state(world, control, units, rules=rules or Rules(),
                      unit_types={u: UnitType.MECHANISED for u, *_ in units})


HOLDERS = {"a": "red", "b": "red", "c": "grey", "d": "grey", "e": "blue"}


def test_the_relations_read_from_the_factions_lists() -> None:
    s = row(HOLDERS, [])
    assert s.relations.tolist() == [[2, 0, 1], [0, 2, 0], [1, 0, 2]]
    assert s.hostile[0, 1] and not s.hostile[0, 2] and not s.friendly[0, 2]


def test_a_place_is_handed_to_a_non_hostile_faction_with_units_there_or_next_door() -> None:
    s = row(HOLDERS, [("r1", "red", "a", 100.0), ("g1", "grey", "c", 100.0)])
    order = HandOver("red", "b", "grey")
    assert order in legal_orders(s, "red")
    after, events = resolve(s, {"red": [order, HandOver("red", "b", "grey")]})
    assert of(events, ev.PlaceHandedOver) == [ev.PlaceHandedOver("b", "grey", "red")]
    assert of(events, ev.OrderRejected)[0].reason == "that place is already being handed over"
    assert int(after.controller[1]) == 2 and not of(events, ev.PlaceCaptured)


@pytest.mark.parametrize(("side", "order", "reason"), [
    ("red", HandOver("red", "b", "blue"), "hand a place only to a faction you are not at war with"),
    ("red", HandOver("red", "b", "red"), "hand a place only to a faction you are not at war with"),
    ("red", HandOver("red", "a", "grey"), "A is outside Grey's theatre"),
    ("red", HandOver("red", "c", "grey"), "Red does not hold C"),
    ("blue", HandOver("red", "b", "grey"), "blue cannot give orders for red"),
    ("red", HandOver("red", "b", "nobody"), "unknown faction 'nobody'"),
    ("red", HandOver("red", "zz", "grey"), "unknown place 'zz'"),
])
def test_illegal_hand_overs_are_refused_with_a_reason(side: str, order: HandOver, reason: str) -> None:
    s = row(HOLDERS, [("r1", "red", "a", 100.0), ("g1", "grey", "c", 100.0), ("b1", "blue", "e", 100.0)])
    assert check_order(s, side, order) == reason
    assert order not in legal_orders(s, side)


def test_a_hand_over_needs_the_taker_there_or_next_door() -> None:
    s = row(HOLDERS, [("g1", "grey", "d", 100.0)])
    assert check_order(s, "red", HandOver("red", "b", "grey")) == "Grey has no units there or next door to take it over"
    s.u_place[0] = 1  # a guest in b itself
    s.invalidate()
    assert check_order(s, "red", HandOver("red", "b", "grey")) is None


def test_a_neutral_guest_does_not_take_a_place() -> None:
    s = row(HOLDERS, [("g1", "grey", "b", 100.0)])  # grey alone in red's b
    ctx = TurnContext(start=s)
    run_control(s, ctx)
    assert int(s.controller[1]) == 0 and not s.contested[1] and not ctx.events


def test_neutral_units_pass_through_but_do_not_stop() -> None:
    s = row({**HOLDERS, "c": "red"}, [("g1", "grey", "d", 100.0), ("r9", "red", "c", 10.0)])
    red = 0
    assert can_pass(s, 2, 1) and not can_enter(s, 2, 1)  # grey through red's b, not into it
    assert can_pass(s, red, 3) and not can_enter(s, red, 3)
    s = row(HOLDERS, [("r1", "red", "b", 100.0)])
    assert sorted(reachable(s, 0).cost) == [0, 4]  # a, and through grey's c and d into blue's empty e
    assert sorted(reachable(s.copy(rules=s.rules.replace(neutral_passage=False)), 0).cost) == [0]
    s = row({**HOLDERS, "d": "red"}, [("r1", "red", "b", 100.0)])
    assert 3 in reachable(s, 0).cost and reachable(s, 0).path(3) == [1, 2, 3]
    assert check_order(s, "red", Move("r1", "c")) == "cannot enter: enemy or neutral there"
    after, events = resolve(s, {"red": [Move("r1", "d")]})
    assert ev.UnitMoved("r1", "red", ("b", "c", "d")) in events and int(after.controller[2]) == 2
    closed = s.copy(rules=s.rules.replace(neutral_passage=False))
    assert check_order(closed, "red", Move("r1", "d")) == "out of reach this turn"


def test_a_unit_stopped_short_never_stops_in_a_neutral_place() -> None:
    """Two red units head for d through grey's c; d has room for one: the second stays home, not in c."""
    s = row({**HOLDERS, "d": "red"}, [("r1", "red", "b", 100.0), ("r2", "red", "b", 100.0)],
            rules=Rules().replace(stacking={"town": 1}))
    after, events = resolve(s, {"red": [Move("r1", "d"), Move("r2", "d")]})
    assert not of(events, ev.OrderRejected)
    assert [e.unit for e in of(events, ev.UnitMoved)] == ["r1"]
    assert [int(p) for p in after.u_place] == [3, 1]


def test_a_moving_unit_stops_next_to_hostile_units() -> None:
    """a - b - c, with blue's x off b: red may enter b, next to blue's unit, but not pass it to reach c."""
    factions = (Faction("red", "Red", "RED"), Faction("blue", "Blue", "BLU"))
    world = graph_world([place("a", supply_for=("red",)), place("b"), place("c"), place("x", supply_for=("blue",))],
                        [("a", "b", 40.0), ("b", "c", 40.0), ("b", "x", 40.0)], factions)
    s = make_state(world, {"a": "red", "b": "red", "c": "red", "x": "blue"},
                   [("r1", "red", "a", 100.0), ("b1", "blue", "x", 100.0)], unit_types={"r1": UnitType.MECHANISED})
    assert not can_pass(s, 0, 1) and can_enter(s, 0, 1)
    assert sorted(reachable(s, 0).cost) == [1]
    assert check_order(s, "red", Move("r1", "c")) == "out of reach this turn"
    after, events = resolve(s, {"red": [Move("r1", "b")]})
    assert ev.UnitMoved("r1", "red", ("a", "b")) in events
    free = s.copy(rules=s.rules.replace(zone_of_control=False))
    assert can_pass(free, 0, 1) and sorted(reachable(free, 0).cost) == [1, 2]


def test_units_keep_to_their_theatre() -> None:
    s = row({**HOLDERS, "b": "grey"}, [("g1", "grey", "b", 100.0), ("r1", "red", "a", 100.0)])
    assert check_order(s, "grey", Move("g1", "a")) == "outside Grey's theatre"
    s = row({**HOLDERS, "a": "blue", "b": "grey"}, [("g1", "grey", "b", 100.0), ("b2", "blue", "a", 100.0)])
    assert check_order(s, "grey", Attack("g1", "a")) == "outside Grey's theatre"
    assert not any(getattr(o, "to", getattr(o, "target", "")) == "a" for o in legal_orders(s, "grey"))


def own_forces() -> State:
    factions = (Faction("red", "Red", "RED", allies=("rus",)), Faction("blue", "Blue", "BLU"),
                Faction("rus", "Russian forces", "RUS", commander="ru"))
    world = graph_world([place("a", supply_for=("red", "rus")), place("b"), place("c", supply_for=("blue",))],
                        [("a", "b", 40.0), ("b", "c", 40.0)], factions,
                        patrons=(Patron("ru", "Russia", clients=("red",)),))
    return make_state(world, {"a": "red", "b": "red", "c": "blue"},
                      [("k1", "rus", "a", 500.0), ("r1", "red", "b", 500.0)], support={"ru": {"ground": 1.0}},
                      capacity={"ru": 2.0}, reserve={"ru": 1000.0})


def test_commanded_forces_take_their_orders_from_the_patron() -> None:
    s = own_forces()
    assert s.world.sides == ("red", "blue", "ru")
    assert legal_orders(s, "rus") == []
    assert Hold("k1") in legal_orders(s, "ru") and Hold("k1") not in legal_orders(s, "red")
    assert check_order(s, "red", Hold("k1")) == "red cannot give orders to k1"
    assert check_order(s, "ru", Hold("r1")) == "ru cannot give orders to r1"
    assert Reinforce("ru", "a", "rus") in legal_orders(s, "ru")  # its help reaches its own forces too
    after, events = resolve(s, {"rus": [Hold("k1")], "ru": [Move("k1", "b")]})
    assert of(events, ev.OrderRejected) == [ev.OrderRejected("rus", Hold("k1"), "unknown side 'rus'")]
    assert ev.UnitMoved("k1", "rus", ("a", "b")) in events


def test_an_event_changes_a_relation_both_ways() -> None:
    s = row(HOLDERS, [("r1", "red", "b", 100.0), ("b1", "blue", "b", 100.0)])
    after = apply_effect(s.copy(), SetRelation("red", "blue", "neutral"))
    assert after.relations[0, 1] == after.relations[1, 0] == int(Relation.NEUTRAL)
    assert not after.hostile[0, 1] and s.hostile[0, 1] and s.world.hostile[0, 1]
    allied = apply_effect(after, SetRelation("blue", "grey", "allied"))
    assert allied.friendly[1, 2] and allied.friendly[2, 1]
    inject = Inject("truce", "Truce", when=(OnTurn(1),), effects=(SetRelation("red", "blue", "neutral"),))
    s = row(HOLDERS, [("r1", "red", "b", 100.0), ("b1", "blue", "b", 100.0)], injects=(inject,))
    turned, events = resolve(s, {})
    assert ev.InjectFired("truce", "Truce", "", ("all",)) in events
    assert turned.relations[0, 1] == int(Relation.NEUTRAL)
    later, events = resolve(turned, {})
    assert not of(events, ev.Combat) and not later.contested.any()
