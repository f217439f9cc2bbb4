"""Combat phase: power, the success curve, Dupuy-style losses, retreat, surrender and routs."""

from __future__ import annotations

import math

import numpy as np
import pytest

from bench.synthetic import random_game
from game.engine import Attack, Faction, Move, Rules, Terrain, UnitType, Withdraw, legal_orders, query
from game.engine import events as ev
from game.engine.combat import (
    Ground,
    _meeting_places,
    _total,
    loss_rates,
    success_chance,
    unit_power,
)
from game.engine.context import TurnContext
from game.engine.control import contested_mask
from game.engine.state import State
from game.engine.types import Posture, Supply
from tests.boards import graph_world, line_state, line_world, make_state, of, place, red_blue, resolve, split_control

RULES = Rules()


def duel(attacker: float, defender: float, n: int = 3, cohesion: float = 0.8, **kw: object):
    """Red `r1` at p0 attacks blue `b1` at p1 on open ground; blue holds p1..p{n-1}."""
    world = line_world(n, **kw)  # type: ignore[arg-type]
    return line_state(world, split_control(world, 0), [("r1", "red", "p0", attacker), ("b1", "blue", "p1", defender)],
                      cohesion=cohesion)


def test_success_chance_follows_the_logistic_curve() -> None:
    assert success_chance(1.2, RULES) == pytest.approx(0.5)
    assert success_chance(3.0, RULES) == pytest.approx(1 / (1 + 2.5 ** -4))
    assert success_chance(3.0, RULES) > 0.97
    assert success_chance(0.5, RULES) < 0.03
    assert success_chance(0.0, RULES) == 0.0
    ratios = [0.25, 0.5, 1.0, 1.2, 2.0, 3.0, 6.0]
    chances = [success_chance(r, RULES) for r in ratios]
    assert chances == sorted(chances)
    k, r0 = RULES.combat_k, RULES.combat_r0
    assert success_chance(2.0, RULES) == pytest.approx(1 / (1 + math.exp(-k * math.log(2.0 / r0))))


def test_loss_rates_are_dupuy_at_parity_and_capped() -> None:
    assert loss_rates(1.0, True, RULES) == pytest.approx((0.028, 0.015 * 2))
    assert loss_rates(1.0, False, RULES) == pytest.approx((0.028 * 2, 0.015))
    att, dfn = loss_rates(4.0, True, RULES)
    assert att == pytest.approx(0.028 / 2) and dfn == pytest.approx(0.015 * 2 * 2)
    assert loss_rates(1e6, True, RULES)[1] == RULES.loss_cap
    assert loss_rates(1e-6, False, RULES)[0] == RULES.loss_cap


def test_unit_power_multiplies_every_factor() -> None:
    world = graph_world([place("a", supply_for=("red",)), place("b", terrain=Terrain.URBAN, fort=2,
                                                               supply_for=("blue",))],
                        [("a", "b", 50.0)], red_blue())
    s = make_state(world, {"a": "red", "b": "blue"}, [("r1", "red", "a", 2000.0), ("b1", "blue", "b", 1500.0)],
                   unit_types={"r1": UnitType.ARMOUR, "b1": UnitType.MILITIA}, quality={"r1": 1.2, "b1": 0.9},
                   cohesion=0.6)
    s.u_posture[1] = int(Posture.ENTRENCH)
    s.u_supply[1] = int(Supply.LIMITED)
    ctx = TurnContext(start=s)
    ctx.air[1, 0] = 0.5
    assert unit_power(s, np.array([0]), ctx, 1, defending=False) == pytest.approx(
        2000 * 1.2 * 1.3 * 1.0 * 0.6 * (1 + 0.3 * 0.5))
    assert unit_power(s, np.array([1]), ctx, 1, defending=True) == pytest.approx(
        1500 * 0.9 * 0.9 * 0.75 * 0.6 * 1.5 * 1.6 * (1 + 0.2 * 2))
    assert unit_power(s, np.array([], dtype=np.intp), ctx, 1, defending=True) == 0.0


