"""Insurgent cells (`Faction.insurgent`): a network of cells never breaks as a whole, each cell's will holds
at the network's starting cohesion instead of following its fortunes, and a cell that would surrender or
melt away goes to ground where it is instead. Each rule is pinned against the same board with an army."""

from __future__ import annotations

from dataclasses import replace

import pytest

from game.engine import Attack, Faction, Rules
from game.engine import events as ev
from game.engine.cohesion import run_cohesion
from game.engine.context import TurnContext
from game.engine.rng import Stream
from game.engine.state import State
from game.engine.types import Posture
from tests.boards import crt_rules, forced, graph_world, line_state, line_world, make_state, of, place, resolve

LOSS_D = crt_rules().crt_defender_loss

MORALE = crt_rules(morale_line=0.45, morale_span=0.35, morale_max_fail=1.0, break_share=1.0, waver_loss=0.03,
                   desertion_rate=0.08, break_cohesion=0.1, contagion=0.03, rout_penalty=0.3, collapse_spread=0.05,
                   morale_broken=-0.1, unit_follow=0.5)


def factions(insurgent: bool) -> tuple[Faction, Faction]:
    """Red (an army, or a network of cells with `insurgent`) that started at cohesion 0.7, and blue."""
    return (Faction("red", "Red", "RED", "#D55E00", breakpoint=0.3, sources=("a",), cohesion=0.7,
                    insurgent=insurgent),
            Faction("blue", "Blue", "BLUE", "#0072B2", breakpoint=0.3, sources=("c",), cohesion=0.7))


def duel(insurgent: bool, rules: Rules, behind: str = "blue", cohesion: float = 0.8) -> State:
    """Blue b1 at a next to red r1 at b; c lies behind b, held by `behind` (blue: red has nowhere to go)."""
    places = [place("a", supply_for=("blue",)), place("b"), place("c", supply_for=("red",))]
    world = graph_world(places, [("a", "b", 40.0), ("b", "c", 40.0)], factions(insurgent))
    return make_state(world, {"a": "blue", "b": "red", "c": behind},
                      [("b1", "blue", "a", 3000.0), ("r1", "red", "b", 1000.0)], rules=rules, cohesion=cohesion)


@pytest.mark.parametrize("insurgent", [False, True])
def test_a_network_of_cells_never_breaks_as_a_whole(insurgent: bool) -> None:
    s = duel(insurgent, MORALE, behind="red")
    s.f_cohesion[:] = [0.05, 0.7]  # far below red's breakpoint
    after, events = resolve(s, {})
    assert bool(after.f_collapsed[0]) is not insurgent
    assert bool(of(events, ev.FactionBroken)) is not insurgent


@pytest.mark.parametrize("insurgent", [False, True])
def test_a_cells_will_holds_at_the_networks_starting_cohesion(insurgent: bool) -> None:
    s = duel(insurgent, MORALE, behind="red")
    s.f_cohesion[:] = [0.1, 0.7]  # the network's fortunes have fallen since the start (0.7)
    s.u_cohesion[:] = 0.5
    ctx = TurnContext(s)
    run_cohesion(s, ctx, Stream(0))  # dice on which r1 passes its morale check: only the follow moves it
    r1 = s.unit_index()["r1"]
    # half the way (unit_follow 0.5) to its target: the network's start for a cell, the faction's now for a unit
    target = 0.7 if insurgent else 0.1
    assert s.u_cohesion[r1] == pytest.approx(0.5 + 0.5 * (target - 0.5))


@pytest.mark.parametrize("result", ["retreat", "rout"])
def test_a_beaten_cell_with_nowhere_to_go_goes_to_ground_instead_of_surrendering(result: str) -> None:
    army_after, army_events = resolve(duel(False, forced(result)), {"blue": [Attack("b1", "b")]})
    assert of(army_events, ev.UnitSurrendered) and "r1" not in army_after.unit_index()
    shaken = duel(True, forced(result), cohesion=0.3)  # too shaken to rally at the end of the turn
    cell_after, events = resolve(shaken, {"blue": [Attack("b1", "b")]})
    (went,) = of(events, ev.UnitWentToGround)
    r1 = cell_after.unit_index()["r1"]
    assert (went.unit, went.place) == ("r1", "b") and went.strength == pytest.approx(1000 * (1 - LOSS_D[result]))
    assert not of(events, ev.UnitSurrendered)
    assert cell_after.u_strength[r1] > 0 and int(cell_after.u_place[r1]) == 1
    assert Posture(int(cell_after.u_posture[r1])) == Posture.ROUTED
    b1 = cell_after.unit_index()["b1"]
    assert int(cell_after.u_place[b1]) == 0  # the winners cannot walk in while the cell is there
    assert int(cell_after.controller[1]) == 0  # the place is still red's


def test_a_routed_cell_that_breaks_again_does_not_melt_away() -> None:
    rules = MORALE.replace(morale_span=0.1, dissolve_when_broken_twice=True)
    for insurgent in (False, True):
        s = duel(insurgent, rules, behind="red")
        s.u_posture[1] = int(Posture.ROUTED)
        s.u_cohesion[1] = 0.0
        after, events = resolve(s, {})
        if insurgent:
            assert not of(events, ev.UnitDeserted)
            (failed,) = of(events, ev.MoraleFailed)
            assert failed.broke and failed.strength == pytest.approx(80.0)  # desertion_rate of a normal break
            assert after.u_strength[after.unit_index()["r1"]] == pytest.approx(920.0)
        else:
            assert of(events, ev.UnitDeserted) == [ev.UnitDeserted("r1", "red", "b", 1000.0)]


def test_a_cut_off_cell_goes_to_ground_once_instead_of_giving_up() -> None:
    rules = crt_rules(surrender_cohesion=1.0, surrender_chance=1.0, flee_chance=0.0)
    world = line_world(3)
    world = replace(world, factions=(replace(world.factions[0], insurgent=True), world.factions[1]))
    s = line_state(world, {"p0": "red", "p1": "blue", "p2": "red"}, [("r1", "red", "p2", 2000.0)], rules=rules,
                   cohesion=0.1)  # too shaken to rally at the end of the turn
    after, events = resolve(s, {})
    assert of(events, ev.UnitWentToGround) == [ev.UnitWentToGround("r1", "red", "p2", pytest.approx(2000 * 0.97))]
    assert not of(events, ev.UnitSurrendered) and len(after.units) == 1
    assert Posture(int(after.u_posture[0])) == Posture.ROUTED
    again, events = resolve(after, {})
    assert not of(events, ev.UnitWentToGround) and not of(events, ev.UnitSurrendered)  # already hiding: no news
    assert again.u_strength[0] > 0


def test_a_cohesion_change_is_reported_from_the_turns_start_with_cells_on_the_board() -> None:
    """With a network of cells on the board, a faction's reported change still runs from its cohesion at the
    start of the turn, not from the scenario's start (it read 0.7 -> 0.35 for a fall from 0.4 to 0.35)."""
    s = duel(True, MORALE.replace(cohesion_drift=-0.05), behind="red")
    s.f_cohesion[:] = [0.4, 0.5]  # both have moved since the scenario's start (0.7)
    _, events = resolve(s, {})
    changed = {e.faction: (e.before, e.after) for e in of(events, ev.CohesionChanged)}
    assert changed["blue"] == pytest.approx((0.5, 0.45))
    assert changed["red"] == pytest.approx((0.4, 0.35))
