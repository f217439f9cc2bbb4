"""Cohesion phase: faction will moved by causes only, morale checks of units under pressure (hold, waver,
break), contagion, floors, a faction breaking once, and rallying."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from game.engine import Faction, Move, Rules
from game.engine import events as ev
from game.engine.cohesion import faction_change, fail_chance, morale_checks, morale_modifiers
from game.engine.context import TurnContext
from game.engine.rng import Stream
from game.engine.state import State
from game.engine.types import Posture, Supply
from tests.boards import crt_rules, graph_world, line_state, line_world, make_state, of, place, red_blue, resolve

MORALE = crt_rules(
    morale_line=0.45, morale_span=0.35, morale_max_fail=0.75, break_share=0.5, waver_loss=0.03, waver_cohesion=0.05,
    desertion_rate=0.08, break_cohesion=0.1, contagion=0.03,
    morale_supply={"supplied": 0.0, "limited": -0.05, "cut": -0.15}, morale_air=0.1, morale_stock=0.1,
    morale_isolated=-0.1,
    morale_entrenched=0.05, morale_fort=0.03, morale_odds=0.1, morale_line_support=0.05, morale_broken=-0.1,
    cohesion_per_value_lost=0.012, cohesion_per_value_gained=0.006, rout_penalty=0.3, cut_penalty=0.005,
    combat_win_bonus=0.005, capital_penalty=0.1, help_cohesion=0.03, collapse_spread=0.05, rally_cohesion=0.35)
"""Explicit morale rules; unit cohesion does not follow the faction's, no random shocks (see `crt_rules`)."""


def test_a_quiet_turn_changes_no_faction_cohesion_under_the_default_rules() -> None:
    world = line_world(5)
    s = line_state(world, {"p0": "red", "p1": "red", "p2": "red", "p3": "blue", "p4": "blue"},
                   [("r1", "red", "p0", 1000.0), ("b1", "blue", "p4", 1000.0)], rules=Rules(), cohesion=0.5)
    for seed in range(3):
        s, events = resolve(s, {}, seed=seed)
        assert s.f_cohesion.tolist() == [0.5, 0.5]
        assert not of(events, ev.CohesionChanged) and not of(events, ev.MoraleFailed)


def test_faction_change_adds_up_the_causes_of_the_turn() -> None:
    world = graph_world([place("a"), place("b")], [("a", "b", 30.0)],
                        (Faction("red", "Red", "RED"), Faction("blue", "Blue", "BLU", drift=-0.02)))
    s = make_state(world, {"a": "red", "b": "blue"}, [], rules=MORALE)
    ctx = TurnContext(start=s)
    ctx.value_lost[:] = [2.0, 0.0]
    ctx.value_gained[:] = [0.0, 2.0]
    ctx.routs[:] = [0.25, 0.0]  # a quarter of red's strength routed or broke
    ctx.newly_cut[:] = [0.0, 3.0]
    ctx.wins[:] = [0.0, 2.0]
    ctx.isolated[:] = [0.5, 0.0]
    ctx.help[:] = [0.5, 0.0]
    assert faction_change(s, ctx).tolist() == pytest.approx([
        -2.0 * 0.012 - 0.25 * 0.3 - 0.5 * 0.1 + 0.5 * 0.03,
        2.0 * 0.006 - 3.0 * 0.005 + 2.0 * 0.005 - 0.02])  # blue's own drift, set by its scenario


def test_a_scenario_drift_still_moves_a_faction_and_units_follow_it() -> None:
    world = line_world(3)
    rules = MORALE.replace(cohesion_drift=-0.1, unit_follow=0.4)
    s = line_state(world, {"p0": "red", "p1": "red", "p2": "blue"},
                   [("r1", "red", "p0", 100.0), ("b1", "blue", "p2", 100.0)], rules=rules)
    s.u_cohesion[:] = [0.5, 1.0]
    after, events = resolve(s, {})
    assert after.f_cohesion.tolist() == pytest.approx([0.7, 0.7])
    assert after.u_cohesion.tolist() == pytest.approx([0.5 + (0.7 - 0.5) * 0.4, 1.0 + (0.7 - 1.0) * 0.4])
    assert of(events, ev.CohesionChanged) == [ev.CohesionChanged("red", 0.8, 0.7), ev.CohesionChanged("blue", 0.8, 0.7)]


