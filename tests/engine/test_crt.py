"""The combat results table: columns, column shifts, graded results, and the die."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pytest

from game.engine import Rules, Terrain, UnitType, crt
from game.engine.rng import Stream
from game.engine.state import State
from game.engine.types import Posture, Supply
from tests.boards import CRT_FACES, CRT_ODDS, crt_rules, graph_world, make_state, place, red_blue

RULES = crt_rules()
KEYS = list(CRT_ODDS)
FACES = np.array([CRT_FACES[k] for k in KEYS]) / 10.0
"""The explicit table of `crt_rules`, as chances per column (rows) and result (columns)."""


def duel(ratio: float = 2.0, *, terrain: Terrain = Terrain.OPEN, fort: int = 0, rules: Rules = RULES,
         defenders: int = 1, quality: dict[str, float] | None = None, river: bool = False) -> State:
    """Red r1 at a attacks blue at b; r1's strength is `ratio` times the defenders' (infantry, same cohesion);
    `river`: a river lies between a and b."""
    world = graph_world([place("a", supply_for=("red",)), place("b", terrain=terrain, fort=fort,
                                                               supply_for=("blue",))],
                        [("a", "b", 50.0)], red_blue(), rivers=(("a", "b"),) if river else ())
    units = [("r1", "red", "a", 1000.0 * ratio)] + [(f"b{i + 1}", "blue", "b", 1000.0 / defenders)
                                                     for i in range(defenders)]
    return make_state(world, {"a": "red", "b": "blue"}, units, rules=rules, quality=quality)


def odds_of(s: State, **kw: object) -> crt.Odds:
    """The odds of red's r1 against every blue unit at b."""
    return crt.odds(s, [0], list(range(1, len(s.units))), 1, **kw)  # type: ignore[arg-type]


def test_every_column_of_the_default_table_is_a_distribution_and_success_rises() -> None:
    s = duel(rules=Rules())
    keys, logs, faces = crt.table(s)
    assert logs == sorted(logs) and len(keys) == len(Rules().crt_odds)
    assert faces.shape == (len(keys), len(crt.RESULTS))
    assert np.allclose(faces.sum(axis=1), 1.0) and (faces >= 0).all()
    success = faces[:, [crt.RESULTS.index(x) for x in crt.SUCCESS]].sum(axis=1)
    assert (np.diff(success) >= 0).all() and success[-1] > success[0]
    assert (np.diff(faces[:, crt.RESULTS.index("repulsed")]) <= 0).all()


def test_the_table_reads_the_rules_faces_as_chances() -> None:
    keys, logs, faces = crt.table(duel())
    assert keys == KEYS and logs == pytest.approx([math.log(x) for x in CRT_ODDS.values()])
    assert faces == pytest.approx(FACES)
    success = FACES[:, 3:].sum(axis=1)
    assert success.tolist() == pytest.approx([0.0, 0.1, 0.4, 0.7, 0.9])


def test_faces_are_normalised_and_an_empty_column_reads_repulsed() -> None:
    rules = crt_rules(crt_repulsed={**{k: f[0] for k, f in CRT_FACES.items()}, "r1_2": 0.0},
                      crt_engaged={**{k: f[1] for k, f in CRT_FACES.items()}, "r1_2": 0.0},
                      crt_exchange={**{k: f[2] for k, f in CRT_FACES.items()}, "r1_2": 0.0},
                      crt_retreat={**{k: 2 * f[3] for k, f in CRT_FACES.items()}, "r1_2": 0.0},
                      crt_rout={**{k: 2 * f[4] for k, f in CRT_FACES.items()}, "r1_2": 0.0})
    _, _, faces = crt.table(duel(rules=rules))
    assert faces.sum(axis=1) == pytest.approx([1.0] * 5)
    assert faces[0].tolist() == [1.0, 0.0, 0.0, 0.0, 0.0]
    assert faces[4].tolist() == pytest.approx([0.0, 0.0, 1 / 19, 6 / 19, 12 / 19])