def test_three_to_one_on_open_ground_wins_with_the_expected_losses() -> None:
    s = duel(3600.0, 1000.0)  # 3600 × 0.8 against 1000 × 0.8 × 1.2 (defend): exactly 3:1
    after, events = resolve(s, {"red": [Attack("r1", "p1")]}, seed=1)
    (combat,) = of(events, ev.Combat)
    p = success_chance(3.0, RULES)
    assert combat.ratio == pytest.approx(3.0) and combat.chance == pytest.approx(p, abs=1e-4)
    assert combat.success
    att, dfn = loss_rates(3.0, True, RULES)
    assert combat.attacker_losses == pytest.approx(3600 * att, abs=1e-3)
    assert combat.defender_losses == pytest.approx(1000 * dfn, abs=1e-3)
    assert of(events, ev.UnitRetreated) == [ev.UnitRetreated("b1", "blue", "p1", "p2")]
    assert of(events, ev.PlaceCaptured) == [ev.PlaceCaptured("p1", "red", "blue", 1.0)]
    idx = after.unit_index()
    assert after.world.board.places[int(after.u_place[idx["r1"]])].id == "p1"
    assert after.world.board.places[int(after.u_place[idx["b1"]])].id == "p2"
    assert after.u_strength[idx["r1"]] == pytest.approx(3600 * (1 - att))
    assert after.u_strength[idx["b1"]] == pytest.approx(1000 * (1 - dfn))
    assert int(after.controller[1]) == 0


@pytest.mark.parametrize(("ratio", "low", "high"), [(3.0, 0.93, 1.0), (1.2, 0.4, 0.6), (0.5, 0.0, 0.07)])
def test_success_rate_over_many_seeds_matches_the_curve(ratio: float, low: float, high: float) -> None:
    s = duel(1200.0 * ratio, 1000.0)
    wins = 0
    seeds = 300
    for seed in range(seeds):
        _, events = resolve(s, {"red": [Attack("r1", "p1")]}, seed=seed)
        wins += of(events, ev.Combat)[0].success
    rate = wins / seeds
    assert low <= rate <= high
    assert abs(rate - success_chance(ratio, RULES)) < 4 * math.sqrt(0.25 / seeds) + 1e-9


def test_a_failed_attack_leaves_the_attacker_home_with_doubled_losses() -> None:
    s = duel(600.0, 1000.0)
    for seed in range(50):
        after, events = resolve(s, {"red": [Attack("r1", "p1")]}, seed=seed)
        (combat,) = of(events, ev.Combat)
        if not combat.success:
            break
    else:
        pytest.fail("a 1:2 attack never failed")
    att, dfn = loss_rates(0.5, False, RULES)
    assert combat.attacker_losses == pytest.approx(600 * att, abs=1e-3)
    assert combat.defender_losses == pytest.approx(1000 * dfn, abs=1e-3)
    assert int(after.u_place[0]) == 0 and int(after.u_place[1]) == 1
    assert int(after.controller[1]) == 1 and not of(events, ev.PlaceCaptured)


def test_a_surrounded_defender_surrenders() -> None:
    world = line_world(3)
    control = {"p0": "red", "p1": "blue", "p2": "red"}
    s = line_state(world, control, [("r1", "red", "p0", 20000.0), ("b1", "blue", "p1", 500.0)])
    after, events = resolve(s, {"red": [Attack("r1", "p1")]}, seed=2)
    assert of(events, ev.Combat)[0].success
    (gone,) = of(events, ev.UnitSurrendered)
    assert gone.unit == "b1" and gone.place == "p1" and gone.strength > 0
    assert [u.id for u in after.units] == ["r1"]
    assert int(after.controller[1]) == 0


