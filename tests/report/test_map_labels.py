"""The report's and team pages' map places names and unit badges where they hide no other label: in the
default scenario's dense clusters (the coast, Homs, Damascus) they used to print over one another."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.engine.sight import UMPIRE
from game.engine.view import view_for
from game.report import figures
from game.report.figures import Taken, _overlap, _place_box
from game.scenario import load_scenario

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


@pytest.mark.parametrize("team", [UMPIRE, "government_team"])
def test_no_label_hides_another_on_the_default_map(monkeypatch: pytest.MonkeyPatch, team: str) -> None:
    world, state = load_scenario(ROOT / "scenarios" / "homs_junction.yaml")
    assert team == UMPIRE or team in {t.id for t in world.teams}
    view = view_for(state, team)
    placed: list[tuple[float, float, float, float]] = []
    real = figures._place_box

    def spy(taken: Taken, *args: object) -> tuple[float, ...]:
        box = real(taken, *args)  # type: ignore[arg-type]
        placed.append(box)
        return box

    monkeypatch.setattr(figures, "_place_box", spy)
    png = figures.map_png(view)
    assert png.startswith(b"\x89PNG")
    named = [p for p in view.places if p.value >= 4 or p.kind == "city"]
    stacked = {u.place for u in view.units} | {e.place for e in view.estimates}
    assert len(placed) == len(named) + len(stacked)
    clashes = [(a, b) for i, a in enumerate(placed) for b in placed[i + 1:] if _overlap(a, b) > 0.0]
    assert clashes == []


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