def test_random_shocks_spread_unit_cohesion() -> None:
    world = line_world(3)
    units = [(f"r{i}", "red", "p0", 100.0) for i in range(6)]
    s = line_state(world, {"p0": "red", "p1": "red", "p2": "blue"}, units, rules=MORALE.replace(shock_sd=0.05))
    after, _ = resolve(s, {})
    assert np.std(after.u_cohesion) > 0.005
    assert ((after.u_cohesion >= 0) & (after.u_cohesion <= 1)).all()


@pytest.mark.parametrize(("effective", "chance"), [
    (1.0, 0.0), (0.46, 0.0), (0.45, 0.0), (0.45 - 0.35 / 4, 0.25), (0.45 - 0.35 / 2, 0.5),
    (0.45 - 0.35 * 0.75, 0.75), (0.45 - 0.35, 0.75), (0.0, 0.75), (-0.5, 0.75)])
def test_the_chance_of_failing_a_morale_check(effective: float, chance: float) -> None:
    s = line_state(line_world(2), {"p0": "red", "p1": "blue"}, [], rules=MORALE)
    assert fail_chance(s, np.array([effective])).tolist() == pytest.approx([chance])


def front(fort: int = 0, more: list[tuple[str, str, str, float]] = (), rules: Rules = MORALE,  # type: ignore[assignment]
          **red: object) -> State:
    """a - b - c - d: red r1 at b faces blue b1 (as strong) at c; red holds a and b, blue c and d."""
    places = [place("a", supply_for=("red",)), place("b", fort=fort), place("c"), place("d", supply_for=("blue",))]
    world = graph_world(places, [("a", "b", 30.0), ("b", "c", 30.0), ("c", "d", 30.0)], red_blue(**red))
    units = [("r1", "red", "b", 1000.0), ("b1", "blue", "c", 1000.0), *more]
    return make_state(world, {"a": "red", "b": "red", "c": "blue", "d": "blue"}, units, rules=rules)


def _with(change: Callable[[State, TurnContext], None], **kw: object) -> Callable[[], tuple[State, TurnContext]]:
    def make() -> tuple[State, TurnContext]:
        s = front(**kw)  # type: ignore[arg-type]
        ctx = TurnContext(start=s)
        change(s, ctx)
        s.invalidate()
        return s, ctx
    return make


def _nothing(s: State, ctx: TurnContext) -> None:
    pass


def _isolated(s: State, ctx: TurnContext) -> None:
    ctx.cut_off = np.array([True, False])


MODIFIERS: list[tuple[str, Callable[[], tuple[State, TurnContext]], float]] = [
    ("even odds, nothing else", _with(_nothing), 0.0),
    ("limited supply", _with(lambda s, c: s.u_supply.__setitem__(0, Supply.LIMITED)), -0.05),
    ("cut off from supply", _with(lambda s, c: s.u_supply.__setitem__(0, Supply.CUT)), -0.15),
    ("full stocks", _with(lambda s, c: s.u_stock.__setitem__(0, 1.0)), 0.1),
    ("no stocks", _with(lambda s, c: s.u_stock.__setitem__(0, 0.0)), -0.1),
    ("no route to the capital", _with(_isolated), -0.1),
    ("entrenched", _with(lambda s, c: s.u_posture.__setitem__(0, Posture.ENTRENCH)), 0.05),
    ("fortification 2", _with(_nothing, fort=2), 0.06),
    ("twice the enemy power next door", _with(lambda s, c: s.u_strength.__setitem__(1, 2000.0)), -0.1),
    ("four times", _with(lambda s, c: s.u_strength.__setitem__(1, 4000.0)), -0.2),
    ("eight times (capped at two doublings)", _with(lambda s, c: s.u_strength.__setitem__(1, 8000.0)), -0.2),
    ("half the enemy power", _with(lambda s, c: s.u_strength.__setitem__(1, 500.0)), 0.1),
    ("a quarter (capped at one doubling)", _with(lambda s, c: s.u_strength.__setitem__(1, 250.0)), 0.1),
    ("a friendly neighbour", _with(_nothing, more=[("r2", "red", "a", 10.0)]), 0.05),
    ("its faction broken", _with(lambda s, c: s.f_collapsed.__setitem__(0, True)), -0.1),
    ("close air support overhead", _with(lambda s, c: c.air.__setitem__((1, 0), 1.0)), 0.1),
    ("half close air support", _with(lambda s, c: c.air.__setitem__((1, 0), 0.5)), 0.05),
    ("close air for the other side", _with(lambda s, c: c.air.__setitem__((1, 1), 1.0)), 0.0),
]


