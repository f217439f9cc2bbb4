"""Validate means it runs: a scenario `validate` accepts can be played by `run`, `render` and `simulate`.

Extreme numbers (1e308, 1e-300, 2**63, negative, at and beyond every bound) are put into a small valid
scenario; `validate` must refuse the result with a located error (exit 2), or `run` must play it (exit 0)
with no traceback and no numeric overflow.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import io
import json
import re
import tempfile
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.cli import main
from game.engine import crt, game_to_dict
from game.engine.integrity import game_problems
from game.engine.rules import Rules
from game.scenario import check_file, load_scenario
from game.scenario.rulesblock import rule_limits
from game.sim.batch_cli import simulate_main

TINY = Path(__file__).resolve().parent.parent / "data" / "good" / "tiny.yaml"
TINY_DATA: dict[str, Any] = yaml.safe_load(TINY.read_text(encoding="utf-8"))

Path_ = tuple[str | int, ...]


def numeric_paths(node: Any, path: Path_ = ()) -> list[Path_]:
    """Every number in the data, by its path."""
    if isinstance(node, dict):
        return [p for k, v in node.items() for p in numeric_paths(v, path + (k,))]
    if isinstance(node, list):
        return [p for i, v in enumerate(node) for p in numeric_paths(v, path + (i,))]
    return [path] if isinstance(node, (int, float)) and not isinstance(node, bool) else []


def rule_paths() -> list[Path_]:
    """Every rule, and every entry of a table rule."""
    out: list[Path_] = []
    for name, default, _ in Rules.describe():
        out += [("rules", name, key) for key in default] if isinstance(default, dict) else [("rules", name)]
    return out


SET_RULE = {"id": "fuzz_event", "title": "Fuzz", "when": [{"turn": 1}],
            "effects": [{"set_rule": {"name": "combat_k", "value": 4.0}},
                        {"set_capacity": {"patron": "hezbollah", "delta": 1.0}}]}
BASE: dict[str, Any] = {**copy.deepcopy(TINY_DATA), "events": [*TINY_DATA["events"], SET_RULE],
                        "ai": {"default": {"aggression": 1.0, "noise": 0.0}}}
PATHS = sorted(set(numeric_paths(BASE)) | set(rule_paths()), key=str)
EXTREMES = [-1e308, -1.0, -0.0, 0, 1e-300, 0.5, 1, 10, 1000, 40_000, 1e6, 1e6 + 1, 1e9, 1e100, 1e308, 10**30,
            2**63, -(2**63)]


def put(data: dict[str, Any], path: Path_, value: Any) -> None:
    node: Any = data
    for key in path[:-1]:
        node = node.setdefault(key, {}) if isinstance(node, dict) else node[key]
    node[path[-1]] = value


def run_cli(argv: list[str]) -> tuple[int, str, str]:
    """`python main.py ARGV` in this process, with numeric overflow (a RuntimeWarning) as an error."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


def refused_with_location_or_plays(data: dict[str, Any], folder: Path) -> str:
    """'refused' or 'played'; fails the test on anything else."""
    path = folder / "extreme.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    code, out, err = run_cli(["validate", str(path)])
    if code != 0:
        assert code == 2, err
        errors = [line for line in out.splitlines() if ": error: " in line]
        located = re.compile(rf"^{re.escape(str(path))}:\d+:\d+: error: \S")
        assert errors and all(located.match(line) for line in errors), out
        return "refused"
    assert out.strip().endswith("extreme.yaml: ok"), out
    _, state = load_scenario(path)
    saved = json.loads(json.dumps(game_to_dict(state)))
    assert game_problems(saved) == [], "a save (or order log) of this valid scenario would not load"
    code, out, err = run_cli(["run", str(path), "--turns", "3"])
    assert code == 0 and "final state hash" in out, err
    assert "Traceback" not in err
    return "played"


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(PATHS), st.sampled_from(EXTREMES)), min_size=1, max_size=3))
def test_extreme_numbers_are_refused_with_a_location_or_played(changes: list[tuple[Path_, Any]]) -> None:
    data = copy.deepcopy(BASE)
    for path, value in changes:
        put(data, path, value)
    with tempfile.TemporaryDirectory() as tmp:
        refused_with_location_or_plays(data, Path(tmp))


