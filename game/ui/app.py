"""The desktop client: a stack of scenes driven one frame at a time by `App.step(events)`.

Input that arrives while the scene changes never reaches the new scene (a held Enter that started the
game does not also end its first turn), and frames are drawn only when something changes, so an idle
window costs almost nothing. `game.ui.launch` opens the window and runs the loop.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import pygame  # noqa: E402
import pygame_gui  # noqa: E402

from . import saves  # noqa: E402
from .appgames import AppGames  # noqa: E402
from .loading import load_scenario_file  # noqa: E402,F401 - the scenes read scenarios through the app
from .scenes import widgets as w  # noqa: E402
from .scenes.base import Scene  # noqa: E402
from .session import Session  # noqa: E402
from .settings import Settings, auto_scale, save_settings  # noqa: E402
from .window import desktop_size, fit_window  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent.parent
THEME_PATH = ROOT / "assets" / "theme.json"
FONT_DIR = ROOT / "assets" / "fonts"
SCENARIO_DIR = ROOT / "scenarios"
DEFAULT_SCENARIO = SCENARIO_DIR / "homs_junction.yaml"
TRACE = "JUNCTION_TRACE"
"""Set to 1 to print each scene shown and each turn resolved (for tests that drive a real window)."""
UI_EVENTS = (pygame_gui.UI_BUTTON_PRESSED,)
INPUT_EVENTS = frozenset((pygame.KEYDOWN, pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP, pygame.MOUSEWHEEL,
                          pygame.TEXTINPUT, pygame_gui.UI_BUTTON_PRESSED))
MIN_LOGICAL = (850, 530)
"""The smallest window, in unscaled pixels, that every screen is laid out for: the UI scale in use is
the one asked for, or less when the window is too small for it (1.5 fits 1280×800, 2 fits 1920×1080)."""
IDLE_WAIT = 0.25
"""Seconds the loop sleeps waiting for input while nothing on screen moves."""
NAP = 0.02
"""Seconds between two looks for input while waiting for it (at most about a frame of delay)."""
REDRAW_EVERY = 1.0
"""Seconds between redraws of an idle window (a safety net for anything that changes without input)."""


def make_theme(scale: float) -> dict[str, Any]:
    """The JSON theme with font sizes (and the tooltips' width) multiplied by the UI scale and the bundled font
    files filled in."""
    theme: dict[str, Any] = json.loads(THEME_PATH.read_text(encoding="utf-8"))
    regular, bold = FONT_DIR / "DejaVuSans.ttf", FONT_DIR / "DejaVuSans-Bold.ttf"
    for block in theme.values():
        misc = block.get("misc") if isinstance(block, dict) else None
        if isinstance(misc, dict) and "rect_width" in misc:
            misc["rect_width"] = str(round(float(misc["rect_width"]) * scale))
        f = block.get("font") if isinstance(block, dict) else None
        if isinstance(f, dict):
            f["size"] = str(max(8, round(float(f.get("size", 17)) * scale)))
            if regular.is_file() and bold.is_file():
                f["regular_path"], f["bold_path"] = str(regular), str(bold)
    return theme


def effective_scale(asked: float | None, size: tuple[int, int]) -> float:
    """The UI scale used in a window of `size`: as asked (None: `auto_scale` of the window), but no more than
    lets MIN_LOGICAL fit."""
    fit = min(size[0] / MIN_LOGICAL[0], size[1] / MIN_LOGICAL[1])
    return round(max(0.5, min(auto_scale(size) if asked is None else asked, fit)), 3)


class App(AppGames):
    """The window, the pygame_gui manager, the scene stack and messages shown to the player."""

    def __init__(self, screen: pygame.Surface, settings: Settings | None = None, messages: Sequence[str] = (),
                 fps: int = 60) -> None:
        self.screen = screen
        self.settings = settings or Settings()
        self.fps = fps
        self.scale = effective_scale(self.settings.ui_scale, screen.get_size())
        self.manager = pygame_gui.UIManager(screen.get_size(), make_theme(self.scale))
        self.scenes: list[Scene] = []
        self.toasts: list[tuple[str, float, str]] = []
        self.clock = pygame.time.Clock()
        self.time = 0.0
        self.running = True
        self.session: Session | None = None
        self.frames = 0
        self.on_map_frame: Callable[[], None] | None = None
        self.tracing = os.environ.get(TRACE) == "1"
        self.idle = False
        """Whether the last step drew nothing: the loop may sleep until input arrives."""
        self.dirty = True
        self.background = True
        """Resolve turns in a worker thread (tests turn this off to resolve within the frame)."""
        self.autopilot: list[str] = []
        """Scene names to pass with Enter as soon as each is drawn (the benchmark's real start-up path)."""
        self._drawn_at = -1.0
        self._held: set[int] = set()
        self._blocked: set[int] = set()
        self._changing = False
        self._pending: list[pygame.event.Event] = []
        self.mouse = (0, 0)
        self._shown: Scene | None = None
        for m in messages:
            self.notify(m, "warn", 8)

    # --- sizes and scenes

    @property
    def size(self) -> tuple[int, int]:
        return self.screen.get_size()

    def s(self, px: float) -> int:
        """Pixels scaled by the UI scale in use."""
        return round(px * self.scale)

    @property
    def top(self) -> Scene | None:
        return self.scenes[-1] if self.scenes else None

    def push(self, scene: Scene) -> Scene:
        if self.top is not None:
            self.top.cover(keep_visible=scene.overlay and not scene.dims_below)
        self.scenes.append(scene)
        self.trace(f"scene {scene.name}")
        scene.shown_at = self.time
        scene.enter()
        self._scene_changed()
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
        self._scene_changed()

    def replace(self, scene: Scene) -> Scene:
        """Close every scene and show `scene`."""
        while self.scenes:
            self.scenes.pop().leave()
        return self.push(scene)

    def find(self, kind: type) -> Any:
        return next((s for s in reversed(self.scenes) if isinstance(s, kind)), None)

    def _scene_changed(self) -> None:
        """From now until the end of this frame, input is not for the new scene; keys held now are
        ignored (their key repeats) until they are released."""
        self._changing = True
        self._blocked |= self._held
        self.dirty = True

    # --- one frame

    def step(self, events: Sequence[pygame.event.Event] | None = None, dt: float | None = None) -> bool:
        """Handle events, update and (when anything changed) draw one frame; False once the app should close."""
        ms = self.clock.tick(self.fps) if dt is None else int(dt * 1000)
        dt = ms / 1000 if dt is None else dt
        self.time += dt
        self._changing = False
        batch = self._pending + (list(pygame.event.get()) if events is None else list(events))
        self._pending = []
        for event in batch:
            self._dispatch(event)
        for event in pygame.event.get(UI_EVENTS):
            self._dispatch(event)
        if not self.running:
            return False
        self.manager.update(dt)
        if self.top is not None:
            self.top.update(dt)
        if self._changing:
            self._drop_queued_input()
        self.idle = not (batch or self.dirty or self.is_busy() or self.time - self._drawn_at >= REDRAW_EVERY)
        if not self.idle:
            self.dirty = False
            self._drawn_at = self.time
            self.draw()
            pygame.display.flip()
            self.frames += 1
            if self._changing:  # a scene shown by an update (the turn's report) has buttons pygame_gui draws
                self.dirty = True  # only once its next update has run: draw the next frame too
            if self.top is not self._shown:
                self._shown = self.top
                self.trace(f"shown {self.top.name if self.top else '-'}")
                self.trace_buttons()
            self._autopilot()
        return self.running

    def is_busy(self) -> bool:
        """Whether something moves on screen without input: an animation, a message, a hovered button."""
        return bool(self.toasts) or any(s.busy() for s in self.scenes) or \
            bool(self.manager.get_hovering_any_element())

    def idle_work(self) -> bool:
        """Let the top scene do a piece of work ahead while nothing happens; False when it has none."""
        return self.top is not None and not pygame.event.peek() and self.top.idle_work()

    def wait_for_input(self, seconds: float = IDLE_WAIT) -> None:
        """Sleep until an event arrives (or `seconds` pass), looking every NAP seconds; the event is handled
        by the next step. (SDL's own wait keeps 2-3 % of a core busy under X11; these naps a tenth of it.)"""
        end = time.monotonic() + seconds
        while not pygame.event.peek():
            left = end - time.monotonic()
            if left <= 0:
                return
            time.sleep(min(NAP, left))

    def _drop_queued_input(self) -> None:
        """Input queued while the new scene was being built belongs to the old one: drop it (keys pressed
        then stay ignored until released)."""
        for event in pygame.event.get():
            if event.type == pygame.KEYDOWN:
                self._held.add(event.key)
                self._blocked.add(event.key)
            elif event.type == pygame.KEYUP:
                self._held.discard(event.key)
                self._blocked.discard(event.key)
            elif event.type not in INPUT_EVENTS:
                self._pending.append(event)

    def _dispatch(self, event: pygame.event.Event) -> None:
        if event.type == pygame.MOUSEMOTION:
            self.mouse = event.pos
        if event.type == pygame.KEYUP:
            self._held.discard(event.key)
            self._blocked.discard(event.key)
        elif event.type == pygame.KEYDOWN:
            if event.key in self._blocked:
                return
            self._held.add(event.key)
            if self._changing:
                self._blocked.add(event.key)
        if self._changing and event.type in INPUT_EVENTS:
            return
        if event.type == pygame.QUIT:
            self.request_quit()
            return
        if event.type == pygame.VIDEORESIZE and not self.settings.fullscreen:
            self.resize((max(640, event.w), max(480, event.h)))
            return
        if event.type == pygame_gui.UI_BUTTON_PRESSED:
            if self.top is None or not self.top.press(event.ui_element):
                self.manager.process_events(event)  # a drop-down's own buttons open it and pick its options
            return
        if self.manager.process_events(event) and event.type in (pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP):
            return
        if self.top is not None and self.top.handle(event):
            return
        if event.type == pygame.KEYDOWN:
            self._global_key(event)

    def _autopilot(self) -> None:
        if self.autopilot and self.top is not None and self.top.name == self.autopilot[0]:
            self.autopilot.pop(0)
            for kind in (pygame.KEYDOWN, pygame.KEYUP):
                pygame.event.post(pygame.event.Event(kind, key=pygame.K_RETURN, mod=0, unicode="\r", scancode=0))

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
        if not (self.scenes and self.scenes[start].opaque):
            self.screen.fill((30, 36, 44))
        for scene in self.scenes[start:]:
            w.drawing_for(scene.name)
            scene.draw(self.screen)
        self.manager.draw_ui(self.screen)
        if self.top is not None:
            w.drawing_for(f"{self.top.name} (over)")
            self.top.draw_over(self.screen)
            self.top.draw_reasons(self.screen, self.mouse)
        w.drawing_for("messages")
        self._draw_toasts()

    def _draw_toasts(self) -> None:
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

    def trace_buttons(self) -> None:
        """Traced: where the top screen's buttons are (a scripted session clicks them as a person would)."""
        if self.tracing and self.top is not None:
            for b in self.top.ui:
                if b.visible and b in self.top.actions:
                    self.trace(f"button {b.rect.x} {b.rect.y} {b.rect.w} {b.rect.h} {b.text}")

    def notify(self, message: str, kind: str = "info", seconds: float = 4.0) -> None:
        """Show a message at the bottom of the window for a few seconds ("info", "good" or "warn")."""
        self.toasts.append((message, self.time + seconds, kind))
        self.dirty = True

    # --- window and settings

    def resize(self, size: tuple[int, int]) -> None:
        flags = pygame.FULLSCREEN if self.settings.fullscreen else pygame.RESIZABLE
        try:
            self.screen = pygame.display.set_mode(size, flags)
        except pygame.error as exc:
            self.notify(f"Cannot resize the window: {exc}", "warn")
        self.relayout()

    def relayout(self) -> None:
        """Lay every scene out again for the window size and the UI scale that fits it."""
        scale = effective_scale(self.settings.ui_scale, self.size)
        for scene in self.scenes:
            scene.kill_ui()
        if scale != self.scale:
            self.scale = scale
            self.manager = pygame_gui.UIManager(self.size, make_theme(scale))
        else:
            self.manager.set_window_resolution(self.size)
        for scene in self.scenes:
            scene.rebuild()
        self.dirty = True

    def apply_settings(self, new: Settings, save: bool = True) -> None:
        """Use new settings now (window, theme, scale) and store them in the config folder."""
        old, self.settings = self.settings, new
        if (new.fullscreen, new.window_size()) != (old.fullscreen, old.window_size()):
            desktop = desktop_size()
            size = desktop or new.window_size() if new.fullscreen else fit_window(new.window_size(), desktop)
            self.resize(size)
        elif new.ui_scale != old.ui_scale:
            self.relayout()
        for scene in self.scenes:
            hook = getattr(scene, "settings_changed", None)
            if hook is not None:
                hook()
        self.dirty = True
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

    def stop(self) -> None:
        self.running = False
