"""Variants: `extends:` merges a child onto its parent by the rules of docs/authoring.md, and every
problem is reported in the file that gave the value, at that file's line and column."""

from __future__ import annotations

import copy
import pickle
from pathlib import Path
from typing import Any

import pytest

from game.scenario import ScenarioError, check_file, load, parse_file
from game.scenario.loader import read_file
from game.scenario.variants import FileLine

ROOT = Path(__file__).resolve().parents[2]
TINY = ROOT / "tests" / "data" / "good" / "tiny.yaml"
SCENARIOS = ROOT / "scenarios"


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def parent(tmp_path: Path) -> Path:
    return write(tmp_path, "tiny.yaml", TINY.read_text(encoding="utf-8"))


def line_of(path: Path, text: str) -> int:
    """1-based number of the first line of `path` containing `text`."""
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line)


def resolved(path: Path) -> dict[str, Any]:
    parsed = parse_file(path)
    assert [str(p) for p in parsed.problems] == []
    assert isinstance(parsed.data, dict)
    return parsed.data


def test_mappings_merge_key_by_key(parent: Path) -> None:
    child = write(parent.parent, "child.yaml", "extends: tiny.yaml\nmeta: {title: Changed, turns: 4}\n"
                                               "rules: {stacking: {city: 9}}\n")
    want = copy.deepcopy(resolved(parent))
    want["meta"].update(title="Changed", turns=4)
    want["rules"]["stacking"]["city"] = 9
    assert resolved(child) == want


def test_lists_with_ids_merge_by_id_and_new_items_come_last(parent: Path) -> None:
    child = write(parent.parent, "child.yaml", "extends: tiny.yaml\nunits:\n"
                                               "  - {id: new_unit, faction: hts, name: New, type: infantry, "
                                               "place: hama, strength: 100}\n"
                                               "  - {id: gov_homs, strength: 9000}\n")
    want = copy.deepcopy(resolved(parent))
    want["units"][0]["strength"] = 9000
    want["units"].append({"id": "new_unit", "faction": "hts", "name": "New", "type": "infantry", "place": "hama",
                          "strength": 100})
    assert resolved(child) == want
    assert load(child).state.units[-1].id == "new_unit"


def test_routes_merge_by_their_two_ends_in_either_order(parent: Path) -> None:
    child = write(parent.parent, "child.yaml", "extends: tiny.yaml\nmap:\n  routes:\n"
                                               "    - {a: rastan, b: homs, open: false}\n")
    data = resolved(child)
    routes = data["map"]["routes"]
    assert len(routes) == len(resolved(parent)["map"]["routes"])
    assert routes[2] == {"a": "rastan", "b": "homs", "kind": "highway", "name": "M5", "open": False}


def test_other_lists_are_replaced_and_an_empty_list_empties(parent: Path) -> None:
    child = write(parent.parent, "child.yaml", "extends: tiny.yaml\nevents:\n"
                                               "  - id: hezbollah_pulls_back\n    when: [{turn: 3}]\n"
                                               "teams: []\n")
    want = copy.deepcopy(resolved(parent))
    want["events"][0]["when"] = [{"turn": 3}]
    want["teams"] = []
    assert resolved(child) == want


def test_remove_drops_items_by_id_and_routes_by_ends(parent: Path) -> None:
    child = write(parent.parent, "child.yaml", "extends: tiny.yaml\nremove: [gov_damascus, hts_takes_homs, "
                                               "qusayr~jusiyah]\n")
    want = copy.deepcopy(resolved(parent))
    want["units"] = [u for u in want["units"] if u["id"] != "gov_damascus"]
    want["victory"] = [v for v in want["victory"] if v["id"] != "hts_takes_homs"]
    want["map"]["routes"] = [r for r in want["map"]["routes"] if {r["a"], r["b"]} != {"qusayr", "jusiyah"}]
    assert resolved(child) == want


