"""Messages read as English: the right article, singular for one, no field name used as a noun it is not,
and no suggestion that is not near what was written."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from game.scenario import check_file, check_text

TINY = Path(__file__).resolve().parents[1] / "data" / "good" / "tiny.yaml"


def errors_with(**changes: object) -> list[str]:
    data = yaml.safe_load(TINY.read_text(encoding="utf-8"))
    for key, change in changes.items():
        assert callable(change)
        change(data[key])
    return [p.message for p in check_text(yaml.safe_dump(data, sort_keys=False)) if p.is_error]


def test_an_effect_and_a_unit() -> None:
    def bad_effects(events: list[dict[str, object]]) -> None:
        events[0]["effects"] = [5, {"add_unit": 3}]

    messages = errors_with(events=bad_effects)
    assert any("expected an effect mapping" in m for m in messages), messages
    assert any("expected a unit mapping" in m for m in messages), messages


def test_a_bad_item_of_a_list_is_not_a_valid_choice() -> None:
    def bad_action(patrons: list[dict[str, object]]) -> None:
        patrons[0]["actions"] = ["air_strik"]

    messages = errors_with(patrons=bad_action)
    [message] = [m for m in messages if "air_strik" in m]
    assert "'air_strik' is not a valid choice: expected" in message and "did you mean 'air_strike'" in message


def test_one_character_is_singular() -> None:
    def empty_short(factions: list[dict[str, object]]) -> None:
        factions[0]["short"] = ""

    messages = errors_with(factions=empty_short)
    assert any("must have at least 1 character," in m for m in messages), messages


def test_a_missing_parent_gets_no_far_fetched_suggestion(tmp_path: Path) -> None:
    (tmp_path / "t.yaml").write_text(TINY.read_text(encoding="utf-8"), encoding="utf-8")
    far = tmp_path / "far.yaml"
    far.write_text("extends: base.yaml\n", encoding="utf-8")
    [problem] = check_file(far)
    assert "no scenario file 'base.yaml'" in problem.message and "did you mean" not in problem.message
    near = tmp_path / "near.yaml"
    near.write_text("extends: t.yml\n", encoding="utf-8")
    [problem] = check_file(near)
    assert "did you mean 't.yaml'" in problem.message


def test_a_misspelt_parent_in_another_folder_is_suggested_from_that_folder(tmp_path: Path) -> None:
    """The did-you-mean looks where the name points, and keeps the folder part as written: before, it
    looked in the variant's own folder, so `../scenarios/homs_junktion.yaml` got no suggestion."""
    shipped = tmp_path / "scenarios"
    shipped.mkdir()
    (shipped / "two_rivers.yaml").write_text(TINY.read_text(encoding="utf-8"), encoding="utf-8")
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.yaml").write_text("meta: {}\n", encoding="utf-8")
    variant = mine / "flood.yaml"
    variant.write_text("extends: ../scenarios/two_rviers.yaml\n", encoding="utf-8")
    [problem] = check_file(variant)
    assert (problem.line, problem.col) == (1, 10)
    assert problem.message.endswith("(did you mean '../scenarios/two_rivers.yaml'?)"), problem.message
    variant.write_text("extends: ../nowhere/two_rivers.yaml\n", encoding="utf-8")
    [problem] = check_file(variant)
    assert "no scenario file '../nowhere/two_rivers.yaml'" in problem.message and "did you mean" not in problem.message


YAML_LAYOUT = [
    # (the tiny scenario's line, what the new author wrote instead, line:col, the end of the message)
    ("  turns: 6\n", "  turns: 6\n\tseed: 4\n", (7, 1),
     "; indent with spaces: YAML does not allow tabs in indentation"),
    ("  description: A seven-place test board around Homs.\n",
     "  description: Homs: a seven-place test board.\n", (7, 20),
     "; a ': ' inside a value starts a mapping: put text that contains ': ' in quotes "
     "(e.g. title: \"Homs: the gap\")"),
    ("  turns: 6\n", "  turns: 6\n    seed: 4\n", (7, 9),
     "; check this line's indentation: it is indented more than the key above it, as if it were inside it"),
    ("  turns: 6\n", "  turns: 6\n seed: 4\n", (7, 2),
     "; check this line's indentation: each key of a mapping starts in the same column as the others"),
    ("    capacity: 2\n", "  capacity: 2\n", (60, 3),
     "; check this line's indentation: at this column YAML expects the next '- ' item of the list above "
     "(a key that belongs elsewhere must line up with the keys it goes with)"),
    ("name: Homs garrison,", "name: Homs: garrison,", (64, 51),
     "; in {...} a ': ' inside a value ends it: put text that contains ': ' in quotes "
     "(e.g. title: \"Homs: the gap\"), or, if a new key starts here, put a ',' before it"),
    ("name: Homs garrison, type", "name: Homs garrison type", (64, 65),
     "or, if a new key starts here, put a ',' before it"),
]


