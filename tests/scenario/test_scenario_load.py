"""Loading valid scenarios into engine state, and the problems of files that cannot be read."""

from __future__ import annotations

import copy
from pathlib import Path

import numpy as np
import pytest

from game.engine.specs import Controls, OnTurn, SetCapacity, SetFlag, SetSupport
from game.engine.types import Channel, PlaceKind, Terrain, UnitType
from game.scenario import (
    MAX_BYTES,
    Loaded,
    ScenarioError,
    build_from_data,
    check_file,
    check_text,
    load,
    load_scenario,
    load_scenario_text,
    parse_file,
)
from game.scenario.problems import Problem

DATA = Path(__file__).resolve().parent.parent / "data"
TINY = DATA / "good" / "tiny.yaml"
TINY_TEXT = TINY.read_text(encoding="utf-8")


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.is_error]


def test_tiny_builds_the_world_and_turn_one() -> None:
    world, state = load_scenario(TINY)
    b = world.board
    assert world.meta.title == "Tiny Homs" and world.meta.start_date == "2024-12-07" and world.meta.turns == 6
    assert world.meta.seed == 3
    assert len(b.places) == 7 and len(b.routes) == 6
    homs = b.places[b.index["homs"]]
    assert homs.kind is PlaceKind.CITY and homs.terrain is Terrain.URBAN and homs.fort == 1
    assert b.routes[b.route_index["rastan~hama"]].length_km == 25.0
    assert b.routes[b.route_index["damascus~nabk"]].length_km > 70  # great-circle × 1.2
    assert b.corridors[0].places == ("jusiyah", "qusayr", "homs")
    assert [f.id for f in world.factions] == ["government", "hts"]
    assert world.factions[0].enemies is None and world.factions[0].sources == ("damascus",)
    assert world.patrons[0].corridor == "lebanon_route" and world.patrons[0].unit_type is UnitType.INFANTRY
    owner = {p.id: world.factions[int(state.controller[i])].id for i, p in enumerate(b.places)}
    assert owner["homs"] == "government" and owner["rastan"] == "hts"
    assert state.turn == 1 and state.units[0].id == "gov_homs"
    assert state.u_strength.tolist() == [6000.0, 8000.0, 5000.0, 3000.0]
    assert state.units[1].quality == 1.1 and state.u_cohesion[1] == 0.7
    assert state.f_cohesion.tolist() == [0.45, 0.8]
    assert [f.cohesion for f in world.factions] == [0.45, 0.8]  # on record, for help that only restores
    assert state.p_support.tolist() == [[0.0, 0.3, 0.2]]
    assert state.p_capacity.tolist() == [2.0] and state.p_reserve.tolist() == [3000.0]
    assert state.rules.stacking["town"] == 5 and state.rules.stacking["city"] == 10
    assert bool(np.all(state.route_open))


def test_tiny_events_victory_and_teams() -> None:
    world, _ = load_scenario(TINY)
    inject = world.injects[0]
    assert inject.when == (OnTurn(2, True), Controls("hts", "rastan"))
    assert inject.effects[0] == SetCapacity("hezbollah", None, -1.0)
    assert inject.effects[1] == SetSupport("hezbollah", Channel.GROUND, 0.1, None)
    assert inject.effects[2] == SetFlag("hezbollah_gone", True)
    assert [v.id for v in world.victory] == ["hts_takes_homs", "gov_holds"]
    assert world.victory[0].decisive and world.victory[0].by_turn == 5 and world.victory[1].by_turn is None
    assert world.teams[0].sides == ("government", "hezbollah")


def test_tiny_has_no_problems_at_all() -> None:
    assert check_file(TINY) == []


def test_load_keeps_what_the_engine_does_not() -> None:
    loaded = load(TINY)
    assert isinstance(loaded, Loaded)
    assert loaded.scenario.factions[0].name == "Syrian government"
    assert loaded.scenario.ai == {} and loaded.warnings == ()


def test_text_and_file_give_the_same_world() -> None:
    w1, s1 = load_scenario(TINY)
    w2, s2 = load_scenario_text(TINY_TEXT, "tiny")
    assert w1.digest() == w2.digest()
    assert s1.u_strength.tolist() == s2.u_strength.tolist()


def test_quoted_date_turn_shorthand_and_closed_route() -> None:
    text = (TINY_TEXT.replace("start_date: 2024-12-07", 'start_date: "2024-12-07"')
            .replace("{turn: {turn: 2, or_later: true}}", "{turn: 3}")
            .replace("kind: border, open: true", "kind: border, open: false"))
    world, state = load_scenario_text(text)
    assert world.meta.start_date == "2024-12-07"
    assert world.injects[0].when[0] == OnTurn(3, False)
    assert not state.route_open[world.board.route_index["qusayr~jusiyah"]]