def test_remove_and_give_again_replaces_a_whole_item(parent: Path) -> None:
    child = write(parent.parent, "child.yaml", "extends: tiny.yaml\nremove: [gov_homs]\nunits:\n"
                                               "  - {id: gov_homs, faction: government, name: Fresh, type: armour, "
                                               "place: homs, strength: 100}\n")
    unit = resolved(child)["units"][-1]
    assert unit == {"id": "gov_homs", "faction": "government", "name": "Fresh", "type": "armour", "place": "homs",
                    "strength": 100}


def test_a_chain_of_variants_resolves_and_lists_its_parents(parent: Path) -> None:
    write(parent.parent, "mid.yaml", "extends: tiny.yaml\nmeta: {turns: 5}\n")
    child = write(parent.parent / "more", "child.yaml", "extends: ../mid.yaml\nmeta: {title: Third}\n")
    loaded = load(child)
    assert loaded.world.meta.turns == 5 and loaded.world.meta.title == "Third"
    assert [p.name for p in loaded.parents] == ["mid.yaml", "tiny.yaml"]


def test_an_inherited_outline_still_points_at_its_file(tmp_path: Path) -> None:
    write(tmp_path, "maps/outline.json", "{}")
    write(tmp_path, "a/base.yaml", TINY.read_text(encoding="utf-8").replace(
        "  seed: 3\n", "  seed: 3\n  outline: ../maps/outline.json\n"))
    child = write(tmp_path, "b/c/child.yaml", "extends: ../../a/base.yaml\n")
    assert resolved(child)["meta"]["outline"] == "../../maps/outline.json"
    assert [p for p in check_file(child) if "outline" in p.message] == []


def test_an_error_in_the_child_is_located_in_the_child(parent: Path) -> None:
    child = write(parent.parent, "child.yaml", "extends: tiny.yaml\nunits:\n  - {id: gov_homs, strength: -5}\n")
    errors = [p for p in check_file(child) if p.is_error]
    col = "  - {id: gov_homs, strength: -5}".index("-5") + 1
    assert [(p.file, p.line, p.col) for p in errors] == [(str(child), 3, col)]


def test_an_error_in_the_parent_is_located_in_the_parent(parent: Path) -> None:
    text = parent.read_text(encoding="utf-8").replace("place: rastan, strength: 5000", "place: rastann, strength: 5000")
    write(parent.parent, "tiny.yaml", text)
    child = write(parent.parent, "child.yaml", "# a comment\nextends: tiny.yaml\nmeta: {title: [oops]}\n")
    errors = [p for p in check_file(child) if p.is_error]
    where = {(Path(p.file).name, p.line) for p in errors}
    assert where == {("child.yaml", 3), ("tiny.yaml", line_of(parent, "rastann"))}
    assert Path(errors[0].file).name == "child.yaml", "a variant's own problems come first"
    bad = next(p for p in errors if Path(p.file).name == "tiny.yaml")
    assert bad.col == parent.read_text(encoding="utf-8").splitlines()[bad.line - 1].index("rastann") + 1


def test_a_parents_reference_to_a_removed_id_says_who_removed_it(parent: Path) -> None:
    child = write(parent.parent, "child.yaml", "extends: tiny.yaml\nremove: [hezbollah]\n")
    errors = [p for p in check_file(child) if p.is_error]
    assert errors and all(Path(p.file).name == "tiny.yaml" for p in errors)
    assert all(f"{child}:2 removes 'hezbollah'" in p.message for p in errors)


