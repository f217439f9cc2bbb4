"""Regression tests for the thirteen defects found by playing the desktop game as a new user (issue 12),
one test (or two) per defect, in the issue's order."""

from __future__ import annotations

import pygame

from game.engine import Patron, Withdraw
from game.engine import events as ev
from tests.boards import line_state, line_world, split_control
from tests.ui.conftest import click, game_app, place_pos, post, press, settle, unit_pos, wait

ROUTED_AT_P2 = 15


def key(kind: int, k: int) -> pygame.event.Event:
    return pygame.event.Event(kind, key=k, mod=0, unicode="", scancode=0)


def two_players(turns: int = 10):  # type: ignore[no-untyped-def]
    world = line_world(5, turns=turns)
    return line_state(world, split_control(world, 1), [("r1", "red", "p1", 3000.0), ("b1", "blue", "p3", 3000.0)])


# 1. Enter held to start the game must not also end turn 1.

def test_1_a_held_enter_that_starts_the_game_does_not_end_turn_one(app, state):
    from game.ui.scenes.game import GameScene
    from game.ui.scenes.setup import SetupScene

    app.push(SetupScene(app, state, ""))
    settle(app)
    post(key(pygame.KEYDOWN, pygame.K_RETURN))
    app.step(dt=1 / 60)
    assert isinstance(app.top, GameScene)
    for _ in range(6):  # the key repeat of the Enter still held
        post(key(pygame.KEYDOWN, pygame.K_RETURN))
        app.step(dt=0.05)
    post(key(pygame.KEYUP, pygame.K_RETURN))
    settle(app, 4)
    assert app.session.state.turn == 1 and app.session.last is None


def test_1_input_queued_while_the_map_opens_stays_with_the_old_screen(app, state):
    from game.ui.scenes.setup import SetupScene

    app.push(SetupScene(app, state, ""))
    settle(app)
    post(key(pygame.KEYDOWN, pygame.K_RETURN), key(pygame.KEYUP, pygame.K_RETURN),
         key(pygame.KEYDOWN, pygame.K_RETURN), key(pygame.KEYUP, pygame.K_RETURN))
    settle(app, 4)
    assert app.session.state.turn == 1


# 2. Enter pressed twice quickly on End turn must not skip the hand-off screen.

def test_2_a_double_enter_on_end_turn_still_shows_the_hand_off(app):
    from game.ui.scenes.handoff import HandoffScene

    game_app(app, two_players(), humans=("red", "blue"))
    wait(app)
    press(app, pygame.K_RETURN)
    assert app.session.current_seat().label == "Red"
    press(app, pygame.K_RETURN)
    press(app, pygame.K_RETURN)
    assert isinstance(app.top, HandoffScene) and app.top.label == "BLUE"
    wait(app)
    press(app, pygame.K_RETURN)
    assert not isinstance(app.top, HandoffScene) and app.session.current_seat().label == "Blue"


# 3. Clicking a stack again and again selects every unit in it, not only the first two.

def test_3_clicks_on_a_stack_reach_every_unit(app):
    world = line_world(5)
    st = line_state(world, split_control(world, 1), [("r1", "red", "p1", 3000.0), ("r2", "red", "p1", 2000.0),
                                                     ("r3", "red", "p1", 1000.0), ("b1", "blue", "p3", 3000.0)])
    game = game_app(app, st)
    pos = unit_pos(game, 0)
    seen = []
    for _ in range(3):
        click(app, pos)
        seen.append(game.selected)
    assert sorted(seen) == [0, 1, 2]


# 4. A patron's Reinforce is disabled, with the reason, when the patron has no ground support; refusals fit
#    their box.

def test_4_reinforce_without_ground_support_is_disabled_with_the_reason(app):
    world = line_world(5, patrons=(Patron("pat", "Patron", clients=("red",)),))
    st = line_state(world, split_control(world, 1), [("r1", "red", "p1", 3000.0), ("b1", "blue", "p3", 3000.0)],
                    support={"pat": {"air": 1.0, "ground": 0.0, "supply": 1.0}}, capacity={"pat": 3.0},
                    reserve={"pat": 4000.0})
    game = game_app(app, st, humans=("red", "pat"))
    game.set_active_side("pat")
    settle(app)
    button = next(b for b in game.ui if b.text.startswith("Reinforce"))
    assert not button.is_enabled
    assert "no ground support" in game.reasons[button]