def test_the_beaten_defender_falls_back_towards_friendly_strength() -> None:
    factions = red_blue()
    places = [place("r", supply_for=("red",)), place("c"), place("e"), place("f", supply_for=("blue",))]
    world = graph_world(places, [("r", "c", 40.0), ("c", "e", 40.0), ("c", "f", 40.0)], factions)
    units = [("r1", "red", "r", 30000.0), ("b1", "blue", "c", 500.0), ("b2", "blue", "f", 800.0)]
    s = make_state(world, {"r": "red", "c": "blue", "e": "blue", "f": "blue"}, units)
    after, events = resolve(s, {"red": [Attack("r1", "c")]}, seed=3)
    assert of(events, ev.UnitRetreated) == [ev.UnitRetreated("b1", "blue", "c", "f")]


def test_a_shaken_loser_routs_and_routed_units_cannot_attack() -> None:
    s = duel(3600.0, 1000.0, n=4, cohesion=0.3)
    s.u_cohesion[0] = 0.8  # only the defender is shaky: its power falls, the ratio rises
    after, events = resolve(s, {"red": [Attack("r1", "p1")]}, seed=1)
    assert of(events, ev.Combat)[0].success
    assert of(events, ev.UnitRouted) == [ev.UnitRouted("b1", "blue", "p1")]
    b1 = after.unit_index()["b1"]
    assert int(after.u_posture[b1]) == int(Posture.ROUTED)
    assert {type(o).__name__ for o in legal_orders(after, "blue")} == {"Hold", "Withdraw"}


def test_hostile_units_meeting_at_a_place_fight_it_out() -> None:
    world = line_world(5)
    s = line_state(world, split_control(world, 1),
                   [("r1", "red", "p1", 4000.0), ("b1", "blue", "p3", 4000.0)])
    after, events = resolve(s, {"red": [Move("r1", "p2")], "blue": [Move("b1", "p2")]}, seed=5)
    (combat,) = of(events, ev.Combat)
    assert combat.place == "p2" and combat.defender == "blue" and combat.attacker == "red"
    here = {u.id: int(after.u_place[i]) for i, u in enumerate(after.units)}
    if combat.success:
        assert here == {"r1": 2, "b1": 3} and int(after.controller[2]) == 0
    else:
        assert here == {"r1": 1, "b1": 2} and int(after.controller[2]) == 1
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
    assert of(events, ev.OrderRejected)[0].reason.startswith("no enemy units there")
    assert not of(events, ev.Combat)


def test_an_attack_on_an_emptied_place_walks_in() -> None:
    world = line_world(4)
    s = line_state(world, split_control(world, 0), [("r1", "red", "p0", 3000.0), ("b1", "blue", "p1", 3000.0)])
    after, events = resolve(s, {"red": [Attack("r1", "p1")], "blue": [Withdraw("b1", "p2")]})
    assert not of(events, ev.Combat)
    assert ev.UnitMoved("r1", "red", ("p0", "p1")) in events
    assert ev.UnitMoved("b1", "blue", ("p1", "p2")) in events
    assert of(events, ev.PlaceCaptured) == [ev.PlaceCaptured("p1", "red", "blue", 1.0)]


def test_terrain_and_fortification_raise_the_defence() -> None:
    open_s = duel(3600.0, 1000.0)
    urban_s = duel(3600.0, 1000.0, terrain=Terrain.URBAN)
    _, e_open = resolve(open_s, {"red": [Attack("r1", "p1")]})
    _, e_urban = resolve(urban_s, {"red": [Attack("r1", "p1")]})
    assert of(e_urban, ev.Combat)[0].ratio == pytest.approx(of(e_open, ev.Combat)[0].ratio / 1.6, abs=1e-3)
    world = graph_world([place("a", supply_for=("red",)), place("b", fort=3, supply_for=("blue",))],
                        [("a", "b", 50.0)], red_blue())
    fort_s = make_state(world, {"a": "red", "b": "blue"}, [("r1", "red", "a", 3600.0), ("b1", "blue", "b", 1000.0)])
    _, e_fort = resolve(fort_s, {"red": [Attack("r1", "b")]})
    assert of(e_fort, ev.Combat)[0].ratio == pytest.approx(3.0 / 1.6, abs=1e-3)


