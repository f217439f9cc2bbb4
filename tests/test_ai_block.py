"""The scenario's `ai:` block: checked with located errors, and carried to the bots through the world."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.cli import main
from game.engine import game_from_dict, game_to_dict
from game.scenario import load_scenario

TINY = Path(__file__).resolve().parent / "data" / "good" / "tiny.yaml"


def with_ai(tmp_path: Path, block: str) -> Path:
    path = tmp_path / "ai.yaml"
    path.write_text(TINY.read_text(encoding="utf-8") + "\nai:\n" + block, encoding="utf-8")
    return path


def test_a_misspelt_weight_is_located_with_a_hint(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = with_ai(tmp_path, "  government: {aggresion: 1.0}\n")
    assert main(["validate", str(path)]) == 2
    out = capsys.readouterr().out
    line = len(TINY.read_text(encoding="utf-8").splitlines()) + 3
    assert f"{path}:{line}:16: error: ai.government.aggresion: unknown AI weight" in out
    assert "did you mean 'aggression'" in out
    assert main(["run", str(path), "--turns", "1"]) == 2


def test_an_unknown_side_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = with_ai(tmp_path, "  goverment: {}\n")
    assert main(["validate", str(path)]) == 2
    assert "unknown side (or default) 'goverment'" in capsys.readouterr().out


def test_the_block_reaches_the_world_and_survives_a_save(tmp_path: Path) -> None:
    path = with_ai(tmp_path, "  default: {aggression: 1.2}\n")
    world, state = load_scenario(path)
    assert world.ai == {"default": {"aggression": 1.2}}
    assert game_from_dict(game_to_dict(state)).world.ai == world.ai


@pytest.mark.parametrize("command", ["validate", "lint", "run"])
def test_every_ai_problem_is_reported_in_one_pass(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                  command: str) -> None:
    """A misspelt weight is reported beside the file's other errors (a bad weight, an unknown place),
    not only once they are fixed."""
    path = with_ai(tmp_path, "  government: {agression: 2}\n  hts: {aggression: -1}\n")
    text = path.read_text(encoding="utf-8").replace("places: [homs], by_turn: 5", "places: [homz], by_turn: 5", 1)
    path.write_text(text, encoding="utf-8")
    assert main([command, str(path)]) == 2
    captured = capsys.readouterr()
    lines = [line for line in (captured.out + captured.err).splitlines() if ": error: " in line]
    assert any("unknown place 'homz'" in line for line in lines)
    assert any("ai.government.agression: unknown AI weight" in line for line in lines)
    assert any("ai.hts.aggression:" in line for line in lines)
    assert len(lines) == 3
    numbers = [int(line.split(":")[1]) for line in lines]
    assert numbers == sorted(numbers)