@pytest.mark.parametrize(("line", "written", "at", "hint"), YAML_LAYOUT,
                         ids=["tab", "colon in text", "over-indented", "under-indented", "key beside a list",
                              "colon in a {...} value", "comma missing in {...}"])
def test_a_layout_mistake_says_how_to_fix_it(line: str, written: str, at: tuple[int, int], hint: str) -> None:
    text = TINY.read_text(encoding="utf-8")
    assert line in text
    [problem] = check_text(text.replace(line, written, 1), "t.yaml")
    assert (problem.line, problem.col) == at, problem
    assert problem.message.startswith("not valid YAML: ") and problem.message.endswith(hint), problem.message


def test_the_layout_hint_is_linear_on_a_hostile_line() -> None:
    """400,000 characters of ': ' on one line, in a block and in {...}: the hints are string operations, no
    backtracking (a quadratic one would show as a hang here, as one did once)."""
    [problem] = check_text("meta:\n  title: " + "a: " * 133_000 + "\n", "t.yaml")
    assert "put text that contains ': ' in quotes" in problem.message
    [problem] = check_text("meta: {title: " + "a: " * 133_000 + "}\n", "t.yaml")
    assert "put text that contains ': ' in quotes" in problem.message


def test_an_empty_list_that_needs_an_item_says_so_in_the_singular() -> None:
    """Before: 'needs at least 1 item(s)'. An optional list names the default that leaving it out gives."""
    def no_audience(events: list[dict[str, object]]) -> None:
        events[0]["audience"] = []

    def no_sides(teams: list[dict[str, object]]) -> None:
        teams[0]["sides"] = []

    assert "events[hezbollah_pulls_back].audience: needs at least 1 item, got an empty list; leave the key out " \
           "for the default, [all]" in errors_with(events=no_audience)
    assert "teams[blue].sides: needs at least 1 item, got an empty list" in errors_with(teams=no_sides)


def test_a_second_id_in_one_item_suggests_the_missing_dash() -> None:
    """A new item written without its '- ' merges into the item above: its keys are duplicates there."""
    text = TINY.read_text(encoding="utf-8")
    old = "  - {id: blue, name: Government and allies, sides: [government, hezbollah]}\n"
    assert old in text
    written = "  - id: blue\n    name: Government and allies\n    sides: [government, hezbollah]\n    id: green\n"
    problems = [p for p in check_text(text.replace(old, written), "t.yaml") if p.is_error]
    [dup] = [p for p in problems if "duplicate key 'id'" in p.message]
    assert (dup.line, dup.col) == (text.splitlines().index(old.rstrip("\n")) + 4, 5)
    assert dup.message.endswith("only one of them would be used; if it starts another item of the list, "
                                "begin its line with '- '"), dup.message
    meta = [p.message for p in check_text(text.replace("  turns: 6\n", "  turns: 6\n  turns: 7\n"), "t.yaml")]
    assert meta == ["meta: duplicate key 'turns' (first given on line 6); only one of them would be used"], meta


def test_the_id_of_another_kind_of_thing_is_named_as_such() -> None:
    """A patron's id where a faction's is asked (a common slip: the patron and its forces' faction differ)
    says so, and still suggests the nearest faction."""
    def patron_as_faction(units: list[dict[str, object]]) -> None:
        units[0]["faction"] = "hezbollah"
        units[1]["faction"] = "homs"

    messages = errors_with(units=patron_as_faction)
    [patron] = [m for m in messages if "'hezbollah'" in m]
    assert patron.endswith("unknown faction 'hezbollah': that is a patron's id, not a faction's; expected one of "
                           "government or hts")
    [place] = [m for m in messages if "'homs'" in m]
    assert "unknown faction 'homs': that is a place's id, not a faction's" in place
    [typo] = [m for m in errors_with(units=lambda u: u[0].update(faction="hts_")) if "'hts_'" in m]
    assert "that is" not in typo and "did you mean 'hts'" in typo  # a plain typo reads as before
