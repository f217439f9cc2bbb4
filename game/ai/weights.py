"""Bot personalities: the weights of a scenario's optional `ai:` block, and the three levels.

An `ai:` block maps a side id (or `default`, for every side) to weights; any
weight left out keeps the default below. Levels change how the weights are
used (noise, lookahead), not the personality.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Any

LEVELS: tuple[str, ...] = ("easy", "normal", "hard")


@dataclass(frozen=True)
class Weights:
    """How one side weighs its choices. Every field may be set in the scenario's `ai:` block."""

    aggression: float = 1.0
    """Scales the value of taking places and attacking against that of holding (0 = purely defensive)."""
    attack_odds: float = 0.55
    """Least estimated success chance for an attack to be ordered."""
    commit_odds: float = 0.8
    """Success chance an attack is built up to before no more units are added (concentration)."""
    caution: float = 1.0
    """Weight of threats to own places; higher keeps more units at home."""
    hold_risk: float = 0.4
    """Chance of losing a place the side accepts before it calls in more defenders."""
    withdraw_odds: float = 0.8
    """Estimated chance of losing a place above which its defenders fall back (if it is not vital)."""
    reserve: float = 0.1
    """Share of the side's units kept back at its most valuable places away from the front."""
    victory: float = 6.0
    """Extra value of a place named in the side's (or an enemy's) victory conditions."""
    source: float = 3.0
    """Extra value of a supply source of the side (to keep) or of an enemy (to take)."""
    corridor: float = 1.5
    """Extra value of a place on a patron corridor of the side (to keep) or of an enemy (to cut)."""
    supply: float = 1.0
    """How strongly moves that would leave a unit out of supply are avoided."""
    focus: float = 1.0
    """Patrons: how strongly air strikes and reinforcements go where the client is most threatened."""
    surge_margin: float = 0.12
    """Patrons: surge supply first when the client's cohesion is within this of its breakpoint."""
    noise: float = 0.0
    """Random jitter added to every score (the easy level adds more)."""
    idle: float = 0.0
    """Share of units (chosen at random each turn) that only hold where they are: a slow command."""


WEIGHT_NAMES: tuple[str, ...] = tuple(f.name for f in fields(Weights))

LEVEL_CHANGES: dict[str, dict[str, float]] = {
    "easy": {"noise": 1.5, "commit_odds": 0.0, "attack_odds": 0.35, "withdraw_odds": 1.01, "reserve": 0.0,
             "idle": 0.35},
    "normal": {},
    "hard": {},
}
"""What each level changes in a side's weights: the easy bot attacks piecemeal, never withdraws,
jitters its choices and leaves a third of its units idle each turn; the hard bot plays like the
normal one and looks one turn ahead."""


def block_problems(block: object, sides: tuple[str, ...] | None = None) -> list[tuple[str, str]]:
    """(path, message) for every problem in an `ai:` block; empty when it is fine."""
    if block is None:
        return []
    if not isinstance(block, Mapping):
        return [("ai", "expected a mapping of side ids to weights")]
    out: list[tuple[str, str]] = []
    for side, table in block.items():
        path = f"ai.{side}"
        if sides is not None and side != "default" and side not in sides:
            out.append((path, f"unknown side {side!r}{_hint(side, ('default', *sides))}"))
            continue
        if not isinstance(table, Mapping):
            out.append((path, "expected a mapping of weight names to numbers"))
            continue
        for name, value in table.items():
            if name not in WEIGHT_NAMES:
                out.append((f"{path}.{name}", f"unknown AI weight {name!r}{_hint(name, WEIGHT_NAMES)}"))
            elif isinstance(value, bool) or not isinstance(value, (int, float)):
                out.append((f"{path}.{name}", f"expected a number, got {value!r}"))
            elif value < 0:
                out.append((f"{path}.{name}", f"expected a number >= 0, got {value!r}"))
    return out


def name_problems(block: object) -> list[tuple[str, str]]:
    """(path, message) for every unknown weight name in an `ai:` block: the one check of the block that
    only this module can make (the scenario layer checks the sides and the numbers)."""
    if not isinstance(block, Mapping):
        return []
    return [(f"ai.{side}.{name}", f"unknown AI weight {name!r}{_hint(name, WEIGHT_NAMES)}")
            for side, table in block.items() if isinstance(table, Mapping)
            for name in table if name not in WEIGHT_NAMES]


def _hint(word: object, choices: tuple[str, ...]) -> str:
    best = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return f" (did you mean {best[0]!r}?)" if best else ""


def side_weights(block: Mapping[str, Any] | None, side: str, level: str = "normal") -> Weights:
    """The weights of one side at one level: defaults, then `ai.default`, then `ai.<side>`, then the level."""
    if level not in LEVELS:
        raise ValueError(f"unknown AI level {level!r}; expected one of {', '.join(LEVELS)}")
    problems = block_problems(block)
    if problems:
        path, message = problems[0]
        raise ValueError(f"{path}: {message}")
    w = Weights()
    for key in ("default", side):
        table = (block or {}).get(key)
        if table:
            w = replace(w, **{k: float(v) for k, v in table.items()})
    changes = LEVEL_CHANGES[level]
    if changes:
        w = replace(w, **{k: v for k, v in changes.items() if k != "noise"}, noise=w.noise + changes.get("noise", 0.0))
    return w


def describe() -> list[tuple[str, float, str]]:
    """(name, default, doc) for every weight, for the format documentation."""
    import ast
    import inspect

    docs: dict[str, str] = {}
    tree = ast.parse(inspect.getsource(Weights))
    body = tree.body[0].body  # type: ignore[attr-defined]
    for a, b in zip(body, body[1:]):
        if isinstance(a, ast.AnnAssign) and isinstance(a.target, ast.Name) and isinstance(b, ast.Expr):
            docs[a.target.id] = str(b.value.value)  # type: ignore[attr-defined]
    default = Weights()
    return [(n, float(getattr(default, n)), docs.get(n, "")) for n in WEIGHT_NAMES]