@pytest.mark.parametrize(("k", "key"), list(enumerate(KEYS)))
def test_a_ratio_at_a_columns_odds_lands_on_that_column(k: int, key: str) -> None:
    o = odds_of(duel(CRT_ODDS[key]))
    assert o.ratio == pytest.approx(CRT_ODDS[key])
    assert o.shifts == () and o.base_column == pytest.approx(k, abs=1e-9) and o.column == pytest.approx(k, abs=1e-9)
    assert [o.chances[r] for r in crt.RESULTS] == pytest.approx(FACES[k].tolist())
    assert o.column_label == key[1:].replace("_", ":")
    assert crt.success_chance(duel(), CRT_ODDS[key]) == pytest.approx(o.success)
    assert crt.progress_chances(duel(), CRT_ODDS[key]) == pytest.approx((o.success, o.chances["engaged"]))


def test_a_ratio_between_columns_mixes_its_two_neighbours() -> None:
    s = duel(math.sqrt(2.0))  # halfway between 1:1 and 2:1 in log odds
    o = odds_of(s)
    assert o.column == pytest.approx(1.5)
    assert [o.chances[r] for r in crt.RESULTS] == pytest.approx((0.5 * FACES[1] + 0.5 * FACES[2]).tolist())
    quarter = odds_of(duel(2.0 * 1.5 ** 0.25))  # a quarter of the way from 2:1 to 3:1
    assert quarter.column == pytest.approx(2.25)
    assert quarter.success == pytest.approx(0.75 * 0.4 + 0.25 * 0.7)
    assert crt.success_chance(s, math.sqrt(2.0)) == pytest.approx(o.success)
    assert crt.progress_chances(s, math.sqrt(2.0)) == pytest.approx((o.success, o.chances["engaged"]))


def test_columns_extend_beyond_the_table_and_clamp_at_its_ends() -> None:
    logs = [math.log(x) for x in CRT_ODDS.values()]
    assert crt.base_column(0.25, logs) == pytest.approx(-1.0)  # one 1:2 step below the first column
    assert crt.base_column(10.0, logs) == pytest.approx(4 + math.log(2.0) / math.log(5 / 3))
    low, high = odds_of(duel(0.1)), odds_of(duel(50.0))
    assert low.column == 0.0 and [low.chances[r] for r in crt.RESULTS] == pytest.approx(FACES[0].tolist())
    assert high.column == 4.0 and [high.chances[r] for r in crt.RESULTS] == pytest.approx(FACES[4].tolist())
    assert crt.column_factor(duel()) == pytest.approx(10.0 ** 0.25)  # 1:2 to 5:1 in four steps


def _urban(s: State) -> State:
    return duel(terrain=Terrain.URBAN)


def _state_with(change: Callable[[State], None]) -> Callable[[State], State]:
    def make(s: State) -> State:
        change(s)
        s.invalidate()
        return s
    return make


def _set(array: str, row: int, value: float) -> Callable[[State], State]:
    return _state_with(lambda s: getattr(s, array).__setitem__(row, value))


