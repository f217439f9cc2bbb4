"""Shared fixtures for the desktop client's tests: a small board with a patron, isolated folders."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

from game.engine import Patron, State  # noqa: E402
from tests.boards import line_state, line_world, split_control  # noqa: E402


def patron_state() -> State:
    """Five places in a line; red holds p0-p1 with two units, blue p2-p4 with one at p2 and one at p4;
    red's patron 'pat' has 3 capacity points and full support."""
    world = line_world(5, patrons=(Patron("pat", "Patron", clients=("red",)),))
    units = [("r1", "red", "p1", 3000.0), ("r2", "red", "p0", 3000.0),
             ("b1", "blue", "p2", 1000.0), ("b2", "blue", "p4", 2000.0)]
    return line_state(world, split_control(world, 1), units,
                      support={"pat": {"air": 1.0, "ground": 1.0, "supply": 1.0}},
                      capacity={"pat": 3.0}, reserve={"pat": 4000.0})


@pytest.fixture
def state() -> State:
    return patron_state()


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path, monkeypatch):
    """Saves and settings go to a temporary folder, never the user's."""
    monkeypatch.setenv("JUNCTION_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("JUNCTION_CONFIG_DIR", str(tmp_path / "config"))
    return tmp_path


# --- driving the app with real pygame events

import pygame  # noqa: E402

from game.ui.app import App  # noqa: E402
from game.ui.session import Control, new_session  # noqa: E402
from game.ui.settings import Settings  # noqa: E402


@pytest.fixture
def app():
    """An App on a 1280x800 dummy window, animations off, no frame cap, turns resolved within the frame
    (not in a worker thread), End turn without asking."""
    pygame.display.init()
    pygame.font.init()
    screen = pygame.display.set_mode((1280, 800))
    pygame.event.clear()
    a = App(screen, Settings(animation_speed=0.0, confirm_end_turn=False), fps=0)
    a.background = False
    yield a
    a.scenes.clear()
    pygame.event.clear()


def game_app(app, state, humans=("red",), seed=5):
    """Start a session on `state` with the given human sides; returns the game scene."""
    app.start_session(new_session(state, seed, {s: Control(s in humans) for s in state.world.sides}))
    settle(app)
    return app.find(__import__("game.ui.scenes.game", fromlist=["GameScene"]).GameScene)


def settle(app, frames=3):
    for _ in range(frames):
        app.step(dt=1 / 60)


def wait(app, seconds=0.7):
    """Let time pass (screens that ignore Enter for a moment after they appear)."""
    app.step(dt=seconds)


def post(*events):
    for e in events:
        pygame.event.post(e)


def click(app, pos, button=1):
    """Press and release a mouse button at `pos`, then run one frame."""
    pos = (int(pos[0]), int(pos[1]))
    post(pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0)),
         pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=button),
         pygame.event.Event(pygame.MOUSEBUTTONUP, pos=pos, button=button))
    app.step(dt=1 / 60)


def press(app, key, mod=0, frames=1):
    post(pygame.event.Event(pygame.KEYDOWN, key=key, mod=mod, unicode="", scancode=0),
         pygame.event.Event(pygame.KEYUP, key=key, mod=mod, unicode="", scancode=0))
    for _ in range(frames):
        app.step(dt=1 / 60)


def press_button(app, label):
    """Click the pygame_gui button of the top scene whose text starts with `label`."""
    scene = app.top
    button = next(b for b in scene.ui if b.text.startswith(label) and b.visible)
    click(app, button.rect.center)


def unit_pos(game, unit):
    """A window position where the map picks `unit` (its counter)."""
    cx, cy = game.port.place_xy(int(game.state.u_place[unit]))
    for r in range(0, 90, 3):
        for dx in range(-r, r + 1, 3):
            for dy in (-r, r) if abs(dx) != r else range(-r, r + 1, 3):
                pos = (cx + dx, cy + dy)
                if game.port.pick_unit(game.state, pos) == unit:
                    return pos
    raise AssertionError(f"unit {unit} not found on the map")


def place_pos(game, place):
    """A window position where the map picks `place`."""
    cx, cy = game.port.place_xy(place)
    for r in range(0, 60, 2):
        for dx in range(-r, r + 1, 2):
            for dy in (-r, r):
                if game.port.pick_place(game.state, (cx + dx, cy + dy)) == place:
                    return (cx + dx, cy + dy)
    raise AssertionError(f"place {place} not found on the map")
