"""A patron's ground help: it never unloads into a contested place; a patron under its own command sends
contingents whose will is its commitment (its ground level, by degrees), not their host army's: they keep it
when the host breaks, and host and contingent do not panic each other."""

from __future__ import annotations

import math

import pytest

from game.engine import Corridor, Patron, Reinforce, Rules, crt
from game.engine import events as ev
from game.engine.cohesion import run_cohesion
from game.engine.combat import morale_failure
from game.engine.context import TurnContext
from game.engine.morale import contingents, morale_modifiers
from game.engine.rng import Stream
from game.engine.state import State
from game.engine.support import add_unit
from game.engine.types import UnitInfo, UnitType
from tests.boards import crt_rules, line_state, line_world, of, resolve, split_control

RULES = crt_rules(cost_reinforce=1.0, reinforce_strength=2000.0, reinforce_quality=1.0, interdiction_chance=0.0,
                  help_cohesion=0.0, shock_sd=0.0, unit_follow=0.5, contagion=0.03)
HALF = (1 - math.exp(-1.0)) / (1 - math.exp(-2.0))
"""What a support level of 0.5 buys at curvature 2."""


def game(*, ground: float = 1.0, own_command: bool = True, blue_at: str = "p3",
         more: tuple[tuple[str, str, str, float], ...] = (), rules: Rules = RULES) -> State:
    """Red holds p0..p2 with a unit at p1; patron `pat` helps red down the corridor p0-p1-p2."""
    corridor = Corridor("c", "The corridor", ("p0", "p1", "p2"))
    pat = Patron("pat", "Patron", clients=("red",), corridor="c", actions=("reinforce",), own_command=own_command)
    world = line_world(5, corridors=(corridor,), patrons=(pat,))
    units = [("r1", "red", "p1", 3000.0), ("b1", "blue", blue_at, 1000.0), *more]
    return line_state(world, split_control(world, 2), units, rules=rules, support={"pat": {"ground": ground}},
                      capacity={"pat": 4.0}, reserve={"pat": 6000.0})


def test_help_never_unloads_into_a_contested_place() -> None:
    s = game(blue_at="p2", more=(("r2", "red", "p2", 1000.0),))  # street fighting in red's p2
    assert bool(s.contested[2])
    _, events = resolve(s, {"pat": [Reinforce("pat", "p2", "red")]})
    assert of(events, ev.OrderRejected) and not of(events, ev.ReinforcementsArrived)
    _, events = resolve(s, {"pat": [Reinforce("pat", "p1", "red")]})
    assert of(events, ev.ReinforcementsArrived)


def test_a_contingent_arrives_with_its_patrons_commitment_and_keeps_it_when_the_host_breaks() -> None:
    for ground in (0.5, 1.0):
        s = game(ground=ground)
        after, _ = resolve(s, {"pat": [Reinforce("pat", "p1", "red")]})
        new = after.unit_index()["pat_t1_0"]
        assert after.units[new].command == "pat"
        will = HALF if ground == 0.5 else 1.0
        assert after.u_cohesion[new] == pytest.approx(will)
        after.f_cohesion[0] = 0.0  # the host army breaks
        after.f_collapsed[0] = True
        old = after.unit_index()["r1"]
        host = float(after.u_cohesion[old])
        run_cohesion(after, TurnContext(after), Stream(1))
        assert after.u_cohesion[new] == pytest.approx(will)  # follows its commitment, not the host
        assert after.u_cohesion[old] < host
    plain = game(own_command=False)
    after, _ = resolve(plain, {"pat": [Reinforce("pat", "p1", "red")]})
    assert after.units[after.unit_index()["pat_t1_0"]].command == ""


def test_the_hosts_collapse_does_not_weigh_on_a_contingents_checks() -> None:
    s = game()
    info = UnitInfo("ct", "red", "Contingent", UnitType.INFANTRY, command="pat")
    s = add_unit(s, info, 1, 1000.0, 0.8)
    s.f_collapsed[0] = True
    s.invalidate()
    mod, _, pressure = morale_modifiers(s, TurnContext(s))
    r1, ct = s.unit_index()["r1"], s.unit_index()["ct"]
    assert contingents(s).tolist()[ct] and not contingents(s).tolist()[r1]
    assert mod[ct] - mod[r1] == pytest.approx(-s.rules.morale_broken)
    assert pressure[r1] and not pressure[ct]  # away from the enemy, the host's collapse alone does not press it


def test_host_and_contingent_do_not_panic_each_other() -> None:
    s = game()
    s = add_unit(s, UnitInfo("ct", "red", "Contingent", UnitType.INFANTRY, command="pat"), 1, 1000.0, 0.8)
    s = add_unit(s, UnitInfo("r2", "red", "Second", UnitType.INFANTRY), 1, 1000.0, 0.8)
    idx = s.unit_index()
    morale_failure(s, TurnContext(s), idx["r1"], True, None)
    assert s.u_cohesion[idx["ct"]] == pytest.approx(0.8)
    assert s.u_cohesion[idx["r2"]] == pytest.approx(0.8 - 0.03)


def test_contingent_will_is_a_floor_its_ground_level_builds_on() -> None:
    """Under `contingent_will`, a contingent sent at all brings that will; its patron's ground level
    buys the rest of the way to 1, by the same diminishing returns as every support level."""
    rules = RULES.replace(contingent_will=0.5)
    for ground, will in ((0.5, 0.5 + 0.5 * HALF), (1.0, 1.0)):
        s = game(ground=ground, rules=rules)
        after, _ = resolve(s, {"pat": [Reinforce("pat", "p1", "red")]})
        new = after.unit_index()["pat_t1_0"]
        assert after.u_cohesion[new] == pytest.approx(will)
        after.f_cohesion[0] = 0.0
        after.f_collapsed[0] = True
        run_cohesion(after, TurnContext(after), Stream(1))
        assert after.u_cohesion[new] == pytest.approx(will)
    assert crt.commitment(0.0, rules) == pytest.approx(0.5) and crt.commitment(0.0, RULES) == 0.0
