"""Opening the game: the window (sized to fit the screen), the main loop, or a headless game by bot
where no display exists (`python main.py [SCENARIO.yaml]`)."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import pygame  # noqa: E402

from . import saves, savetext  # noqa: E402
from .app import DEFAULT_SCENARIO, App, load_scenario_file  # noqa: E402
from .settings import Settings, load_settings  # noqa: E402
from .settings import clean_temp_files as clean_settings_temp_files  # noqa: E402
from .window import desktop_size, fit_window  # noqa: E402

QUIT_AFTER_FIRST_FRAME = "JUNCTION_QUIT_AFTER_FIRST_FRAME"
"""Set to 1 to quit at the first map frame and print the time since the process started; with
JUNCTION_REAL_PATH=1 the title, picker and set-up are passed through on the way (as Enter would)."""
REAL_PATH = "JUNCTION_REAL_PATH"


def ms_since_process_start() -> float:
    """Milliseconds since this process started (Linux /proc; else since this module was imported)."""
    try:
        ticks = os.sysconf("SC_CLK_TCK")
        start = int(Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()[19]) / ticks
        uptime = float(Path("/proc/uptime").read_text().split()[0])
        return (uptime - start) * 1000
    except (OSError, ValueError, IndexError, AttributeError):
        return (time.perf_counter() - _IMPORTED) * 1000


_IMPORTED = time.perf_counter()


def has_display() -> bool:
    """Whether a window can be opened: an explicit SDL driver, a non-Linux desktop, or X11/Wayland."""
    if os.environ.get("JUNCTION_HEADLESS") == "1":
        return False
    if os.environ.get("SDL_VIDEODRIVER") or not sys.platform.startswith("linux"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def open_window(settings: Settings) -> pygame.Surface:
    pygame.display.init()
    pygame.font.init()
    pygame.display.set_caption("Junction: the Syrian front, 7 December 2024")
    pygame.key.set_repeat(350, 40)
    os.environ.setdefault("SDL_VIDEO_CENTERED", "1")
    if settings.fullscreen:
        return pygame.display.set_mode((0, 0), pygame.FULLSCREEN)
    return pygame.display.set_mode(fit_window(settings.window_size(), desktop_size()), pygame.RESIZABLE)


def play_main(scenario_path: str | None) -> int:
    """`python main.py [SCENARIO.yaml]`: the game window, or a headless game where no display exists."""
    settings, messages = load_settings()
    saves.clean_temp_files()
    clean_settings_temp_files()
    if not has_display():
        for m in messages:
            print(m, file=sys.stderr)
        print("No display found (DISPLAY and WAYLAND_DISPLAY are unset): playing headless, every side by bot.")
        return headless_game(scenario_path or str(DEFAULT_SCENARIO))
    try:
        screen = open_window(settings)
    except pygame.error as exc:
        print(f"Cannot open a window ({exc}): playing headless, every side by bot.")
        return headless_game(scenario_path or str(DEFAULT_SCENARIO))
    return run_window(App(screen, settings, messages), scenario_path,
                      quit_after_first_frame=os.environ.get(QUIT_AFTER_FIRST_FRAME) == "1",
                      real_path=os.environ.get(REAL_PATH) == "1")


def headless_game(path: str) -> int:
    """Play every side by bot, print the turn lines of `run`, and write the final map to a PNG."""
    from game.scenario import ScenarioError
    from game.sim.runner import run_game

    try:
        world, state = load_scenario_file(path)
    except (ScenarioError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"{world.meta.title}: {world.meta.turns} turns, seed {world.meta.seed}")
    final = run_game(state, world.meta.turns, world.meta.seed, source=path, echo=print).final
    name = f"junction-{Path(path).stem}-turn{final.turn - 1}.png"
    for folder in (Path.cwd(), saves.saves_dir().parent):
        try:
            from .headless import render_png

            folder.mkdir(parents=True, exist_ok=True)
            render_png(final, folder / name, (1600, 1000), scenario_path=path)
        except (OSError, pygame.error):
            continue
        except ImportError as exc:
            print(f"final map not drawn: {exc}")
            return 0
        print(f"final map written to {(folder / name).resolve()}")
        return 0
    print("final map not drawn: no writable folder")
    return 0


def run_window(app: App, scenario_path: str | None, quit_after_first_frame: bool = False,
               real_path: bool = False) -> int:
    """The main loop: title screen (or straight to the side set-up for a given scenario). While nothing
    moves on screen it sleeps until the next input instead of drawing frames."""
    from .scenes.title import TitleScene

    if quit_after_first_frame:
        app.on_map_frame = lambda: (print(f"first map frame after {ms_since_process_start():.0f} ms"),
                                    app.stop())
    if quit_after_first_frame and not real_path:
        from .scenes.setup import quick_session

        app.start_session(quick_session(scenario_path or str(DEFAULT_SCENARIO)))
    else:
        app.push(TitleScene(app))
        if scenario_path:
            app.new_game(scenario_path)
    if real_path:
        app.autopilot = ["title", "picker", "setup"]
    return main_loop(app)


def main_loop(app: App) -> int:
    """Step the app until it quits, doing idle work or sleeping until input in between; then let the
    background save finish and close the window."""
    try:
        while app.step():
            if app.idle and not app.idle_work():
                app.wait_for_input()
    finally:
        savetext.WRITER.wait()
        pygame.quit()
    return 0
