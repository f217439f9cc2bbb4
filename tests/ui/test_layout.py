"""Every screen at 1024×640, 1280×800 and 1920×1080, each at UI scale 1, 1.5 and 2: no button or text
leaves the window, no two buttons overlap, no label is too long for its button, no text is cut off
or shortened. Each frame is also written as a JPEG (JUNCTION_LAYOUT_DIR, default build/layout/) for a
person to look at."""

from __future__ import annotations

import os
from pathlib import Path

import pygame
import pytest

from game.engine import Attack, legal_orders
from game.scenario import load_scenario
from game.ui import saves
from game.ui.app import DEFAULT_SCENARIO, App
from game.ui.scenes.dialogs import LoadScene, MenuScene
from game.ui.scenes.editor import EditorScene
from game.ui.scenes.editorpick import EditorPickScene
from game.ui.scenes.game import GameScene
from game.ui.scenes.handoff import HandoffScene
from game.ui.scenes.help import HelpScene
from game.ui.scenes.picker import PickerScene
from game.ui.scenes.settings_scene import SettingsScene
from game.ui.scenes.setup import SetupScene
from game.ui.scenes.title import TitleScene
from game.ui.scenes.umpire import UmpireScene, open_console
from game.ui.session import Control, Session, new_session
from game.ui.settings import Settings
from tests.ui.layout import draw_and_check

ROOT = Path(__file__).resolve().parents[2]
SIZES = ((1024, 640), (1280, 800), (1920, 1080))
SCALES = (1.0, 1.5, 2.0)
TUTORIAL = ROOT / "scenarios" / "tutorial.yaml"
SHOTS = Path(os.environ.get("JUNCTION_LAYOUT_DIR", ROOT / "build" / "layout"))


@pytest.fixture(scope="module")
def games():
    """The default scenario: its start, a session one turn in, and a session played to its end; and the
    tutorial scenario's start, its player seated with the patron."""
    world, start = load_scenario(DEFAULT_SCENARIO)
    human = {s: Control(s in ("government", "russia")) for s in world.sides}
    one = new_session(start, controls=human, source=str(DEFAULT_SCENARIO))
    one.end_turn()
    done = new_session(start, controls={s: Control(False) for s in world.sides}, source=str(DEFAULT_SCENARIO))
    while not done.state.is_over:
        done.end_turn()
    _, tut_start = load_scenario(TUTORIAL)
    seated = {"wardens", "harbour_league"}
    tutorial = new_session(tut_start, controls={s: Control(s in seated) for s in tut_start.world.sides},
                           source=str(TUTORIAL))
    return start, one, done, tutorial


@pytest.fixture(scope="module")
def opened():
    """The default scenario opened for editing once (reading it for round-tripping takes a second or two);
    the editor screens only look at it."""
    from game.scenario.editing import ScenarioEdits
    from game.scenario.roundtrip import Document

    return ScenarioEdits(Document.open(DEFAULT_SCENARIO))


def game(app: App, session: Session, over: bool = False) -> GameScene:
    """The map of a session with nothing selected and nothing planned (one scene per session and window,
    so its drawn map is reused from screen to screen); `over`: with the end-of-game screen it opens with."""
    cache = app.__dict__.setdefault("_layout_scenes", {})
    scene = cache.get(id(session))
    if scene is None:
        scene = cache[id(session)] = GameScene(app, session)
    for side in session.planned:
        session.clear(side)
    scene.selected, scene.targeting, scene.prompt, scene.tab, scene.legend = None, None, None, "orders", False
    scene.reported = set(range(len(session.seats()) + 1))  # the turn report is a screen of its own here
    app.session = session
    app.replace(scene)
    while app.top is not scene and not over:
        app.pop()
    return scene


def stack_unit(scene: GameScene) -> int:
    """A unit of the player's that shares its place with another of theirs and can attack."""
    st = scene.state
    attackers = {st.unit_index()[o.unit] for o in legal_orders(st, "government") if isinstance(o, Attack)}
    for u in scene.own_units():
        here = [k for k in scene.own_units() if st.u_place[k] == st.u_place[u]]
        if len(here) > 1 and u in attackers:
            return u
    return scene.own_units()[0]


def spot(scene: GameScene, place: int) -> tuple[int, int]:
    """A point where the map picks `place` (its marker may hide under another place's counters)."""
    cx, cy = scene.port.place_xy(place)
    for r in range(0, 80, 2):
        for dx in range(-r, r + 1, 2):
            for dy in (-r, r):
                if scene.port.pick_place(scene.state, (cx + dx, cy + dy)) == place:
                    return cx + dx, cy + dy
    return cx, cy


