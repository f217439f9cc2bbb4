"""The report's and team pages' map places names and unit badges where they hide no other label: in the
default scenario's dense clusters (the coast, Homs, Damascus) they used to print over one another."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from game.engine.sight import UMPIRE
from game.engine.view import View, view_for
from game.report import figures
from game.report.figures import Taken, _overlap, _place_box
from game.scenario import load_scenario
from game.sim.playback import PlayedGame, play_back
from game.sim.runner import run_game

ROOT = Path(__file__).resolve().parents[2]


def test_a_label_takes_the_first_free_spot_and_else_the_one_hiding_least() -> None:
    frame = (0.0, 0.0, 200.0, 200.0)
    marker = (95.0, 95.0, 105.0, 105.0)
    taken = Taken()
    taken.add(marker, 1.0)
    first = _place_box(taken, 100.0, 100.0, 5.0, 20.0, 8.0, figures._BADGE_SPOTS, frame)
    assert first[0] >= 105.0 and first[1] >= 100.0  # right of the marker, above its middle
    second = _place_box(taken, 100.0, 100.0, 5.0, 20.0, 8.0, figures._BADGE_SPOTS, frame)
    assert _overlap(first, second) == 0.0 and second[2] <= 95.0  # the next spot: left of the marker
    assert [b for b, _ in taken.boxes] == [marker, first, second]
    assert taken.hidden(first) == figures.LABEL_OVERLAP * _overlap(first, first)  # a label counts more
    assert taken.hidden((0.0, 0.0, 10.0, 10.0)) == 0.0
    edge = _place_box(Taken(), 2.0, 100.0, 1.0, 30.0, 8.0, ((-1, 1), (1, 1)), frame)
    assert edge[0] >= 0.0  # a spot off the picture is taken only when nothing else is left


def test_leader_lines_join_labels_moved_away_from_their_place() -> None:
    class Axes:
        def __init__(self) -> None:
            self.lines: list[tuple[float, float]] = []

        def annotate(self, _text: str, xy: tuple[float, float], **_kw: object) -> None:
            self.lines.append(xy)

    ax = Axes()
    figures._leader(ax, 0.0, 0.0, 3.0, (4.0, 0.0, 20.0, 8.0))
    assert ax.lines == []  # next to its marker: no line
    figures._leader(ax, 0.0, 0.0, 3.0, (30.0, 0.0, 50.0, 8.0))
    assert ax.lines == [(0.0, 0.0)]


def drawn_labels(monkeypatch: pytest.MonkeyPatch, view: View) -> list[tuple[str, tuple[float, ...]]]:
    """Each label of the view's map as drawn (its text and its box on the picture, in pixels, a badge's
    with its coloured box): the figure is drawn and each text's window extent read from the renderer."""
    drawn: list[tuple[str, tuple[float, ...]]] = []
    real = figures._png

    def measure(fig: Any, dpi: int) -> bytes:
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        for text in fig.axes[0].texts:
            if text.get_text():
                patch = text.get_bbox_patch()
                e = (patch or text).get_window_extent(renderer)
                drawn.append((text.get_text(), (e.x0, e.y0, e.x1, e.y1)))
        return real(fig, dpi)

    monkeypatch.setattr(figures, "_png", measure)
    assert figures.map_png(view).startswith(b"\x89PNG")
    return drawn


def clashes(drawn: list[tuple[str, tuple[float, ...]]]) -> list[tuple[str, str]]:
    return [(a, b) for i, (a, p) in enumerate(drawn) for b, q in drawn[i + 1:]
            if min(p[2], q[2]) > max(p[0], q[0]) and min(p[3], q[3]) > max(p[1], q[1])]


@pytest.fixture(scope="module")
def played(tmp_path_factory: pytest.TempPathFactory) -> PlayedGame:
    """Four turns of the default scenario, every side played by the bot, seed 2 (whose third turn had two
    badges of a crowded stack at Homs touching the next stack's)."""
    _, start = load_scenario(ROOT / "scenarios" / "homs_junction.yaml")
    log = tmp_path_factory.mktemp("labels") / "game.jsonl"
    run_game(start, 4, 2, log=log)
    return play_back(log)


