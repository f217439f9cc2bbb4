"""The debrief's evidence: under "What happened?" the turning points of the record (armies that broke, major
places that changed hands, the largest moves against history), under "Why did it happen?" the benchmarks
where the game differed most from history; a team's report cites only what that team saw."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from game.report import aar, debrief
from game.report.document import EVIDENCE
from game.report.html import render_html
from game.report.markdown import render_markdown
from game.report.narrate import describe
from game.scenario import load_scenario
from game.sim.playback import play_back
from game.sim.runner import run_game

ROOT = Path(__file__).resolve().parents[2]
PNG = b"\x89PNG\r\n\x1a\n" + bytes(16)


@pytest.fixture(scope="module")
def played(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("debrief") / "game.jsonl"
    run_game(load_scenario(ROOT / "scenarios" / "homs_junction.yaml")[1], 4, 5, log=path)
    return path


@pytest.fixture
def quick_pictures(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(aar, "map_png", lambda *a, **k: PNG)
    monkeypatch.setattr(aar, "charts", lambda views: {})


def test_what_happened_lists_breaks_and_major_places_in_turn_order(quick_pictures: None, played: Path) -> None:
    report = aar.build_report(play_back(played))
    n = report.names()
    lines = debrief.evidence(report)["happened"]
    value = {p.id: p.value for p in report.start.places}
    expected = [f"Turn {p.turn} ({p.date}): {describe(e, n)}" for p in report.pages for e in p.view.events
                if e.kind == "FactionBroken" or (e.kind in ("PlaceCaptured", "PlaceHandedOver", "PlaceControlSet")
                                                 and value[e.data["place"]] >= debrief.MAJOR)]
    assert expected and lines[:len(expected)] == expected
    swings = lines[len(expected):]
    assert 0 < len(swings) <= debrief.SWINGS
    moves = [abs(float(re.search(r": ([+-]\d+\.\d+),", s)[1])) for s in swings]  # type: ignore[index]
    assert moves == sorted(moves, reverse=True)


def test_why_lists_the_benchmarks_furthest_from_history_first(quick_pictures: None, played: Path) -> None:
    report = aar.build_report(play_back(played))
    lines = debrief.evidence(report)["why"]
    assert 0 < len(lines) <= debrief.DIFFERENCES
    shares = [abs(float(re.search(r"\(([+-]\d+\.\d+) to its standing\)", s)[1])) for s in lines]  # type: ignore[index]
    assert shares == sorted(shares, reverse=True) and shares[-1] > 0
    assert not any("History:" in s or "Estimate for play" in s for s in lines)  # the benchmark's first sentence


def test_a_teams_debrief_cites_only_what_it_saw(quick_pictures: None, played: Path) -> None:
    game = play_back(played)
    report = aar.build_report(game, "sna_team")
    n = report.names()
    heard = {describe(e, n) for p in report.pages for e in p.view.events}
    shown = debrief.evidence(report)
    for line in shown["happened"]:
        assert line.startswith("Largest one-day move") or line.split(": ", 1)[1] in heard
    own = {n(s) for s in report.final.standings}
    assert shown["why"] and all(line.split(":", 1)[0] in own for line in shown["why"])


def test_both_report_formats_show_the_evidence(quick_pictures: None, played: Path, tmp_path: Path) -> None:
    report = aar.build_report(play_back(played))
    shown = debrief.evidence(report)
    page = render_html(report)
    assert page.count(EVIDENCE.split(" (")[0]) == 2 and 'contenteditable="true"' in page
    md = render_markdown(report, tmp_path / "files")
    section = md.split("## Debrief", 1)[1]
    assert section.count(EVIDENCE.split(" (")[0]) == 2
    assert "Largest one-day move against history" in section and "to its standing" in section
    assert len(shown["happened"]) + len(shown["why"]) == section.count("\n- ")


def test_a_game_stopped_before_its_first_turn_has_no_evidence(quick_pictures: None, tmp_path: Path) -> None:
    path = tmp_path / "none.jsonl"
    run_game(load_scenario(ROOT / "scenarios" / "homs_junction.yaml")[1], 0, 5, log=path)
    report = aar.build_report(play_back(path))
    assert report.pages == [] and debrief.evidence(report) == {}
    assert EVIDENCE.split(" (")[0] not in render_html(report)