SHIFTS: list[tuple[str, Callable[[State], State], dict[str, object], str, float]] = [
    # (case, state, odds keywords, shift name, columns: positive favours the attacker)
    ("urban terrain", _urban, {}, "terrain", -2.0),
    ("rough terrain", lambda s: duel(terrain=Terrain.ROUGH), {}, "terrain", -1.0),
    ("desert", lambda s: duel(terrain=Terrain.DESERT), {}, "terrain", 0.5),
    ("fortification 1", lambda s: duel(fort=1), {}, "fortification", -0.5),
    ("fortification 3", lambda s: duel(fort=3), {}, "fortification", -1.5),
    ("entrenched defenders", _set("u_posture", 1, Posture.ENTRENCH), {}, "posture", -1.0),
    ("moving defenders", _set("u_posture", 1, Posture.MOVE), {}, "posture", 1.0),
    ("withdrawing defenders", _set("u_posture", 1, Posture.WITHDRAW), {}, "posture", 1.0),
    ("routed defenders", _set("u_posture", 1, Posture.ROUTED), {}, "posture", 2.0),
    ("attacker cut off", _set("u_supply", 0, Supply.CUT), {}, "supply", -1.5),
    ("attacker limited", _set("u_supply", 0, Supply.LIMITED), {}, "supply", -0.5),
    ("defender cut off", _set("u_supply", 1, Supply.CUT), {}, "supply", 1.5),
    ("attacker full stocks", _set("u_stock", 0, 1.0), {}, "stocks", 1.0),
    ("defender full stocks", _set("u_stock", 1, 1.0), {}, "stocks", -1.0),
    ("attacker out of stock", _set("u_stock", 0, 0.0), {}, "stocks", -1.0),
    ("better attackers", lambda s: duel(quality={"r1": 1.5}), {}, "quality", 1.0),
    ("better defenders", lambda s: duel(quality={"b1": 1.25}), {}, "quality", -0.5),
    ("close air for the attacker", lambda s: s, {"air_attack": 1.0}, "air", 1.5),
    ("close air for the defender", lambda s: s, {"air_defence": 1.0}, "air", -1.5),
    ("half close air for the defender", lambda s: s, {"air_defence": 0.5}, "air", -0.75),
    ("close air both ways", lambda s: s, {"air_attack": 1.0, "air_defence": 0.5}, "air", 0.75),
    ("close air beyond full", lambda s: s, {"air_attack": 1.7}, "air", 1.5),
    ("interdicted attackers", lambda s: s, {"interdicted": {0: 1.0}}, "interdiction", -1.0),
    ("half interdicted", lambda s: s, {"interdicted": {0: 0.5}}, "interdiction", -0.5),
    ("attacking across a river", lambda s: duel(river=True), {}, "river", -1.0),
    ("across a river, shift doubled", lambda s: duel(river=True, rules=crt_rules(river_shift=2.0)), {}, "river", -2.0),
]


@pytest.mark.parametrize(("case", "make", "kw", "name", "columns"), SHIFTS, ids=[c[0] for c in SHIFTS])
def test_each_named_shift_has_its_documented_sign_and_size(
        case: str, make: Callable[[State], State], kw: dict[str, object], name: str, columns: float) -> None:
    s = make(duel(2.0))
    o = odds_of(s, **kw)
    assert o.base_column == pytest.approx(2.0)  # no shift changes the power ratio
    assert [(x.name, x.columns) for x in o.shifts] == [(name, pytest.approx(columns))]
    assert o.column == pytest.approx(2.0 + columns)
    lo = math.floor(o.column)
    mixed = FACES[lo] * (1 - (o.column - lo)) + FACES[min(lo + 1, 4)] * (o.column - lo)
    assert [o.chances[r] for r in crt.RESULTS] == pytest.approx(mixed.tolist())


def test_the_posture_shift_is_weighted_by_strength_and_shifts_add_up() -> None:
    s = duel(2.0, defenders=2, terrain=Terrain.ROUGH)  # b1 and b2 of 500 each
    s.u_strength[1] = 1500.0  # b1 three times b2: the ratio is 1:1 now
    s.u_posture[1] = int(Posture.ENTRENCH)
    s.u_supply[0] = int(Supply.LIMITED)
    s.invalidate()
    o = odds_of(s, air_attack=1.0)
    assert o.ratio == pytest.approx(1.0)
    assert {x.name: x.columns for x in o.shifts} == pytest.approx(
        {"terrain": -1.0, "posture": -0.75, "supply": -0.5, "air": 1.5})
    assert o.column == pytest.approx(1.0 - 1.0 - 0.75 - 0.5 + 1.5)


