"""The `rules:` block, generated from the engine's `Rules` so the two cannot drift apart.

Every field is optional and defaults to the engine's value; a table-valued rule
(by unit type, by terrain …) takes a mapping whose keys must be those of the
default table, and is merged key by key.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field, create_model

from game.engine.rules import Rules

from .fields import Block, Int, Num

MAX_KM = 40_000.0
"""Longest distance a rule may name: once round the Earth."""
MAX_STRENGTH = 1_000_000.0
"""Most personnel in one unit (also `units[].strength`)."""

FRACTIONS = frozenset({
    "attacker_loss_rate", "defender_loss_rate", "loss_cap", "air_strike_loss", "limited_attrition",
    "cut_attrition", "desertion_rate", "combat_cohesion_loss", "combat_cohesion_gain", "rout_cohesion",
    "rally_cohesion", "air_strike_cohesion", "surge_cohesion", "patron_help_cohesion", "cut_cohesion_loss",
    "surrender_cohesion", "cohesion_per_value_lost", "cohesion_per_value_gained", "rout_penalty", "cut_penalty",
    "combat_win_bonus", "unit_follow", "shock_sd", "contagion", "collapse_spread",
})
"""Rules that are a share of strength or an amount of cohesion (itself 0-1): 0 to 1, like every `*_chance`."""

LIMITS: dict[str, tuple[float, float]] = {
    "move_points": (0, MAX_KM), "route_cost": (0, 100), "stacking": (0, 1000), "route_length_factor": (0, 10),
    "combat_k": (0, 10), "combat_r0": (0.01, 100), "loss_ratio_exponent": (0, 10), "loser_loss_multiplier": (0, 100),
    "terrain_defence": (0, 10), "posture_defence": (0, 10), "fort_bonus": (0, 10), "type_attack": (0, 10),
    "type_defence": (0, 10), "supply_factor": (0, 10), "air_factor": (0, 10), "air_exposure": (0, 10),
    "cost_air_strike": (0, 1000), "cost_reinforce": (0, 1000), "cost_supply_surge": (0, 1000),
    "reinforce_strength": (0, MAX_STRENGTH), "reinforce_quality": (0.5, 1.5), "supply_range_km": (0, MAX_KM),
    "limited_range_km": (0, MAX_KM), "cohesion_drift": (-1, 1),
}
"""Range of every other rule (for a table: of each of its entries). The bounds keep the engine's arithmetic
finite (powers, exponentials, sums over a game of 10,000 turns) while leaving room far beyond the defaults."""

DEFAULT_LIMIT = (0.0, 1_000_000.0)
"""Range of a rule not named above."""


def rule_limits(name: str) -> tuple[float, float]:
    """(lowest, highest) value a rule (or each entry of a table rule) may take."""
    if name.endswith("_chance") or name in FRACTIONS:
        return (0.0, 1.0)
    lo, hi = LIMITS.get(name, DEFAULT_LIMIT)
    return (float(lo), float(hi))


def _camel(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("_"))


def _bounds(name: str) -> dict[str, Any]:
    lo, hi = rule_limits(name)
    return {"ge": lo, "le": hi}


def _number_type(default: Any) -> Any:
    return Int if isinstance(default, int) and not isinstance(default, bool) else Num


def _table_model(name: str, default: dict[str, Any], doc: str) -> type[Block]:
    fields: dict[str, Any] = {
        key: (_number_type(val), Field(val, description=f"{doc.rstrip('.')}: {key}.", **_bounds(name)))
        for key, val in default.items()
    }
    model = create_model(_camel(name), __base__=Block, __doc__=doc, **fields)
    model.noun = f"rules.{name}"
    return model


def _rules_model() -> type[Block]:
    fields: dict[str, Any] = {}
    for name, default, doc in Rules.describe():
        if isinstance(default, dict):
            sub = _table_model(name, default, doc)
            fields[name] = (sub, Field(default_factory=sub, description=doc))
        else:
            fields[name] = (_number_type(default), Field(default, description=doc, **_bounds(name)))
    model = create_model(
        "RulesBlock", __base__=Block,
        __doc__="Rules constants; any left out keep their defaults (see the table of rules below).", **fields,
    )
    model.noun = "rules"
    return model


RulesBlock: type[Block] = _rules_model()

RULE_NAMES: tuple[str, ...] = tuple(name for name, _, _ in Rules.describe())
NUMBER_RULES: frozenset[str] = frozenset(name for name, default, _ in Rules.describe() if not isinstance(default, dict))


def rules_from_block(block: Block) -> Rules:
    """The engine Rules with the block's given values (tables merged key by key)."""
    given = block.model_dump(exclude_unset=True)
    return Rules().replace(**given) if given else Rules()