@pytest.mark.parametrize(("case", "make", "expected"), MODIFIERS, ids=[m[0] for m in MODIFIERS])
def test_each_morale_modifier_moves_the_check_the_documented_way(
        case: str, make: Callable[[], tuple[State, TurnContext]], expected: float) -> None:
    s, ctx = make()
    mod, contact, pressure = morale_modifiers(s, ctx)
    assert mod[0] == pytest.approx(expected) and contact[0] and pressure[0]


def test_units_not_under_pressure_never_check() -> None:
    rules = MORALE.replace(morale_max_fail=1.0, morale_line=2.0)  # any check would fail
    s = front(more=[("r2", "red", "a", 1000.0)], rules=rules)
    s.u_place[1] = 3  # b1 back at d: nobody is next to anybody hostile
    s.invalidate()
    _, contact, pressure = morale_modifiers(s, TurnContext(start=s))
    assert not contact.any() and not pressure.any()
    for seed in range(20):
        _, events = resolve(s, {}, seed=seed)
        assert not of(events, ev.MoraleFailed)
    s.f_collapsed[0] = True  # a broken faction's units are all under pressure
    _, contact, pressure = morale_modifiers(s, TurnContext(start=s))
    assert not contact.any() and pressure.tolist() == [True, False, True]


def theatre_front(blue_theatre: tuple[str, ...], green_theatre: tuple[str, ...] = (), rules: Rules = MORALE) -> State:
    """a - b - c - d: red r1 at b; at c, blue b1 (four times r1) and, when `green_theatre` is given, green g1
    (as strong as r1), both hostile to red; each may enter only its theatre (empty: anywhere)."""
    factions = [Faction("red", "Red", "RED", enemies=("blue", "green"), sources=("a",)),
                Faction("blue", "Blue", "BLU", enemies=("red",), sources=("d",), theatre=blue_theatre)]
    units = [("r1", "red", "b", 1000.0), ("b1", "blue", "c", 4000.0)]
    if green_theatre:
        factions.append(Faction("green", "Green", "GRN", enemies=("red",), sources=("d",), theatre=green_theatre))
        units.append(("g1", "green", "c", 1000.0))
    places = [place("a"), place("b"), place("c"), place("d")]
    world = graph_world(places, [("a", "b", 30.0), ("b", "c", 30.0), ("c", "d", 30.0)], tuple(factions))
    return make_state(world, {"a": "red", "b": "red", "c": "blue", "d": "blue"}, units, rules=rules)