def test_a_route_may_cross_a_river() -> None:
    text = TINY_TEXT.replace("kind: border, open: true", "kind: border, open: true, river: true")
    world, _ = load_scenario_text(text)
    assert [r.id for r in world.board.routes if r.river] == ["qusayr~jusiyah"]
    world, _ = load_scenario(TINY)
    assert not any(r.river for r in world.board.routes)


def test_anchors_aliases_and_merge_keys() -> None:
    text = TINY_TEXT.replace(
        "units:\n", "units:\n  - &base {id: x1, faction: hts, name: X, type: militia, place: hama, strength: 100}\n"
                    "  - {<<: *base, id: x2, strength: 200}\n")
    _, state = load_scenario_text(text)
    ids = [u.id for u in state.units]
    assert ids[:2] == ["x1", "x2"] and state.u_strength[:2].tolist() == [100.0, 200.0]


def test_error_inside_merged_defaults_points_at_the_anchor() -> None:
    text = TINY_TEXT.replace(
        "units:\n", "units:\n  - &base {id: x1, faction: hts, name: X, type: militia, place: hamma, strength: 1}\n"
                    "  - {<<: *base, id: x2}\n")
    line = text.splitlines().index(next(s for s in text.splitlines() if "&base" in s)) + 1
    problems = errors(check_text(text))
    assert problems and all(p.line == line and "hamma" in p.message for p in problems)
    assert {p.message.split(":")[0] for p in problems} == {"units[x1].place", "units[x2].place"}


def test_enemies_and_rules_tables_merge() -> None:
    text = TINY_TEXT.replace("    sources: [hama]\n", "    sources: [hama]\n    enemies: [government]\n").replace(
        "  combat_k: 4.0\n", "  combat_k: 3.0\n  move_points: {infantry: 70}\n")
    world, state = load_scenario_text(text)
    assert world.factions[1].enemies == ("government",)
    assert state.rules.combat_k == 3.0 and state.rules.move_points["infantry"] == 70
    assert state.rules.move_points["armour"] == 100.0


def test_every_problem_in_one_pass() -> None:
    text = (TINY_TEXT.replace("kind: town, terrain: rough, value: 1,", "kind: twn, terrain: rough, value: 1,")
            .replace("{a: damascus, b: nabk, kind: highway", "{a: damascus, b: nabkk, kind: highway")
            .replace("strength: 3000}", "strength: -3}")
            .replace("  turns: 6", "  turns: 6\n  titel: red"))
    problems = errors(check_text(text, "x.yaml"))
    assert len(problems) == 4, [str(p) for p in problems]
    assert problems == sorted(problems, key=lambda p: (p.line, p.col))
    with pytest.raises(ScenarioError) as info:
        load_scenario_text(text, "x.yaml")
    assert len(info.value.problems) == 4
    assert all(line.startswith("x.yaml:") and ": error: " in line for line in str(info.value).splitlines())


def test_warnings_do_not_stop_loading(tmp_path: Path) -> None:
    text = TINY_TEXT.replace("  seed: 3", "  seed: 3\n  outline: no_such_outline.json").replace(
        "{turn: {turn: 2, or_later: true}}", "{flag: never_set}")
    path = tmp_path / "warn.yaml"
    path.write_text(text, encoding="utf-8")
    problems = check_file(path)
    assert problems and not errors(problems)
    assert {p.severity for p in problems} == {"warning"}
    assert any("outline" in p.message for p in problems) and any("never_set" in p.message for p in problems)
    assert load(path).warnings


def test_parse_then_override_then_build() -> None:
    parsed = parse_file(TINY)
    data = copy.deepcopy(parsed.data)
    data["units"][0]["strength"] = 1234
    world, state = build_from_data(data, str(TINY), marks=parsed.marks, base=TINY)
    assert state.u_strength[0] == 1234.0
    data["units"][0]["place"] = "homz"
    with pytest.raises(ScenarioError) as info:
        build_from_data(data, "tiny.yaml", marks=parsed.marks)
    (problem,) = info.value.problems
    line = next(i for i, s in enumerate(TINY_TEXT.splitlines(), 1) if "id: gov_homs" in s)
    assert problem.line == line and "did you mean 'homs'" in problem.message
    with pytest.raises(ScenarioError) as info:
        build_from_data(data, "nomarks")
    assert info.value.problems[0].line == 1 and "units[gov_homs].place" in info.value.problems[0].message


