"""The linter: each check on a small fixture (the tiny test board with one thing changed), its located
warnings, and the `lint` command's output and exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.engine import legal_orders
from game.scenario.cli import lint_main
from game.scenario.lint import (
    Finding,
    Sheet,
    cut_off_places,
    dead_events,
    factions_without_units,
    idle_sides,
    lint_file,
    lint_report,
    lint_text,
    units_out_of_supply,
    unreachable_victories,
    unused_corridors,
)
from game.scenario.loader import load_checked, load_checked_text

ROOT = Path(__file__).resolve().parents[2]
TINY_TEXT = (ROOT / "tests" / "data" / "good" / "tiny.yaml").read_text(encoding="utf-8")
DEFAULT = ROOT / "scenarios" / "homs_junction.yaml"

ISLAND = ("    - {id: jusiyah,", "    - {id: island, name: Island, lat: 34.0, lon: 36.0, kind: town, terrain: open, "
                                  "value: 3, controller: government}\n    - {id: jusiyah,")


def tiny(*changes: tuple[str, str]) -> str:
    """The tiny board's text with each (old, new) replacement made once."""
    text = TINY_TEXT
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def sheet(text: str) -> Sheet:
    parsed, loaded, problems = load_checked_text(text, "fixture.yaml")
    assert loaded is not None, [str(p) for p in problems]
    assert isinstance(parsed.data, dict)
    return Sheet(loaded.scenario, loaded.state, parsed.data)


def messages(findings: list[Finding]) -> list[str]:
    return [message for _, message in findings]


def test_the_tiny_board_lints_clean() -> None:
    assert lint_text(TINY_TEXT) == []


def test_a_place_no_route_reaches() -> None:
    findings = cut_off_places(sheet(tiny(ISLAND)))
    assert findings == [(("map", "places", 6, "id"), findings[0][1])]
    assert "no route reaches place 'island'" in findings[0][1]


def test_a_place_whose_only_route_is_closed_unless_an_event_opens_it() -> None:
    closed = ("{a: qusayr, b: jusiyah, kind: border, open: true}", "{a: qusayr, b: jusiyah, kind: border, open: false}")
    found = messages(cut_off_places(sheet(tiny(closed))))
    assert len(found) == 1 and "'jusiyah' is cut off" in found[0] and "closed" in found[0]
    reopen = ("      - {set_flag: {flag: hezbollah_gone}}",
              "      - {set_flag: {flag: hezbollah_gone}}\n      - {set_route: {a: jusiyah, b: qusayr, open: true}}")
    assert cut_off_places(sheet(tiny(closed, reopen))) == []


def test_a_unit_out_of_supply_at_the_start() -> None:
    no_source = (("supply_for: [government], controller: government", "controller: government"),
                 ("    sources: [damascus]\n", ""))
    findings = units_out_of_supply(sheet(tiny(*no_source)))
    assert [loc for loc, _ in findings] == [("units", 0, "place"), ("units", 1, "place")]
    assert "unit 'gov_homs' starts out of supply at 'homs'" in findings[0][1]


def test_a_corridor_no_patron_uses() -> None:
    findings = unused_corridors(sheet(tiny(("corridor: lebanon_route", "corridor: null"))))
    assert findings == [(("map", "corridors", 0, "id"), findings[0][1])]
    assert "no patron uses corridor 'lebanon_route'" in findings[0][1]


@pytest.mark.parametrize(("condition", "words"), [
    ("{turn: {turn: 5, or_later: true}}\n      - {turn: 2}", "it needs turn 2 and turn 5 or later at once"),
    ("{turn: 2}\n      - {turn: 3}", "it needs turns 2 and 3 at once"),
    ("{turn: 2}\n      - {date: 2024-12-20}", "turn 2 falls on 2024-12-08, before 2024-12-20"),
    ("{controls: {faction: hts, place: island}}", "'hts' can never control 'island'"),
    ("{cohesion_below: {faction: hts, value: 0}}", "cohesion never falls below 0"),
])
def test_an_event_whose_condition_can_never_hold(condition: str, words: str) -> None:
    text = tiny(ISLAND, ("- {turn: {turn: 2, or_later: true}}", f"- {condition}"))
    found = messages(dead_events(sheet(text)))
    assert len(found) == 1 and "event 'hezbollah_pulls_back' never fires" in found[0]
    assert words in found[0]


def test_an_event_with_chance_zero_and_one_waiting_for_its_flag() -> None:
    waiting = ("\nvictory:", "  - id: after\n    title: After\n    when: [{flag: hezbollah_gone}]\n\nvictory:")
    text = tiny(("    audience: [all]\n", "    audience: [all]\n    chance: 0\n"), waiting)
    findings = dead_events(sheet(text))
    assert [loc for loc, _ in findings] == [("events", 0, "chance"), ("events", 1, "when", 0)]
    assert "no event that can fire sets flag 'hezbollah_gone'" in findings[1][1]