@pytest.mark.parametrize(("text", "col", "words"), [
    ("extends: nowhere.yaml\n", 10, "no scenario file 'nowhere.yaml'"),
    ("extends: 3\n", 10, "expected the file name"),
    ("extends: tiny.yaml\nremove: [nobody]\n", 10, "no item 'nobody'"),
    ("extends: tiny.yaml\nremove: [[x]]\n", 10, "expected an id"),
    ("extends: tiny.yaml\nremove: gov_homs\n", 9, "expected a list"),
    ("extends: tiny.yaml\nremove: [homs~homs]\n", 10, "expected an id"),
    ("extends: tiny.yaml\nunits:\n  - {name: no id}\n", 5, "needs its `id`"),
    ("extends: tiny.yaml\nmap:\n  routes:\n    - {a: homs}\n", 7, "needs its ends"),
    ("extends: child.yaml\n", 10, "a cycle"),
])
def test_variant_errors_are_located_in_the_child(parent: Path, text: str, col: int, words: str) -> None:
    child = write(parent.parent, "child.yaml", text)
    errors = [p for p in check_file(child) if p.is_error]
    assert errors, text
    first = errors[0]
    assert (first.file, first.line, first.col) == (str(child), text.count("\n"), col), str(first)
    assert words in first.message
    with pytest.raises(ScenarioError):
        load(child)


def test_a_misspelt_id_says_it_adds_an_item_and_suggests_the_parents_id(parent: Path) -> None:
    """A variant meant to change unit gov_homs but wrote gov_homz: before, only 'missing required keys', which
    does not say that a new unit is being added."""
    child = write(parent.parent, "child.yaml", "extends: tiny.yaml\nunits:\n  - {id: gov_homz, strength: 7000}\n")
    [problem] = check_file(child)
    assert (problem.file, problem.line, problem.col) == (str(child), 3, 5)
    assert problem.message == (f"units[gov_homz]: missing required keys 'faction', 'name', 'type', 'place' "
                               f"({parent} has no units item 'gov_homz', so this adds a new one: "
                               f"did you mean 'gov_homs'?)")


def test_an_item_removed_and_given_again_without_its_keys_says_so(parent: Path) -> None:
    child = write(parent.parent, "child.yaml", "extends: tiny.yaml\nremove: [hezbollah]\n"
                                               "patrons:\n  - {id: hezbollah, capacity: 1}\n")
    [problem] = [p for p in check_file(child) if p.is_error]
    assert (problem.line, problem.col) == (4, 5)
    assert problem.message.endswith(f"(`remove:` drops {parent}'s 'hezbollah', so this gives it anew, whole)")


def test_a_whole_new_item_gets_no_note(parent: Path) -> None:
    child = write(parent.parent, "child.yaml", "extends: tiny.yaml\nunits:\n  - {id: gov_nabk, faction: government, "
                                               "name: Nabk post, type: militia, place: nabk, strength: 500}\n")
    assert check_file(child) == []
    child.write_text("extends: tiny.yaml\nunits:\n  - {id: gov_nabk, faction: government, place: nabk}\n",
                     encoding="utf-8")
    [problem] = check_file(child)
    assert problem.message.endswith(f"({parent} has no units item 'gov_nabk', so this adds a new one)")


def test_a_cycle_is_reported_in_the_file_that_closes_it(tmp_path: Path) -> None:
    a = write(tmp_path, "a.yaml", "extends: b.yaml\n")
    b = write(tmp_path, "b.yaml", "# b\nextends: a.yaml\n")
    problems = check_file(a)
    assert [(p.file, p.line, p.col) for p in problems] == [(str(b), 2, 10)]
    assert "a.yaml → b.yaml → a.yaml" in problems[0].message


def test_a_parent_that_is_not_yaml_is_reported_in_the_parent(tmp_path: Path) -> None:
    bad = write(tmp_path, "bad.yaml", "meta: {title: [}\n")
    child = write(tmp_path, "child.yaml", "extends: bad.yaml\n")
    problems = check_file(child)
    assert [(Path(p.file).name, p.line) for p in problems] == [("bad.yaml", 1)]
    assert Path(problems[0].file) == bad


def test_remove_without_extends_is_an_error_at_the_key(tmp_path: Path) -> None:
    path = write(tmp_path, "plain.yaml", TINY.read_text(encoding="utf-8") + "remove: [gov_homs]\n")
    errors = [p for p in check_file(path) if p.is_error]
    assert [(p.line, p.col) for p in errors] == [(line_of(path, "remove:"), 1)]
    assert "only a variant" in errors[0].message


