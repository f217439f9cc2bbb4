"""The validate and schema subcommands, and the JSON Schema against the shipped scenarios."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

from game.scenario import parse_file, scenario_json_schema
from game.scenario.cli import schema_main, validate_main
from game.scenario.schema import variant_json_schema

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


def _schema_problems(schema: dict[str, Any], data: Any) -> list[str]:
    validator = Draft202012Validator(schema)
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(_plain(data))]


@pytest.mark.parametrize("path", GOOD + SHIPPED, ids=lambda p: p.name)
def test_scenarios_validate_against_the_json_schema(path: Path) -> None:
    """What an editor checks as the author types: a whole file against the scenario schema, a variant against
    the variant schema (and what it resolves to against the scenario schema)."""
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    if "extends" in data:
        assert _schema_problems(variant_json_schema(), data) == []
        data = parse_file(path).data
    assert _schema_problems(scenario_json_schema(), data) == []


def test_the_variant_schema_requires_extends_and_nothing_else() -> None:
    schema = variant_json_schema()
    Draft202012Validator.check_schema(schema)
    assert _schema_problems(schema, {"extends": "a.yaml", "units": [{"id": "x", "strength": 5}]}) == []
    assert _schema_problems(schema, {"meta": {"title": "no parent"}}) != []
    assert _schema_problems(schema, {"extends": "a.yaml", "units": [{"id": "x", "strength": -5}]}) != []


def test_schema_main_writes_a_file_atomically(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "scenario.schema.json"
    out.write_text("old", encoding="utf-8")
    assert schema_main(str(out)) == 0
    assert json.loads(out.read_text(encoding="utf-8")) == scenario_json_schema()
    assert schema_main(str(out), variant=True) == 0
    assert json.loads(out.read_text(encoding="utf-8")) == variant_json_schema()
    assert [p.name for p in tmp_path.iterdir()] == [out.name], "no temporary file is left behind"
    capsys.readouterr()


@pytest.mark.parametrize("where", ["missing/x.json", "file.txt/x.json", "."])
def test_schema_main_reports_a_file_it_cannot_write(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                    where: str) -> None:
    (tmp_path / "file.txt").write_text("keep", encoding="utf-8")
    target = tmp_path / where
    assert schema_main(str(target)) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: cannot write {target}: ") and "Traceback" not in err
    assert (tmp_path / "file.txt").read_text(encoding="utf-8") == "keep"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file.txt"]


def test_the_schema_subcommand_takes_an_output_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from game.cli import main

    out = tmp_path / "variant.schema.json"
    assert main(["schema", "--variant", "-o", str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["required"] == ["extends"]
    assert main(["schema", "-o", str(tmp_path / "no" / "such" / "x.json")]) == 2
    assert "error: cannot write" in capsys.readouterr().err


def test_json_schema_rejects_what_the_validator_rejects() -> None:
    data = _plain(yaml.load(TINY.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader))
    validator = Draft202012Validator(scenario_json_schema())
    data["map"]["places"][0]["kind"] = "citty"
    data["units"][0]["strength"] = -1
    data["factions"][0]["colour"] = "red"
    data["events"][0]["when"].append({"turn": 2, "flag": "x"})
    data["meta"]["nonsense"] = 1
    assert len(list(validator.iter_errors(data))) == 5
