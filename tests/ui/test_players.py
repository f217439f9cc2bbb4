"""What players of Unciv, Wesnoth, Panzer Corps and Hearts of Iron expect: the combat preview, stacks,
confirmations, the rules in the game, a map that reads at the first zoom, a camera per seat, a turn
played back in order, and the same words everywhere."""

from __future__ import annotations

import pygame

from game.engine import Attack, Entrench, Hold, Move, Terrain
from game.engine import events as ev
from game.ui.scenes.animation import TurnAnimation
from game.ui.scenes.dialogs import ConfirmScene
from game.ui.scenes.help import HelpScene
from game.ui.scenes.planning import order_marks
from game.ui.scenes.report import ReportScene
from game.ui.session import TurnResult
from game.ui.settings import load_settings
from tests.boards import line_state, line_world, split_control
from tests.ui.conftest import click, game_app, place_pos, post, press, settle, unit_pos, wait


def stacked(n: int = 3, terrain: Terrain = Terrain.OPEN):  # type: ignore[no-untyped-def]
    world = line_world(5, terrain=terrain)
    units = [(f"r{k}", "red", "p1", 3000.0 - 500 * k) for k in range(1, n + 1)] + [("b1", "blue", "p2", 2000.0)]
    return line_state(world, split_control(world, 1), units)


def hover(app, pos) -> None:  # type: ignore[no-untyped-def]
    post(pygame.event.Event(pygame.MOUSEMOTION, pos=(int(pos[0]), int(pos[1])), rel=(1, 0), buttons=(0, 0, 0)))
    app.step(dt=1 / 60)


# --- the combat preview

def test_hovering_an_attack_target_previews_the_odds_and_modifiers(app):
    game = game_app(app, stacked(terrain=Terrain.URBAN))
    click(app, unit_pos(game, 0))
    hover(app, place_pos(game, 2))
    preview = game.hover_preview()
    assert preview is not None and preview.place == "p2" and 0 < preview.chance < 1
    assert dict((m.name, m.value) for m in preview.modifiers)["terrain"] == game.state.rules.terrain_shift["urban"]
    from game.ui.scenes import previewcard

    rows = {name: value for name, value, _ in previewcard.modifier_rows(preview)}
    assert rows["terrain"] == "-1.00" and rows["quality"] == "–"


def test_a_planned_attack_shows_its_chance_in_the_unit_card(app):
    from game.ui.orders_panel import attack_chance

    game = game_app(app, stacked())
    click(app, unit_pos(game, 0))
    click(app, place_pos(game, 2), button=3)
    order = app.session.planned["red"][0]
    assert isinstance(order, Attack) and attack_chance(game, order).endswith("% they give way")


# --- stacks

def test_the_stack_list_selects_any_unit_of_the_stack(app):
    game = game_app(app, stacked(4))
    click(app, unit_pos(game, 0))
    rows = [it for it in game.panel.items if it.kind == "stack"]
    assert len(rows) == 4
    click(app, rows[-1].rect.center)
    assert game.selected == rows[-1].value.value


def test_hovering_a_stack_describes_every_unit(app):
    from game.ui.scenes import hud

    game = game_app(app, stacked(3))
    units = game.port.units_at(game.state, unit_pos(game, 0))
    lines = hud.stack_lines(game.state, units)
    assert lines[0].startswith("RED at Place 1: 3 units") and len(lines) == 5


# --- confirmations

def test_end_turn_with_most_units_unordered_asks_and_can_stop_asking(app):
    app.settings = app.settings.with_changes(confirm_end_turn=True)
    game = game_app(app, stacked(3))
    press(app, pygame.K_RETURN)
    assert isinstance(app.top, ConfirmScene) and app.session.state.turn == 1
    click(app, next(b for b in app.top.ui if b.text.startswith("End turn, don't")).rect.center)
    settle(app, 3)
    assert app.session.state.turn == 2 and not load_settings()[0].confirm_end_turn
    wait(app)
    press(app, pygame.K_RETURN)
    assert app.top is game
    press(app, pygame.K_RETURN, frames=3)
    assert app.session.state.turn == 3


