"""The turn's dice are split by purpose (engine/rng.Dice, common random numbers): a decision changes the
rolls only where it reaches, so paired games and support sweeps measure the decision, not a reshuffle."""

from __future__ import annotations

import dataclasses

from game.engine import Attack, Hold, resolve_turn, state_hash, turn_rng
from game.engine import events as ev
from game.engine.specs import Inject, OnTurn, SetFlag
from tests.boards import of, umpire_state

SEEDS = range(40)


def at_c(events: list[ev.Event]) -> list[ev.Event]:
    """What happened in the fight for c: its battle, and its defender's morale check before it (c1, checked
    there, takes no other check this turn)."""
    return [e for e in events if (isinstance(e, ev.Combat) and e.place == "c") or getattr(e, "unit", None) == "c1"]


def test_a_battle_rolls_the_same_dice_whether_or_not_another_is_fought_first() -> None:
    """Red attacks c with r2; with r1 also attacking b (fought first, in place order) or holding at a, the
    fight for c goes the same way on every seed. With one sequence of dice for the whole
    turn, the battle at b used up the rolls that c's battle would otherwise have read."""
    s = umpire_state()
    both = {"red": [Attack("r1", "b"), Attack("r2", "c")], "blue": [Hold("b1"), Hold("c1"), Hold("d1")]}
    one = {"red": [Hold("r1"), Attack("r2", "c")], "blue": [Hold("b1"), Hold("c1"), Hold("d1")]}
    results, fought_b = set(), 0
    for seed in SEEDS:
        _, with_b = resolve_turn(s, both, turn_rng(seed, 1))
        _, without_b = resolve_turn(s, one, turn_rng(seed, 1))
        fought_b += any(e.place == "b" for e in of(with_b, ev.Combat))  # else b's defenders broke before it
        assert at_c(with_b) == at_c(without_b), seed
        results.add(tuple(type(e).__name__ + getattr(e, "result", "") for e in at_c(with_b)))
    assert fought_b >= len(SEEDS) // 2
    assert len(results) >= 2  # the dice do vary from seed to seed: the sameness is not a fixed result


def test_an_event_rolls_the_same_dice_whatever_the_battles_drew() -> None:
    """A chance event fires on the same seeds whether or not a battle was fought before it in the turn."""
    s = umpire_state()
    rumour = Inject("rumour", "Rumour", "A rumour spreads.", when=(OnTurn(1),), effects=(SetFlag("rumour"),),
                    chance=0.5)
    s = dataclasses.replace(s, world=dataclasses.replace(s.world, injects=(*s.world.injects, rumour)))
    s.world.cache.clear()
    fight = {"red": [Attack("r1", "b"), Attack("r2", "c")]}
    calm = {"red": [Hold("r1"), Hold("r2")]}
    fired = []
    for seed in SEEDS:
        a, _ = resolve_turn(s, fight, turn_rng(seed, 1))
        b, _ = resolve_turn(s, calm, turn_rng(seed, 1))
        assert ("rumour" in a.flags) == ("rumour" in b.flags), seed
        assert state_hash(a) != state_hash(b)
        fired.append("rumour" in a.flags)
    assert 0 < sum(fired) < len(fired)
