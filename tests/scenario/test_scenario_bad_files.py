"""Every broken fixture in tests/data/bad/ gives exit code 2 and an error at the expected line and column.

Each fixture's first line says what to expect: `# expect: LINE:COL words that the message contains`.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from game.scenario import ScenarioError, check_file, load_scenario
from game.scenario.cli import validate_main

DATA = Path(__file__).resolve().parent.parent / "data"
BAD = sorted((DATA / "bad").glob("*.yaml"))
EXPECT = re.compile(r"^# expect: (\d+):(\d+) (.+)$")


def expectation(path: Path) -> tuple[int, int, str]:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    match = EXPECT.match(first)
    assert match, f"{path.name}: the first line must be '# expect: LINE:COL words'"
    return int(match[1]), int(match[2]), match[3].strip()


def test_there_are_enough_bad_fixtures() -> None:
    assert len(BAD) >= 30


@pytest.mark.parametrize("path", BAD, ids=lambda p: p.stem)
def test_bad_fixture_is_reported_where_expected(path: Path) -> None:
    line, col, words = expectation(path)
    problems = check_file(path)
    errors = [p for p in problems if p.is_error]
    assert errors, f"{path.name}: no error reported"
    at = [p for p in errors if (p.line, p.col) == (line, col)]
    assert at, f"{path.name}: nothing at {line}:{col}; got {[str(p) for p in errors]}"
    assert any(words.lower() in p.message.lower() for p in at), (
        f"{path.name}: {words!r} not in {[p.message for p in at]}")
    for p in problems:
        assert p.file == str(path) and p.line >= 1 and p.col >= 1
        assert "internal error" not in p.message


@pytest.mark.parametrize("path", BAD, ids=lambda p: p.stem)
def test_bad_fixture_fails_validate_with_located_lines(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    line, col, _ = expectation(path)
    assert validate_main([str(path)]) == 2
    out = capsys.readouterr()
    assert f"{path}:{line}:{col}: error: " in out.out
    assert "Traceback" not in out.out + out.err
    assert f"{path}: ok" not in out.out


@pytest.mark.parametrize("path", BAD[:5], ids=lambda p: p.stem)
def test_load_scenario_raises_scenario_error(path: Path) -> None:
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert info.value.problems
    assert str(info.value).splitlines()[0].startswith(f"{path}:")
