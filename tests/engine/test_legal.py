"""Orders: every illegal order comes back as an OrderRejected event with a reason, never an exception."""

from __future__ import annotations

import pytest

from game.engine import (
    AirStrike,
    Attack,
    Corridor,
    Entrench,
    Hold,
    Move,
    Patron,
    Reinforce,
    SupplySurge,
    UnitType,
    Withdraw,
    check_order,
    legal_orders,
)
from game.engine import events as ev
from game.engine.types import Posture
from tests.boards import line_world, make_state, of, resolve, split_control


def game(capacity: float = 2.0, reserve: float = 3000.0, air: float = 1.0):
    patrons = (Patron("pat", "Patron", clients=("red",), corridor="c"), Patron("other", "Other", clients=("blue",)))
    world = line_world(6, corridors=(Corridor("c", "C", ("p0", "p1")),), patrons=patrons)
    units = [("r1", "red", "p1", 1000.0), ("r2", "red", "p0", 1000.0), ("b1", "blue", "p3", 1000.0),
             ("b2", "blue", "p5", 1000.0)]
    return make_state(world, split_control(world, 2), units, unit_types={"r2": UnitType.MECHANISED},
                      support={"pat": {"air": air, "ground": 0.5, "supply": 0.0},
                               "other": {"air": 1.0, "ground": 0.0, "supply": 0.0}},
                      capacity={"pat": capacity, "other": 1.0}, reserve={"pat": reserve})


REASONS = [
    ("blue", Move("r1", "p2"), "blue cannot give orders to r1"),
    ("red", Move("zz", "p2"), "unknown unit 'zz'"),
    ("red", Hold(None), "unknown unit None"),  # type: ignore[arg-type]
    ("red", Move("r1", "nowhere"), "unknown place 'nowhere'"),
    ("red", Move("r1", 42), "unknown place 42"),  # type: ignore[arg-type]
    ("red", Move("r1", "p1"), "already there"),
    ("red", Move("r1", "p0"), None),
    ("red", Move("r2", "p2"), None),
    ("red", Move("r1", "p4"), "out of reach this turn"),
    ("red", Move("r2", "p4"), "out of reach this turn"),
    ("red", Move("r1", "p3"), "cannot enter: enemy or neutral there"),
    ("red", Attack("r1", "p3"), "attack only an adjacent place along an open route"),
    ("red", Attack("r1", "p2"), "no enemy units there (move in instead)"),
    ("red", Withdraw("r1", "p2"), None),
    ("red", Withdraw("r1", "p3"), "withdraw only to an adjacent place along an open route"),
    ("red", Entrench("r1"), None),
    ("pat", AirStrike("pat", "p3"), None),
    ("pat", AirStrike("pat", "p2"), "no units it may strike there"),
    ("pat", AirStrike("pat", "atlantis"), "unknown place 'atlantis'"),
    ("red", AirStrike("pat", "p3"), "red cannot give orders for pat"),
    ("pat", AirStrike("nobody", "p3"), "unknown patron 'nobody'"),
    ("pat", Reinforce("pat", "p1", "red"), None),
    ("pat", Reinforce("pat", "p2", "red"), "the corridor is not open to that place"),
    ("pat", Reinforce("pat", "p1", "blue"), "blue is not a client of Patron"),
    ("pat", SupplySurge("pat", "red"), "Patron gives no supply support"),
    ("other", Reinforce("other", "p5", "blue"), "Other gives no ground support"),
    ("other", AirStrike("other", "p1"), None),
]


@pytest.mark.parametrize(("side", "order", "reason"), REASONS)
def test_check_order_gives_a_reason(side: str, order, reason: str | None) -> None:
    s = game()
    assert check_order(s, side, order) == reason
    _, events = resolve(s, {side: [order]})
    rejected = of(events, ev.OrderRejected)
    if reason is None:
        assert rejected == []
    else:
        assert rejected == [ev.OrderRejected(side, order, reason)]


def test_reasons_for_patrons_short_of_means() -> None:
    assert check_order(game(capacity=0.5), "pat", AirStrike("pat", "p3")) == "Patron lacks the capacity this turn"
    assert check_order(game(reserve=0.0), "pat", Reinforce("pat", "p1", "red")) == "Patron has no reserves left"
    assert check_order(game(air=0.0), "pat", AirStrike("pat", "p3")) == "Patron gives no air support"


def test_an_enemy_held_place_with_units_cannot_be_entered() -> None:
    s = game()
    s.u_place[2] = 2  # b1 now at p2, next to r1
    s.invalidate()
    assert check_order(s, "red", Move("r1", "p2")) == "cannot enter: enemy or neutral there"
    assert check_order(s, "red", Attack("r1", "p2")) is None
    assert check_order(s, "red", Withdraw("r1", "p2")) == "withdraw only to a friendly place free of enemies"


def test_routed_units_may_only_hold_or_withdraw() -> None:
    s = game()
    s.u_posture[0] = int(Posture.ROUTED)
    assert check_order(s, "red", Move("r1", "p0")) == "a routed unit can only hold or withdraw"
    assert check_order(s, "red", Entrench("r1")) == "a routed unit cannot entrench"
    assert check_order(s, "red", Hold("r1")) is None and check_order(s, "red", Withdraw("r1", "p0")) is None
    assert {type(o) for o in legal_orders(s, "red") if getattr(o, "unit", "") == "r1"} == {Hold, Withdraw}


def test_a_second_order_for_one_unit_and_an_unknown_side_are_rejected() -> None:
    s = game()
    after, events = resolve(s, {"red": [Move("r1", "p0"), Entrench("r1")], "green": [Hold("r2")]})
    assert of(events, ev.OrderRejected) == [
        ev.OrderRejected("green", Hold("r2"), "unknown side 'green'"),
        ev.OrderRejected("red", Entrench("r1"), "this unit already has an order this turn")]
    assert int(after.u_place[0]) == 0  # the first order stands


def test_dead_units_take_no_orders() -> None:
    s = game()
    s.u_strength[0] = 0.0
    s.invalidate()
    assert check_order(s, "red", Hold("r1")) == "unknown unit 'r1'"
    assert all(getattr(o, "unit", None) != "r1" for o in legal_orders(s, "red"))


def test_every_legal_order_passes_the_check() -> None:
    s = game()
    for side in s.world.sides:
        orders = legal_orders(s, side)
        assert orders or side == "blue"
        assert all(check_order(s, side, o) is None for o in orders), side
    assert Reinforce("pat", "p0", "red") in legal_orders(s, "pat")
    assert AirStrike("pat", "p3") in legal_orders(s, "pat") and AirStrike("pat", "p5") in legal_orders(s, "pat")
    with pytest.raises(KeyError):
        legal_orders(s, "green")