@pytest.mark.parametrize("path", PATHS, ids=[".".join(map(str, p)) for p in PATHS])
def test_1e308_anywhere_is_refused_or_played(path: Path_, tmp_path: Path) -> None:
    data = copy.deepcopy(BASE)
    put(data, path, 1e308)
    refused_with_location_or_plays(data, tmp_path)


def edge_scenario(edge: int, strength: float) -> dict[str, Any]:
    """Every rule at its lower (edge 0) or upper (edge 1) bound, and the scenario's own numbers at theirs."""
    data = copy.deepcopy(BASE)
    rules: dict[str, Any] = {}
    for name, default, _ in Rules.describe():
        if isinstance(default, bool):
            rules[name] = bool(edge)
            continue
        bound = rule_limits(name)[edge]
        value: Any = int(bound) if isinstance(default, dict) and isinstance(next(iter(default.values())), int) \
            else bound
        rules[name] = {key: value for key in default} if isinstance(default, dict) else value
    data["rules"] = rules
    for unit in data["units"]:
        unit.update(strength=strength, quality=(0.5, 1.5)[edge], cohesion=float(edge))
    for place in data["map"]["places"]:
        place.update(value=(0.0, 1e6)[edge], fort=(0, 3)[edge])
    for route in data["map"]["routes"]:
        route["length_km"] = (0.0, 40_000.0)[edge]
    for patron in data["patrons"]:
        patron.update(capacity=(0.0, 1000.0)[edge], reserve=(0.0, 1e8)[edge],
                      support={"air": float(edge), "ground": float(edge), "supply": float(edge)})
    for vc in data["victory"]:
        vc["points"] = (-1e6, 1e6)[edge]
    for bm in data["benchmarks"]:
        bm["weight"] = (0.0, 1e6)[edge]
    data["ai"] = {"default": {"aggression": (0, 1_000_000)[edge], "noise": (0, 1_000_000)[edge]}}
    data["events"][-1]["effects"][0]["set_rule"] = {"name": "combat_k", "value": rule_limits("combat_k")[edge]}
    return data


def vanishing(side: str) -> dict[str, Any]:
    """The default rules, one side's units at 1e-300 personnel (an attack ratio far past any float power)."""
    data = copy.deepcopy(BASE)
    for unit in data["units"]:
        if unit["faction"] == side:
            unit["strength"] = 1e-300
    return data


EDGES = {"lowest": edge_scenario(0, 1e-300), "highest": edge_scenario(1, 1e6), "vanishing hts": vanishing("hts"),
         "vanishing government": vanishing("government"),
         "highest, free actions": {**edge_scenario(1, 1e6), "rules": {
             **edge_scenario(1, 1e6)["rules"], "cost_air_strike": 0.0, "cost_reinforce": 0.0,
             "cost_supply_surge": 0.0}}}


