"""Combat phase: battles read on the results table, graded results, retreats, standing, routs, surrender,
street fighting, and the ground a beaten unit falls back over (the table itself: test_crt.py)."""

from __future__ import annotations

import numpy as np
import pytest

from bench.synthetic import random_game
from game.engine import (
    Attack,
    Entrench,
    Faction,
    Move,
    Patron,
    Rules,
    Terrain,
    Withdraw,
    check_order,
    legal_orders,
    query,
)
from game.engine import events as ev
from game.engine.combat import Ground, _meeting_places, _total, retreat_place
from game.engine.control import contested_mask
from game.engine.orders import CloseAir
from game.engine.state import State
from game.engine.types import Posture
from tests.boards import (
    crt_rules,
    forced,
    graph_world,
    line_state,
    line_world,
    make_state,
    of,
    place,
    red_blue,
    resolve,
)

LOSS_A = crt_rules().crt_attacker_loss
LOSS_D = crt_rules().crt_defender_loss


def duel(rules: Rules, *, terrain: Terrain = Terrain.OPEN, fort: int = 0, behind: str = "blue",
         attacker: float = 3000.0, defender: float = 1000.0, cohesion: float = 0.8) -> State:
    """Red r1 at a next to blue b1 at b; c lies behind b, held by `behind`."""
    places = [place("a", supply_for=("red",)), place("b", terrain=terrain, fort=fort), place("c", supply_for=("blue",))]
    world = graph_world(places, [("a", "b", 40.0), ("b", "c", 40.0)], red_blue())
    return make_state(world, {"a": "red", "b": "blue", "c": behind},
                      [("r1", "red", "a", attacker), ("b1", "blue", "b", defender)], rules=rules, cohesion=cohesion)


def where(s: State) -> dict[str, str]:
    """Each living unit's place id."""
    return {u.id: s.world.board.places[int(s.u_place[i])].id for i, u in enumerate(s.units) if s.u_strength[i] > 0}


def attack(s: State, seed: int = 1, **more: list) -> tuple[State, list[ev.Event]]:  # type: ignore[type-arg]
    return resolve(s, {"red": [Attack("r1", "b")], **more}, seed=seed)


# (result, red's place after, blue's place after, b held by, red cohesion change, blue cohesion change)
GRADED = [
    ("repulsed", "a", "b", "blue", -0.1, 0.02),
    ("engaged", "a", "b", "blue", 0.0, 0.0),
    ("exchange", "a", "b", "blue", -0.1, 0.0),
    ("retreat", "b", "c", "red", 0.02, -0.1),
    ("rout", "b", "c", "red", 0.02, -0.2),
]


@pytest.mark.parametrize(("result", "red_at", "blue_at", "holder", "d_red", "d_blue"), GRADED)
def test_each_graded_result(result: str, red_at: str, blue_at: str, holder: str, d_red: float, d_blue: float) -> None:
    s = duel(forced(result, stock_recover=0.0))
    after, events = attack(s)
    (combat,) = of(events, ev.Combat)
    assert (combat.result, combat.success) == (result, result in ("retreat", "rout"))
    assert combat.attacker_losses == pytest.approx(3000 * LOSS_A[result], abs=1e-3)
    assert combat.defender_losses == pytest.approx(1000 * LOSS_D[result], abs=1e-3)
    assert combat.column == "3:1" and combat.shifts == ()
    assert where(after) == {"r1": red_at, "b1": blue_at}
    assert after.world.factions[int(after.controller[1])].id == holder
    assert after.u_strength.tolist() == pytest.approx([3000 * (1 - LOSS_A[result]), 1000 * (1 - LOSS_D[result])])
    assert after.u_cohesion.tolist() == pytest.approx([0.8 + d_red, 0.8 + d_blue])
    assert after.u_stock.tolist() == pytest.approx([0.45, 0.45])  # one battle's stock used
    assert bool(of(events, ev.PlaceCaptured)) == (holder == "red")
    assert bool(of(events, ev.UnitRetreated)) == (blue_at == "c")
    assert [e.unit for e in of(events, ev.UnitRouted)] == (["b1"] if result == "rout" else [])