def test_4_a_tooltip_box_is_wide_enough_for_its_bold_first_line():
    from game.ui.scenes import widgets as w

    surface = pygame.Surface((800, 400))
    lines = ["Hama: attack only an adjacent place along an open route", "second line"]
    rect = w.tooltip(surface, lines, (10, 10), 16)
    bold = w.fonts.font(16, True).size(lines[0])[0]
    assert rect.width >= bold + 2 * max(4, 16 // 3)


# 5. UI scale 1.5 at 1280×800 (and 2 for the settings): nothing falls off the screen or covers another button.

def scaled_app(size, scale):  # type: ignore[no-untyped-def]
    from game.ui.app import App
    from game.ui.settings import Settings

    pygame.display.init()  # as the `app` fixture does: run alone, a test using this starts with pygame down
    pygame.font.init()
    app = App(pygame.display.set_mode(size), Settings(ui_scale=scale, animation_speed=0.0), fps=0)
    app.background = False
    return app


def button_trouble(app) -> list[str]:  # type: ignore[no-untyped-def]
    window = pygame.Rect((0, 0), app.size)
    shown = [b for b in app.top.ui if b.visible]
    out = [f"{b.text} leaves the window" for b in shown if not window.contains(b.rect)]
    out += [f"{a.text} overlaps {b.text}" for i, a in enumerate(shown) for b in shown[i + 1:]
            if a.rect.colliderect(b.rect)]
    return out


def test_5_every_button_fits_at_scale_one_and_a_half_on_a_projector(state):
    from game.scenario import load_scenario
    from game.ui.app import DEFAULT_SCENARIO
    from game.ui.scenes.settings_scene import SettingsScene
    from game.ui.scenes.setup import SetupScene
    from game.ui.scenes.title import TitleScene
    from game.ui.session import Control, new_session

    app = scaled_app((1280, 800), 1.5)
    app.push(TitleScene(app))
    settle(app)
    assert button_trouble(app) == []
    _, homs = load_scenario(DEFAULT_SCENARIO)
    app.push(SetupScene(app, homs, str(DEFAULT_SCENARIO)))
    settle(app)
    assert button_trouble(app) == []
    app.start_session(new_session(homs, controls={s: Control(s == "government") for s in homs.world.sides}))
    settle(app)
    assert button_trouble(app) == []
    app = scaled_app((1280, 800), 2.0)
    app.push(TitleScene(app))
    app.push(SettingsScene(app))
    settle(app)
    assert button_trouble(app) == []


# 6. A saved window bigger than the screen is shrunk to fit; the map is fitted again after a resize.

def test_6_a_saved_window_size_larger_than_the_screen_is_shrunk_to_fit():
    from game.ui.window import fit_window

    w, h = fit_window((1920, 1200), (1366, 768))
    assert w <= 1366 and h <= 768


def test_6_the_map_is_fitted_again_after_a_resize(app):
    from game.scenario import load_scenario
    from game.ui.app import DEFAULT_SCENARIO

    _, homs = load_scenario(DEFAULT_SCENARIO)
    game = game_app(app, homs, humans=("government",))
    post(pygame.event.Event(pygame.VIDEORESIZE, w=1024, h=640, size=(1024, 640)))
    settle(app)
    assert app.size == (1024, 640)
    outside = [p.name for k, p in enumerate(homs.world.board.places)
               if not game.port.rect.collidepoint(game.port.place_xy(k))]
    assert outside == []


# 7. Short move and attack arrows are visible, not hidden under the counters.

def test_7_an_arrow_between_two_close_places_is_drawn():
    from game.ui.mapdraw import MapRenderer

    world = line_world(2)
    st = line_state(world, split_control(world, 0), [("r1", "red", "p0", 3000.0), ("b1", "blue", "p1", 3000.0)])
    renderer = MapRenderer(world)
    surface = pygame.Surface((400, 300))
    camera = renderer.make_camera((0, 0, 400, 300))
    camera.scale *= 0.15  # the two places end up a few pixels apart, as at the first zoom of a big map
    red = (215, 25, 28)

    def red_pixels(arrows: list) -> int:  # type: ignore[type-arg]
        renderer.draw(surface, st, camera, arrows=arrows, legend=False)
        return sum(surface.get_at((x, y))[:3] == red for x in range(400) for y in range(0, 300, 2))

    assert red_pixels([(0, 1, "attack")]) > red_pixels([]) + 20


# 8. No text clipped or overflowing: action labels fit their buttons, settings descriptions stay clear of
#    the buttons, the chart's labels stay inside the chart, an error message stays on the map.

def test_8_action_labels_fit_their_buttons(app, state):
    game = game_app(app, state)
    click(app, unit_pos(game, state.unit_index()["r2"]))
    for b in game.ui:
        if b.visible and b.text:
            assert b.font.size(b.text)[0] <= b.rect.width - 8, b.text


def test_8_chart_labels_stay_inside_the_chart():
    from game.ui.scenes import hud
    from game.ui.session import Snapshot

    surface = pygame.Surface((400, 300))
    surface.fill((1, 2, 3))
    rect = pygame.Rect(50, 50, 200, 150)
    history = [Snapshot(t, "2024-12-07", (0.0, float(t * 10)), (0.5, 0.6)) for t in range(1, 5)]
    hud.draw_chart(surface, rect, history, "score", [(200, 0, 0), (0, 0, 200)], ["Government", "Opposition"],
                   "Points", 15)
    outside = [(x, y) for x in range(0, 400, 2) for y in range(0, 300, 2)
               if not rect.collidepoint(x, y) and surface.get_at((x, y))[:3] != (1, 2, 3)]
    assert outside == []


def test_8_settings_descriptions_stay_clear_of_the_buttons():
    from game.ui.scenes import widgets as w
    from game.ui.scenes.settings_scene import SettingsScene
    from game.ui.scenes.title import TitleScene

    app = scaled_app((1280, 800), 2.0)
    app.push(TitleScene(app))
    app.push(SettingsScene(app))
    settle(app)
    with w.recording() as texts:
        app.draw()
    buttons = [b.rect for b in app.top.ui]
    assert [d.text for d in texts if d.owner == "settings" and d.rect.collidelist(buttons) >= 0] == []


def test_8_a_refusal_near_the_panel_stays_on_the_map(app, state):
    from game.ui.scenes import widgets as w

    game = game_app(app, state)
    game.show_reason("Place 4: attack only an adjacent place along an open route", (game.port.rect.right - 5, 300))
    with w.recording() as texts:
        app.draw()
    shown = [d for d in texts if "adjacent" in d.text or "route" in d.text]
    assert shown and all(game.port.rect.contains(d.rect) for d in shown)


# 9. The report's summary and its lines come from one count.

def test_9_the_summary_counts_what_the_lines_list():
    from game.ui.scenes.eventtext import report_lines, summary

    world = line_world(5)
    st = line_state(world, split_control(world, 1), [("r1", "red", "p1", 3000.0)])
    events = [ev.UnitRetreated(f"u{k}", "blue", "p2", "p3", "broke") for k in range(ROUTED_AT_P2)]
    events += [ev.UnitDeserted("u1", "blue", "p3", 400.0), ev.UnitDeserted("u2", "blue", "p3", 100.0)]
    lines = report_lines(st, events)
    text = summary(lines)
    assert f"{ROUTED_AT_P2} broke and fell back" in text and "500 troops deserted" in text
    assert any(line.text.startswith(f"{ROUTED_AT_P2} BLUE units fell back") for line in lines)


# 10. A human side with no units left is told so and is not asked for orders any more.

def test_10_an_eliminated_human_side_gets_no_seat_and_a_notice(app):
    world = line_world(5)
    st = line_state(world, split_control(world, 1), [("r1", "red", "p1", 3000.0), ("b1", "blue", "p3", 3000.0)])
    st.u_strength[1] = 0.0
    game_app(app, st, humans=("red", "blue"))
    assert [s.sides for s in app.session.seats()] == [("red",)]
    assert any("Blue" in t[0] and "out of the game" in t[0] for t in app.toasts)


# 11. After the last turn: the autosave says which turn ended the game and loads to the end-of-game screen;
#     the chart ends at "end", not at a turn that was never played.

def test_11_a_finished_game_saves_and_loads_as_finished(app):
    from game.ui import saves
    from game.ui.scenes.gameover import GameOverScene

    game_app(app, two_players(turns=1))
    press(app, pygame.K_RETURN, frames=3)
    assert app.session.state.is_over
    info = next(i for i in saves.list_saves() if i.kind == "Autosave")
    assert "turn 1" in info.label() and "turn 2" not in info.label() and "game over" in info.label()
    from game.ui.scenes.hud import chart_labels

    assert chart_labels(app.session.history, 1)[1] == "end"
    app.scenes.clear()
    assert app.load_game(info.path)
    settle(app)
    assert isinstance(app.top, GameOverScene)


# 12. The Withdraw prompt does not cover the places it asks you to click.

def test_12_the_withdraw_prompt_leaves_the_highlighted_places_visible(app):
    world = line_world(5)
    st = line_state(world, split_control(world, 2), [("r1", "red", "p1", 3000.0), ("b1", "blue", "p3", 3000.0)])
    game = game_app(app, st)
    click(app, unit_pos(game, 0))
    press(app, pygame.K_w)
    assert game.targeting == "withdraw"
    rect = game.prompt_rect(game.port.rect)
    assert rect is not None
    for p in game.highlights():
        assert not rect.collidepoint(game.port.place_xy(p)), p
    click(app, place_pos(game, 0), button=3)
    assert app.session.planned["red"] == [Withdraw("r1", "p0")]


# 13. An idle window draws no frames.

def test_13_an_idle_window_draws_nothing(app, state):
    game = game_app(app, state)
    click(app, unit_pos(game, 0))
    settle(app, 10)
    before = app.frames
    for _ in range(30):
        app.step([], dt=1 / 60)
    assert app.frames == before
    pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=(5, 5), rel=(1, 1), buttons=(0, 0, 0)))
    app.step(dt=1 / 60)
    assert app.frames == before + 1


def test_13_waiting_for_input_ends_at_the_first_event_and_leaves_it_for_the_next_frame(app, state):
    game_app(app, state)
    settle(app, 10)
    pygame.event.clear()
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_l, mod=0, unicode="l", scancode=0))
    app.wait_for_input(30.0)  # returns at once: an event is waiting (else the test would take 30 s)
    assert pygame.event.peek(pygame.KEYDOWN)
    legend = app.top.legend
    app.step(dt=1 / 60)
    assert app.top.legend is not legend
