"""Every accepted attack order is accounted for in the turn's events: the unit fought in a battle at its
target, walked into it (nobody stood there), or its attack was called off with the reason (it was destroyed,
routed or driven off first, or neutral units held the place). Before, such an order vanished without a word."""

from __future__ import annotations

from pathlib import Path

from game.ai import make_bot
from game.engine import Attack, resolve_turn, turn_rng
from game.engine import events as ev
from game.engine.turn import accept_orders
from game.scenario import load_scenario
from game.sim.runner import bot_orders

DEFAULT = Path(__file__).resolve().parents[2] / "scenarios" / "homs_junction.yaml"


def test_every_accepted_attack_is_fought_walked_in_or_called_off_with_a_reason() -> None:
    world, start = load_scenario(DEFAULT)
    bot = make_bot("normal", world.ai or None)
    called_off = 0
    for seed in range(1, 9):
        state = start
        for _ in range(2):
            orders = bot_orders(state, seed, bot)
            accepted, _ = accept_orders(state, orders)
            attacks = {(o.unit, o.target) for _, o in accepted if isinstance(o, Attack)}
            after, events = resolve_turn(state, orders, turn_rng(seed, state.turn))
            fought = {(u, e.place) for e in events if isinstance(e, ev.Combat) for u in e.attackers}
            walked = {(e.unit, e.path[-1]) for e in events if isinstance(e, ev.UnitMoved) and e.path}
            off = {(e.unit, e.place): e.reason for e in events if isinstance(e, ev.AttackCalledOff)}
            assert all(reason for reason in off.values())
            assert set(off) <= attacks
            missing = attacks - fought - walked - set(off)
            assert not missing, (seed, state.turn, sorted(missing))
            called_off += len(off)
            state = after
    assert called_off  # the games read here do call some off