def test_a_routed_defender_stays_routed_and_may_only_hold_or_withdraw() -> None:
    s = duel(forced("rout"), cohesion=0.5)  # 0.5 - 0.2 = 0.3: below the rally line of 0.35
    after, events = attack(s)
    b1 = after.unit_index()["b1"]
    assert of(events, ev.UnitRouted) == [ev.UnitRouted("b1", "blue", "b")]
    assert Posture(int(after.u_posture[b1])) == Posture.ROUTED and not of(events, ev.UnitRallied)
    assert {type(o).__name__ for o in legal_orders(after, "blue")} <= {"Hold", "Withdraw"}
    assert check_order(after, "blue", Attack("b1", "b")) == "a routed unit can only hold or withdraw"


def test_a_loser_shaken_below_the_rout_line_routs_on_a_retreat() -> None:
    s = duel(forced("retreat"), cohesion=0.8)
    s.u_cohesion[1] = 0.25  # 0.25 - 0.1 < 0.2
    after, events = attack(s)
    assert of(events, ev.UnitRouted) == [ev.UnitRouted("b1", "blue", "b")]
    assert of(events, ev.UnitRetreated) == [ev.UnitRetreated("b1", "blue", "b", "c")]


def test_entrenched_defenders_with_cohesion_stand_on_a_retreat_taking_extra_losses() -> None:
    s = duel(forced("retreat"))
    after, events = attack(s, blue=[Entrench("b1")])
    (combat,) = of(events, ev.Combat)
    assert combat.result == "retreat" and not combat.success  # the place was not taken
    lost = 1000 * LOSS_D["retreat"]
    assert combat.defender_losses == pytest.approx(lost + (1000 - lost) * 0.05, abs=1e-3)
    assert ("posture", -1.0) in combat.shifts
    assert where(after) == {"r1": "a", "b1": "b"} and int(after.controller[1]) == 1
    assert not of(events, ev.UnitRetreated) and not of(events, ev.PlaceCaptured)
    assert after.u_cohesion[1] == pytest.approx(0.8 - 0.1)
    assert Posture(int(after.u_posture[1])) == Posture.ENTRENCH


def test_entrenched_defenders_without_cohesion_retreat() -> None:
    s = duel(forced("retreat"))
    s.u_cohesion[1] = 0.34
    after, events = attack(s, blue=[Entrench("b1")])
    assert of(events, ev.Combat)[0].success
    assert where(after) == {"r1": "b", "b1": "c"}


def test_entrenched_defenders_do_not_stand_against_a_rout() -> None:
    s = duel(forced("rout"))
    after, events = attack(s, blue=[Entrench("b1")])
    assert where(after) == {"r1": "b", "b1": "c"} and of(events, ev.UnitRouted)


@pytest.mark.parametrize("result", ["retreat", "rout"])
def test_a_defender_with_nowhere_to_go_surrenders(result: str) -> None:
    s = duel(forced(result), behind="red")
    after, events = attack(s)
    (gone,) = of(events, ev.UnitSurrendered)
    lost = 1000 * LOSS_D[result]
    assert (gone.unit, gone.place) == ("b1", "b") and gone.strength == pytest.approx(1000 - lost, abs=1e-3)
    assert [u.id for u in after.units] == ["r1"] and where(after) == {"r1": "b"}
    assert of(events, ev.PlaceCaptured) == [ev.PlaceCaptured("b", "red", "blue", 1.0)]


def test_an_engaged_result_in_open_ground_ends_the_days_fighting() -> None:
    s = duel(forced("engaged"))
    after, events = attack(s)
    assert where(after) == {"r1": "a", "b1": "b"} and not after.contested.any()
    after2, events2 = resolve(after, {})
    assert not of(events2, ev.Combat)


