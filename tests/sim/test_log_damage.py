"""A corpus of damaged order logs: `replay` exits non-zero with `error: FILE:LINE: ...` and no traceback,
reports a log that is incomplete or from an interrupted run with the turns it holds, and reports orders the
engine rejects; `run --log` never overwrites a file that is not a log and writes through a temporary file."""

from __future__ import annotations

import copy
import json
import os
import random
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from game.cli import main
from game.engine import State
from game.sim.log import LogError
from game.sim.runner import replay, run_game
from tests.test_runner import small_game

ROOT = Path(__file__).resolve().parents[2]
TINY = ROOT / "tests" / "data" / "good" / "tiny.yaml"


@pytest.fixture(scope="module")
def good_log(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The lines of a complete 4-turn log of the line board."""
    path = tmp_path_factory.mktemp("log") / "game.jsonl"
    run_game(small_game(), 4, seed=7, log=path)
    return path.read_text().splitlines()


Edit = Callable[[list[Any]], None]
"""Changes the log's records in place (a record is a dict, or a str written as is)."""


def record(line: int, *path: Any, value: Any = None, delete: bool = False) -> Edit:
    def edit(recs: list[Any]) -> None:
        target = recs[line - 1]
        for key in path[:-1]:
            target = target[key]
        if delete:
            del target[path[-1]]
        else:
            target[path[-1]] = value
    return edit


def raw(line: int, text: str) -> Edit:
    def edit(recs: list[Any]) -> None:
        recs[line - 1] = text
    return edit


def add_order(line: int, side: str, order: dict[str, Any]) -> Edit:
    def edit(recs: list[Any]) -> None:
        recs[line - 1]["orders"].setdefault(side, []).append(order)
    return edit


SAVE = ("save", "state")
DAMAGE: dict[str, tuple[Edit, int]] = {
    "orders [1, 2]": (record(2, "orders", value=[1, 2]), 2),
    "orders null": (record(2, "orders", value=None), 2),
    "an order [1, 2]": (record(2, "orders", "red", value=[1, 2]), 2),
    "an order of an unknown type": (add_order(2, "red", {"@type": "Teleport", "unit": "r1"}), 2),
    "an order with a number for a unit": (add_order(2, "red", {"@type": "Hold", "unit": 5}), 2),
    "orders for an unknown side": (record(2, "orders", "martians", value=[]), 2),
    "an order for an unknown unit": (add_order(2, "red", {"@type": "Hold", "unit": "ghost"}), 2),
    "an illegal move": (add_order(2, "blue", {"@type": "Move", "unit": "b2", "to": "p0"}), 2),
    "a unit ordered by the other side": (add_order(2, "blue", {"@type": "Hold", "unit": "r1"}), 2),
    "1,000 nested brackets": (raw(2, "[" * 1000 + "]" * 1000), 2),
    "100,000 nested brackets": (raw(3, "[" * 100_000 + "]" * 100_000), 3),
    "nested orders": (raw(2, '{"type":"turn","turn":1,"orders":' + "[" * 1000 + "]" * 1000 + ',"hash":"x"}'), 2),
    "a line that is not JSON": (raw(3, "{turn 2"), 3),
    "a line that is a list": (raw(3, "[1, 2]"), 3),
    "a line of bad UTF-8": (raw(3, "\udcff"), 3),
    "NaN for a turn": (raw(2, '{"type":"turn","turn":NaN,"orders":{},"hash":"' + "0" * 64 + '"}'), 2),
    "a 5,000-digit turn": (raw(2, '{"type":"turn","turn":' + "9" * 5000 + ',"orders":{},"hash":"x"}'), 2),
    "turn as text": (record(2, "turn", value="1"), 2),
    "turn out of order": (record(3, "turn", value=7), 3),
    "a turn repeated": (lambda recs: recs.insert(2, copy.deepcopy(recs[1])), 3),
    "hash a number": (record(2, "hash", value=5), 2),
    "hash not hexadecimal": (record(2, "hash", value="z" * 64), 2),
    "hash of another game": (record(3, "hash", value="0" * 64), 3),
    "final hash of another game": (record(6, "hash", value="f" * 64), 6),
    "a record without a type": (record(3, "type", delete=True), 3),
    "a record of an unknown type": (record(3, "type", value="intermission"), 3),
    "a record with an unknown field": (record(3, "mood", value="tense"), 3),
    "a turn without orders": (record(3, "orders", delete=True), 3),
    "rejected not a list": (record(2, "rejected", value=7), 2),
    "a turn after the end": (lambda recs: recs.append(copy.deepcopy(recs[1])), 7),
    "header version 3": (record(1, "version", value=3), 1),
    "header version as text": (record(1, "version", value="1"), 1),
    "header without a version": (record(1, "version", delete=True), 1),
    "header seed -1": (record(1, "seed", value=-1), 1),
    "header seed as text": (record(1, "seed", value="7"), 1),
    "header source a list": (record(1, "source", value=[]), 1),
    "header without its save": (record(1, "save", delete=True), 1),
    "header of another format": (record(1, "format", value="chess-pgn"), 1),
    "a state array one short": (lambda recs: recs[0]["save"]["state"]["u_strength"].pop(), 1),
    "a state array one too long": (lambda recs: recs[0]["save"]["state"]["controller"].append(0), 1),
    "a controller of 77": (record(1, *SAVE, "controller", 0, value=77), 1),
    "a unit at place 77": (record(1, *SAVE, "u_place", 0, value=77), 1),
    "a negative strength": (record(1, *SAVE, "u_strength", 0, value=-1.0), 1),
    "a turn past the game": (record(1, *SAVE, "turn", value=99), 1),
    "a duplicated unit id": (record(1, *SAVE, "units", 1, "id", value="r1"), 1),
    "a save that is a list": (record(1, "save", value=[1]), 1),
}


def write(path: Path, recs: list[Any]) -> None:
    lines = [r if isinstance(r, str) else json.dumps(r) for r in recs]
    path.write_bytes(("\n".join(lines) + "\n").encode("utf-8", "surrogateescape"))


def damaged(good_log: list[str], tmp_path: Path, name: str) -> Path:
    recs: list[Any] = [json.loads(line) for line in good_log]
    DAMAGE[name][0](recs)
    path = tmp_path / "damaged.jsonl"
    write(path, recs)
    return path


def replay_cli(path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["replay", str(path)])
    out = capsys.readouterr()
    return code, out.err + out.out


def test_the_good_log_replays(good_log: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "good.jsonl"
    path.write_text("\n".join(good_log) + "\n")
    code, text = replay_cli(path, capsys)
    assert code == 0 and text.startswith("replayed to turn 4: final state hash ")


@pytest.mark.parametrize("name", list(DAMAGE))
def test_a_damaged_log_is_an_error_naming_its_line(good_log: list[str], tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str], name: str) -> None:
    path = damaged(good_log, tmp_path, name)
    before = path.read_bytes()
    code, text = replay_cli(path, capsys)
    line = DAMAGE[name][1]
    assert code == 2, text
    assert text.startswith(f"error: {path}:{line}: ") and text.count("\n") == 1, text
    assert "Traceback" not in text and len(text) < 600
    assert path.read_bytes() == before


@pytest.mark.parametrize("name", ["an order for an unknown unit", "an illegal move"])
def test_a_rejected_order_is_named(good_log: list[str], tmp_path: Path, name: str) -> None:
    path = damaged(good_log, tmp_path, name)
    with pytest.raises(LogError, match=r":2: turn 1: the engine rejects \w+'s order (Hold|Move)\(unit='(ghost|b2)'"):
        replay(path)


def test_an_order_the_run_itself_saw_rejected_replays(tmp_path: Path) -> None:
    """A bot that gives an illegal order: the log records the rejection, and the replay accepts it."""
    from game.engine import Hold

    def clumsy(state: State, side: str, rng: Any) -> list[Any]:
        return [Hold("ghost")] if side == "red" else []

    path = tmp_path / "clumsy.jsonl"
    result = run_game(small_game(), 2, seed=1, log=path, bot=clumsy)
    assert '"rejected":[{"side":"red","order":{"@type":"Hold","unit":"ghost"}' in path.read_text()
    final, _ = replay(path)
    assert final.turn == result.final.turn


@pytest.mark.parametrize("cut", [1, 2, 3])
def test_a_log_cut_short_is_reported_with_the_turns_it_holds(good_log: list[str], tmp_path: Path, cut: int) -> None:
    """Cut 1: the end record is gone; 2: also the last turn's newline and half its line; 3: inside the header."""
    path = tmp_path / "cut.jsonl"
    text = "\n".join(good_log) + "\n"
    if cut == 1:
        path.write_text("\n".join(good_log[:-1]) + "\n")
        message = r"cut.jsonl: the log is incomplete .* no final record and holds turns 1-4, which replay"
    elif cut == 2:
        path.write_text(text[: text.index(good_log[4]) + len(good_log[4]) // 2])
        message = r"cut.jsonl:5: the log is cut short: its last line is incomplete; it holds turns 1-3, which replay"
    else:
        path.write_text(text[:100])
        message = r"cut.jsonl:1: the log is cut short: its header \(the first line\) is incomplete"
    with pytest.raises(LogError, match=message):
        replay(path)


def test_an_interrupted_run_leaves_a_log_that_says_so(tmp_path: Path) -> None:
    calls = 0

    def stops(state: State, side: str, rng: Any) -> list[Any]:
        nonlocal calls
        calls += 1
        if state.turn == 3:
            raise KeyboardInterrupt
        return []

    path = tmp_path / "stopped.jsonl"
    with pytest.raises(KeyboardInterrupt):
        run_game(small_game(), 5, seed=1, log=path, bot=stops)
    assert json.loads(path.read_text().splitlines()[-1]) == {"type": "interrupted", "reason": "stopped by Ctrl-C",
                                                             "turn": 2}
    with pytest.raises(LogError, match=r"stopped.jsonl:4: the log is from an interrupted run .* holds turns 1-2"):
        replay(path)
    assert [p.name for p in tmp_path.iterdir()] == ["stopped.jsonl"]


def test_the_log_appears_only_when_the_run_ends(tmp_path: Path) -> None:
    path = tmp_path / "game.jsonl"
    seen: list[list[str]] = []

    def watching(state: State, side: str, rng: Any) -> list[Any]:
        seen.append(sorted(p.name for p in tmp_path.iterdir()))
        return []

    run_game(small_game(), 2, seed=1, log=path, bot=watching)
    assert all(len(names) == 1 and re.fullmatch(r"\.game\.jsonl-[0-9a-f]{8}\.tmp", names[0]) for names in seen)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["game.jsonl"]


def test_random_damage_never_escapes_as_a_traceback(good_log: list[str], tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    """Seeded: 80 logs with one to three bytes of a turn or end line changed, inserted or deleted."""
    rng = random.Random(11)
    body = "\n".join(good_log[1:]) + "\n"
    head = good_log[0] + "\n"
    clean = 0
    for k in range(80):
        text = list(body)
        for _ in range(rng.randint(1, 3)):
            i = rng.randrange(len(text))
            op = rng.choice(("change", "insert", "delete"))
            char = rng.choice('{}[]",:0123456789abcdef \n-.eE\\ntfu')
            if op == "change":
                text[i] = char
            elif op == "insert":
                text.insert(i, char)
            else:
                del text[i]
        path = tmp_path / f"fuzz-{k}.jsonl"
        path.write_text(head + "".join(text))
        code, out = replay_cli(path, capsys)
        assert "Traceback" not in out
        if code == 0:
            clean += 1
        else:
            assert code == 2 and out.startswith(f"error: {path}") and out.count("\n") == 1, out
    assert clean < 80


# --- run --log


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, SDL_VIDEODRIVER="dummy")
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=300)


@pytest.mark.parametrize("kind", ["scenario", "text", "folder", "FIFO", "dangling link", "missing folder"])
def test_run_log_refuses_a_target_that_is_not_a_log(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                     kind: str) -> None:
    target = tmp_path / "target.yaml"
    if kind == "scenario":
        target.write_bytes(TINY.read_bytes())
    elif kind == "text":
        target = tmp_path / "notes.jsonl"
        target.write_text('{"type": "note"}\n')
    elif kind == "folder":
        target.mkdir()
    elif kind == "FIFO":
        os.mkfifo(target)
    elif kind == "dangling link":
        target.symlink_to(tmp_path / "elsewhere" / "x.jsonl")
    else:
        target = tmp_path / "nowhere" / "game.jsonl"
    before = sorted(p.name for p in tmp_path.iterdir())
    content = target.read_bytes() if target.is_file() else None
    code = main(["run", str(TINY), "--turns", "1", "--log", str(target)])
    err = capsys.readouterr().err
    assert code == 2 and err.startswith(f"error: --log {target}") and "Traceback" not in err, err
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    if content is not None:
        assert target.read_bytes() == content


def test_run_log_overwrites_an_old_log_or_an_empty_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "game.jsonl"
    target.write_text("")
    assert main(["run", str(TINY), "--turns", "1", "--log", str(target)]) == 0
    first = target.read_text()
    assert main(["run", str(TINY), "--turns", "1", "--seed", "8", "--log", str(target)]) == 0
    second = target.read_text()
    assert second != first and second.count("\n") == 3 and '"seed":8' in second.splitlines()[0]
    capsys.readouterr()


def test_a_damaged_log_in_a_fresh_process_is_one_error_line(good_log: list[str], tmp_path: Path) -> None:
    """The same as above through `python main.py replay`: exit 2, one `error:` line, no traceback."""
    broken = tmp_path / "broken.jsonl"
    broken.write_text("\n".join(good_log[:2]) + "\n" + '{"type":"turn","turn":2,"orders":null,"hash":""}\n')
    refused = run_cli("replay", str(broken))
    assert refused.returncode == 2 and refused.stderr == f"error: {broken}:3: orders: expected an object, got null\n"
    assert refused.stdout == ""
