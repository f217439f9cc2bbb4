"""Large maps: the reader's limits admit a whole country at village level (20,000 places) and still
refuse absurd files; the inline reading of common nodes builds exactly what the general path builds."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from bench.synthetic import geometric_game, scenario_yaml
from game.scenario import MAX_BYTES, check_text, load, parse_file, yamlread
from game.scenario.yamlread import MAX_NODES, Marks, read_yaml

ROOT = Path(__file__).resolve().parents[2]
OLD_MAX_NODES = 200_000
"""The value limit before 20,000-place maps were a use: a 5,000-place map was refused."""
PLACES = 5000


@pytest.fixture(scope="module")
def big_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("big") / "country.yaml"
    path.write_text(scenario_yaml(geometric_game(PLACES, seed=3), "Five thousand places"), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def big_values(big_file: Path) -> int:
    """Values (keys, items, scalars) the file holds, as the reader counts them."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("JUNCTION_CACHE_DIR", "")
        parsed = parse_file(big_file)
    assert parsed.problems == []
    return len(parsed.marks.entries)


@pytest.fixture(autouse=True)
def no_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JUNCTION_CACHE_DIR", "")


def test_more_places_than_the_old_limit_validate_and_load(big_file: Path, big_values: int) -> None:
    assert big_values > OLD_MAX_NODES
    loaded = load(big_file)
    assert loaded.world.board.n_places == PLACES
    assert not any(p.is_error for p in loaded.warnings)


def test_the_documented_limits_admit_20000_places_with_room(big_file: Path, big_values: int) -> None:
    """Per place, the 5,000-place file's bytes and values, four times over and half again, fit the limits."""
    scale = 20000 / PLACES * 1.5
    assert big_file.stat().st_size * scale < MAX_BYTES
    assert big_values * scale < MAX_NODES


@pytest.mark.parametrize("text", [
    "x: [" + ", ".join(["1"] * 3000) + "]\n",
    "x: {" + ", ".join(f"k{i}: 1" for i in range(2000)) + "}\n",
    "x:\n" + "".join(f"  - {{a: {i}}}\n" for i in range(1500)),
], ids=["list", "mapping", "items"])
def test_too_many_values_is_one_located_error(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr(yamlread, "MAX_NODES", 1000)
    (problem,) = check_text(text, "t")
    assert problem.is_error and problem.line >= 1 and "more than 1,000 values" in problem.message


def test_oversize_text_is_refused_before_reading() -> None:
    (problem,) = check_text("a: 1\n" + "#" * MAX_BYTES, "t")
    assert (problem.line, problem.col) == (1, 1) and "size limit" in problem.message


# --- the inline path against the general one

TRICKY = [
    "a: &a {x: 1, y: [1, {z: 2}]}\nb: *a\nc:\n  <<: *a\n  x: 5\n",
    "d:\n  <<: [{w: 1, x: 9}, {v: 2}]\n  v: 1\n",
    "e: {x: 1, x: 2}\nf: [1, &s 3, *s]\n",
    "g: !!str 12\nh: !!set {a: 1}\n'<<': 3\n",
    "k:\n  m: 1\n  m: {n: 1}\n  m: [1, 2, 3]\n",
    "? [1]\n: 2\n",
    "1: a\nyes: b\n~: c\n2024-01-01: d\n",
    "- a\n- [b, {c: d}]\n- {e: [f, g]}\n",
    "plain\n",
]


def general_path(text: str) -> tuple[Any, Marks, list[tuple[int, int, str, Any]]]:
    """Read with every event through the general (slow) path, for comparison."""
    builder = yamlread._Builder()
    loader = yaml.CSafeLoader(text)
    try:
        while True:
            event = loader.get_event()
            if event is None or type(event) is yaml.events.StreamEndEvent:
                break
            builder.feed(event)
    except yamlread._Stop:
        pass
    finally:
        loader.dispose()
    issues = [(i.line, i.col, i.message, i.loc) for i in builder.issues]
    return builder.root, Marks(builder.root_mark), issues


def locations(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(data, dict):
        for k, v in data.items():
            out += locations(v, prefix + (k,))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out += locations(v, prefix + (i,))
    return out


@pytest.mark.parametrize("text", TRICKY + [(ROOT / "scenarios" / "homs_junction.yaml").read_text(encoding="utf-8")],
                         ids=[f"tricky{i}" for i in range(len(TRICKY))] + ["homs_junction"])
def test_inline_reading_builds_what_the_general_path_builds(text: str) -> None:
    data, marks, issues = read_yaml(text)
    slow_data, slow_marks, slow_issues = general_path(text)
    assert [(i.line, i.col, i.message, i.loc) for i in issues] == slow_issues
    assert repr(data) == repr(slow_data)
    for loc in locations(data):
        assert marks.at(loc) == slow_marks.at(loc), loc
        assert marks.at(loc, key=True) == slow_marks.at(loc, key=True), loc
        assert marks.at(loc + ("absent",)) == slow_marks.at(loc), loc


@pytest.mark.parametrize("text", TRICKY[:3] + [(ROOT / "scenarios" / "homs_junction.yaml").read_text(encoding="utf-8")],
                         ids=["aliases", "merges", "duplicates", "homs_junction"])
def test_positions_as_integers_rebuild_the_marks(text: str) -> None:
    data, marks, _ = read_yaml(text)
    flat = yamlread.flatten(data, marks.root)
    assert flat is not None
    rebuilt = Marks(yamlread.unflatten(data, flat))
    for loc in locations(data):
        assert rebuilt.at(loc) == marks.at(loc) and rebuilt.at(loc, key=True) == marks.at(loc, key=True), loc


def test_keys_json_cannot_keep_give_no_integer_positions() -> None:
    for odd in ("1: a\n", '"\\0date": 1\n', "a: {yes: 1}\n", "a: [{~: 1}]\n"):
        data, marks, _ = read_yaml(odd)
        assert yamlread.flatten(data, marks.root) is None, odd


@pytest.mark.parametrize("argv", [["validate"], ["lint"], ["run", "--turns", "1"]])
def test_a_command_reads_the_scenario_file_once(argv: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    """The AI block's check uses the file as the validator read it: a 20,000-place map is not read twice."""
    from game.cli import main
    from game.scenario import loader

    path = tmp_path / "tiny.yaml"
    path.write_text((ROOT / "tests" / "data" / "good" / "tiny.yaml").read_text(encoding="utf-8")
                    + "ai:\n  hts: {aggresion: 1.2}\n", encoding="utf-8")
    reads: list[str] = []
    real = loader.parse_text

    def counted(text: str, name: str = "<string>", **kw: Any) -> Any:
        reads.append(name)
        return real(text, name, **kw)

    monkeypatch.setattr(loader, "parse_text", counted)
    assert main([argv[0], str(path), *argv[1:]]) == 2
    err = capsys.readouterr()
    assert "aggresion" in err.out + err.err and f"{path}:" in err.out + err.err
    assert reads == [str(path)]