@pytest.mark.parametrize(("terrain", "fort"), [(Terrain.URBAN, 0), (Terrain.OPEN, 2)])
def test_street_fighting_in_a_city_goes_on_the_next_turn(terrain: Terrain, fort: int) -> None:
    s = duel(forced("engaged"), terrain=terrain, fort=fort)
    after, events = attack(s)
    assert len(of(events, ev.Combat)) == 1  # one battle a place a turn
    assert where(after) == {"r1": "b", "b1": "b"} and after.contested.tolist() == [False, True, False]
    assert of(events, ev.PlaceContested) == [ev.PlaceContested("b", ("red", "blue"))]
    assert int(after.controller[1]) == 1
    assert not of(events, ev.Combat)[0].inside  # the first day's fight was an attack from outside
    again, events = resolve(after, {})  # still engaged: the fight goes on
    (combat,) = of(events, ev.Combat)
    assert (combat.place, combat.attacker, combat.defender, combat.result) == ("b", "red", "blue", "engaged")
    assert combat.inside  # nobody ordered it: the reports say the two fought inside, not that red attacked
    assert where(again) == {"r1": "b", "b1": "b"} and again.contested[1]
    won, events = resolve(again.copy(rules=forced("retreat")), {})
    (combat,) = of(events, ev.Combat)
    assert combat.result == "retreat" and combat.success
    assert where(won) == {"r1": "b", "b1": "c"}
    assert of(events, ev.PlaceCaptured) == [ev.PlaceCaptured("b", "red", "blue", 1.0)]
    lost, events = resolve(again.copy(rules=forced("repulsed")), {})
    assert where(lost) == {"r1": "a", "b1": "b"} and not lost.contested.any()
    assert ev.UnitRetreated("r1", "red", "b", "a") in events


def test_hostile_units_meeting_at_a_place_fight_it_out_once() -> None:
    world = line_world(5)
    s = line_state(world, {"p0": "red", "p1": "red", "p2": "red", "p3": "blue", "p4": "blue"},
                   [("r1", "red", "p1", 4000.0), ("b1", "blue", "p3", 4000.0)], rules=forced("retreat"))
    after, events = resolve(s, {"red": [Move("r1", "p2")], "blue": [Attack("b1", "p2")]})
    assert of(events, ev.OrderRejected)[0].reason.startswith("no enemy units there")  # r1 was not there yet
    after, events = resolve(s, {"red": [Move("r1", "p2")], "blue": [Move("b1", "p2")]})
    (combat,) = of(events, ev.Combat)  # red holds p2: blue attacks from inside, red defends
    assert (combat.place, combat.attacker, combat.defender, combat.result) == ("p2", "blue", "red", "retreat")
    assert where(after) == {"r1": "p1", "b1": "p2"} and int(after.controller[2]) == 1
    assert not after.contested.any()


def test_neutral_units_are_not_attacked() -> None:
    factions = (Faction("red", "Red", "RED", enemies=("blue",)), Faction("blue", "Blue", "BLU"),
                Faction("grey", "Grey", "GRY", enemies=("blue",)))
    world = graph_world([place("a", supply_for=("red",)), place("b"), place("c", supply_for=("blue",))],
                        [("a", "b", 40.0), ("b", "c", 40.0)], factions)
    s = make_state(world, {"a": "red", "b": "grey", "c": "blue"}, [("r1", "red", "a", 5000.0),
                                                                    ("g1", "grey", "b", 100.0)])
    assert not s.world.hostile[0, 2] and not s.world.friendly[0, 2]
    after, events = resolve(s, {"red": [Attack("r1", "b")]})
    assert of(events, ev.OrderRejected)[0].reason == "no enemy units there"
    assert not of(events, ev.Combat)