@pytest.mark.parametrize(("team", "turn"), [(UMPIRE, 0), ("southern_team", 0), (UMPIRE, 3), ("government_team", 3),
                                             ("hts_team", 2), ("sna_team", 2), ("government_team", 4)])
def test_no_label_overlaps_another_on_seeded_maps(monkeypatch: pytest.MonkeyPatch, played: PlayedGame, team: str,
                                                 turn: int) -> None:
    if turn == 0:
        view = view_for(played.start, team)
    else:
        t = played.turns[turn - 1]
        view = view_for(t.after, team, t.opening + t.events, t.before)
    drawn = drawn_labels(monkeypatch, view)
    assert clashes(drawn) == []
    texts = [text for text, _ in drawn]
    stacks = figures._stacks(view)
    for rows in stacks.values():  # every badge is drawn (only a small town's name may be left out)
        for _, badge in rows[:4]:
            assert badge in texts
    for p in view.places:
        if p.value >= 4:
            assert p.name in texts


def test_a_small_towns_name_gives_way_to_a_label_already_placed() -> None:
    frame = (0.0, 0.0, 200.0, 200.0)
    taken = Taken()
    badge = _place_box(taken, 100.0, 100.0, 3.0, 40.0, 30.0, figures._BADGE_SPOTS, frame)
    assert badge is not None
    around = [(0.0, 0.0, 200.0, 95.0), (0.0, 105.0, 200.0, 200.0), (0.0, 0.0, 95.0, 200.0), (105.0, 0.0, 200.0, 200.0)]
    for box in around:
        taken.add(box, figures.LABEL_OVERLAP)  # labels all round: no free spot left near or far
    assert taken.hides_label((50.0, 50.0, 60.0, 60.0)) and not taken.hides_label((96.0, 96.0, 104.0, 104.0))
    assert _place_box(taken, 100.0, 100.0, 3.0, 30.0, 9.0, figures._NAME_SPOTS, frame, optional=True) is None
    n = len(taken.boxes)
    forced = _place_box(taken, 100.0, 100.0, 3.0, 30.0, 9.0, figures._NAME_SPOTS, frame)
    assert forced is not None and len(taken.boxes) == n + 1  # a label that must be drawn hides the least


def test_badges_name_their_side_not_only_by_colour() -> None:
    world, state = load_scenario(ROOT / "scenarios" / "homs_junction.yaml")
    for team in (UMPIRE, "hts_team"):
        view = view_for(state, team)
        short = {f.id: f.short for f in view.factions}
        stacks = figures._stacks(view)
        assert stacks
        for rows in stacks.values():
            for fac, text in rows:
                assert text.startswith(short[fac] + " ")
    hidden = figures._stacks(view_for(state, "hts_team"))
    assert any("~" in text for rows in hidden.values() for _, text in rows)  # others' strength is estimated


def test_the_legend_explains_faded_places_only_on_a_map_that_has_some(monkeypatch: pytest.MonkeyPatch) -> None:
    from game.engine.public import public_view

    _, state = load_scenario(ROOT / "scenarios" / "homs_junction.yaml")
    legends: list[list[str]] = []
    real = figures._png

    def keep(fig: Any, dpi: int) -> bytes:
        legends.append([t.get_text() for t in fig.axes[0].get_legend().get_texts()])
        return real(fig, dpi)

    monkeypatch.setattr(figures, "_png", keep)
    team = view_for(state, "hts_team")
    assert any(not p.seen for p in team.places)
    figures.map_png(team)
    figures.map_png(public_view(state))  # the projector's: every place shown, no unit
    assert "faded: not seen" in legends[0]
    assert "faded: not seen" not in legends[1]  # it was on the projector, where nothing is faded
