"""python tools/readme_shots.py [FOLDER]: retake the README's screenshots of the map in the game's own window
code, without a display, at 1600x1000 (so the automatic UI scale, 1.25), into FOLDER (default
docs/screenshots): preview.png (HTS's 'Red Bands' with an attack on Hasya planned, the mouse over Hasya),
orders.png (the same order, the mouse away), supply.png (the government, the Latakia garrison selected, the
supply map mode) and report.png (the report of HTS's first turn). Settings and saves of the run go to a
temporary folder, never the player's."""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
_TMP = tempfile.mkdtemp()
os.environ["JUNCTION_CONFIG_DIR"] = os.environ["JUNCTION_DATA_DIR"] = _TMP

import pygame  # noqa: E402

from game.engine import Attack  # noqa: E402
from game.scenario import load_scenario  # noqa: E402
from game.ui.app import App  # noqa: E402
from game.ui.scenes.game import GameScene  # noqa: E402
from game.ui.session import Control, new_session  # noqa: E402
from game.ui.settings import Settings  # noqa: E402

SCENARIO = ROOT / "scenarios" / "homs_junction.yaml"


def frames(app: App, n: int) -> None:
    """Run `n` frames, giving the map's drawing threads time to finish."""
    for _ in range(n):
        app.step(dt=1 / 60)
        time.sleep(0.01)


def open_game(human: str) -> tuple[App, GameScene]:
    """A window on the default scenario's first turn, `human` played by hand and every other side by the bot."""
    app = App(pygame.display.set_mode((1600, 1000)), Settings(animation_speed=0.0, confirm_end_turn=False), fps=0)
    _, start = load_scenario(SCENARIO)
    controls = {s: Control(s == human) for s in start.world.sides}
    app.start_session(new_session(start, controls=controls, source=str(SCENARIO)))
    frames(app, 200)
    game = app.find(GameScene)
    assert game is not None
    return app, game


def move_mouse(game: GameScene, pos: tuple[float, float]) -> None:
    pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=(int(pos[0]), int(pos[1])), rel=(0, 0),
                                         buttons=(0, 0, 0)))


def main(folder: Path) -> None:
    pygame.display.init()
    pygame.font.init()
    folder.mkdir(parents=True, exist_ok=True)
    app, game = open_game("hts")
    start = game.state
    game.select(start.unit_index()["hts_red_bands"])
    assert app.session is not None and app.session.plan("hts", Attack("hts_red_bands", "hasya")) is None
    game.panel.refresh()
    move_mouse(game, game.port.place_xy(start.world.board.index["hasya"]))
    frames(app, 240)
    pygame.image.save(app.screen, str(folder / "preview.png"))
    move_mouse(game, (app.screen.get_width() - 40, app.screen.get_height() // 2))
    frames(app, 120)
    pygame.image.save(app.screen, str(folder / "orders.png"))
    game.end_turn(confirmed=True)
    frames(app, 400)
    pygame.image.save(app.screen, str(folder / "report.png"))
    app, game = open_game("government")
    game.select(game.state.unit_index()["gov_latakia"])
    game.cycle_mode()
    frames(app, 240)
    pygame.image.save(app.screen, str(folder / "supply.png"))
    print(f"saved preview, orders, report and supply in {folder} (UI scale {app.scale})")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots")
