"""The `rules:` block, generated from the engine's `Rules` so the two cannot drift apart.

Every field is optional and defaults to the engine's value; a table-valued rule
(by unit type, by terrain …) takes a mapping whose keys must be those of the
default table, and is merged key by key.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field, create_model

from game.engine.rules import Rules, rule_limits

from .fields import Block, Bool, Int, Num

__all__ = ["BOOL_RULES", "NUMBER_RULES", "RULE_NAMES", "RulesBlock", "rule_limits", "rules_from_block"]


def _camel(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("_"))


def _bounds(name: str) -> dict[str, Any]:
    lo, hi = rule_limits(name)
    return {"ge": lo, "le": hi}


def _number_type(default: Any) -> Any:
    if isinstance(default, bool):
        return Bool
    return Int if isinstance(default, int) else Num


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
        elif isinstance(default, bool):
            fields[name] = (Bool, Field(default, description=doc))
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
NUMBER_RULES: frozenset[str] = frozenset(name for name, default, _ in Rules.describe()
                                         if not isinstance(default, (dict, bool)))
BOOL_RULES: frozenset[str] = frozenset(name for name, default, _ in Rules.describe() if isinstance(default, bool))


def rules_from_block(block: Block) -> Rules:
    """The engine Rules with the block's given values (tables merged key by key)."""
    given = block.model_dump(exclude_unset=True)
    return Rules().replace(**given) if given else Rules()