def test_an_attack_on_an_emptied_place_walks_in() -> None:
    s = duel(forced("repulsed"))
    after, events = attack(s, blue=[Withdraw("b1", "c")])
    assert not of(events, ev.Combat)
    assert ev.UnitMoved("r1", "red", ("a", "b")) in events and ev.UnitMoved("b1", "blue", ("b", "c")) in events
    assert of(events, ev.PlaceCaptured) == [ev.PlaceCaptured("b", "red", "blue", 1.0)]


def test_the_combat_event_names_the_column_and_the_shifts() -> None:
    s = duel(forced("repulsed"), terrain=Terrain.ROUGH)
    _, events = attack(s, blue=[Entrench("b1")])
    (combat,) = of(events, ev.Combat)
    assert combat.ratio == pytest.approx(3.0)
    assert dict(combat.shifts) == pytest.approx({"terrain": -1.0, "posture": -1.0})
    assert combat.column == "1:1"  # 3:1 less two columns


def cas_game(air: float) -> State:
    """Red attacks blue at b at 2:1 (in the explicit table: 40 % success); patron `pb` helps blue
    with close air support at `air`."""
    places = [place("a", supply_for=("red",)), place("b"), place("c", supply_for=("blue",))]
    world = graph_world(places, [("a", "b", 40.0), ("b", "c", 40.0)], red_blue(),
                        patrons=(Patron("pb", "Blue's patron", clients=("blue",), actions=("close_air",)),))
    return make_state(world, {"a": "red", "b": "blue", "c": "blue"},
                      [("r1", "red", "a", 2000.0), ("b1", "blue", "b", 1000.0)], rules=crt_rules(),
                      support={"pb": {"air": air}}, capacity={"pb": 2.0})


def test_a_defender_with_close_air_support_does_better() -> None:
    seeds = range(200)
    plain, helped = cas_game(1.0), cas_game(1.0)
    wins = {"plain": 0, "helped": 0}
    for seed in seeds:
        _, events = attack(plain, seed)
        wins["plain"] += of(events, ev.Combat)[0].success
        _, events = attack(helped, seed, pb=[CloseAir("pb", "b")])
        (combat,) = of(events, ev.Combat)
        assert ("air", -1.5) in combat.shifts and not of(events, ev.OrderRejected)
        wins["helped"] += combat.success
    assert wins["plain"] / len(seeds) == pytest.approx(0.4, abs=0.12)  # 2:1
    assert wins["helped"] / len(seeds) == pytest.approx(0.05, abs=0.06)  # 1:2 and a half column
    assert wins["helped"] < wins["plain"] - 30


def test_totals_are_summed_exactly_as_numpy_sums() -> None:
    rng = np.random.default_rng(5)
    for n in range(20):
        for _ in range(200):
            values = (rng.random(n) * 10.0 ** rng.integers(-3, 5, n)).tolist()
            assert _total(values).hex() == float(np.sum(values)).hex()


def test_meeting_places_are_the_contested_places() -> None:
    factions = (Faction("red", "Red", "RED", enemies=("blue",)), Faction("blue", "Blue", "BLU"),
                Faction("grey", "Grey", "GRY", enemies=("blue",)))
    world = graph_world([place("a"), place("b"), place("c"), place("d")],
                        [("a", "b", 40.0), ("b", "c", 40.0), ("c", "d", 40.0)], factions)
    units = [("r1", "red", "a", 100.0), ("g1", "grey", "a", 100.0),  # neutral to each other: no meeting
             ("r2", "red", "b", 100.0), ("b2", "blue", "b", 100.0),  # hostile: a meeting
             ("b3", "blue", "c", 100.0), ("g3", "grey", "c", 0.0),  # the grey unit is dead
             ("g4", "grey", "d", 100.0), ("r4", "red", "d", 100.0), ("b4", "blue", "d", 100.0)]
    s = make_state(world, {"a": "red", "b": "red", "c": "blue", "d": "grey"}, units)
    assert _meeting_places(s) == [1, 3] == np.flatnonzero(contested_mask(s)).tolist()


