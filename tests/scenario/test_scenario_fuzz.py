"""Whatever the input, the loader reports problems; it never raises anything but ScenarioError."""

from __future__ import annotations

import copy
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.scenario import ScenarioError, build_from_data, check_file, check_text, load_scenario_text
from game.scenario.problems import Problem

TINY = Path(__file__).resolve().parent.parent / "data" / "good" / "tiny.yaml"
TINY_TEXT = TINY.read_text(encoding="utf-8")
TINY_LINES = TINY_TEXT.splitlines(keepends=True)
TINY_DATA = yaml.load(TINY_TEXT, Loader=yaml.CSafeLoader)

FAST = settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])

SNIPPETS = ["*a", "&a ", "<<: ", "!!python/object ", "{", "}", "[", "]", "- ", ": ", "? ", "---\n", "\t", "'", '"',
            "~", "null", "yes", "-1", "1e999", ".nan", "2024-02-30", "id: homs", "\n", "#", "|\n", ">-\n", "!!set ",
            "&b [*b]", "\x00", "\ufeff", "é", "0x1F", "1:30"]


def assert_sane(problems: list[Problem]) -> None:
    assert isinstance(problems, list)
    for p in problems:
        assert isinstance(p, Problem) and p.line >= 1 and p.col >= 1 and p.message
        assert "internal error" not in p.message, str(p)
        assert "the engine rejected" not in p.message, str(p)


def assert_loads_or_reports(text: str) -> None:
    try:
        load_scenario_text(text, "fuzz")
    except ScenarioError as e:
        assert e.problems
        assert_sane(e.problems)


@FAST
@given(st.binary(max_size=400))
def test_random_bytes_in_a_file(raw: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fuzz.yaml"
        path.write_bytes(raw)
        assert_sane(check_file(path))


@FAST
@given(st.text(max_size=300))
def test_random_text(text: str) -> None:
    assert_sane(check_text(text, "fuzz"))
    assert_loads_or_reports(text)


@st.composite
def mutated_tiny(draw: st.DrawFn) -> str:
    lines = list(TINY_LINES)
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["delete", "duplicate", "insert", "replace", "truncate", "swap"]))
        if action == "delete":
            del lines[i]
        elif action == "duplicate":
            lines.insert(i, lines[i])
        elif action == "swap" and i + 1 < len(lines):
            lines[i], lines[i + 1] = lines[i + 1], lines[i]
        elif lines[i]:
            j = draw(st.integers(0, len(lines[i])))
            piece = draw(st.sampled_from(SNIPPETS) | st.text(max_size=6))
            if action == "insert":
                lines[i] = lines[i][:j] + piece + lines[i][j:]
            elif action == "replace":
                k = draw(st.integers(j, len(lines[i])))
                lines[i] = lines[i][:j] + piece + lines[i][k:]
            else:
                lines[i] = lines[i][:j] + "\n"
        if not lines:
            break
    return "".join(lines)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_tiny())
def test_mutations_of_tiny(text: str) -> None:
    assert_sane(check_text(text, "tiny"))
    assert_loads_or_reports(text)


def _paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(data, dict):
        for k, v in data.items():
            out += _paths(v, prefix + (k,))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out += _paths(v, prefix + (i,))
    return out


PATHS = _paths(TINY_DATA)[1:]
values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8) | st.dates()
    | st.sampled_from(["homs", "hts", "hezbollah", "lebanon_route", "all", "city", "gov_homs", "#12ab9F"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=6)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(PATHS), values), min_size=1, max_size=3))
def test_random_values_in_parsed_data(changes: list[tuple[tuple[Any, ...], Any]]) -> None:
    data = copy.deepcopy(TINY_DATA)
    for path, value in changes:
        cur = data
        try:
            for key in path[:-1]:
                cur = cur[key]
            cur[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            continue
    try:
        build_from_data(data, "fuzz")
    except ScenarioError as e:
        assert_sane(e.problems)


def test_a_negative_stacking_limit_is_a_located_error_not_a_crash() -> None:
    """Found by the fuzz test above: the unit-count check indexed its list with the limit."""
    data = copy.deepcopy(TINY_DATA)
    data.setdefault("rules", {}).setdefault("stacking", {})["city"] = -2
    with pytest.raises(ScenarioError) as e:
        build_from_data(data, "fuzz")
    assert "internal error" not in str(e.value) and "stacking" in str(e.value)