def test_a_misspelt_extends_is_one_error_with_a_hint(parent: Path) -> None:
    """`extend:` in a variant is one error suggesting `extends`, not a list of the keys a whole file needs."""
    child = write(parent.parent, "child.yaml", "extend: tiny.yaml\nmeta: {title: Changed}\nremove: [gov_homs]\n")
    errors = [p for p in check_file(child) if p.is_error]
    assert [(p.line, p.col) for p in errors] == [(1, 1)], errors
    assert "'extend'" in errors[0].message and "did you mean 'extends'" in errors[0].message


def test_a_misspelt_remove_suggests_remove(parent: Path) -> None:
    child = write(parent.parent, "child.yaml", "extends: tiny.yaml\nremoves: [gov_homs]\n")
    errors = [p for p in check_file(child) if p.is_error]
    assert [(p.line, p.col) for p in errors] == [(2, 1)], errors
    assert "did you mean 'remove'" in errors[0].message


def test_an_unknown_top_level_key_lists_the_variant_keys_too(tmp_path: Path) -> None:
    path = write(tmp_path, "plain.yaml", TINY.read_text(encoding="utf-8") + "zzz: 1\n")
    errors = [p for p in check_file(path) if p.is_error]
    assert len(errors) == 1 and "extends" in errors[0].message and "remove" in errors[0].message


def test_read_file_does_not_merge(parent: Path) -> None:
    child = write(parent.parent, "child.yaml", "extends: tiny.yaml\n")
    assert read_file(child).data == {"extends": "tiny.yaml"}


def test_file_lines_survive_pickling() -> None:
    line = pickle.loads(pickle.dumps(FileLine(7, "a.yaml")))
    assert line == 7 and line.file == "a.yaml" and f"{line}" == "7"


# --- the shipped variants: each resolves to its parent with exactly the changes it documents


def _by_id(items: list[dict[str, Any]], ident: str) -> dict[str, Any]:
    return next(i for i in items if i.get("id") == ident)


def test_russia_all_in_is_its_parent_with_the_documented_changes() -> None:
    want = copy.deepcopy(resolved(SCENARIOS / "homs_junction.yaml"))
    got = resolved(SCENARIOS / "homs_junction_russia_all_in.yaml")
    assert "what-if" in got["meta"]["description"].lower() and "what if" in got["meta"]["title"].lower()
    want["meta"].update(title=got["meta"]["title"], description=got["meta"]["description"])
    russia = _by_id(want["patrons"], "russia")
    russia.update(support={"air": 0.8, "ground": 0.3, "supply": 0.5}, capacity=4, reserve=6000,
                  description=_by_id(got["patrons"], "russia")["description"])
    want["events"] = [e for e in want["events"] if e["id"] != "ev_russia_stretched"]
    want["events"].append(_by_id(got["events"], "ev_russia_all_in"))
    assert got == want
    assert "what-if" in russia["description"].lower()


