"""python tools/preview_shot.py docs/screenshots/preview.png: retake the README's combat preview screenshot in
the game's own window code, without a display: HTS at 1600x1000 (so the automatic UI scale, 1.25), the
'Red Bands' selected with an attack on Hasya planned, the mouse over Hasya. Settings and saves of the run go
to a temporary folder, never the player's."""

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


def main(out: str) -> None:
    pygame.display.init()
    pygame.font.init()
    app = App(pygame.display.set_mode((1600, 1000)), Settings(animation_speed=0.0, confirm_end_turn=False), fps=0)
    _, start = load_scenario(SCENARIO)
    controls = {s: Control(s == "hts") for s in start.world.sides}
    app.start_session(new_session(start, controls=controls, source=str(SCENARIO)))
    frames(app, 200)
    game = app.find(GameScene)
    assert game is not None
    game.select(start.unit_index()["hts_red_bands"])
    assert app.session is not None and app.session.plan("hts", Attack("hts_red_bands", "hasya")) is None
    game.panel.refresh()
    hasya = start.world.board.index["hasya"]
    x, y = game.port.place_xy(hasya)
    pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=(int(x), int(y)), rel=(0, 0), buttons=(0, 0, 0)))
    frames(app, 240)
    pygame.image.save(app.screen, out)
    print(f"saved {out} (UI scale {app.scale})")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "preview.png")
