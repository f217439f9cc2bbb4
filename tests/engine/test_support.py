"""Support phase: air strikes, reinforcements down corridors, interdiction and supply surges."""

from __future__ import annotations

import pytest

from game.engine import AirStrike, Attack, Corridor, Move, Patron, Reinforce, Rules, SupplySurge
from game.engine import events as ev
from game.engine.state import ARRAYS
from game.engine.support import add_unit
from game.engine.types import Posture, Supply, UnitInfo, UnitType
from tests.boards import line_state, line_world, of, resolve, split_control

FULL = {"air": 1.0, "ground": 0.5, "supply": 1.0}


def patron_game(*, corridor: tuple[str, ...] | None = ("p0", "p1", "p2"), interdictor: bool = False,
                rules: Rules | None = None, capacity: float = 4.0, red_upto: int = 2,
                units: list[tuple[str, str, str, float]] | None = None):
    """Five places in a line; red holds p0..p{red_upto}; patron `pat` helps red down corridor c."""
    corridors = (Corridor("c", "The corridor", corridor),) if corridor else ()
    patrons = [Patron("pat", "Patron", clients=("red",), corridor="c" if corridor else None)]
    support = {"pat": FULL}
    if interdictor:
        patrons.append(Patron("isr", "Interdictor", interdicts=("pat",), kind="interdictor"))
        support["isr"] = {"air": 1.0, "ground": 0.0, "supply": 0.0}
    world = line_world(5, corridors=corridors, patrons=tuple(patrons))
    units = units if units is not None else [("r1", "red", "p1", 3600.0), ("b1", "blue", "p3", 1000.0)]
    return line_state(world, split_control(world, red_upto), units, rules=rules, support=support,
                      capacity={"pat": capacity, "isr": 2.0}, reserve={"pat": 4000.0})


def test_an_air_strike_hits_units_in_the_open_and_helps_the_client_attack() -> None:
    s = patron_game()
    s.u_place[0] = 2  # r1 next to b1
    s.invalidate()
    after, events = resolve(s, {"pat": [AirStrike("pat", "p3")], "red": [Attack("r1", "p3")]}, seed=4)
    frac = 0.06 * 1.0 * 1.2  # air_strike_loss × air support × exposure in the open
    (strike,) = of(events, ev.AirStrike)
    assert strike == ev.AirStrike("pat", "p3", round(1000 * frac, 3), ("b1",))
    (combat,) = of(events, ev.Combat)
    attack = 3600 * 0.8 * (1 + 0.3 * 1.0)
    defence = 1000 * (1 - frac) * (0.8 - 0.05) * 1.2
    assert combat.ratio == pytest.approx(attack / defence, abs=1e-3)
    assert events.index(strike) < events.index(combat)


def test_a_place_struck_twice_loses_strength_twice_over() -> None:
    s = patron_game()
    after, events = resolve(s, {"pat": [AirStrike("pat", "p3"), AirStrike("pat", "p3")]})
    frac = 0.06 * 1.0 * 1.2
    once = 1000 - 1000 * frac
    assert of(events, ev.AirStrike) == [ev.AirStrike("pat", "p3", round(1000 * frac, 3), ("b1",)),
                                        ev.AirStrike("pat", "p3", round(once * frac, 3), ("b1",))]
    assert after.u_strength[1] == pytest.approx(once - once * frac)


def test_patron_help_raises_the_client_cohesion() -> None:
    s = patron_game()
    after, events = resolve(s, {"pat": [AirStrike("pat", "p3")]})
    assert after.f_cohesion[0] == pytest.approx(0.8 + 0.01 * 1.0)
    assert ev.CohesionChanged("red", 0.8, 0.81) in events


def test_reinforcements_arrive_down_an_open_corridor() -> None:
    s = patron_game()
    after, events = resolve(s, {"pat": [Reinforce("pat", "p2", "red")]})
    (arrived,) = of(events, ev.ReinforcementsArrived)
    assert arrived == ev.ReinforcementsArrived("pat", "red", "pat_t1_0", "p2", 1000.0)  # 2000 × ground 0.5
    new = after.unit_index()["pat_t1_0"]
    assert int(after.u_place[new]) == 2 and after.u_strength[new] == pytest.approx(1000.0)
    assert after.units[new].faction == "red"
    assert after.p_reserve[0] == pytest.approx(3000.0)


def test_reinforcements_without_a_corridor_go_to_a_client_source() -> None:
    s = patron_game(corridor=None)
    after, events = resolve(s, {"pat": [Reinforce("pat", "p1", "red")]})
    assert of(events, ev.OrderRejected)[0].reason == "not a supply source of the client"
    after, events = resolve(s, {"pat": [Reinforce("pat", "p0", "red")]})
    assert of(events, ev.ReinforcementsArrived)[0].place == "p0"


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


def test_an_interdictor_can_destroy_a_convoy() -> None:
    s = patron_game(interdictor=True, rules=Rules().replace(interdiction_chance=1.0))
    after, events = resolve(s, {"pat": [Reinforce("pat", "p2", "red")]})
    assert of(events, ev.ConvoyInterdicted) == [ev.ConvoyInterdicted("pat", "isr", "p2", 1000.0)]
    assert not of(events, ev.ReinforcementsArrived)
    assert len(after.units) == len(s.units) and after.p_reserve[0] == pytest.approx(3000.0)
    s = patron_game(interdictor=True, rules=Rules().replace(interdiction_chance=0.0))
    _, events = resolve(s, {"pat": [Reinforce("pat", "p2", "red")]})
    assert not of(events, ev.ConvoyInterdicted) and of(events, ev.ReinforcementsArrived)


def test_a_supply_surge_lifts_limited_units_and_cohesion() -> None:
    rules = Rules().replace(supply_range_km=40.0, limited_range_km=200.0)
    s = patron_game(rules=rules)
    assert Supply(int(s.u_supply[0])) == Supply.LIMITED  # 50 km from the source at p0
    plain, _ = resolve(s, {})
    surged, events = resolve(s, {"pat": [SupplySurge("pat", "red")]})
    assert Supply(int(plain.u_supply[0])) == Supply.LIMITED
    assert plain.u_strength[0] == pytest.approx(3600 * (1 - rules.limited_attrition))
    assert Supply(int(surged.u_supply[0])) == Supply.SUPPLIED
    assert surged.u_strength[0] == pytest.approx(3600.0)
    assert of(events, ev.SupplySurged) == [ev.SupplySurged("pat", "red", 1)]
    assert surged.f_cohesion[0] == pytest.approx(0.8 + 0.01 * 1.0 + 0.04 * 1.0)


def test_orders_beyond_capacity_are_rejected_in_order() -> None:
    s = patron_game(capacity=2.0)
    _, events = resolve(s, {"pat": [AirStrike("pat", "p3"), SupplySurge("pat", "red"), AirStrike("pat", "p3")]})
    rejected = of(events, ev.OrderRejected)
    assert [(r.order, r.reason) for r in rejected] == [(AirStrike("pat", "p3"), "over this turn's capacity")]
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
    assert (after.u_posture[-1], after.u_supply[-1]) == (Posture.DEFEND, Supply.SUPPLIED)
