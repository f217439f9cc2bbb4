"""The rules people read: docs/rules.md is generated from docs/rules/ (the text of the in-game help), every
number in it comes from the rules, and a scenario's own rules change its help text."""

from __future__ import annotations

from pathlib import Path

from game.engine import Rules
from game.report import rulebook

ROOT = Path(__file__).resolve().parents[1]


def test_docs_rules_md_is_generated_from_the_rule_texts():
    assert (ROOT / "docs" / "rules.md").read_text(encoding="utf-8") == rulebook.generate(), (
        "docs/rules.md is out of date: run `python -m game.report.rulebook --write`")


def test_the_help_has_the_chapters_players_ask_for():
    ids = [c.id for c in rulebook.chapters()]
    assert ids[:7] == ["keys", "turn", "combat", "supply", "cohesion", "scoring", "glossary"]
    assert all("{" not in c.source for c in rulebook.chapters()), "a placeholder was left unfilled"


def test_a_scenarios_rules_change_the_numbers_in_its_help():
    changed = Rules().replace(supply_range_km=123.0, terrain_shift={"urban": -2.5})
    supply = next(c for c in rulebook.chapters(changed) if c.id == "supply")
    combat = next(c for c in rulebook.chapters(changed) if c.id == "combat")
    assert "within 123 km" in supply.source and "urban -2.5," in combat.source


def test_the_combat_chapter_lays_out_the_results_table():
    r = Rules()
    combat = next(c for c in rulebook.chapters() if c.id == "combat")
    for key in r.crt_odds:
        assert f"**{key.removeprefix('r').replace('_', ':')}** — repulsed {r.crt_repulsed[key]:g}" in combat.source


def test_items_keep_their_key():
    keys = next(c for c in rulebook.chapters() if c.id == "keys")
    assert any(b.kind == "item" and b.key == "Ctrl+Z" and "undo" in b.text for b in keys.blocks)


def test_the_cohesion_help_says_how_a_faction_breaks_and_what_help_counts_under_the_rules_in_force():
    plain = next(c for c in rulebook.chapters() if c.id == "cohesion").source
    assert "breaks as soon as its cohesion falls below its breakpoint" in plain
    assert "when a patron's reinforcements arrive" in plain
    rolled = Rules().replace(break_span=0.2, surge_help=0.5)
    text = next(c for c in rulebook.chapters(rolled) if c.id == "cohesion").source
    assert "The break is a roll" in text and "none at 0.1 above its breakpoint to certain at 0.1 below it" in text
    assert "supplies delivered" in text and "close air support flown" not in text
    assert "only makes good" not in text
    capped = next(c for c in rulebook.chapters(rolled.replace(help_restores=True)) if c.id == "cohesion").source
    assert "only makes good what the faction has lost since the start" in capped