def test_only_enemies_that_may_come_in_threaten_a_unit() -> None:
    """Hostile units next door put a unit in contact, and count in the odds it faces, only when they may attack
    into its place (within their theatre): the Islamic State group's cells in the desert are not shaken by SDF
    garrisons that never leave the Euphrates towns."""
    kept_out = theatre_front(blue_theatre=("c", "d"))
    mod, contact, pressure = morale_modifiers(kept_out, TurnContext(start=kept_out))
    assert not contact[0] and not pressure[0] and mod[0] == pytest.approx(0.0)
    always = MORALE.replace(morale_max_fail=1.0, morale_line=2.0)  # any check taken would fail
    for seed in range(10):
        _, events = resolve(theatre_front(blue_theatre=("c", "d"), rules=always), {}, seed=seed)
        assert not [e for e in of(events, ev.MoraleFailed) if e.unit == "r1"]

    may_come = theatre_front(blue_theatre=("b", "c", "d"))
    mod, contact, pressure = morale_modifiers(may_come, TurnContext(start=may_come))
    assert contact[0] and pressure[0] and mod[0] == pytest.approx(-0.2)  # four times its power: two doublings
    _, events = resolve(theatre_front(blue_theatre=("b", "c", "d"), rules=always), {})
    assert [e.unit for e in of(events, ev.MoraleFailed) if e.unit == "r1"] == ["r1"]

    mixed = theatre_front(blue_theatre=("c", "d"), green_theatre=("b", "c", "d"))
    mod, contact, _ = morale_modifiers(mixed, TurnContext(start=mixed))
    assert contact[0] and mod[0] == pytest.approx(0.0)  # even odds against green alone; blue's power is not counted


def crowd(n: int = 2000) -> State:
    """`front` with red's r1 split into `n` equal units at b (as strong together as b1), all at one cohesion."""
    s = front(rules=MORALE.replace(break_share=0.0), more=[(f"x{i}", "red", "b", 1000.0 / n) for i in range(n - 1)])
    s.u_strength[0] = 1000.0 / n
    s.u_cohesion[:] = 0.45 - 0.35 * 0.4 - 0.05  # 0.4 below the line once entrenchment (+0.05) is counted
    s.u_posture[:] = int(Posture.ENTRENCH)
    return s


def failed_share(s: State) -> float:
    """The share of red's units that fail one round of morale checks."""
    t = s.copy()
    ctx = TurnContext(start=s)
    morale_checks(t, ctx, Stream(5))
    red = s.u_faction == 0
    return float((t.u_strength[red] < s.u_strength[red]).mean())


def test_the_check_fails_with_its_chance_and_pressure_without_contact_weighs_half() -> None:
    s = crowd()
    assert failed_share(s) == pytest.approx(0.4, abs=0.04)  # four standard errors
    s.u_place[1] = 3  # b1 back at d: nobody next door, but red is cut off from supply
    s.u_supply[s.u_faction == 0] = int(Supply.CUT)
    s.u_cohesion[s.u_faction == 0] += 0.15  # offsets the supply modifier: 0.4 below the line again
    s.invalidate()
    _, contact, pressure = morale_modifiers(s, TurnContext(start=s))
    assert not contact.any() and pressure[s.u_faction == 0].all()
    assert failed_share(s) == pytest.approx(0.2, abs=0.036)


def test_a_unit_that_fails_without_breaking_wavers() -> None:
    s = front(rules=MORALE.replace(morale_max_fail=1.0, break_share=0.0), more=[("r2", "red", "a", 1000.0)])
    s.u_cohesion[0] = 0.05
    after, events = resolve(s, {})
    assert of(events, ev.MoraleFailed) == [ev.MoraleFailed("r1", "red", "b", False, 30.0)]
    assert after.u_strength[0] == pytest.approx(970.0) and after.u_cohesion[0] == pytest.approx(0.0)
    assert Posture(int(after.u_posture[0])) == Posture.ROUTED  # shaken: no attacks or advances until it rallies
    assert int(after.u_place[0]) == 1 and not of(events, ev.UnitRetreated)
    assert after.u_cohesion[2] == pytest.approx(0.8)  # no contagion from a wavering unit
    assert after.f_cohesion[0] == pytest.approx(0.8)  # nor a rout


