"""What the planner does in clear situations on small line boards (tests/boards.py)."""

from __future__ import annotations

import numpy as np

from game.ai import make_bot
from game.ai.assess import success_chance
from game.engine import AirStrike, Attack, Move, Patron, PlaceKind, Reinforce, Withdraw, crt
from game.engine.orders import CloseAir, channel_of, order_cost
from tests.boards import line_state, line_world, split_control

RNG = np.random.default_rng(0)


def orders_of(state, side: str, level: str = "normal", ai=None) -> dict:  # type: ignore[no-untyped-def]
    return {getattr(o, "unit", None) or type(o).__name__ + str(k): o
            for k, o in enumerate(make_bot(level, ai)(state, side, np.random.default_rng(0)))}


def test_concentrates_force_on_an_attack() -> None:
    w = line_world(5)
    s = line_state(w, split_control(w, 1), [
        ("r1", "red", "p1", 2000), ("r2", "red", "p1", 2000), ("r3", "red", "p1", 2000), ("r0", "red", "p0", 500),
        ("b1", "blue", "p2", 1500), ("b9", "blue", "p4", 500)])
    got = orders_of(s, "red")
    attackers = [u for u, o in got.items() if isinstance(o, Attack) and o.target == "p2"]
    assert len(attackers) >= 2


def test_no_attack_at_bad_odds_and_none_when_purely_defensive() -> None:
    w = line_world(4)
    s = line_state(w, split_control(w, 1), [("r1", "red", "p1", 1000), ("b1", "blue", "p2", 6000)])
    assert not any(isinstance(o, Attack) for o in orders_of(s, "red").values())
    s2 = line_state(w, split_control(w, 1), [("r1", "red", "p1", 6000), ("r2", "red", "p1", 6000),
                                             ("b1", "blue", "p2", 1000)])
    assert any(isinstance(o, Attack) for o in orders_of(s2, "red").values())
    assert not any(isinstance(o, Attack) for o in orders_of(s2, "red", ai={"red": {"aggression": 0}}).values())


def test_withdraws_from_a_hopeless_fight() -> None:
    w = line_world(5)
    s = line_state(w, split_control(w, 2), [("r0", "red", "p0", 3000), ("r2", "red", "p2", 300),
                                            ("b1", "blue", "p3", 9000), ("b2", "blue", "p3", 9000)])
    assert isinstance(orders_of(s, "red")["r2"], Withdraw)
    assert not isinstance(orders_of(s, "red", "easy")["r2"], Withdraw)


def test_walks_into_an_empty_enemy_place() -> None:
    w = line_world(5)
    s = line_state(w, split_control(w, 1), [("r1", "red", "p1", 2000), ("r0", "red", "p0", 2000),
                                            ("b4", "blue", "p4", 2000)])
    moves = [o for o in orders_of(s, "red").values() if isinstance(o, Move)]
    assert any(o.to in ("p2", "p3") for o in moves)


def test_patron_spends_within_capacity_where_the_client_is_threatened() -> None:
    pat = Patron("friend", "Friend", clients=("red",))
    w = line_world(5, patrons=(pat,))
    s = line_state(w, split_control(w, 1), [("r1", "red", "p1", 2000), ("r0", "red", "p0", 1000),
                                            ("b2", "blue", "p2", 3000), ("b4", "blue", "p4", 500)],
                   support={"friend": {"air": 1.0, "ground": 1.0, "supply": 1.0}}, capacity={"friend": 5.0},
                   reserve={"friend": 5000.0})
    got = list(orders_of(s, "friend").values())
    for channel in {channel_of(o) for o in got}:  # each support channel has the patron's capacity
        assert sum(order_cost(s, o) for o in got if channel_of(o) == channel) <= 5.0
    air = [o for o in got if isinstance(o, (AirStrike, CloseAir))]
    assert air and {o.place for o in air} <= {"p1", "p2"}  # where the threat to the client is
    assert any(isinstance(o, Reinforce) for o in got)


def test_success_chance_is_the_engines() -> None:
    """The bots read the results table: at a column's odds, the chance the defenders give way is that column's."""
    w = line_world(3)
    s = line_state(w, split_control(w, 0), [("r0", "red", "p0", 1000)])
    keys, _, faces = crt.table(s)
    for k, key in enumerate(keys):
        want = float(sum(faces[k, crt.RESULTS.index(x)] for x in crt.SUCCESS))
        assert abs(success_chance(s, s.rules.crt_odds[key]) - want) < 1e-9