def test_build_from_data_refuses_non_mappings() -> None:
    for data in (None, [], "x", 3):
        with pytest.raises(ScenarioError):
            build_from_data(data)


def test_seed_ids_are_checked_when_a_seeds_folder_exists(tmp_path: Path) -> None:
    (tmp_path / "seeds").mkdir()
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "seeds" / "facts.yaml").write_text(
        "facts:\n  - {id: rpt-homs, text: Homs, source: report, kind: report}\n", encoding="utf-8")
    text = TINY_TEXT.replace("  seed: 3", "  seed: 3\n  sources: [rpt-homs, rpt-hom]").replace(
        "    sources: [hama]\n", "    sources: [hama]\n    cite: [rpt-homz]\n")
    path = tmp_path / "scenarios" / "s.yaml"
    path.write_text(text, encoding="utf-8")
    problems = errors(check_file(path))
    assert [p.message for p in problems] == [
        "meta.sources[1]: unknown seed fact 'rpt-hom' (did you mean 'rpt-homs'?)",
        "factions[hts].cite[0]: unknown seed fact 'rpt-homz' (did you mean 'rpt-homs'?)",
    ]


def test_oversize_file_and_text(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text(TINY_TEXT + "#" * 5000 + "\n", encoding="utf-8")
    (problem,) = check_file(path, max_bytes=4000)
    assert (problem.line, problem.col) == (1, 1) and "size limit" in problem.message
    assert "size limit" in check_text("x" * (MAX_BYTES + 1))[0].message
    assert check_file(path) == []


def test_unreadable_inputs_get_one_located_error(tmp_path: Path) -> None:
    latin = tmp_path / "latin.yaml"
    latin.write_bytes(b"meta:\n  title: Caf\xe9\n")
    (p,) = check_file(latin)
    assert (p.line, p.col) == (2, 13) and "UTF-8" in p.message
    (p,) = check_file(tmp_path / "missing.yaml")
    assert (p.line, p.col) == (1, 1) and "no such file" in p.message
    (p,) = check_file(tmp_path)
    assert "folder" in p.message
    empty = tmp_path / "empty.yaml"
    empty.write_bytes(b"")
    (p,) = check_file(empty)
    assert (p.line, p.col) == (1, 1) and "empty" in p.message
    bom = tmp_path / "bom.yaml"
    bom.write_bytes(b"\xef\xbb\xbf" + TINY_TEXT.encode())
    assert check_file(bom) == []


@pytest.mark.parametrize("text,words", [
    ("a: [1, 2", "not valid YAML"),
    ("meta: \x01", "not valid YAML"),
    ("- 1\n- 2\n", "list"),
    ("~\n", "empty"),
    ("meta: {}\n---\nmeta: {}\n", "second YAML document"),
    ("x: &a [1, *a]", "recursive"),
])
def test_structural_problems(text: str, words: str) -> None:
    problems = check_text(text, "t")
    assert len(problems) == 1 and words in problems[0].message, problems


@pytest.mark.parametrize("text", ["meta: " + "[" * 200000 + "]" * 200000, "- " * 100000 + "x"],
                         ids=["flow", "block"])
def test_deep_nesting_is_one_located_error(text: str) -> None:
    """Our nesting limit or libyaml's may stop the read first; either way one located error, in our words."""
    (problem,) = check_text(text, "t")
    assert problem.is_error and problem.line == 1 and problem.col >= 1
    assert problem.message.startswith(("nested more than", "not valid YAML:")), problem


def test_alias_bomb_is_refused_fast() -> None:
    lines = ["a0: &a0 [" + ", ".join(["x"] * 10) + "]"]
    lines += [f"a{k}: &a{k} [" + ", ".join([f"*a{k - 1}"] * 10) + "]" for k in range(1, 10)]
    (problem,) = check_text("\n".join(lines) + "\n", "bomb")
    assert "alias" in problem.message and problem.line <= 5


def test_a_set_controller_effect_gives_a_place_when_its_event_fires() -> None:
    from game.engine.specs import SetController
    from tests.boards import resolve

    text = TINY_TEXT.replace("      - {set_flag: {flag: hezbollah_gone}}",
                             "      - {set_flag: {flag: hezbollah_gone}}\n"
                             "      - {set_controller: {place: qusayr, faction: hts}}")
    world, state = load_scenario_text(text)
    assert world.injects[0].effects[-1] == SetController("qusayr", "hts")
    qusayr = world.board.index["qusayr"]
    assert world.factions[int(state.controller[qusayr])].id == "government"
    after, _ = resolve(state, {})
    after, events = resolve(after, {})
    assert "hezbollah_gone" in after.flags and world.factions[int(after.controller[qusayr])].id == "hts"