def test_a_unit_that_breaks_deserts_routs_falls_back_and_shakes_its_neighbours() -> None:
    rules = MORALE.replace(morale_max_fail=1.0, break_share=1.0, morale_line=0.9, morale_span=0.1)
    s = front(rules=rules, more=[("r2", "red", "a", 1000.0), ("r3", "red", "b", 1000.0)])
    s.u_cohesion[:] = [0.3, 1.0, 0.95, 0.95]  # only r1 is shaky enough to fail
    after, events = resolve(s, {})
    assert of(events, ev.MoraleFailed) == [ev.MoraleFailed("r1", "red", "b", True, 80.0)]
    assert ev.UnitRetreated("r1", "red", "b", "a", reason="broke") in events
    idx = after.unit_index()
    assert int(after.u_place[idx["r1"]]) == 0 and Posture(int(after.u_posture[idx["r1"]])) == Posture.ROUTED
    assert after.u_strength[idx["r1"]] == pytest.approx(920.0)
    assert after.u_cohesion[idx["r1"]] == pytest.approx(0.3 - 0.1)  # break_cohesion, no contagion from itself
    assert after.u_cohesion[idx["r2"]] == pytest.approx(0.95 - 0.03)  # next door
    assert after.u_cohesion[idx["r3"]] == pytest.approx(0.95 - 0.03)  # at the same place
    assert after.u_cohesion[idx["b1"]] == pytest.approx(1.0)  # not its faction
    assert after.f_cohesion[0] == pytest.approx(0.8 - 0.3 / 3)  # a third of red's strength broke


def test_a_cut_off_unit_that_breaks_away_from_the_enemy_stays_put() -> None:
    rules = MORALE.replace(morale_max_fail=1.0, break_share=1.0)
    s = front(rules=rules)
    s.u_place[1] = 3
    s.u_supply[0] = int(Supply.CUT)
    s.u_cohesion[0] = 0.05
    s.invalidate()
    t = s.copy()
    ctx = TurnContext(start=s)
    for seed in range(50):  # half the chance without contact: fails on some seed
        morale_checks(t, ctx, Stream(seed))
        if of(ctx.events, ev.MoraleFailed):
            break
    assert of(ctx.events, ev.MoraleFailed)[0].broke and not of(ctx.events, ev.UnitRetreated)
    assert int(t.u_place[0]) == 1 and int(t.u_posture[0]) == int(Posture.ROUTED)


def test_floors_hold_through_failures_contagion_and_the_turn() -> None:
    rules = MORALE.replace(morale_max_fail=1.0, break_share=1.0, unit_follow=0.4, morale_line=0.9, morale_span=0.1)
    s = make_state(front().world, {"a": "red", "b": "red", "c": "blue", "d": "blue"},
                   [("r1", "red", "b", 1000.0), ("b1", "blue", "c", 1000.0), ("r2", "red", "a", 1000.0),
                    ("r3", "red", "b", 1000.0)], rules=rules, floor={"r1": 0.3, "r2": 0.79})
    s.u_cohesion[:] = [0.3, 0.8, 0.8, 0.05]
    s.f_cohesion[0] = 0.0
    after, events = resolve(s, {})
    failed = {e.unit for e in of(events, ev.MoraleFailed)}
    assert {"r1", "r3"} <= failed
    idx = after.unit_index()
    assert after.u_cohesion[idx["r1"]] == pytest.approx(0.3) and after.u_cohesion[idx["r2"]] == pytest.approx(0.79)
    assert after.u_cohesion[idx["r3"]] < 0.05


def allied_world(breakpoint: float = 0.3):  # type: ignore[no-untyped-def]
    factions = (Faction("red", "Red", "RED", allies=("green",), breakpoint=breakpoint, sources=("a",)),
                Faction("green", "Green", "GRN", sources=("a",)), Faction("blue", "Blue", "BLU", sources=("d",)))
    places = [place("a"), place("b"), place("c"), place("d")]
    return graph_world(places, [("a", "b", 30.0), ("b", "c", 30.0), ("c", "d", 30.0)], factions)


def test_a_faction_breaks_once_and_its_allies_lose_heart() -> None:
    s = make_state(allied_world(), {"a": "red", "b": "red", "c": "blue", "d": "blue"},
                   [("r1", "red", "a", 1000.0)], rules=MORALE)
    s.f_cohesion[:] = [0.25, 0.8, 0.8]
    after, events = resolve(s, {})
    assert of(events, ev.FactionBroken) == [ev.FactionBroken("red", 0.25)]
    assert after.f_collapsed.tolist() == [True, False, False]
    assert after.f_cohesion.tolist() == pytest.approx([0.25, 0.8 - 0.05, 0.8])
    again, events = resolve(after, {})
    assert not of(events, ev.FactionBroken) and again.f_collapsed.tolist() == [True, False, False]
    again.f_cohesion[0] = 0.5
    mended, events = resolve(again, {})
    assert not mended.f_collapsed.any() and not of(events, ev.FactionBroken)