def scrambled(seed: int) -> State:
    """A random game of four factions with its units thrown over eight places (hostile ones meet,
    stacks form) and about one in five of them dead."""
    s = random_game(seed, 8, 4)
    rng = np.random.default_rng(seed)
    s.u_place[:] = rng.integers(0, 8, len(s.units))
    s.u_strength[rng.random(len(s.units)) < 0.2] = 0.0
    return s


def answers(ground: Ground) -> tuple[list[int], list[int], list[float]]:
    """Everything a ground tells about the eight places and four factions of `scrambled`."""
    return ([ground.factions(q) for q in range(8)], [ground.count(q, f) for q in range(8) for f in range(4)],
            [ground.power(q, f) for q in range(8) for f in range(4)])


def test_the_ground_answers_as_the_occupancy_does() -> None:
    for seed in range(6):
        s = scrambled(seed)
        occ = query.occupancy(s)
        assert answers(Ground(s)) == (occ.bits(), occ.count.ravel().tolist(),
                                      [query.place_power(s, q, f) for q in range(8) for f in range(4)])


def test_a_ground_told_of_moves_answers_as_a_new_one() -> None:
    s = scrambled(7)
    ground = Ground(s)
    rng = np.random.default_rng(7)
    for _ in range(30):
        u = int(rng.choice(np.flatnonzero(s.u_strength > 0)))
        frm, to = s.u_place.item(u), int(rng.integers(0, 8))
        s.u_place[u] = to
        ground.moved(u, frm, to)
        assert answers(ground) == answers(Ground(s))


def fork(rules: Rules, units: list[tuple[str, str, str, float]]) -> State:
    """Red at r next to blue's c, which leads on to blue's e and f."""
    places = [place("r", supply_for=("red",)), place("c"), place("e"), place("f", supply_for=("blue",))]
    world = graph_world(places, [("r", "c", 40.0), ("c", "e", 40.0), ("c", "f", 40.0)], red_blue())
    return make_state(world, {"r": "red", "c": "blue", "e": "blue", "f": "blue"}, units, rules=rules)


def test_retreat_place_prefers_friendly_strength_room_and_the_given_place() -> None:
    s = fork(crt_rules(), [("r1", "red", "r", 100.0), ("b1", "blue", "c", 500.0), ("b2", "blue", "f", 800.0)])
    assert retreat_place(s, 1) == 3  # f: friendly strength there
    assert retreat_place(s, 1, prefer=2) == 2 and retreat_place(s, 1, avoid=3) == 2
    s.controller[2] = 0  # e is red's now: not a way back
    s.invalidate()
    assert retreat_place(s, 1, prefer=2) == 3 and retreat_place(s, 1, avoid=3) is None
    assert retreat_place(s, 0) is None  # red's r has no friendly neighbour free of enemies


def test_the_beaten_defender_falls_back_towards_friendly_strength() -> None:
    s = fork(forced("retreat"), [("r1", "red", "r", 3000.0), ("b1", "blue", "c", 500.0), ("b2", "blue", "f", 800.0)])
    _, events = resolve(s, {"red": [Attack("r1", "c")]}, seed=3)
    assert of(events, ev.UnitRetreated) == [ev.UnitRetreated("b1", "blue", "c", "f")]


def test_defenders_falling_back_together_take_the_room_those_before_them_took() -> None:
    """Each beaten unit sees where the ones before it went: the second finds the stronger place
    full (two units a town) and falls back to the other."""
    units = [("r1", "red", "r", 6000.0), ("b1", "blue", "c", 500.0), ("b2", "blue", "c", 500.0),
             ("b3", "blue", "f", 800.0)]
    s = fork(forced("retreat", stacking={"town": 2}), units)
    _, events = resolve(s, {"red": [Attack("r1", "c")]}, seed=3)
    assert of(events, ev.Combat)[0].success
    assert of(events, ev.UnitRetreated) == [ev.UnitRetreated("b1", "blue", "c", "f"),
                                            ev.UnitRetreated("b2", "blue", "c", "e")]