def scenes(app: App, games):  # type: ignore[no-untyped-def]
    """(name, set-up) for every screen worth looking at."""
    start, one, done, tutorial = games

    def title() -> None:
        app.replace(TitleScene(app))
        while app.top.idle_work():  # the map behind the title, drawn once it is on screen
            pass

    def picker() -> None:
        title()
        app.push(PickerScene(app))
        for _ in range(2):
            app.step([], dt=1 / 60)
            while app.top.idle_work():  # the files read and the chosen one's map drawn
                pass

    def setup() -> None:
        title()
        app.push(SetupScene(app, start, str(DEFAULT_SCENARIO)))

    def setup_problem() -> None:
        """The team view with a bad PIN refused (the longest team named)."""
        title()
        scene = app.push(SetupScene(app, start, str(DEFAULT_SCENARIO)))
        scene.toggle_team("sdf_team")
        scene.entries["sdf_team"].set_text("12x")
        scene.start()

    def setup_sides() -> None:
        title()
        app.push(SetupScene(app, start, str(DEFAULT_SCENARIO))).switch_view()

    def map_hint() -> None:
        game(app, one)

    def map_unit() -> None:
        scene = game(app, one)
        u = stack_unit(scene)
        scene.select(u)
        target = next((o for o in scene.legal.for_unit(scene.state, u) if isinstance(o, Attack)), None)
        if target is not None:
            scene.plan(target)
            pos = spot(scene, scene.state.world.board.index[target.target])
            app.step([pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0))], dt=0.01)

    def map_patron() -> None:
        scene = game(app, one)
        scene.set_active_side("russia")
        scene.start_targeting("strike")

    def map_legend() -> None:
        scene = game(app, one)
        scene.select(stack_unit(scene))
        scene.legend = True

    def map_withdraw() -> None:
        scene = game(app, one)
        scene.select(stack_unit(scene))
        scene.targeting, scene.prompt = "withdraw", "Withdraw: right-click (or click) a highlighted place to " \
                                                    "fall back to. Esc cancels."

    def map_tutorial() -> None:
        scene = game(app, tutorial)
        tut = scene.tutorial
        assert tut is not None
        scene.select(scene.own_units()[0])
        tut.hidden, tut.index = False, max(range(len(tut.steps)), key=lambda k: len(tut.steps[k].text))

    def map_victory() -> None:
        game(app, one).set_tab("victory")

    def map_sides() -> None:
        game(app, one).set_tab("sides")

    def map_victory_over() -> None:
        game(app, done).set_tab("victory")

    def map_chart() -> None:
        game(app, done).set_tab("chart")

    def report() -> None:
        game(app, one).show_report()

    def gameover() -> None:
        game(app, done, over=True)
        assert app.top.name == "gameover"

    def handoff() -> None:
        game(app, one)
        app.push(HandoffScene(app, "Syrian government forces", lambda: None,
                              "Syrian government forces, Russia"))

    def confirm() -> None:
        scene = game(app, one)
        scene.confirm_end()

    def menu() -> None:
        game(app, one)
        app.push(MenuScene(app))

    def load() -> None:
        saves.save_session(one)
        saves.autosave(done)
        title()
        app.push(LoadScene(app))

    def settings() -> None:
        title()
        app.push(SettingsScene(app))

    def editor_pick() -> None:
        title()
        app.push(EditorPickScene(app))

    def editor() -> None:
        title()
        scene = app.push(EditorScene(app, DEFAULT_SCENARIO))  # opened to read: nothing is saved here
        for _ in range(50):
            if scene.is_ready() or scene.error:
                break
            app.step([], dt=1 / 60)
        assert scene.is_ready(), scene.error
        scene.select(start.world.board.places[0].id)

    def umpire_tabs() -> list[tuple[str, object]]:
        def show(tab: str) -> object:
            def go() -> None:
                game(app, one)
                app.push(UmpireScene(app, one, lambda: None, tab))
            return go
        return [(f"umpire-{tab}", show(tab)) for tab in ("matrix", "support", "combat", "record")]

    def umpire_pin() -> None:
        game(app, one)
        open_console(app, one, lambda: None)

    def help_tabs() -> list[tuple[str, object]]:
        def show(tab: str) -> object:
            def go() -> None:
                game(app, one)
                app.push(HelpScene(app, tab))
            return go
        return [(f"help-{tab}", show(tab)) for tab in HelpScene.tab_names()]

    return [("title", title), ("picker", picker), ("setup", setup), ("setup-pin", setup_problem),
            ("setup-sides", setup_sides), ("map", map_hint), ("map-unit", map_unit),
            ("map-legend", map_legend),
            ("map-patron", map_patron), ("map-withdraw", map_withdraw), ("map-tutorial", map_tutorial),
            ("map-victory", map_victory), ("map-sides", map_sides), ("map-victory-over", map_victory_over),
            ("map-chart", map_chart), ("report", report), ("gameover", gameover), ("handoff", handoff),
            ("confirm", confirm), ("menu", menu), ("load", load), ("settings", settings),
            ("editor-pick", editor_pick), ("editor", editor), *help_tabs(), *umpire_tabs(),
            ("umpire-pin", umpire_pin)]


@pytest.mark.parametrize("scale", SCALES)
@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_every_screen_fits(size, scale, games, opened, monkeypatch):
    monkeypatch.setattr(EditorScene, "_open", lambda scene: scene._opened.put(opened))
    pygame.display.init()
    pygame.font.init()
    screen = pygame.display.set_mode(size)
    app = App(screen, Settings(ui_scale=scale, animation_speed=0.0), fps=0)
    app.background = False
    SHOTS.mkdir(parents=True, exist_ok=True)
    found = []
    for name, show in scenes(app, games):
        show()
        problems = draw_and_check(app)
        pygame.image.save(app.screen, str(SHOTS / f"{name}-{size[0]}x{size[1]}-{scale:g}.jpg"))
        found += [f"{name}: {p}" for p in problems]
    app.scenes.clear()
    assert not found, f"{len(found)} layout problems at {size} × {scale} (screenshots in {SHOTS}):\n" + \
        "\n".join(found)