def test_losing_the_route_to_the_capital_costs_heart_once() -> None:
    places = [place("a", supply_for=("red",)), place("b"), place("c"), place("d", supply_for=("red",))]
    world = graph_world(places, [("a", "b", 30.0), ("b", "c", 30.0), ("c", "d", 30.0)], red_blue(capital="a"))
    s = make_state(world, {"a": "red", "b": "red", "c": "red", "d": "red"},
                   [("r1", "red", "a", 3000.0), ("r2", "red", "d", 1000.0)], rules=MORALE)
    s.controller[2] = 1  # blue holds c: r2 at d is cut from the capital (still in supply from d)
    s.invalidate()
    after, events = resolve(s, {})
    assert of(events, ev.CapitalCut) == [ev.CapitalCut("red", 0.25)]
    assert after.f_cohesion[0] == pytest.approx(0.8 - 0.1 * 0.25)
    assert after.f_isolated.tolist() == pytest.approx([0.25, 0.0])
    again, events = resolve(after, {})
    assert not of(events, ev.CapitalCut) and again.f_cohesion[0] == pytest.approx(after.f_cohesion[0])


def test_routed_units_rally_when_their_cohesion_recovers() -> None:
    world = line_world(3)
    s = line_state(world, {"p0": "red", "p1": "red", "p2": "blue"},
                   [("r1", "red", "p0", 100.0), ("r2", "red", "p0", 100.0)], rules=MORALE)
    s.u_posture[:] = int(Posture.ROUTED)
    s.u_cohesion[:] = [0.2, 0.5]
    after, events = resolve(s, {})
    assert of(events, ev.UnitRallied) == [ev.UnitRallied("r2", "red", "p0")]
    assert [Posture(int(p)) for p in after.u_posture] == [Posture.ROUTED, Posture.DEFEND]


def test_taking_and_losing_places_move_both_factions() -> None:
    s = front(rules=MORALE)
    s.u_place[1] = 3
    s.invalidate()
    after, events = resolve(s, {"red": [Move("r1", "c")]})
    assert of(events, ev.PlaceCaptured) == [ev.PlaceCaptured("c", "red", "blue", 1.0)]
    assert after.f_cohesion.tolist() == pytest.approx([0.8 + 0.006, 0.8 - 0.012])


@pytest.mark.parametrize("dissolve", [True, False])
def test_a_routed_unit_that_breaks_again_melts_away(dissolve: bool) -> None:
    rules = MORALE.replace(morale_max_fail=1.0, break_share=1.0, morale_span=0.1, dissolve_when_broken_twice=dissolve)
    s = front(rules=rules)
    s.u_posture[0] = int(Posture.ROUTED)
    s.u_cohesion[0] = 0.0
    after, events = resolve(s, {})
    if dissolve:
        assert of(events, ev.MoraleFailed) == [ev.MoraleFailed("r1", "red", "b", True, 1000.0)]
        assert of(events, ev.UnitDeserted) == [ev.UnitDeserted("r1", "red", "b", 1000.0)]
        assert [u.id for u in after.units] == ["b1"]
    else:
        assert of(events, ev.MoraleFailed) == [ev.MoraleFailed("r1", "red", "b", True, 80.0)]
        assert ev.UnitRetreated("r1", "red", "b", "a", reason="broke") in events and not of(events, ev.UnitDeserted)
    assert after.f_cohesion[0] == pytest.approx(0.8 - 0.3)  # all of red's strength broke