def test_a_victory_condition_no_side_can_reach() -> None:
    text = tiny(ISLAND, ("kind: capture, places: [homs]", "kind: capture, places: [homs, island]"),
                ("\nteams:", "  - {id: gov_points, faction: government, kind: points, threshold: 1000}\n\nteams:"))
    findings = unreachable_victories(sheet(text))
    assert [loc for loc, _ in findings] == [("victory", 0, "places", 1), ("victory", 2, "threshold")]
    assert "'hts' can never control 'island'" in findings[0][1]
    assert "'government' scores at most" in findings[1][1]


def test_a_faction_with_no_units() -> None:
    third = ("\npatrons:", "  - {id: sdf, name: SDF, short: SDF, colour: '#CC79A7'}\n\npatrons:")
    findings = factions_without_units(sheet(tiny(third)))
    assert findings == [(("factions", 2, "id"), "faction 'sdf' has no units: none at the start and no event adds any")]
    added = ("      - {set_flag: {flag: hezbollah_gone}}", "      - {set_flag: {flag: hezbollah_gone}}\n"
             "      - {add_unit: {id: sdf_1, faction: sdf, name: S, type: infantry, place: hama, strength: 10}}")
    assert factions_without_units(sheet(tiny(third, added))) == []


def test_a_side_the_bots_cannot_give_any_order_to() -> None:
    cut = ("leads_to: Lebanon, controller: government", "leads_to: Lebanon, controller: hts")
    findings = idle_sides(sheet(tiny(cut)))
    assert findings == [(("patrons", 0, "id"), findings[0][1])]
    assert "patron 'hezbollah' no order on turn 1: its corridor 'lebanon_route' is closed" in findings[0][1]
    none = ("support: {air: 0, ground: 0.3, supply: 0.2}", "support: {air: 0, ground: 0, supply: 0}")
    assert "it gives no air, ground or supply support" in messages(idle_sides(sheet(tiny(none))))[0]


def test_an_interdictor_that_only_strikes_convoys_needs_no_orders() -> None:
    israel = ("\nunits:", "  - {id: israel, name: Israel, kind: interdictor, interdicts: [hezbollah], "
                          "support: {air: 0.5}, capacity: 1}\n\nunits:")
    assert idle_sides(sheet(tiny(israel))) == []


def test_the_default_scenario_names_exactly_the_sides_without_orders() -> None:
    parsed, loaded, _ = load_checked(DEFAULT)
    assert loaded is not None
    named = {message.split("'")[1] for _, message in idle_sides(Sheet(loaded.scenario, loaded.state, parsed.data))}
    state = loaded.state
    idle = {p.id for p in state.world.patrons
            if (p.kind != "interdictor" or p.strikes) and not legal_orders(state, p.id)}
    idle |= {f.id for f in state.world.factions if f.commander is None and any(u.faction == f.id for u in state.units)
             and not legal_orders(state, f.id)}
    assert named == idle


def test_warnings_are_located_in_the_file_that_gave_the_value(tmp_path: Path) -> None:
    (tmp_path / "tiny.yaml").write_text(tiny(ISLAND), encoding="utf-8")
    child = tmp_path / "child.yaml"
    child.write_text("extends: tiny.yaml\nmap:\n  corridors:\n    - {id: spare, name: Spare, places: [homs]}\n",
                     encoding="utf-8")
    where = {(Path(p.file).name, p.line, p.message.split(":")[0]) for p in lint_file(child)}
    island = next(i for i, line in enumerate(tiny(ISLAND).splitlines(), 1) if "id: island" in line)
    assert where == {("tiny.yaml", island, "no route reaches place 'island'"),
                     ("child.yaml", 4, "no patron uses corridor 'spare'")}