def test_loading_over_unsaved_orders_asks_first(app, state):
    from game.engine import state_hash
    from game.ui import saves

    game = game_app(app, state)
    saves.save_session(app.session)
    click(app, unit_pos(game, state.unit_index()["r2"]))
    click(app, place_pos(game, 1), button=3)
    before = state_hash(app.session.state)
    press(app, pygame.K_F9)
    assert isinstance(app.top, ConfirmScene) and app.session.planned["red"]
    press(app, pygame.K_ESCAPE)
    assert app.top is game and app.session.planned["red"] and state_hash(app.session.state) == before


# --- the rules in the game

def test_f1_shows_the_rules_in_tabs_with_the_scenarios_numbers(app):
    world = line_world(5)
    rules = __import__("game.engine", fromlist=["Rules"]).Rules().replace(supply_range_km=123.0)
    st = line_state(world, split_control(world, 1), [("r1", "red", "p1", 3000.0)], rules=rules)
    game_app(app, st)
    press(app, pygame.K_F1)
    help_scene = app.top
    assert isinstance(help_scene, HelpScene) and help_scene.tab == "keys"
    seen = [help_scene.tab]
    for _ in range(6):
        press(app, pygame.K_RIGHT)
        seen.append(app.top.tab)
    assert seen == ["keys", "turn", "combat", "supply", "cohesion", "scoring", "glossary"]
    supply = next(c for c in help_scene.chapters if c.id == "supply")
    assert "within 123 km" in supply.source


# --- the map at the first zoom

def test_the_legend_starts_closed_and_opens_clear_of_the_selected_unit(app, state):
    game = game_app(app, state)
    assert not game.legend
    press(app, pygame.K_l)
    assert game.legend
    click(app, unit_pos(game, state.unit_index()["r2"]))
    box = game.port.renderer.legend_surface(game.state, "control", game.active_side)
    rect = game.legend_rect(box.get_size(), game.layout()["map"])
    assert rect.collidelist(game.keep_clear()) == -1


