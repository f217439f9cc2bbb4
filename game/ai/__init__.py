"""Bots: one interface, `choose_orders(state, side, rng) -> list[Order]`, for every faction and patron.

`make_bot(level, ai_block)` gives the easy, normal or hard bot with a scenario's
per-side personality weights; `choose_orders` is the normal bot.
"""

from .bot import Bot, choose_orders, make_bot, plan_for
from .weights import LEVELS, Weights, block_problems, side_weights

__all__ = ["LEVELS", "Bot", "Weights", "block_problems", "choose_orders", "make_bot", "plan_for", "side_weights"]
