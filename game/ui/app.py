"""The desktop client: a stack of scenes driven one frame at a time by `App.step(events)`.

`play_main` opens the window (title → scenario → sides → map); without a display it plays
the scenario headless by bot, prints the turn lines and writes the final map to a PNG.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import pygame  # noqa: E402
import pygame_gui  # noqa: E402

from game.engine import State, World  # noqa: E402

from . import saves  # noqa: E402
from .scenes.base import Scene  # noqa: E402
from .session import Session  # noqa: E402
from .settings import Settings, load_settings, save_settings  # noqa: E402
from .settings import clean_temp_files as clean_settings_temp_files  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent.parent
THEME_PATH = ROOT / "assets" / "theme.json"
FONT_DIR = ROOT / "assets" / "fonts"
SCENARIO_DIR = ROOT / "scenarios"
DEFAULT_SCENARIO = SCENARIO_DIR / "homs_junction.yaml"
QUIT_AFTER_FIRST_FRAME = "JUNCTION_QUIT_AFTER_FIRST_FRAME"
TRACE = "JUNCTION_TRACE"
"""Set to 1 to print each scene shown and each turn resolved (for tests that drive a real window)."""
UI_EVENTS = (pygame_gui.UI_BUTTON_PRESSED,)


def make_theme(scale: float) -> dict[str, Any]:
    """The JSON theme with font sizes multiplied by the UI scale and the bundled font files filled in."""
    theme: dict[str, Any] = json.loads(THEME_PATH.read_text(encoding="utf-8"))
    regular, bold = FONT_DIR / "DejaVuSans.ttf", FONT_DIR / "DejaVuSans-Bold.ttf"
    for block in theme.values():
        f = block.get("font") if isinstance(block, dict) else None
        if isinstance(f, dict):
            f["size"] = str(max(8, round(float(f.get("size", 17)) * scale)))
            if regular.is_file() and bold.is_file():
                f["regular_path"], f["bold_path"] = str(regular), str(bold)
    return theme


def load_scenario_file(path: str | Path) -> tuple[World, State]:
    """World and start state of a scenario file (raises game.scenario.ScenarioError)."""
    from game.scenario import load_scenario

    return load_scenario(path)  # type: ignore[no-any-return]


class App:
    """The window, the pygame_gui manager, the scene stack and messages shown to the player."""

    def __init__(self, screen: pygame.Surface, settings: Settings | None = None, messages: Sequence[str] = (),
                 fps: int = 60) -> None:
        self.screen = screen
        self.settings = settings or Settings()
        self.fps = fps
        self.manager = pygame_gui.UIManager(screen.get_size(), make_theme(self.settings.ui_scale))
        self.scenes: list[Scene] = []
        self.toasts: list[tuple[str, float, str]] = []
        self.clock = pygame.time.Clock()
        self.time = 0.0
        self.running = True
        self.session: Session | None = None
        self.frames = 0
        self.on_map_frame: Callable[[], None] | None = None
        self.tracing = os.environ.get(TRACE) == "1"
        for m in messages:
            self.notify(m, "warn", 8)

    # --- sizes and scenes

    @property
    def size(self) -> tuple[int, int]:
        return self.screen.get_size()

    def s(self, px: float) -> int:
        """Pixels scaled by the UI scale setting."""
        return round(px * self.settings.ui_scale)

    @property
    def top(self) -> Scene | None:
        return self.scenes[-1] if self.scenes else None

    def push(self, scene: Scene) -> Scene:
        if self.top is not None:
            self.top.cover(keep_visible=scene.overlay and not scene.dims_below)
        self.scenes.append(scene)
        self.trace(f"scene {scene.name}")
        scene.enter()
        return scene

    def pop(self, scene: Scene | None = None) -> None:
        """Close the top scene (or `scene` and everything above it)."""
        while self.scenes:
            gone = self.scenes.pop()
            gone.leave()
            if scene is None or gone is scene:
                break
        if self.top is not None:
            self.top.uncover()

    def replace(self, scene: Scene) -> Scene:
        """Close every scene and show `scene`."""
        while self.scenes:
            self.scenes.pop().leave()
        return self.push(scene)

    def find(self, kind: type) -> Any:
        return next((s for s in reversed(self.scenes) if isinstance(s, kind)), None)

    # --- one frame

    def step(self, events: Sequence[pygame.event.Event] | None = None, dt: float | None = None) -> bool:
        """Handle events, update and draw one frame; False once the app should close."""
        ms = self.clock.tick(self.fps) if dt is None else int(dt * 1000)
        dt = ms / 1000 if dt is None else dt
        self.time += dt
        for event in list(pygame.event.get()) if events is None else list(events):
            self._dispatch(event)
        for event in pygame.event.get(UI_EVENTS):
            self._dispatch(event)
        if not self.running:
            return False
        self.manager.update(dt)
        if self.top is not None:
            self.top.update(dt)
        self.draw()
        pygame.display.flip()
        self.frames += 1
        return self.running

    def _dispatch(self, event: pygame.event.Event) -> None:
        if event.type == pygame.QUIT:
            self.request_quit()
            return
        if event.type == pygame.VIDEORESIZE and not self.settings.fullscreen:
            self.resize((max(640, event.w), max(480, event.h)))
            return
        if event.type == pygame_gui.UI_BUTTON_PRESSED:
            if self.top is not None:
                self.top.press(event.ui_element)
            return
        if self.manager.process_events(event) and event.type in (pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP):
            return
        if self.top is not None and self.top.handle(event):
            return
        if event.type == pygame.KEYDOWN:
            self._global_key(event)

    def _global_key(self, event: pygame.event.Event) -> None:
        from .scenes.help import HelpScene

        if event.key == pygame.K_F1:
            self.push(HelpScene(self))
        elif event.key == pygame.K_F11:
            self.apply_settings(self.settings.with_changes(fullscreen=not self.settings.fullscreen))
        elif event.key == pygame.K_F12:
            self.screenshot()
        elif event.key == pygame.K_F9:
            self.load_game(saves.saves_dir() / saves.QUICKSAVE)

    def draw(self) -> None:
        """Draw the top scene, and the scenes beneath it while they are overlaid."""
        start = len(self.scenes) - 1
        while start > 0 and self.scenes[start].overlay:
            start -= 1
        self.screen.fill((30, 36, 44))
        for scene in self.scenes[start:]:
            scene.draw(self.screen)
        self.manager.draw_ui(self.screen)
        if self.top is not None:
            self.top.draw_over(self.screen)
        self._draw_toasts()

    def _draw_toasts(self) -> None:
        from .scenes import widgets as w

        self.toasts = [t for t in self.toasts if t[1] > self.time]
        y = self.size[1] - self.s(96)
        for message, _, kind in reversed(self.toasts[-3:]):
            size = self.s(17)
            lines = w.wrap(message, size, min(self.size[0] - 80, self.s(760)))
            h = len(lines) * int(size * 1.3) + self.s(16)
            width = max(w.fonts.font(size).size(line)[0] for line in lines) + self.s(28)
            rect = pygame.Rect(0, 0, width, h)
            rect.midbottom = (self.size[0] // 2, y)
            edge = {"warn": w.WARN, "good": w.GOOD}.get(kind, w.ACCENT)
            w.panel(self.screen, rect, (255, 253, 244), edge, radius=8)
            pygame.draw.rect(self.screen, edge, rect, 3, border_radius=8)
            for k, line in enumerate(lines):
                w.text(self.screen, line, (rect.left + self.s(14), rect.top + self.s(8) + k * int(size * 1.3)), size)
            y = rect.top - self.s(8)

    def trace(self, line: str) -> None:
        if self.tracing:
            print(line, flush=True)

    def notify(self, message: str, kind: str = "info", seconds: float = 4.0) -> None:
        """Show a message at the bottom of the window for a few seconds ("info", "good" or "warn")."""
        self.toasts.append((message, self.time + seconds, kind))

    # --- window and settings

    def resize(self, size: tuple[int, int]) -> None:
        flags = pygame.FULLSCREEN if self.settings.fullscreen else pygame.RESIZABLE
        try:
            self.screen = pygame.display.set_mode(size, flags)
        except pygame.error as exc:
            self.notify(f"Cannot resize the window: {exc}", "warn")
        self.manager.set_window_resolution(self.screen.get_size())
        for scene in self.scenes:
            scene.rebuild()

    def apply_settings(self, new: Settings, save: bool = True) -> None:
        """Use new settings now (window, theme, scale) and store them in the config folder."""
        old, self.settings = self.settings, new
        if new.ui_scale != old.ui_scale:
            self.manager = pygame_gui.UIManager(self.screen.get_size(), make_theme(new.ui_scale))
        size = pygame.display.get_desktop_sizes()[0] if new.fullscreen else new.window_size()
        if (new.fullscreen, new.window_size()) != (old.fullscreen, old.window_size()) or \
                new.ui_scale != old.ui_scale:
            self.resize(size)
        for scene in self.scenes:
            hook = getattr(scene, "settings_changed", None)
            if hook is not None:
                hook()
        if save:
            try:
                save_settings(new)
            except OSError as exc:
                self.notify(f"Settings not saved: {exc}", "warn")

    def screenshot(self, path: Path | None = None) -> Path | None:
        """Save the window as a PNG (F12) in the data folder's screenshots/."""
        if path is None:
            stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
            path = saves.saves_dir().parent / "screenshots" / f"junction-{stamp}.png"
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            pygame.image.save(self.screen, str(path))
        except (OSError, pygame.error) as exc:
            self.notify(f"Screenshot failed: {exc}", "warn")
            return None
        self.notify(f"Screenshot saved: {path}", "good")
        self.trace(f"screenshot {path}")
        return path

    # --- games

    def new_game(self, path: str | Path) -> bool:
        """Load a scenario and go to the side set-up; a broken file shows its error instead."""
        from game.scenario import ScenarioError

        from .scenes.setup import SetupScene

        try:
            world, state = load_scenario_file(path)
        except (ScenarioError, OSError) as exc:
            self.notify(f"Cannot open {Path(path).name}: {exc}", "warn", 10)
            return False
        self.push(SetupScene(self, state, str(path)))
        return True

    def start_session(self, session: Session) -> None:
        """Show the map for a session; autosave at the end of every turn."""
        from .scenes.game import GameScene

        session.on_turn_end = self._autosave
        self.session = session
        self.replace(GameScene(self, session))

    def _autosave(self, session: Session) -> None:
        try:
            saves.autosave(session)
        except saves.SaveError as exc:
            self.notify(f"Autosave failed: {exc}", "warn")

    def save_game(self, path: Path | None = None) -> Path | None:
        if self.session is None:
            self.notify("No game to save.", "warn")
            return None
        try:
            out = saves.save_session(self.session, path)
        except saves.SaveError as exc:
            self.notify(str(exc), "warn", 8)
            return None
        self.notify(f"Game saved: {out}", "good")
        return out

    def load_game(self, path: Path) -> bool:
        """Load a save; on any problem the running game stays as it was and a message says why."""
        try:
            session = saves.load_session(path)
        except saves.SaveError as exc:
            self.notify(f"Not loaded: {exc}", "warn", 8)
            return False
        self.start_session(session)
        self.notify(f"Loaded {path.name}: turn {session.state.turn} ({session.state.date})", "good")
        return True

    def request_quit(self) -> None:
        """Close the game, asking first when planned orders would be lost."""
        if self.session is not None and self.session.has_unsaved_orders():
            from .scenes.dialogs import ConfirmScene

            if self.find(ConfirmScene) is None:
                self.push(ConfirmScene(self, "Your planned orders are not saved. Quit anyway?", [
                    ("Save and quit", lambda: self.save_game() is not None and self.stop(), "primary"),
                    ("Quit without saving", self.stop, "danger"),
                    ("Cancel", self.pop, None)]))
            return
        self.stop()

    def stop(self) -> None:
        self.running = False


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
    if settings.fullscreen:
        return pygame.display.set_mode((0, 0), pygame.FULLSCREEN)
    return pygame.display.set_mode(settings.window_size(), pygame.RESIZABLE)


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
                      quit_after_first_frame=os.environ.get(QUIT_AFTER_FIRST_FRAME) == "1")


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


def run_window(app: App, scenario_path: str | None, quit_after_first_frame: bool = False) -> int:
    """The main loop: title screen (or straight to the side set-up for a given scenario)."""
    from .scenes.title import TitleScene

    if quit_after_first_frame:
        from .scenes.setup import quick_session

        session = quick_session(scenario_path or str(DEFAULT_SCENARIO))
        app.start_session(session)
        app.on_map_frame = lambda: (print(f"first map frame after {ms_since_process_start():.0f} ms"),
                                    app.stop())
    else:
        app.push(TitleScene(app))
        if scenario_path:
            app.new_game(scenario_path)
    try:
        while app.step():
            pass
    finally:
        pygame.quit()
    return 0
