"""The chart tab's names beside the lines' ends: in the ends' order, never beside another's end for want of
room, the seat's own side kept (at 1024x640 the standing chart ran out of room and dropped HTS, the lowest,
while "Israel" sat by HTS's dot); pale faction colours are darkened to read on the panel."""

from __future__ import annotations

import pygame

from game.ui.palette import contrast, legible_on
from game.ui.scenes import widgets as w
from game.ui.scenes.hud import name_places
from tests.ui.conftest import click, settle


def test_names_keep_the_order_of_the_ends_and_stay_in_bounds():
    ends = [50, 52, 54, 200, 199, 10]
    out = dict(name_places(ends, 10, 0, 300))
    assert set(out) == set(range(6))
    by_end = sorted(range(6), key=lambda i: (ends[i], i))
    ys = [out[i] for i in by_end]
    assert ys == sorted(ys) and all(b - a >= 10 for a, b in zip(ys, ys[1:]))
    assert out[5] == 10 and out[0] == 50, "a name with room stays by its end"


def test_names_pushed_past_the_bottom_move_up_instead_of_being_dropped():
    ends = [95, 96, 97, 98, 99]
    out = dict(name_places(ends, 10, 0, 100))
    assert sorted(out.values()) == [60, 70, 80, 90, 100]
    assert [out[i] for i in range(5)] == [60, 70, 80, 90, 100]


def test_when_not_all_fit_the_seats_own_are_kept():
    ends = list(range(0, 150, 10))
    out = dict(name_places(ends, 10, 0, 40, keep=[14]))
    assert len(out) == 5 and 14 in out and out[14] == 40


def test_a_pale_colour_is_darkened_until_it_reads_and_a_dark_one_is_left():
    yellow = (240, 228, 66)
    assert contrast(yellow, w.PAPER) < 3
    dark = legible_on(yellow, w.PAPER)
    assert contrast(dark, w.PAPER) >= 3 and dark[0] > dark[2], "still a yellow-brown, not grey"
    assert legible_on((0, 90, 160), w.PAPER) == (0, 90, 160)
    assert contrast(legible_on((20, 20, 60), (30, 30, 30)), (30, 30, 30)) >= 3


def test_the_chart_tab_at_1024x640_names_the_seats_own_side_by_its_dot():
    from game.scenario import load_scenario
    from game.ui.app import DEFAULT_SCENARIO, App
    from game.ui.scenes import hud
    from game.ui.scenes.game import GameScene
    from game.ui.session import Control, new_session
    from game.ui.settings import Settings

    pygame.display.init()
    pygame.font.init()
    world, start = load_scenario(DEFAULT_SCENARIO)
    app = App(pygame.display.set_mode((1024, 640)), Settings(ui_scale=1.0, animation_speed=0.0), fps=0)
    app.background = False
    app.start_session(new_session(start, controls={s: Control(s == "hts") for s in world.sides},
                                  source=str(DEFAULT_SCENARIO)))
    settle(app)
    game = app.find(GameScene)
    drawn: list[tuple[str, tuple[int, int]]] = []
    real = w.text

    def spy(surface, s, pos, *a, **k):  # type: ignore[no-untyped-def]
        drawn.append((s, pos))
        return real(surface, s, pos, *a, **k)

    hud.w.text = spy  # type: ignore[assignment]
    try:
        click(app, next(b for b in game.ui if b.text.startswith("Chart")).rect.center)
        settle(app, 2)
    finally:
        hud.w.text = real  # type: ignore[assignment]
    assert game.tab == "chart"
    standing = drawn[:[s for s, _ in drawn].index("Cohesion")]
    names = [s for s, _ in standing if s in {"HTS", "SAA", "Israel", "Iran"}]
    assert "HTS" in names, standing
    ys = {s: pos[1] for s, pos in standing}
    assert ys["HTS"] == max(ys[n] for n in names), "HTS stands lowest: its name is the lowest"
    app.scenes.clear()
