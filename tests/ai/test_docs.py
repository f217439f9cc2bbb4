"""docs/ai.md lists every AI weight with its default; ai-block problems are reported, not raised."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from game.ai import block_problems, side_weights
from game.ai.weights import describe

DOC = Path(__file__).resolve().parents[2] / "docs" / "ai.md"


def test_weights_table_matches_the_code() -> None:
    rows = dict(re.findall(r"^\| `(\w+)` \| ([\d.]+) \|", DOC.read_text(encoding="utf-8"), re.M))
    assert rows == {name: f"{default:g}" for name, default, _ in describe()}


def test_block_problems() -> None:
    sides = ("government", "hts", "russia")
    assert block_problems(None, sides) == []
    assert block_problems({"default": {"reserve": 0.2}, "hts": {"aggression": 1.5}}, sides) == []
    assert block_problems([1], sides) == [("ai", "expected a mapping of side ids to weights")]
    problems = dict(block_problems({"hst": {}, "hts": {"agression": 1, "caution": "x", "reserve": -1}}, sides))
    assert "did you mean 'hts'" in problems["ai.hst"]
    assert "did you mean 'aggression'" in problems["ai.hts.agression"]
    assert "expected a number" in problems["ai.hts.caution"]
    assert ">= 0" in problems["ai.hts.reserve"]


def test_side_weights_layering() -> None:
    block = {"default": {"reserve": 0.3, "noise": 0.2}, "hts": {"reserve": 0.0}}
    assert side_weights(block, "hts").reserve == 0.0
    assert side_weights(block, "government").reserve == 0.3
    easy = side_weights(block, "government", "easy")
    assert easy.noise == pytest.approx(1.7) and easy.idle > 0
    with pytest.raises(ValueError, match="unknown AI level"):
        side_weights(block, "hts", "expert")
