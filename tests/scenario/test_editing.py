"""The map editor's model: edits to the round-trip document keep every comment and the author's formatting,
are checked and undoable, and a save writes a file that loads to the edited scenario (or nothing at all)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from game.scenario import ScenarioError, load
from game.scenario.editing import EditRefused, ScenarioEdits
from game.scenario.roundtrip import Document, guess_indent
from game.scenario.textmerge import merge

ROOT = Path(__file__).resolve().parents[2]
TINY = ROOT / "tests" / "data" / "good" / "tiny.yaml"


def comment_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.lstrip().startswith("#")]


@pytest.fixture
def homs(tmp_path: Path) -> Path:
    """A copy of the shipped scenarios with what they refer to (seeds/, the outline) beside them."""
    shutil.copytree(ROOT / "scenarios", tmp_path / "scenarios")
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    shutil.copytree(ROOT / "assets" / "outlines", tmp_path / "assets" / "outlines")
    return tmp_path / "scenarios" / "homs_junction.yaml"


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.yaml"
    shutil.copy(TINY, path)
    return path


def first_accepted(tries):
    """Run edits until one is accepted; the arguments of the one that was."""
    for args, edit in tries:
        try:
            edit()
        except EditRefused:
            continue
        return args
    raise AssertionError("no edit of this kind was accepted")


def test_the_default_scenario_keeps_every_comment_through_edits_and_loads_as_edited(homs: Path) -> None:
    original = homs.read_text(encoding="utf-8")
    edits = ScenarioEdits(Document.open(homs))
    assert edits.save() == []
    assert homs.read_text(encoding="utf-8") == original, "saving without edits changes nothing"

    data = edits.doc.data
    places, routes, units = data["map"]["places"], data["map"]["routes"], data["units"]
    first = str(places[0]["id"])
    lat, lon = float(places[0]["lat"]) + 0.05, float(places[0]["lon"]) - 0.05
    edits.move_place(first, lat, lon)
    # Items that follow a comment line (a group header) are the hard case: the comment must stay.
    headed_routes = sorted(i for i, entry in routes.ca.items.items() if entry[1])
    gone_route = first_accepted([((str(routes[i]["a"]), str(routes[i]["b"])),
                                  lambda i=i: edits.remove_route(str(routes[i]["a"]), str(routes[i]["b"])))
                                 for i in headed_routes])
    headed_units = sorted(i for i, entry in units.ca.items.items() if entry[1])
    gone_unit = first_accepted([(str(units[i]["id"]), lambda i=i: edits.remove_unit(str(units[i]["id"])))
                                for i in headed_units])
    last_unit = first_accepted([(str(units[len(units) - 1]["id"]),
                                 lambda: edits.remove_unit(str(units[len(units) - 1]["id"])))])
    ids = [str(p["id"]) for p in places]
    new_route = next((a, b) for a in ids for b in ids[::-1] if a < b and not edits.has_route(a, b))
    edits.add_route(*new_route, "track")
    target = ids[-1]
    faction = str(data["factions"][0]["id"])
    edits.add_unit(faction, "militia", target, 750)
    added = edits.last_unit
    other = str(data["factions"][1]["id"])
    edits.set_place(target, name="Renamed place", kind="town", terrain="rough", value=4, fort=3, controller=other)

    assert edits.save() == []
    text = homs.read_text(encoding="utf-8")
    missing = [line for line in comment_lines(original) if line not in text.splitlines()]
    assert missing == []
    loaded = load(homs)
    board, state = loaded.world.board, loaded.state
    p = board.places[board.index[first]]
    assert (p.lat, p.lon) == (round(lat, 4), round(lon, 4))
    ends = {frozenset((board.places[a].id, board.places[b].id)) for a, b in board.ends.tolist()}
    assert frozenset(gone_route) not in ends and frozenset(new_route) in ends
    unit_ids = {u.id for u in state.units}
    assert gone_unit not in unit_ids and last_unit not in unit_ids and added in unit_ids
    t = board.places[board.index[target]]
    assert (t.name, t.kind.value, t.terrain.value, t.value, t.fort) == ("Renamed place", "town", "rough", 4, 3)
    assert loaded.world.factions[int(state.controller[board.index[target]])].id == other
    unit = state.units[state.unit_index()[added]]
    assert (unit.faction, int(state.u_place[state.unit_index()[added]])) == (faction, board.index[target])
    changed = set(text.splitlines()) ^ set(original.splitlines())
    assert len(changed) <= 16, "only the lines the edits touched differ"


def test_undo_and_redo_and_an_untouched_wrapped_mapping_stays_wrapped(tiny: Path) -> None:
    original = tiny.read_text(encoding="utf-8")
    edits = ScenarioEdits(Document.open(tiny))
    edits.move_place("nabk", 34.1, 36.8)
    edits.add_route("damascus", "qusayr")
    edits.add_unit("hts", "armour", "rastan", 1200)
    edits.remove_route("homs", "rastan")
    assert edits.dirty
    assert edits.save() == []
    text = tiny.read_text(encoding="utf-8")
    assert "{a: damascus, b: qusayr, kind: road}" in text
    assert "    - {id: homs, name: Homs, lat: 34.733, lon: 36.713, kind: city, terrain: urban, value: 8, fort: 1,\n" \
           "       controller: government}\n" in text, "a mapping the author wrapped keeps its two lines"
    assert edits.undo() is not None and edits.undo() is not None
    assert edits.redo() is not None
    while edits.undo() is not None:
        pass
    assert edits.save() == []
    assert tiny.read_text(encoding="utf-8") == original


def test_an_edit_that_would_not_validate_is_refused_and_changes_nothing(tiny: Path) -> None:
    edits = ScenarioEdits(Document.open(tiny))
    before = edits.doc.dump()
    with pytest.raises(EditRefused) as refused:
        edits.set_place("homs", controller="nobody")
    assert any("nobody" in p.message for p in refused.value.problems)
    with pytest.raises(EditRefused):
        edits.remove_route("homs", "qusayr")  # the corridor to Lebanon runs along it
    with pytest.raises(EditRefused):
        edits.add_route("homs", "rastan")  # already joined
    with pytest.raises(EditRefused):
        edits.move_place("atlantis", 1, 1)
    assert edits.doc.dump() == before and not edits.done and not edits.dirty


def test_a_save_that_does_not_validate_names_the_line_and_leaves_the_file(tiny: Path) -> None:
    original = tiny.read_bytes()
    doc = Document.open(tiny)
    doc.data["map"]["places"][2]["fort"] = 9
    problems = doc.save()
    assert problems and all(p.is_error for p in problems)
    line = next(i for i, text in enumerate(doc.render().splitlines(), 1) if "id: homs" in text)
    assert any(p.file == str(tiny) and p.line == line and "fort" in p.message for p in problems)
    assert tiny.read_bytes() == original
    assert [p.name for p in tiny.parent.iterdir()] == ["tiny.yaml"], "no temporary file left behind"


def test_a_file_changed_elsewhere_is_not_overwritten_unless_asked(tiny: Path) -> None:
    edits = ScenarioEdits(Document.open(tiny))
    edits.move_place("nabk", 34.1, 36.8)
    tiny.write_text(tiny.read_text(encoding="utf-8") + "# a note written in another editor\n", encoding="utf-8")
    problems = edits.save()
    assert len(problems) == 1 and "changed on disk" in problems[0].message
    assert edits.doc.save(overwrite=True) == []
    assert "lat: 34.1, lon: 36.8" in tiny.read_text(encoding="utf-8")


def test_windows_newlines_and_indentation_are_kept(tmp_path: Path) -> None:
    text = TINY.read_text(encoding="utf-8").replace("\n  - ", "\n- ").replace("\n    ", "\n  ")
    path = tmp_path / "crlf.yaml"
    path.write_bytes(text.replace("\n", "\r\n").encode())
    assert guess_indent(text) == (2, 0)
    edits = ScenarioEdits(Document.open(path))
    edits.add_route("damascus", "qusayr")
    assert edits.save() == []
    raw = path.read_bytes().decode()
    assert "\n" not in raw.replace("\r\n", "")
    assert "\r\n- {a: damascus, b: qusayr, kind: road}\r\n" in raw.replace("\r\n  ", "\r\n")
    assert load(path).world.board.n_places == 7


def test_a_variant_or_a_broken_file_is_not_opened(homs: Path, tmp_path: Path) -> None:
    variant = next(p for p in homs.parent.glob("*.yaml") if "extends:" in p.read_text(encoding="utf-8"))
    with pytest.raises(ScenarioError) as refused:
        Document.open(variant)
    assert "variant" in str(refused.value)
    broken = tmp_path / "broken.yaml"
    broken.write_text("meta: [\n", encoding="utf-8")
    with pytest.raises(ScenarioError):
        Document.open(broken)


def test_merge_keeps_the_authors_lines_and_restores_a_dropped_comment() -> None:
    original = "a:\n  - {x: 1,\n     y: 2}\n  # group\n  - {x: 3}\n  - {x: 4}\n"
    baseline = "a:\n  - {x: 1, y: 2}\n  # group\n  - {x: 3}\n  - {x: 4}\n"
    new = "a:\n  - {x: 1, y: 2}\n  - {x: 4}\n  - {x: 5}\n"
    assert merge(original, baseline, baseline) == original
    assert merge(original, baseline, new) == "a:\n  - {x: 1,\n     y: 2}\n  # group\n  - {x: 4}\n  - {x: 5}\n"