def test_a_click_between_close_places_asks_which_one(app):
    from game.engine import Place, PlaceKind
    from tests.boards import graph_world, make_state, red_blue

    places = [Place(pid, pid.title(), 0.0, lon, PlaceKind.TOWN, Terrain.OPEN, 1.0, 0, sup, "")
              for pid, lon, sup in (("west", 0.0, ("red",)), ("near", 2.0, ()), ("nearer", 2.004, ()),
                                    ("east", 4.0, ("blue",)))]
    world = graph_world(places, [("west", "near", 200.0), ("near", "nearer", 1.0), ("nearer", "east", 200.0)],
                        red_blue())
    st = make_state(world, {"west": "red", "near": "red", "nearer": "blue", "east": "blue"},
                    [("r1", "red", "west", 3000.0), ("b1", "blue", "east", 3000.0)])
    game = game_app(app, st)
    a, b = game.port.place_xy(1), game.port.place_xy(2)
    spot = ((a[0] + b[0]) // 2, (a[1] + b[1]) // 2)
    game.pick_then(spot, game.left_click)
    assert game.menu is not None and {p for _, p in game.menu.choices} == {1, 2}
    chosen = game.menu.choices[1][1]
    click(app, game.menu.row_rect(1).center)
    assert game.menu is None and game.flash is not None and game.flash[0] == chosen


def test_a_refusal_names_the_place(app, state):
    game = game_app(app, state)
    click(app, unit_pos(game, state.unit_index()["r2"]))
    click(app, place_pos(game, 4), button=3)
    assert game.cursor_msg is not None and game.cursor_msg[0].startswith("Place 4:")


def test_hold_and_entrench_orders_are_marked_on_the_map(state):
    marks = order_marks(state, [Hold("r1"), Entrench("r2"), Move("b1", "p3")])
    rows = state.unit_index()
    assert marks == {rows["r1"]: "hold", rows["r2"]: "entrench"}


def test_the_planned_orders_list_scrolls_to_every_order(app):
    world = line_world(5)
    units = [(f"r{k}", "red", "p1", 1000.0) for k in range(12)] + [("b1", "blue", "p3", 500.0)]
    st = line_state(world, split_control(world, 2), units)
    game = game_app(app, st)
    for k in range(12):
        app.session.plan("red", Hold(f"r{k}"))
    game.refresh_panel()
    settle(app)
    seen = set()
    for _ in range(40):
        seen |= {it.value[1] for it in game.panel.order_items() if game.panel.body.contains(it.rect)}
        game.panel.wheel(-1)
    assert seen == set(range(12))


# --- the camera

def test_each_hotseat_player_finds_the_map_as_they_left_it(app):
    world = line_world(5)
    st = line_state(world, split_control(world, 1), [("r1", "red", "p1", 3000.0), ("b1", "blue", "p3", 3000.0)])
    game = game_app(app, st, humans=("red", "blue"))
    wait(app)
    press(app, pygame.K_RETURN)
    game.port.zoom_at(game.port.place_xy(0), 2.0)
    red = (game.port.camera.cx, game.port.camera.scale)
    press(app, pygame.K_RETURN)
    wait(app)
    press(app, pygame.K_RETURN)
    assert (game.port.camera.cx, game.port.camera.scale) != red
    press(app, pygame.K_RETURN, frames=3)
    wait(app)
    press(app, pygame.K_RETURN)
    assert game.session.current_seat().label == "Red"
    assert (game.port.camera.cx, game.port.camera.scale) == red


def test_tab_keeps_the_camera_on_the_map(app, state):
    game = game_app(app, state)
    bounds = game.port.renderer.bounds
    for _ in range(6):
        press(app, pygame.K_TAB)
        cam = game.port.camera
        assert bounds[0] <= cam.cx <= bounds[2] and bounds[1] <= cam.cy <= bounds[3]
        assert game.port.rect.collidepoint(game.port.place_xy(int(game.state.u_place[game.selected])))


def test_clicking_the_reports_lines_keeps_the_camera_on_the_map(app):
    world = line_world(5)
    st = line_state(world, split_control(world, 1), [("r1", "red", "p1", 5000.0), ("b1", "blue", "p2", 2000.0)])
    game = game_app(app, st)
    click(app, unit_pos(game, 0))
    click(app, place_pos(game, 2), button=3)
    game.port.zoom_at(game.port.place_xy(0), 3.0)  # close in on one end: the report's places lie off screen
    press(app, pygame.K_RETURN, frames=4)
    report = app.top
    assert isinstance(report, ReportScene)
    rows = [k for k, row in enumerate(report.list.rows) if isinstance(row.value, str)]
    assert rows, "no report line names a place"
    bounds = game.port.renderer.bounds
    for k in rows:
        report.centre_on(report.list.rows[k].value)
        cam = game.port.camera
        assert bounds[0] <= cam.cx <= bounds[2] and bounds[1] <= cam.cy <= bounds[3]
        place = game.state.world.board.index[report.list.rows[k].value]
        assert game.port.rect.collidepoint(game.port.place_xy(place))
        assert game.flash[0] == place


# --- the turn played back

def test_the_playback_follows_the_engines_order_and_the_hud_waits_for_it(state):
    after = state.copy()
    events = [ev.AirStrike("pat", "p2", 30.0, ("b1",)), ev.UnitMoved("r2", "red", ("p0", "p1")),
              ev.Combat("p2", "red", "blue", ("r1",), ("b1",), 2.0, 0.9, True, 50.0, 80.0),
              ev.PlaceCaptured("p2", "red", "blue", 1.0)]
    result = TurnResult(state, after, events, {})
    anim = TurnAnimation(result, 1.0)
    assert [s.kind for s in anim.steps] == ["air", "move", "battle", "result"]
    assert "attacked Place 2 at 2.0:1 (90%)" in anim.steps[2].caption
    assert anim.hud_state() is state
    slow = TurnAnimation(result, 0.5)
    total = sum(anim.duration_of(s) for s in anim.steps)
    assert sum(slow.duration_of(s) for s in slow.steps) == 2 * total
    while anim.step is not None and anim.step.kind != "result":
        anim.update(0.05)
    assert anim.hud_state() is after
    anim.skip()
    assert anim.done


def test_each_battle_in_the_report_says_what_made_its_odds(app):
    world = line_world(5, terrain=Terrain.URBAN)
    st = line_state(world, split_control(world, 1), [("r1", "red", "p1", 5000.0), ("b1", "blue", "p2", 2000.0)])
    game = game_app(app, st)
    click(app, unit_pos(game, 0))
    click(app, place_pos(game, 2), button=3)
    press(app, pygame.K_RETURN, frames=4)
    assert isinstance(app.top, ReportScene)
    battle = next(row.text for row in app.top.list.rows if "attacked" in row.text)
    assert "Odds:" in battle and "terrain -1.00" in battle and "columns" in battle


# --- words

def test_unit_tooltips_count_troops(app, state):
    game = game_app(app, state)
    lines = game.port.tooltip(game.state, unit_pos(game, state.unit_index()["b1"]), "red")
    assert any(line.endswith("troops") or "troops (" in line for line in lines)
    assert not any(line.startswith("Strength") for line in lines)


# --- a patron's own forces (model v2)

def test_a_patrons_seat_selects_and_orders_its_own_forces(app):
    from game.scenario import load_scenario
    from game.ui.app import DEFAULT_SCENARIO

    _, homs = load_scenario(DEFAULT_SCENARIO)
    commanded = {f.commander for f in homs.world.factions if f.commander}
    patron = sorted(commanded)[0]
    game = game_app(app, homs, humans=(patron,))
    press(app, pygame.K_TAB)
    u = game.selected
    assert u is not None and homs.world.side_of(int(game.state.u_faction[u])) == patron
    assert game.is_mine_unit(u) and [b.text for b in game.ui if b.text.startswith("Hold")]
    press(app, pygame.K_h)
    assert app.session.planned[patron] == [Hold(game.state.units[u].id)]
    assert app.session.order_for_unit(game.state.units[u].id) == Hold(game.state.units[u].id)


def test_f12_takes_a_screenshot_while_the_turn_plays_back(app, state):
    from game.ui import saves

    app.settings = app.settings.with_changes(animation_speed=0.25)
    game = game_app(app, state)
    click(app, unit_pos(game, 0))
    click(app, place_pos(game, 1), button=3)
    press(app, pygame.K_RETURN)
    assert game.anim is not None, "the turn is not playing back"
    press(app, pygame.K_F12)
    press(app, pygame.K_a)  # a planning key does nothing while the turn plays back
    assert list((saves.saves_dir().parent / "screenshots").glob("junction-*.png"))
    assert game.anim is not None


def test_f1_on_the_team_screen_shows_the_chosen_scenarios_numbers(app):
    """Before the game starts, the help already uses the rules of the scenario being set up."""
    from game.ui.scenes.setup import SetupScene

    world = line_world(5)
    rules = __import__("game.engine", fromlist=["Rules"]).Rules().replace(supply_range_km=123.0)
    st = line_state(world, split_control(world, 1), [("r1", "red", "p1", 3000.0)], rules=rules)
    app.push(SetupScene(app, st, ""))
    press(app, pygame.K_F1)
    assert isinstance(app.top, HelpScene)
    supply = next(c for c in app.top.chapters if c.id == "supply")
    assert "within 123 km" in supply.source
