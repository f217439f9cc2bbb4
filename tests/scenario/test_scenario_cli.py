"""The validate and schema subcommands, and the JSON Schema against the shipped scenarios."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

from game.scenario import scenario_json_schema
from game.scenario.cli import schema_main, validate_main

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
TINY = DATA / "good" / "tiny.yaml"
GOOD = sorted((DATA / "good").glob("*.yaml"))
SHIPPED = sorted((ROOT / "scenarios").glob("*.yaml"))


def test_validate_good_files(capsys: pytest.CaptureFixture[str]) -> None:
    assert validate_main([str(p) for p in GOOD]) == 0
    out = capsys.readouterr().out
    assert out.splitlines() == [f"{p}: ok" for p in GOOD]


def test_validate_mixed_files(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    bad = sorted((DATA / "bad").glob("*.yaml"))[:4]
    missing = tmp_path / "nope.yaml"
    assert validate_main([str(TINY), *map(str, bad), str(missing)]) == 2
    out = capsys.readouterr()
    assert f"{TINY}: ok" in out.out
    for path in [*bad, missing]:
        assert f"{path}:" in out.out and f"{path}: ok" not in out.out
    assert "Traceback" not in out.out + out.err
    for line in out.out.splitlines():
        assert line.endswith(": ok") or ": error: " in line or ": warning: " in line


def test_schema_main_prints_a_valid_json_schema(capsys: pytest.CaptureFixture[str]) -> None:
    assert schema_main() == 0
    schema = json.loads(capsys.readouterr().out)
    Draft202012Validator.check_schema(schema)
    assert schema == scenario_json_schema()
    assert {"meta", "map", "factions"} <= set(schema["required"])


def _plain(value: Any) -> Any:
    """YAML data as JSON would have it: dates become ISO strings."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


@pytest.mark.parametrize("path", GOOD + SHIPPED, ids=lambda p: p.name)
def test_scenarios_validate_against_the_json_schema(path: Path) -> None:
    data = _plain(yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader))
    validator = Draft202012Validator(scenario_json_schema())
    problems = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(data)]
    assert problems == []


def test_json_schema_rejects_what_the_validator_rejects() -> None:
    data = _plain(yaml.load(TINY.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader))
    validator = Draft202012Validator(scenario_json_schema())
    data["map"]["places"][0]["kind"] = "citty"
    data["units"][0]["strength"] = -1
    data["factions"][0]["colour"] = "red"
    data["events"][0]["when"].append({"turn": 2, "flag": "x"})
    data["meta"]["nonsense"] = 1
    assert len(list(validator.iter_errors(data))) == 5
