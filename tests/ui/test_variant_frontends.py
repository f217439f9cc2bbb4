"""Variants go through game/scenario's loader in every front end: the scenario picker, run, simulate and
render all take them."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.cli import main
from game.ui.scenes.picker import scan

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "scenarios"
VARIANTS = ("homs_junction_russia_all_in.yaml", "homs_junction_no_hezbollah.yaml")
FLOOD = ROOT / "docs" / "examples" / "two_rivers_flood.yaml"


def test_the_picker_lists_the_shipped_variants_ready_to_play() -> None:
    entries = {e.path.name: e for e in scan(SCENARIOS)}
    for name in VARIANTS:
        assert entries[name].state is not None, entries[name].error
        assert "what if" in entries[name].title.lower()
    assert next(iter(entries)) == "homs_junction.yaml"


def test_the_picker_shows_a_broken_variant_with_its_parents_error(tmp_path: Path) -> None:
    (tmp_path / "parent.yaml").write_text("meta: {title: [}\n", encoding="utf-8")
    (tmp_path / "child.yaml").write_text("extends: parent.yaml\n", encoding="utf-8")
    entry = next(e for e in scan(tmp_path) if e.path.name == "child.yaml")
    assert entry.state is None and f"{tmp_path / 'parent.yaml'}:1:" in entry.error


def test_run_and_simulate_take_a_variant(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", str(FLOOD), "--turns", "2", "--seed", "3"]) == 0
    assert "Two Rivers: the flood (example)" in capsys.readouterr().out
    assert main(["simulate", str(FLOOD), "--runs", "2", "--turns", "2", "--workers", "1", "--quiet"]) == 0


def test_render_takes_a_variant(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "map.png"
    assert main(["render", str(SCENARIOS / VARIANTS[1]), "-o", str(out), "--size", "400x300"]) == 0
    assert out.stat().st_size > 0