def test_totals_are_summed_exactly_as_numpy_sums() -> None:
    rng = np.random.default_rng(5)
    for n in range(20):
        for _ in range(200):
            values = (rng.random(n) * 10.0 ** rng.integers(-3, 5, n)).tolist()
            assert _total(values).hex() == float(np.sum(values)).hex()


def test_unit_power_of_a_big_stack_equals_the_array_formula_bit_for_bit() -> None:
    """Twelve units of mixed type, quality, supply, posture and cohesion, summed as whole arrays."""
    world = graph_world([place("a", supply_for=("red",)), place("b", terrain=Terrain.ROUGH, fort=1,
                                                               supply_for=("blue",))],
                        [("a", "b", 50.0)], red_blue())
    rng = np.random.default_rng(3)
    kinds = list(UnitType)
    units = [(f"u{i}", "red" if i % 3 else "blue", "b", float(rng.uniform(100, 5000))) for i in range(12)]
    s = make_state(world, {"a": "red", "b": "blue"}, units,
                   unit_types={uid: kinds[i % len(kinds)] for i, (uid, *_) in enumerate(units)},
                   quality={uid: float(rng.uniform(0.5, 1.5)) for uid, *_ in units})
    s.u_cohesion[:] = rng.uniform(0.0, 1.0, 12)
    s.u_supply[:] = rng.integers(0, len(Supply), 12)
    s.u_posture[:] = rng.integers(0, len(Posture), 12)
    ctx = TurnContext(start=s)
    ctx.air[1] = [0.7, 0.2]
    r, idx = s.rules, np.arange(12)
    kind = [u.type.value for u in s.units]
    supply = np.array([r.supply_factor[x.label] for x in Supply])[s.u_supply]
    power = (s.u_strength * np.array([u.quality for u in s.units]) * np.array([r.type_attack[k] for k in kind])
             * supply * np.maximum(s.u_cohesion, 0.1) * (1.0 + r.air_factor * ctx.air[1, s.u_faction]))
    assert unit_power(s, idx, ctx, 1, defending=False) == float(power.sum())
    assert unit_power(s, idx.tolist()[:5], ctx, 1, defending=False) == float(power[:5].sum())
    power = (s.u_strength * np.array([u.quality for u in s.units]) * np.array([r.type_defence[k] for k in kind])
             * supply * np.maximum(s.u_cohesion, 0.1) * (1.0 + r.air_factor * ctx.air[1, s.u_faction]))
    posture = np.array([r.posture_defence[x.label] for x in Posture])[s.u_posture]
    power = power * posture * r.terrain_defence["rough"] * (1.0 + r.fort_bonus * 1)
    assert unit_power(s, idx.tolist(), ctx, 1, defending=True) == float(power.sum())


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


def test_defenders_falling_back_together_take_the_room_those_before_them_took() -> None:
    """Each beaten unit sees where the ones before it went: the second finds the stronger place
    full (two units a town) and falls back to the other."""
    places = [place("r", supply_for=("red",)), place("c"), place("e"), place("f", supply_for=("blue",))]
    world = graph_world(places, [("r", "c", 40.0), ("c", "e", 40.0), ("c", "f", 40.0)], red_blue())
    units = [("r1", "red", "r", 60000.0), ("b1", "blue", "c", 500.0), ("b2", "blue", "c", 500.0),
             ("b3", "blue", "f", 800.0)]
    rules = Rules(stacking={"town": 2})
    s = make_state(world, {"r": "red", "c": "blue", "e": "blue", "f": "blue"}, units, rules=rules)
    after, events = resolve(s, {"red": [Attack("r1", "c")]}, seed=3)
    assert of(events, ev.Combat)[0].success
    assert of(events, ev.UnitRetreated) == [ev.UnitRetreated("b1", "blue", "c", "f"),
                                            ev.UnitRetreated("b2", "blue", "c", "e")]