def test_defenders_who_break_before_an_assault_fall_back_and_the_others_fight() -> None:
    """b1 is too shaken to face the assault and breaks before it; b2 holds and fights alone."""
    rules = forced("retreat", morale_line=0.9, morale_span=0.1, morale_max_fail=1.0, break_share=1.0,
                   morale_odds=0.1, morale_line_support=0.05, morale_fort=0.0, morale_entrenched=0.0,
                   morale_air=0.0, morale_stock=0.0)
    places = [place("a", supply_for=("red",)), place("b"), place("c", supply_for=("blue",))]
    world = graph_world(places, [("a", "b", 40.0), ("b", "c", 40.0)], red_blue())
    s = make_state(world, {"a": "red", "b": "blue", "c": "blue"},
                   [("r1", "red", "a", 500.0), ("b1", "blue", "b", 500.0), ("b2", "blue", "b", 500.0)], rules=rules)
    s.u_cohesion[:] = [1.0, 0.0, 1.0]
    after, events = attack(s)
    assert of(events, ev.MoraleFailed) == [ev.MoraleFailed("b1", "blue", "b", True, 40.0)]
    (combat,) = of(events, ev.Combat)
    assert events.index(ev.UnitRetreated("b1", "blue", "b", "c", reason="broke")) < events.index(combat)
    assert combat.defenders == ("b2",) and combat.success
    assert where(after) == {"r1": "b", "b1": "c", "b2": "c"}
    assert of(events, ev.PlaceCaptured) == [ev.PlaceCaptured("b", "red", "blue", 1.0)]


def test_an_assault_on_defenders_who_all_break_walks_in() -> None:
    rules = forced("repulsed", morale_line=0.9, morale_span=0.1, morale_max_fail=1.0, break_share=1.0)
    s = duel(rules, cohesion=0.0)
    s.u_cohesion[0] = 1.0
    after, events = attack(s)
    assert not of(events, ev.Combat) and ev.UnitRetreated("b1", "blue", "b", "c", reason="broke") in events
    assert where(after) == {"r1": "b", "b1": "c"}


def test_attacks_by_factions_that_are_not_friends_on_one_place_are_each_fought() -> None:
    """Red and grey (neutral to each other, both hostile to blue) attack b on the same turn: both attacks
    are fought, as docs/rules/3-combat.md says, and which goes first is a seeded roll, not the list order."""
    factions = (Faction("red", "Red", "RED", enemies=("blue",)), Faction("blue", "Blue", "BLU"),
                Faction("grey", "Grey", "GRY", enemies=("blue",)))
    world = graph_world([place("a", supply_for=("red",)), place("b", terrain=Terrain.URBAN),
                         place("c", supply_for=("blue",)), place("d", supply_for=("grey",))],
                        [("a", "b", 40.0), ("b", "c", 40.0), ("d", "b", 40.0)], factions)
    s = make_state(world, {"a": "red", "b": "blue", "c": "blue", "d": "grey"},
                   [("r1", "red", "a", 3000.0), ("b1", "blue", "b", 3000.0), ("g1", "grey", "d", 3000.0)],
                   rules=forced("engaged"))
    firsts = set()
    for seed in range(1, 9):
        after, events = resolve(s, {"red": [Attack("r1", "b")], "grey": [Attack("g1", "b")]}, seed=seed)
        fought = [(c.place, c.attacker, c.defender) for c in of(events, ev.Combat)]
        assert sorted(fought) == [("b", "grey", "blue"), ("b", "red", "blue")]
        firsts.add(fought[0][1])
        assert resolve(s, {"red": [Attack("r1", "b")], "grey": [Attack("g1", "b")]}, seed=seed)[1] == events
    assert firsts == {"red", "grey"}