@pytest.mark.parametrize("name", list(EDGES))
def test_a_scenario_at_the_edges_is_valid_and_run_render_and_simulate_play_it(
        name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert refused_with_location_or_plays(EDGES[name], tmp_path) == "played"
    scenario = str(tmp_path / "extreme.yaml")
    png = tmp_path / "edge.png"
    code, _, err = run_cli(["render", scenario, "-o", str(png), "--size", "400x300", "--turns", "2",
                            "--mode", "supply", "--side", "hts"])
    assert code == 0 and png.stat().st_size > 0, err
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        assert simulate_main([scenario, "--runs", "2", "--turns", "2", "--workers", "1", "--quiet"]) == 0
    capsys.readouterr()


def test_a_huge_benchmark_weight_is_refused_where_it_is_written(tmp_path: Path) -> None:
    """A weight the engine would refuse in a save or an order log (over 1e12) is refused by validate, at
    the weight, with the bound: before, 1e308 validated, played, and its order log was 'damaged'."""
    data = copy.deepcopy(BASE)
    data["benchmarks"][0]["weight"] = 1e308
    assert refused_with_location_or_plays(data, tmp_path) == "refused"
    [message] = [p.message for p in check_file(tmp_path / "extreme.yaml") if p.is_error]
    assert message == "benchmarks[bm_gov_homs].weight: must be at most 1000000, got 1e+308"


def calendar(start: str, turn_days: int, turns: int) -> dict[str, Any]:
    data = copy.deepcopy(BASE)
    data["meta"].update(start_date=start, turn_days=turn_days, turns=turns)
    for vc in data["victory"] + data.get("benchmarks", []):
        vc.pop("by_turn", None)
    return data


LAST_START = (dt.date.max - dt.timedelta(days=6 * 366)).isoformat()
"""The latest start of a 6-turn game of 366-day turns."""


@pytest.mark.parametrize(("start", "turn_days", "turns", "outcome"), [
    ("9999-12-31", 1, 6, "refused"),
    ("9999-12-30", 1, 1, "played"),
    (LAST_START, 366, 6, "played"),
    ((dt.date.fromisoformat(LAST_START) + dt.timedelta(days=1)).isoformat(), 366, 6, "refused"),
    ("0001-01-01", 366, 10_000, "refused"),
    ("0001-01-01", 366, 6, "played"),
])
def test_a_calendar_past_9999_is_refused_at_the_start_date(start: str, turn_days: int, turns: int, outcome: str,
                                                           tmp_path: Path) -> None:
    data = calendar(start, turn_days, turns)
    assert refused_with_location_or_plays(data, tmp_path) == outcome
    if outcome == "refused":
        text = (tmp_path / "extreme.yaml").read_text(encoding="utf-8").splitlines()
        line = next(i for i, t in enumerate(text, start=1) if t.strip().startswith("start_date:"))
        _, out, _ = run_cli(["validate", str(tmp_path / "extreme.yaml")])
        assert out.splitlines()[0].startswith(f"{tmp_path / 'extreme.yaml'}:{line}:") and "meta.start_date" in out
    else:
        code, out, err = run_cli(["run", str(tmp_path / "extreme.yaml"), "--turns", "10000"])
        assert code == 0 and "Game over" in out, err


def test_set_rule_values_are_checked_against_the_rule_range(tmp_path: Path) -> None:
    data = copy.deepcopy(BASE)
    data["events"][-1]["effects"][0]["set_rule"] = {"name": "combat_r0", "value": 0.0}
    assert refused_with_location_or_plays(data, tmp_path) == "refused"
    _, out, _ = run_cli(["validate", str(tmp_path / "extreme.yaml")])
    assert "set_rule.value" in out and "combat_r0" in out


def test_rule_ranges_hold_the_defaults() -> None:
    for name, default, _ in Rules.describe():
        lo, hi = rule_limits(name)
        for value in default.values() if isinstance(default, dict) else [default]:
            assert lo <= value <= hi, name


def test_the_engine_guards_stay_cheap_and_total() -> None:
    """Past the scenario layer's bounds, two guards remain: a date past 9999 and a vanishing attacker."""
    world, state = load_scenario(TINY)
    assert world.date_of(10**7) == "9999-12-31"
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        assert crt.success_chance(state, 1e-300) == 0.0
        assert crt.success_chance(state, np.float64(1e-300)) == 0.0
        assert crt.base_column(1e300, crt.table(state)[1]) > 0
    assert 0.0 < crt.success_chance(state, 3.0) <= 1.0


@pytest.mark.parametrize(("written", "quoted", "hint"), [
    ("1e100", False, "write 1.0e+100"), ("1.0e100", False, "write 1.0e+100"), ("2e+3", False, "write 2.0e+3"),
    ("'1.0e+100'", True, "remove the quotes"), ("'2500'", True, "remove the quotes"),
])
def test_a_number_yaml_reads_as_text_gets_the_fix_that_works(written: str, quoted: bool, hint: str, tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    """YAML takes an exponent without a decimal point and a sign as text: the message gives the spelling it
    reads as a number (and that spelling loads), not 'remove the quotes' the author never wrote."""
    text = re.sub(r"strength: [0-9.]+", f"strength: {written}", TINY.read_text(encoding="utf-8"), count=1)
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    assert main(["validate", str(path)]) == 2
    out = capsys.readouterr().out
    where = rf"{re.escape(str(path))}:\d+:\d+: error: units\[\w+\]\.strength: "
    assert re.match(rf"{where}expected a number, .*\(.*{re.escape(hint)}\)$", out), out
    if not quoted:
        fixed = hint.removeprefix("write ")
        path.write_text(re.sub(r"strength: [0-9.]+", f"strength: {fixed}", TINY.read_text(encoding="utf-8"),
                               count=1), encoding="utf-8")
        assert main(["validate", str(path)]) in (0, 2)  # a number now: refused only by its range, if at all
        assert "expected a number" not in capsys.readouterr().out