def test_a_patrons_contingent_goes_to_the_place_it_was_sent_to_hold() -> None:
    """A contingent landed at an airfield next to the enemy goes into the valuable city the enemy is about to
    take, where a unit of the host army standing at the airfield stays put."""
    from game.engine import Faction
    from game.engine.support import add_unit
    from game.engine.types import UnitInfo, UnitType
    from tests.boards import graph_world, make_state, place

    factions = (Faction("red", "Red", "RED"), Faction("blue", "Blue", "BLU"))
    places = [place("base", supply_for=("red",)), place("field"), place("city", value=10.0), place("camp"),
              place("home", supply_for=("blue",))]
    routes = [("base", "field", 50.0), ("base", "city", 50.0), ("field", "city", 30.0), ("field", "camp", 40.0),
              ("city", "camp", 40.0), ("camp", "home", 50.0)]
    world = graph_world(places, routes, factions, patrons=(Patron("pat", "Patron", clients=("red",)),))
    control = {"base": "red", "field": "red", "city": "red", "camp": "blue", "home": "blue"}
    s = make_state(world, control, [("g1", "red", "city", 1500.0), ("g0", "red", "base", 500.0),
                                    ("b1", "blue", "camp", 6000.0)])
    for command in ("pat", ""):
        t = add_unit(s, UnitInfo("ct", "red", "Contingent", UnitType.INFANTRY, command=command),
                     world.board.index["field"], 2000.0, 0.9)
        t.invalidate()
        order = orders_of(t, "red")["ct"]
        if command:
            assert getattr(order, "to", getattr(order, "target", None)) == "city", order
        else:
            assert getattr(order, "to", getattr(order, "target", None)) != "city", order


def test_a_lone_garrison_clears_an_enemy_pocket_that_is_its_only_threat() -> None:
    """A unit alone at a valuable place attacks a weak enemy pocket whose only way out is through it (the SDF and
    the government's security quarter in Hasakah): the pocket's defenders are the only threat to its place, and
    they are gone if it wins. With other enemies next door it keeps its place instead."""
    from game.engine import Faction
    from tests.boards import graph_world, make_state, place

    factions = (Faction("red", "Red", "RED", enemies=("blue",)), Faction("blue", "Blue", "BLU", enemies=("red",)))
    places = [place("a", supply_for=("red",)), place("city", value=6.0), place("pocket", kind=PlaceKind.BASE),
              place("b", supply_for=("blue",))]
    w = graph_world(places, [("a", "city", 40.0), ("city", "pocket", 5.0), ("city", "b", 40.0)], factions)
    control = {"a": "red", "city": "red", "pocket": "blue", "b": "blue"}
    alone = make_state(w, control, [("r1", "red", "city", 3000), ("r0", "red", "a", 500),
                                    ("b1", "blue", "pocket", 300)])
    assert orders_of(alone, "red")["r1"] == Attack("r1", "pocket")
    pressed = make_state(w, control, [("r1", "red", "city", 3000), ("r0", "red", "a", 500),
                                      ("b1", "blue", "pocket", 300), ("b2", "blue", "b", 1500)])
    assert not isinstance(orders_of(pressed, "red")["r1"], Attack)


def test_a_bot_sees_a_threat_only_from_enemies_that_may_come_in() -> None:
    """The bot's threat agrees with the engine's morale rule: hostile units next door threaten a place only
    when they may attack into it (within their theatre); with no theatre limit, all of them count."""
    from game.ai.assess import make_view
    from game.ai.weights import Weights
    from tests.engine.test_cohesion import theatre_front

    b = 1  # a - b - c - d: red's r1 at b, blue (and green) at c
    kept_out = make_view(theatre_front(blue_theatre=("c", "d")), 0, Weights())
    assert kept_out.threat[b] == 0.0
    may_come = make_view(theatre_front(blue_theatre=("b", "c", "d")), 0, Weights())
    assert may_come.threat[b] > 0.0
    mixed = make_view(theatre_front(blue_theatre=("c", "d"), green_theatre=("b", "c", "d")), 0, Weights())
    assert 0.0 < mixed.threat[b] < may_come.threat[b]  # green (as strong as r1) counts, blue (four times) not
    anywhere = make_view(theatre_front(blue_theatre=()), 0, Weights())
    assert anywhere.threat[b] == may_come.threat[b]


def test_a_patron_takes_its_broken_forces_out_by_a_way_out() -> None:
    """A patron whose own forces' command has broken evacuates those standing at a base, even where no enemy
    is next door: a broken command's men desert wherever they stand (as Hezbollah pulled its fighters back
    to Lebanon on 7-8 December 2024). Steady forces away from the enemy keep their post."""
    from game.engine.orders import Evacuate
    from tests.engine.test_support import own_forces_game

    s = own_forces_game()
    rus = s.world.faction_index["rus"]
    steady = list(orders_of(s, "ru").values())
    assert not any(isinstance(o, Evacuate) and o.place == "h" for o in steady)
    s.f_collapsed[rus] = True
    s.f_cohesion[rus] = 0.05
    s.invalidate()
    broken = list(orders_of(s, "ru").values())
    assert Evacuate("ru", "h") in broken