def test_no_hezbollah_is_its_parent_with_the_documented_changes() -> None:
    want = copy.deepcopy(resolved(SCENARIOS / "homs_junction.yaml"))
    got = resolved(SCENARIOS / "homs_junction_no_hezbollah.yaml")
    assert "what-if" in got["meta"]["description"].lower() and "what if" in got["meta"]["title"].lower()
    want["meta"].update(title=got["meta"]["title"], description=got["meta"]["description"])
    want["patrons"] = [p for p in want["patrons"] if p["id"] != "hezbollah"]
    israel = _by_id(want["patrons"], "israel")
    israel.update(interdicts=["iran", "iraqi_militias"], description=_by_id(got["patrons"], "israel")["description"])
    want["factions"] = [f for f in want["factions"] if f["id"] != "hezbollah_forces"]
    _by_id(want["factions"], "government")["allies"] = ["russia_forces"]
    _by_id(want["factions"], "hts")["enemies"] = ["government", "russia_forces", "islamic_state"]
    _by_id(want["factions"], "russia_forces")["allies"] = ["government"]
    _by_id(want["factions"], "israel_forces")["enemies"] = ["islamic_state"]
    _by_id(want["map"]["places"], "qusayr")["controller"] = "government"
    want["units"] = [u for u in want["units"] if u["id"] != "hzb_qusayr"]
    want["map"]["corridors"] = [c for c in want["map"]["corridors"] if c["id"] != "lebanon_qusayr"]
    want["events"] = [e for e in want["events"] if e["id"] not in ("ev_hezbollah_weakened", "ev_qusayr_route_lost")]
    want["benchmarks"] = [b for b in want["benchmarks"] if not b["id"].startswith("bm_hezbollah")]
    _by_id(want["teams"], "government_team")["sides"] = ["government", "russia", "iran", "iraqi_militias"]
    assert got == want
    loaded = load(SCENARIOS / "homs_junction_no_hezbollah.yaml")
    assert "hezbollah" not in loaded.state.world.patron_index


@pytest.mark.parametrize("name", ["homs_junction_russia_all_in.yaml", "homs_junction_no_hezbollah.yaml"])
def test_shipped_variants_extend_the_default_scenario(name: str) -> None:
    assert read_file(SCENARIOS / name).data["extends"] == "homs_junction.yaml"
    assert load(SCENARIOS / name).parents == (SCENARIOS / "homs_junction.yaml",)


def test_text_cannot_extend_a_file() -> None:
    from game.scenario import check_text

    problems = check_text("extends: tiny.yaml\n", "snippet.yaml")
    assert [(p.file, p.line, p.col) for p in problems] == [("snippet.yaml", 1, 10)]
    assert "only a scenario file can extend another" in problems[0].message


def test_a_chain_of_variants_has_a_length_limit(parent: Path) -> None:
    from game.scenario.variants import MAX_CHAIN

    previous = "tiny.yaml"
    for i in range(MAX_CHAIN):
        write(parent.parent, f"v{i}.yaml", f"extends: {previous}\n")
        previous = f"v{i}.yaml"
    assert check_file(parent.parent / f"v{MAX_CHAIN - 2}.yaml") == []
    problems = check_file(parent.parent / previous)
    assert len(problems) == 1 and f"more than {MAX_CHAIN} files" in problems[0].message
    assert (Path(problems[0].file).name, problems[0].line) == ("v0.yaml", 1)


def test_an_id_removed_twice_is_a_warning_that_points_at_the_second(parent: Path) -> None:
    child = write(parent.parent, "child.yaml", "extends: tiny.yaml\nremove: [gov_damascus, gov_damascus]\n")
    problems = [p for p in check_file(child) if p.file == str(child)]
    assert [(p.line, p.col, p.severity, p.message) for p in problems] == [
        (2, 24, "warning", "remove: 'gov_damascus' is listed twice (first as item 1 of remove:)")]
    want = copy.deepcopy(resolved(parent))  # removed once, as asked
    want["units"] = [u for u in want["units"] if u["id"] != "gov_damascus"]
    assert load(child).state.world.meta == load(parent).state.world.meta
    assert len(load(child).state.units) == len(want["units"])


def test_a_flag_only_a_removed_event_set_says_which_remove_entry_dropped_it(parent: Path) -> None:
    """The warning 'no event sets flag' pointed into the parent (or the child) without saying why."""
    child = write(parent.parent, "child.yaml",
                  "extends: tiny.yaml\nremove: [hezbollah_pulls_back]\nevents:\n"
                  "  - {id: after, title: After, message: Gone., when: [{flag: hezbollah_gone}], effects: []}\n")
    [warning] = [p for p in check_file(child) if "hezbollah_gone" in p.message]
    assert warning.file == str(child) and not warning.is_error
    assert warning.message.endswith("no event sets flag 'hezbollah_gone' "
                                    f"({child}:2 removes 'hezbollah_pulls_back', which set it)")