def test_lint_main_exit_codes_and_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    clean = tmp_path / "clean.yaml"
    clean.write_text(TINY_TEXT, encoding="utf-8")
    warned = tmp_path / "warned.yaml"
    warned.write_text(tiny(ISLAND), encoding="utf-8")
    broken = tmp_path / "broken.yaml"
    broken.write_text(tiny(("controller: hts}", "controller: nobody}")), encoding="utf-8")
    assert lint_main([str(clean)]) == 0
    assert capsys.readouterr().out.splitlines() == [f"{clean}: clean"]
    assert lint_main([str(clean), str(warned)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[1].startswith(f"{warned}:") and ": warning: no route reaches place 'island'" in out[1]
    assert out[-1] == f"{warned}: 1 warning"
    assert lint_main([str(warned), str(broken)]) == 2
    out = capsys.readouterr().out.splitlines()
    assert any(": error: " in line and line.startswith(f"{broken}:") for line in out)
    assert out[-1] == f"{broken}: 1 error"


def test_the_lint_subcommand(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from game.cli import main

    missing = tmp_path / "nope.yaml"
    assert main(["lint", str(missing)]) == 2
    assert f"{missing}:1:1: error: no such file" in capsys.readouterr().out
    assert main(["lint", str(ROOT / "tests" / "data" / "good" / "tiny.yaml")]) == 0


def everything(path: Path) -> set[tuple[str, int, int, str]]:
    """Every warning of a file, shown or acknowledged."""
    shown, quiet = lint_report(*load_checked(path))
    return {(Path(p.file).name, p.line, p.col, p.message) for p in shown + quiet}


@pytest.mark.parametrize("name", ["homs_junction_russia_all_in.yaml", "homs_junction_no_hezbollah.yaml"])
def test_a_shipped_variant_adds_no_warning_to_its_parents(name: str) -> None:
    assert not any(p.is_error for p in lint_file(ROOT / "scenarios" / name))
    assert everything(ROOT / "scenarios" / name) <= everything(DEFAULT)


@pytest.mark.parametrize("path", sorted((ROOT / "scenarios").glob("*.yaml")), ids=lambda p: p.name)
def test_every_shipped_scenario_and_variant_lints_clean(path: Path) -> None:
    """Clean: no warning left that the file does not acknowledge, with its reason, in a `# lint-ok:` comment
    (the default scenario's: corridors drawn for the map, the Iraqi militias' closed route, the Hasakah pocket)."""
    assert [str(p) for p in lint_file(path)] == []


# --- acknowledged warnings (`# lint-ok:` comments, game/scenario/lintok.py)

ISLAND_OK = (ISLAND[0], ISLAND[1].replace("controller: government}",
                                          "controller: government}  # lint-ok: cut-off a rock for the map"))


def test_a_comment_on_the_warned_line_or_the_line_above_acknowledges_the_warning() -> None:
    assert lint_text(tiny(ISLAND_OK)) == []
    above = (ISLAND[0], "    # lint-ok: cut-off a rock for the map\n" + ISLAND[1])
    assert lint_text(tiny(above)) == []
    shown, quiet = lint_report(*load_checked_text(tiny(ISLAND_OK), "x.yaml"),
                               text_of=lambda f: tiny(ISLAND_OK) if f == "x.yaml" else None)
    assert shown == [] and [p.code for p in quiet] == ["cut-off"]


def test_two_warned_lines_one_under_the_other_each_use_their_own_acknowledgement() -> None:
    two = ("    - {id: jusiyah,", "    - {id: island, name: Island, lat: 34.0, lon: 36.0, kind: town, terrain: open, "
                                  "value: 3, controller: government}  # lint-ok: cut-off a rock for the map\n"
                                  "    - {id: islet, name: Islet, lat: 34.1, lon: 36.1, kind: town, terrain: open, "
                                  "value: 1, controller: government}  # lint-ok: cut-off another rock\n"
                                  "    - {id: jusiyah,")
    assert lint_text(tiny(two)) == []


@pytest.mark.parametrize(("comment", "says"), [
    ("# lint-ok: cutoff a rock for the map", "names no check 'cutoff'"),
    ("# lint-ok: cut-off", "gives no reason"),
    ("# lint-ok: unused-corridor a rock for the map", "acknowledges nothing"),
])
def test_a_wrong_or_bare_acknowledgement_leaves_the_warning_and_is_one_itself(comment: str, says: str) -> None:
    text = tiny((ISLAND[0], ISLAND[1].replace("controller: government}", "controller: government}  " + comment)))
    problems = lint_text(text)
    line = next(i for i, x in enumerate(text.splitlines(), 1) if "id: island" in x)
    assert {(p.line, p.code) for p in problems} == {(line, "cut-off"), (line, "lint-ok")}
    assert says in next(p.message for p in problems if p.code == "lint-ok")


def test_a_stale_acknowledgement_is_a_warning_and_one_in_a_string_is_no_comment() -> None:
    text = TINY_TEXT.rstrip("\n") + "\n# lint-ok: cut-off the island was removed\n"
    problems = lint_text(text)
    assert [(p.line, p.col, p.code) for p in problems] == [(len(text.splitlines()), 1, "lint-ok")]
    quoted = ISLAND[1].replace("name: Island", "name: 'Island # lint-ok: cut-off a rock'")
    assert [p.code for p in lint_text(tiny((ISLAND[0], quoted)))] == ["cut-off"]


def test_a_parent_acknowledges_for_its_variants(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "tiny.yaml").write_text(tiny(ISLAND_OK), encoding="utf-8")
    child = tmp_path / "child.yaml"
    child.write_text("extends: tiny.yaml\nmap:\n  corridors:\n    - {id: spare, name: Spare, places: [homs]}"
                     "  # lint-ok: unused-corridor kept for the map\n", encoding="utf-8")
    assert lint_file(child) == []
    assert lint_main([str(child)]) == 0
    assert capsys.readouterr().out.splitlines() == [f"{child}: clean (2 acknowledged: lint --all shows them)"]
    assert lint_main([str(child)], show_all=True) == 0
    out = capsys.readouterr().out.splitlines()
    assert [line.split(": ")[1] for line in out[:-1]] == ["acknowledged", "acknowledged"]
    assert out[-1] == f"{child}: clean (2 acknowledged)"
