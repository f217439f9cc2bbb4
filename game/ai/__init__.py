"""Bots: one interface, `choose_orders(state, side, rng) -> list[Order]`."""

from .simple import choose_orders

__all__ = ["choose_orders"]
