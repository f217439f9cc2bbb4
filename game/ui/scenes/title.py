"""The title screen: new game, load, settings, help and quit."""

from __future__ import annotations

import math

import pygame

from . import widgets as w
from .base import Scene, key_event

TAGLINE = "A strategic simulation of the Syrian front, 7 December 2024"
DISCLAIMER = ("A model, not a prediction: what happens in a game explores the model's assumptions "
              "about a real war. It does not forecast or judge it.")


_BACKDROP: dict[tuple[int, int], pygame.Surface | None] = {}


def backdrop(size: tuple[int, int]) -> pygame.Surface | None:
    """The default scenario's opening map, darkened, as the title's background (None if it cannot be drawn)."""
    if size not in _BACKDROP:
        _BACKDROP.clear()
        try:
            from ..app import DEFAULT_SCENARIO, load_scenario_file
            from .thumbnail import thumbnail

            _, state = load_scenario_file(DEFAULT_SCENARIO)
            bare = state.copy(u_strength=state.u_strength * 0)
            img = thumbnail(bare, size, str(DEFAULT_SCENARIO))
            veil = pygame.Surface(size, pygame.SRCALPHA)
            veil.fill((18, 24, 32, 185))
            img.blit(veil, (0, 0))
            _BACKDROP[size] = img
        except Exception:  # noqa: BLE001 - the title must open even without a scenario
            _BACKDROP[size] = None
    return _BACKDROP[size]


class TitleScene(Scene):
    name = "title"

    def build(self) -> None:
        W, H = self.app.size
        bw, bh, gap = self.s(320), self.s(54), self.s(10)
        x = W // 2 - bw // 2
        y = min(int(H * 0.42), H - self.s(136) - 6 * (bh + gap))
        entries = [("New game", self.new_game, "big", "Choose a scenario and who plays each side (Enter)"),
                   ("Load game", self.load, None, "Continue a saved game (F9 loads the quick save)"),
                   ("Map editor", self.editor, None, "Edit a scenario's places, routes, units and control"),
                   ("Settings", self.settings, None, "Window, UI scale, animation speed, colour-blind mode"),
                   ("Help and about", self.help, None, "Shortcuts and what this game is (F1)"),
                   ("Quit", self.app.request_quit, None, None)]
        for label, action, oid, tip in entries:
            self.button(pygame.Rect(x, y, bw, bh), label, action, object_id=f"#{oid}" if oid else None, tooltip=tip)
            y += bh + gap

    def new_game(self) -> None:
        from .picker import PickerScene

        self.app.push(PickerScene(self.app))

    def load(self) -> None:
        from .dialogs import LoadScene

        self.app.push(LoadScene(self.app))

    def editor(self) -> None:
        from .editorpick import EditorPickScene

        self.app.push(EditorPickScene(self.app))

    def settings(self) -> None:
        from .settings_scene import SettingsScene

        self.app.push(SettingsScene(self.app))

    def help(self) -> None:
        from .help import HelpScene

        self.app.push(HelpScene(self.app))

    def handle(self, event: pygame.event.Event) -> bool:
        if key_event(event, pygame.K_RETURN, pygame.K_KP_ENTER):
            self.new_game()
            return True
        if key_event(event, pygame.K_ESCAPE):
            self.app.request_quit()
            return True
        return False

    def draw(self, surface: pygame.Surface) -> None:
        W, H = surface.get_size()
        surface.fill((28, 36, 46))
        art = backdrop((W, H))
        if art is not None:
            surface.blit(art, (0, 0))
        else:
            self._backdrop(surface)
        band = pygame.Rect(0, int(H * 0.16) - self.s(70), W, self.s(200))
        w.panel(surface, band, (18, 24, 32), None, alpha=200, radius=0)
        w.text(surface, "JUNCTION", (W // 2, int(H * 0.16)), self.s(84), (250, 248, 240), bold=True, anchor="center")
        w.text(surface, TAGLINE, (W // 2, int(H * 0.16) + self.s(66)), self.s(24), (214, 222, 230), anchor="center")
        w.text(surface, "Homs · Damascus · the coast — one day per turn", (W // 2, int(H * 0.16) + self.s(102)),
               self.s(18), (160, 176, 190), anchor="center")
        box = pygame.Rect(0, 0, min(W - 40, self.s(900)), self.s(70))
        box.midbottom = (W // 2, H - self.s(16))
        w.panel(surface, pygame.Rect(0, box.top - self.s(40), W, H), (18, 24, 32), None, alpha=215, radius=0)
        w.paragraph(surface, DISCLAIMER, box, self.s(16), (190, 198, 206))
        w.text(surface, "Enter: new game    F1: help    F9: load quick save    Esc: quit",
               (W // 2, box.top - self.s(10)), self.s(15), (140, 152, 164), anchor="midbottom")

    def _backdrop(self, surface: pygame.Surface) -> None:
        """A quiet route-map motif: junctions joined by roads."""
        W, H = surface.get_size()
        pts = [(0.12, 0.70), (0.24, 0.58), (0.20, 0.34), (0.36, 0.46), (0.50, 0.30), (0.64, 0.52),
               (0.78, 0.38), (0.88, 0.62), (0.70, 0.80), (0.42, 0.78), (0.30, 0.90)]
        xy = [(int(x * W), int(y * H)) for x, y in pts]
        links = [(0, 1), (1, 2), (1, 3), (3, 4), (3, 5), (5, 6), (6, 7), (5, 8), (8, 9), (9, 10), (9, 3), (7, 8)]
        for a, b in links:
            pygame.draw.line(surface, (48, 60, 74), xy[a], xy[b], self.s(5))
        for k, p in enumerate(xy):
            r = self.s(7) + int(3 * math.sin(self.app.time * 1.5 + k))
            pygame.draw.circle(surface, (58, 74, 92), p, r)
