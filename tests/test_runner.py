"""Headless runner, order log and replay: a run can be replayed to the same hash, in this process or another."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from game.engine import Patron, State, state_hash
from game.engine import events as ev
from game.sim.log import LogError, read_log
from game.sim.runner import replay, run_game, turn_line
from tests.boards import line_state, line_world, split_control

ROOT = Path(__file__).resolve().parents[1]
TINY = ROOT / "tests" / "data" / "good" / "tiny.yaml"


def small_game() -> State:
    world = line_world(6, patrons=(Patron("pat", "Patron", clients=("red",)),), turns=5)
    units = [("r1", "red", "p1", 3000.0), ("r2", "red", "p0", 2500.0), ("b1", "blue", "p3", 2000.0),
             ("b2", "blue", "p5", 2500.0)]
    return line_state(world, split_control(world, 2), units, support={"pat": {"air": 0.6, "ground": 0.5,
                                                                              "supply": 0.5}},
                      capacity={"pat": 2.0}, reserve={"pat": 3000.0})


def test_run_game_writes_a_log_that_replays_to_the_same_hash(tmp_path: Path) -> None:
    log = tmp_path / "game.jsonl"
    lines: list[str] = []
    result = run_game(small_game(), 5, seed=7, log=log, source="line board", echo=lines.append)
    assert len(result.hashes) == len(result.events) == len(lines) >= 1
    assert result.hashes[-1] == state_hash(result.final)
    header, records = read_log(log)
    rest = [rec for _, rec in records]
    assert header["seed"] == 7 and header["source"] == "line board"
    assert [r["type"] for r in rest] == ["turn"] * len(result.hashes) + ["end"]
    assert [r["hash"] for r in rest[:-1]] == result.hashes and rest[-1]["hash"] == state_hash(result.final)
    final, problems = replay(log)
    assert problems == [] and state_hash(final) == state_hash(result.final)
    assert lines[0].startswith("Turn  1 2024-12-07: ") and "| cohesion red " in lines[0]


def test_the_same_seed_gives_the_same_run_and_another_seed_may_not(tmp_path: Path) -> None:
    a = run_game(small_game(), 5, seed=3)
    b = run_game(small_game(), 5, seed=3)
    assert a.hashes == b.hashes and a.events == b.events
    others = {run_game(small_game(), 5, seed=s).hashes[-1] for s in range(4, 9)}
    assert len(others | {a.hashes[-1]}) > 1


def test_turn_line_summarises_captures_and_the_end() -> None:
    s = small_game()
    events = [ev.PlaceCaptured("p3", "red", "blue", 1.0), ev.UnitRouted("b1", "blue", "p3"),
              ev.SupplyCut("b2", "blue", "p5"), ev.UnitFled("b2", "blue", "p5", "Iraq", 10.0),
              ev.GameOver(("red",), "highest score at the last turn")]
    line = turn_line(s, s, events)
    assert line.startswith("Turn  1 2024-12-07: Place 3 → red; routed 1; cut off 1; surrendered or fled 1 |")
    assert line.endswith("Game over: red (highest score at the last turn)")


def test_turn_line_names_every_place_that_changed_hands_and_how_when_not_taken() -> None:
    s = small_game()
    events = [ev.PlaceHandedOver("p2", "blue", "red"), ev.InjectFired("i", "Defection", "", ("all",)),
              ev.PlaceControlSet("p4", "red", "blue")]
    line = turn_line(s, s, events)
    assert line.startswith("Turn  1 2024-12-07: Place 2 → blue (handed over), Place 4 → red (by an event); ")


def test_a_run_reports_a_place_an_event_gives_away(capsys: pytest.CaptureFixture[str]) -> None:
    """`python main.py run` on a variant of tiny.yaml whose event gives Damascus to HTS on turn 2."""
    from game.cli import main

    assert main(["run", str(ROOT / "tests" / "data" / "good" / "tiny_homs_given.yaml"), "--turns", "3"]) == 0
    lines = capsys.readouterr().out.splitlines()
    turn2 = next(x for x in lines if x.startswith("Turn  2 "))
    assert "Damascus → hts (by an event)" in turn2 and "no place changed hands" not in turn2


def test_a_tampered_log_fails_replay_with_the_turn(tmp_path: Path) -> None:
    log = tmp_path / "game.jsonl"
    run_game(small_game(), 3, seed=1, log=log)
    lines = log.read_text().splitlines()
    turn = json.loads(lines[1])
    turn["hash"] = "0" * 64
    lines[1] = json.dumps(turn)
    log.write_text("\n".join(lines) + "\n")
    with pytest.raises(LogError, match=r"game.jsonl:2: replay diverged: turn 1: hash \w+ differs from the log's 0{12}"):
        replay(log)


@pytest.mark.parametrize(("content", "message"), [
    ("", ":1: empty log"),
    ("{not json\n", ":1: not valid JSON"),
    ("[1, 2]\n", ":1: expected a JSON object"),
    ('{"type": "header", "format": "something-else"}\n', ":1: not a Junction order log"),
])
def test_broken_logs_give_located_errors(tmp_path: Path, content: str, message: str) -> None:
    log = tmp_path / "bad.jsonl"
    log.write_text(content)
    with pytest.raises(LogError, match=message):
        replay(log)


def test_a_truncated_turn_line_names_its_line(tmp_path: Path) -> None:
    log = tmp_path / "game.jsonl"
    run_game(small_game(), 3, seed=1, log=log)
    lines = log.read_text().splitlines()
    log.write_text("\n".join(lines[:2] + [lines[2][: len(lines[2]) // 2]]) + "\n")
    with pytest.raises(LogError, match=r"game.jsonl:3: not valid JSON"):
        replay(log)
    with pytest.raises(LogError, match="cannot read"):
        replay(tmp_path / "missing.jsonl")


def main_py(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONHASHSEED="12345", SDL_VIDEODRIVER="dummy")
    return subprocess.run([sys.executable, "main.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300)


def final_hash(output: str) -> str:
    return output.strip().splitlines()[-1].rsplit(" ", 1)[-1]


@pytest.mark.parametrize("content", ["{broken\n", '{"type": "header", "format": "junction-log", "seed": 1}\n'])
def test_the_cli_reports_a_corrupted_log_without_a_traceback(tmp_path: Path, content: str) -> None:
    log = tmp_path / "bad.jsonl"
    log.write_text(content)
    done = main_py("replay", str(log))
    assert done.returncode == 2
    assert done.stderr.startswith("error: ") and str(log) in done.stderr
    assert "Traceback" not in done.stderr + done.stdout


def tiny_loader():
    try:
        from game.scenario import load_scenario
    except ImportError as exc:
        pytest.skip(f"the scenario loader is not there yet: {exc}")
    if not TINY.exists():
        pytest.skip(f"{TINY.relative_to(ROOT)} is not there yet")
    return load_scenario


def test_another_process_plays_and_replays_the_same_game(tmp_path: Path) -> None:
    load_scenario = tiny_loader()
    _, start = load_scenario(TINY)
    here = run_game(start, 4, seed=11)
    log = tmp_path / "tiny.jsonl"
    done = main_py("run", str(TINY), "--turns", "4", "--seed", "11", "--log", str(log))
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    lines = done.stdout.splitlines()
    hash_line = next(line for line in lines if line.startswith("final state hash "))
    assert hash_line == f"final state hash {state_hash(here.final)}"
    assert sum(line.startswith("Turn ") for line in lines) == len(here.hashes)
    again = main_py("replay", str(log))
    assert again.returncode == 0, again.stderr
    assert final_hash(again.stdout) == state_hash(here.final)
    final, _ = replay(log)
    assert state_hash(final) == state_hash(here.final)
