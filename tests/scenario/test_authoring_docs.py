"""docs/authoring.md stays true: every command it shows prints what it shows, its example files are there
and end clean, every shipped scenario carries the editor modeline, and the shipped schemas are current."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from game.cli import main
from game.scenario import check_file, scenario_json_schema
from game.scenario.lint import lint_file
from game.scenario.loader import read_file
from game.scenario.schema import variant_json_schema

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "authoring.md"
EXAMPLES = ROOT / "docs" / "examples"
SCENARIOS = ROOT / "scenarios"
MODELINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)$")
REGENERATE = {"scenario.schema.json": ("", scenario_json_schema), "variant.schema.json": (" --variant",
                                                                                          variant_json_schema)}


def console_blocks() -> list[tuple[str, list[str]]]:
    """(command, expected output lines) for each `$ python main.py …` in the doc's console blocks."""
    out: list[tuple[str, list[str]]] = []
    for block in re.findall(r"```console\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S):
        for line in block.splitlines():
            if line.startswith("$ "):
                out.append((line[2:], []))
            else:
                out[-1][1].append(line)
    return out


COMMANDS = console_blocks()


def test_the_walkthrough_shows_validate_and_lint_at_each_step() -> None:
    commands = [c for c, _ in COMMANDS]
    assert len(commands) >= 7
    assert {c.split()[2] for c in commands} == {"validate", "lint"}


@pytest.mark.parametrize(("command", "expected"), COMMANDS, ids=[c for c, _ in COMMANDS])
def test_each_command_prints_what_the_doc_shows(command: str, expected: list[str], monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(ROOT)
    words = command.split()
    assert words[:2] == ["python", "main.py"]
    code = main(words[2:])
    assert capsys.readouterr().out.splitlines() == expected
    text = "\n".join(expected)
    assert code == (2 if ": error: " in text else 1 if ": warning: " in text else 0)


def test_every_example_file_is_in_the_walkthrough() -> None:
    doc = DOC.read_text(encoding="utf-8")
    for path in EXAMPLES.glob("*.yaml"):
        assert f"examples/{path.name}" in doc, path.name


@pytest.mark.parametrize("name", ["two_rivers.yaml", "two_rivers_flood.yaml"])
def test_the_finished_examples_validate_and_lint_clean(name: str) -> None:
    assert check_file(EXAMPLES / name) == []
    assert lint_file(EXAMPLES / name) == []


@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*.yaml")) + sorted(EXAMPLES.glob("*.yaml")),
                         ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_scenario_names_its_schema_on_its_first_line(path: Path) -> None:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    match = MODELINE.match(first)
    assert match, f"{path.name}: the first line must be '# yaml-language-server: $schema=…'"
    schema = (path.parent / match[1]).resolve()
    is_variant = "extends" in read_file(path).data
    assert schema.parent == SCENARIOS and schema.is_file()
    assert schema.name == ("variant.schema.json" if is_variant else "scenario.schema.json")


@pytest.mark.parametrize("name", sorted(REGENERATE))
def test_the_shipped_schemas_are_current(name: str) -> None:
    flag, make = REGENERATE[name]
    shipped = json.loads((SCENARIOS / name).read_text(encoding="utf-8"))
    assert shipped == make(), (f"scenarios/{name} is out of date: run "
                               f"`python main.py schema{flag} -o scenarios/{name}`")
