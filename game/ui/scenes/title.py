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


def backdrop(size: tuple[int, int], make: bool = True) -> pygame.Surface | None:
    """The default scenario's opening map, darkened, as the title's background (None if it cannot be drawn,
    or is not drawn yet and `make` is False)."""
    if size not in _BACKDROP and not make:
        return None
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

    def band(self) -> pygame.Rect:
        """The dark band with the game's name at the top."""
        return pygame.Rect(0, self.s(16), self.app.size[0], self.s(190))

    def footer_top(self) -> int:
        """Where the shortcuts and the disclaimer start, at the bottom."""
        W, H = self.app.size
        lines = len(w.wrap(DISCLAIMER, self.s(15), min(W - 40, self.s(900))))
        return H - self.s(16) - lines * int(self.s(15) * 1.25) - self.s(44)

    def build(self) -> None:
        W, H = self.app.size
        top, bottom = self.band().bottom + self.s(16), self.footer_top() - self.s(12)
        gap, bw = self.s(10), self.s(320)
        n = 7
        rows = n if bottom - top >= n * self.s(38) + (n - 1) * gap else (n + 1) // 2
        bh = max(self.s(34), min(self.s(54), (bottom - top - (rows - 1) * gap) // rows))
        cols = 1 if rows == n else 2
        x0 = W // 2 - (cols * bw + (cols - 1) * gap) // 2
        y0 = top + max(0, (bottom - top - rows * bh - (rows - 1) * gap) // 2)
        entries = [("New game", self.new_game, "big", "Choose a scenario and who plays each side (Enter)"),
                   ("Load game", self.load, None, "Continue a saved game (F9 loads the quick save)"),
                   ("Replay a game", self.replay, None, "Step through a game log turn by turn, in any team's view"),
                   ("Map editor", self.editor, None, "Edit a scenario's places, routes, units and control"),
                   ("Settings", self.settings, None, "Window, UI scale, animation speed, colour-blind mode"),
                   ("Help and about", self.help, None, "Shortcuts and what this game is (F1)"),
                   ("Quit", self.app.request_quit, None, None)]
        for k, (label, action, oid, tip) in enumerate(entries):
            col, row = divmod(k, rows)
            rect = pygame.Rect(x0 + col * (bw + gap), y0 + row * (bh + gap), bw, bh)
            self.button(rect, label, action, object_id=f"#{oid}" if oid else None, tooltip=tip)

    def idle_work(self) -> bool:
        """Draw the map behind the title once the title is on screen (it takes a moment)."""
        size = self.app.size
        if size in _BACKDROP:
            return False
        backdrop(size)
        self.app.dirty = True
        return True

    def new_game(self) -> None:
        from .picker import PickerScene

        self.app.push(PickerScene(self.app))

    def load(self) -> None:
        from .dialogs import LoadScene

        self.app.push(LoadScene(self.app))

    def replay(self) -> None:
        from .replayopen import ReplayOpenScene

        self.app.push(ReplayOpenScene(self.app))

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
        art = backdrop((W, H), make=False)
        if art is not None:
            surface.blit(art, (0, 0))
        else:
            self._backdrop(surface)
        band = self.band()
        w.panel(surface, band, (18, 24, 32), None, alpha=200, radius=0)
        w.text(surface, "JUNCTION", (W // 2, band.top + self.s(62)), self.s(80), (250, 248, 240), bold=True,
               anchor="center")
        y = band.top + self.s(112)
        for line, size, colour in ((TAGLINE, 22, (214, 222, 230)),
                                   ("Homs · Damascus · the coast — one day per turn", 17, (160, 176, 190))):
            for part in w.wrap(line, self.s(size), W - 40):
                w.text(surface, part, (W // 2, y), self.s(size), colour, anchor="midtop")
                y += int(self.s(size) * 1.25)
            y += self.s(8)
        top = self.footer_top()
        w.panel(surface, pygame.Rect(0, top, W, H - top), (18, 24, 32), None, alpha=215, radius=0)
        keys = "Enter: new game    F1: help    F9: load quick save    Esc: quit"
        if w.width_of(keys, self.s(14)) > W - 40:
            keys = "Enter: new game · F1: help · Esc: quit"
        w.text(surface, keys, (W // 2, top + self.s(12)), self.s(14), (140, 152, 164), anchor="midtop")
        box = pygame.Rect(0, 0, min(W - 40, self.s(900)), H - top - self.s(44))
        box.midtop = (W // 2, top + self.s(38))
        w.paragraph(surface, DISCLAIMER, box, self.s(15), (190, 198, 206))

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