def test_the_river_shift_counts_only_attackers_crossing_a_river_weighted_by_strength() -> None:
    """a - b across a river, c - b on dry land: red attacks blue at b from both sides. Attackers already inside b
    (street fighting, a meeting) cross nothing; without `river` routes, or with `river_shift` 0, nothing shifts."""
    def attack(rivers: tuple[tuple[str, str], ...], rules: Rules = RULES) -> State:
        world = graph_world([place("a", supply_for=("red",)), place("b", supply_for=("blue",)),
                             place("c", supply_for=("red",))],
                            [("a", "b", 50.0), ("c", "b", 50.0)], red_blue(), rivers=rivers)
        return make_state(world, {"a": "red", "b": "blue", "c": "red"},
                          [("r1", "red", "a", 3000.0), ("r2", "red", "c", 1000.0), ("b1", "blue", "b", 2000.0)],
                          rules=rules)

    s = attack((("a", "b"),))
    assert [(x.name, x.columns) for x in crt.odds(s, [0, 1], [2], 1).shifts] == [("river", pytest.approx(-0.75))]
    assert [(x.name, x.columns) for x in crt.odds(s, [1], [2], 1).shifts] == []  # r2 comes over dry land
    s.u_place[0] = 1  # r1 already fighting inside b
    s.invalidate()
    assert crt.odds(s, [0], [2], 1).shifts == ()
    assert crt.odds(attack(()), [0, 1], [2], 1).shifts == ()
    assert crt.odds(attack((("a", "b"),), crt_rules(river_shift=0.0)), [0, 1], [2], 1).shifts == ()


def test_a_river_shift_is_in_the_combat_preview_and_the_battle() -> None:
    """The preview and the battle read the same odds: the river shift shows before the attack and the battle's
    recorded chance is the previewed one."""
    from game.engine import Attack
    from game.engine import events as ev
    from game.engine.preview import preview_attack
    from tests.boards import of, resolve

    for river in (False, True):
        s = duel(2.0, river=river)
        seen = preview_attack(s, "red", ["r1"], "b")
        assert [(m.name, m.value) for m in seen.modifiers if m.name == "river"] == ([("river", -1.0)] if river else [])
        _, events = resolve(s, {"red": [Attack("r1", "b")]})
        assert [e.chance for e in of(events, ev.Combat)] == [pytest.approx(seen.chance, abs=1e-4)]


def test_shifts_do_not_push_the_column_past_the_tables_ends() -> None:
    s = duel(3.0, terrain=Terrain.DESERT)
    s.u_posture[1] = int(Posture.ROUTED)
    o = odds_of(s, air_attack=1.0)
    assert sum(x.columns for x in o.shifts) == pytest.approx(4.0) and o.column == 4.0
    s = duel(1.0, terrain=Terrain.URBAN, fort=3)
    o = odds_of(s, air_defence=1.0)
    assert o.column == 0.0 and o.chances["repulsed"] == pytest.approx(0.6)


def test_unit_power_is_strength_by_type_by_cohesion() -> None:
    s = make_state(duel().world, {"a": "red", "b": "blue"}, [("r1", "red", "a", 2000.0), ("b1", "blue", "b", 1500.0)],
                   unit_types={"r1": UnitType.ARMOUR, "b1": UnitType.MILITIA},
                   rules=crt_rules(type_attack={"armour": 1.3}, type_defence={"militia": 0.9}), cohesion=0.5)
    assert crt.unit_power(s, 0, defending=False) == pytest.approx(2000 * 1.3 * (0.4 + 0.6 * 0.5))
    assert crt.unit_power(s, 1, defending=True) == pytest.approx(1500 * 0.9 * (0.4 + 0.6 * 0.5))
    s.u_cohesion[1] = 0.0
    assert crt.unit_power(s, 1, defending=True) == pytest.approx(1500 * 0.9 * 0.4)
    assert crt.unit_power(s, 0, defending=True) == pytest.approx(2000 * 1.0 * (0.4 + 0.6 * 0.5))  # no default: 1


@pytest.mark.parametrize("ratio", [1.0, math.sqrt(2.0), 2.0 * 1.5 ** 0.3])
def test_the_die_draws_each_result_with_its_chance(ratio: float) -> None:
    s = duel(ratio)
    o = odds_of(s)
    rng = Stream(11)
    n = 20000
    drawn = [crt.roll(s, o, rng) for _ in range(n)]
    for r in crt.RESULTS:
        p = o.chances[r]
        freq = drawn.count(r) / n
        assert abs(freq - p) <= 4 * math.sqrt(p * (1 - p) / n) + 1e-12, (r, freq, p)
