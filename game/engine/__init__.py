"""The rules engine: pure, deterministic, no I/O.

Public API: build a `World` and `State` (usually through game.scenario),
ask `legal_orders(state, side)`, then `resolve_turn(state, orders, rng)`.
"""

from .board import Board, Corridor, Place, Route
from .legal import check_order, legal_orders
from .orders import (
    AirStrike,
    Attack,
    Entrench,
    Hold,
    Move,
    Order,
    Reinforce,
    Rejected,
    SupplySurge,
    Withdraw,
)
from .rng import child_seeds, make_rng, turn_rng
from .rules import Rules
from .start import initial_state
from .state import Outcome, State, Team, World, game_from_dict, game_to_dict, state_hash
from .turn import resolve_turn
from .types import (
    CHANNELS,
    Channel,
    Faction,
    Meta,
    Patron,
    PlaceKind,
    Posture,
    RouteKind,
    Supply,
    Terrain,
    UnitInfo,
    UnitType,
)

__all__ = [
    "AirStrike", "Attack", "Board", "CHANNELS", "Channel", "Corridor", "Entrench", "Faction", "Hold", "Meta",
    "Move", "Order", "Outcome", "Patron", "Place", "PlaceKind", "Posture", "Reinforce", "Rejected", "Route",
    "RouteKind", "Rules", "State", "Supply", "SupplySurge", "Team", "Terrain", "UnitInfo", "UnitType",
    "Withdraw", "World", "check_order",
    "child_seeds", "make_rng", "resolve_turn", "turn_rng", "game_from_dict", "game_to_dict",
    "initial_state", "legal_orders",
    "state_hash",
]