@pytest.mark.parametrize(("cohesion", "expected"), [
    (0.41, 0.0),   # at or above the breakpoint plus half the span: never
    (0.40, 0.0),
    (0.30, 0.5),   # at the breakpoint: even odds
    (0.25, 0.75),
    (0.20, 1.0),   # at or below the breakpoint less half the span: always
    (0.10, 1.0),
])
def test_a_faction_breaks_on_a_roll_against_its_cohesion_under_break_span(cohesion: float, expected: float) -> None:
    """The break is a morale check of the whole command: the chance rises linearly across the span."""
    rules = MORALE.replace(break_span=0.2, collapse_spread=0.0)
    broke = 0
    runs = 400
    for seed in range(runs):
        s = make_state(allied_world(), {"a": "red", "b": "red", "c": "blue", "d": "blue"},
                       [("r1", "red", "a", 1000.0)], rules=rules)
        s.f_cohesion[:] = [cohesion, 0.8, 0.8]
        after, events = resolve(s, {}, seed=seed)
        broke += bool(after.f_collapsed[0])
        assert bool(of(events, ev.FactionBroken)) == bool(after.f_collapsed[0])
    assert broke / runs == pytest.approx(expected, abs=0.07)


def test_a_broken_faction_stays_broken_below_its_breakpoint_and_mends_above_it_under_break_span() -> None:
    rules = MORALE.replace(break_span=0.2)
    s = make_state(allied_world(), {"a": "red", "b": "red", "c": "blue", "d": "blue"},
                   [("r1", "red", "a", 1000.0)], rules=rules)
    s.f_cohesion[:] = [0.1, 0.8, 0.8]
    broken, _ = resolve(s, {})
    assert broken.f_collapsed[0]
    broken.f_cohesion[0] = 0.29  # no roll to come back: still below the breakpoint
    for seed in range(20):
        still, events = resolve(broken, {}, seed=seed)
        assert still.f_collapsed[0] and not of(events, ev.FactionBroken)
    broken.f_cohesion[0] = 0.31
    mended, _ = resolve(broken, {})
    assert not mended.f_collapsed[0]


def test_without_break_span_a_faction_breaks_exactly_at_its_breakpoint() -> None:
    for cohesion, expected in ((0.3, False), (0.2999, True)):
        s = make_state(allied_world(), {"a": "red", "b": "red", "c": "blue", "d": "blue"},
                       [("r1", "red", "a", 1000.0)], rules=MORALE.replace(collapse_spread=0.0))
        s.f_cohesion[:] = [cohesion, 0.8, 0.8]
        for seed in range(10):
            after, _ = resolve(s, {}, seed=seed)
            assert bool(after.f_collapsed[0]) is expected


def test_help_restores_lost_cohesion_but_never_lifts_a_faction_above_its_start() -> None:
    """Under `help_restores`, a patron's help makes good what a faction lost since the scenario began:
    its starting cohesion already reflects the help it had been getting."""
    world = graph_world([place("a"), place("b")], [("a", "b", 30.0)],
                        (Faction("red", "Red", "RED", cohesion=0.5), Faction("blue", "Blue", "BLU")))
    rules = MORALE.replace(help_restores=True, help_cohesion=0.1)
    s = make_state(world, {"a": "red", "b": "blue"}, [], rules=rules)
    for now, lost, expected in ((0.5, 0.0, 0.0),     # at its start: help adds nothing
                                (0.45, 0.0, 0.05),   # 0.05 below: help makes that good, no more
                                (0.3, 0.0, 0.1),     # far below: the full help
                                (0.5, 2.0, 0.024)):  # this turn's losses count as lost too
        s.f_cohesion[:] = [now, now]
        ctx = TurnContext(start=s)
        ctx.help[:] = [1.0, 1.0]
        ctx.value_lost[:] = [lost, 0.0]
        change = faction_change(s, ctx)
        assert change[0] == pytest.approx(-lost * 0.012 + expected)
        assert change[1] == pytest.approx(0.1)  # no starting cohesion on record: no limit
    plain = make_state(world, {"a": "red", "b": "blue"}, [], rules=MORALE.replace(help_cohesion=0.1), cohesion=0.5)
    ctx = TurnContext(start=plain)
    ctx.help[:] = [1.0, 1.0]
    assert faction_change(plain, ctx).tolist() == pytest.approx([0.1, 0.1])  # by default help has no limit
