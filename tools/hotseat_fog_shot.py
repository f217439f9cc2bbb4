"""Screenshots of a hotseat game's fog at the desk: Homs Junction with two human teams (the government's and
HTS's), each seat's map at turn 2 drawn with the dummy video driver, no window needed.

    python tools/hotseat_fog_shot.py [--out DIR]

Writes hotseat-fog-government.png and hotseat-fog-hts.png to DIR (default /tmp)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import pygame  # noqa: E402

from game.scenario.loader import load_scenario  # noqa: E402
from game.ui.app import App  # noqa: E402
from game.ui.scenes.game import GameScene  # noqa: E402
from game.ui.scenes.report import ReportScene  # noqa: E402
from game.ui.session import Control, new_session  # noqa: E402
from game.ui.settings import Settings  # noqa: E402

SCENARIO = ROOT / "scenarios" / "homs_junction.yaml"
TEAMS = ("government_team", "hts_team")


def step(app: App, seconds: float = 1 / 60, frames: int = 3) -> None:
    for _ in range(frames):
        app.step(dt=seconds)


def enter(app: App) -> None:
    """Press Enter once the screen on top accepts it (hand-offs and reports ignore it for a moment)."""
    app.step(dt=1.0)
    for t in (pygame.KEYDOWN, pygame.KEYUP):
        pygame.event.post(pygame.event.Event(t, key=pygame.K_RETURN, mod=0, unicode="", scancode=0))
    step(app)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=Path("/tmp"))
    args = ap.parse_args(argv)
    pygame.display.init()
    pygame.font.init()
    screen = pygame.display.set_mode((1280, 800))
    app = App(screen, Settings(animation_speed=0.0, confirm_end_turn=False), fps=0)
    app.background = False
    _, state = load_scenario(SCENARIO)
    humans = {s for t in state.world.teams if t.id in TEAMS for s in t.sides}
    app.start_session(new_session(state, 7, {s: Control(s in humans) for s in state.world.sides}, str(SCENARIO)))
    step(app)
    game = app.find(GameScene)
    for turn in (1, 2):
        for _seat in TEAMS:
            enter(app)  # the hand-off
            step(app, frames=5)
            if isinstance(app.top, ReportScene):
                enter(app)
            seat = game.session.current_seat()
            if turn == 2:
                app.dirty = True
                app.draw()
                name = seat.key.removeprefix("team:").removesuffix("_team")
                path = args.out / f"hotseat-fog-{name}.png"
                pygame.image.save(app.screen if hasattr(app, "screen") else screen, str(path))
                print(f"{path}: {seat.label}, {len(game.map_state().units)} units drawn of "
                      f"{int((game.state.u_strength > 0).sum())}")
            game.end_turn()
            step(app, frames=5)
    return 0


if __name__ == "__main__":
    sys.exit(main())
