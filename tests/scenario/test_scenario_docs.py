"""docs/scenario-format.md is generated from the models; it must not drift from them."""

from __future__ import annotations

from pathlib import Path

from game.engine.rules import Rules
from game.scenario import docgen
from game.scenario.model import Scenario

DOC = Path(__file__).resolve().parents[2] / "docs" / "scenario-format.md"


def test_doc_matches_the_generated_text() -> None:
    assert DOC.read_text(encoding="utf-8") == docgen.generate(), (
        "docs/scenario-format.md is out of date: run `python -m game.scenario.docgen --write`")


def test_doc_covers_every_key_and_rule() -> None:
    text = docgen.generate()
    for name in Scenario.model_fields:
        assert f"| `{name}` |" in text
    for name, _, doc in Rules.describe():
        assert f"| `{name}` |" in text and doc in text
    for _, model in docgen.SECTIONS + docgen.SUBTABLES:
        for name, info in model.model_fields.items():
            assert info.description, f"{model.__name__}.{name} has no description"
