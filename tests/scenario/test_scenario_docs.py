"""docs/scenario-format.md is generated from the models; it must not drift from them."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from game.engine.rules import Rules
from game.scenario import check_text, docgen, messages
from game.scenario.model import Scenario

DOC = Path(__file__).resolve().parents[2] / "docs" / "scenario-format.md"
TINY = Path(__file__).resolve().parents[1] / "data" / "good" / "tiny.yaml"


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


def test_every_list_of_the_top_level_has_its_own_section() -> None:
    """Each block of a scenario that holds mappings (benchmarks among them) has a table of its keys, so
    an author need not guess them from the example."""
    text = docgen.generate()
    documented = {model for _, model in docgen.SECTIONS}
    for name in Scenario.model_fields:
        model = messages.model_at(Scenario, (name, 0)) or messages.model_at(Scenario, (name,))
        if model is None or model.__name__ == "RulesBlock":
            continue
        assert model in documented, f"{name}: {model.__name__} has no section in docs/scenario-format.md"
    section = text.split("## benchmarks[] — BenchmarkBlock", 1)[1].split("\n## ", 1)[0]
    for key in ("side", "kind", "history", "weight", "corridor", "target"):
        assert f"| `{key}` |" in section, key


def _problems_with(extra: dict[str, object]) -> list[str]:
    data = {**yaml.safe_load(TINY.read_text(encoding="utf-8")), **extra}
    return [p.message for p in check_text(yaml.safe_dump(data, sort_keys=False)) if p.is_error]


def test_the_rules_table_gives_the_range_the_validator_accepts() -> None:
    """A true/false rule is listed as true or false (not as a number range) and accepts only that; set_rule
    refuses it as a true/false rule, not as a table."""
    rows = dict(re.findall(r"^\| `(\w+)` \| `[^`]*` \| ([^|]+) \|", docgen.rules_table(), re.M))
    flags = [name for name, default, _ in Rules.describe() if isinstance(default, bool)]
    assert flags
    for name in flags:
        assert rows[name].strip() == "true or false"
        assert _problems_with({"rules": {name: True}}) == []
        assert any(f"rules.{name}:" in m for m in _problems_with({"rules": {name: 5}}))
        event = {"id": "flip", "title": "Flip", "when": [{"turn": 1}],
                 "effects": [{"set_rule": {"name": name, "value": 1}}]}
        messages = _problems_with({"events": [event]})
        assert any(f"rule {name!r} is a true/false rule" in m for m in messages), messages
    for name, default, _ in Rules.describe():
        if not isinstance(default, bool):
            assert "–" in rows[name], name
