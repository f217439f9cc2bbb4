"""Choose a scenario file to open in the map editor (from the title screen)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pygame

from . import widgets as w
from .base import Scene, key_event

if TYPE_CHECKING:
    from ..app import App


def is_variant(path: Path) -> bool:
    """Whether the file extends another (a quick look at its top-level keys, without loading it)."""
    try:
        with path.open(encoding="utf-8", errors="replace") as fh:
            return any(line.startswith("extends:") for line in fh)
    except OSError:
        return False


class EditorPickScene(Scene):
    name = "editor-pick"

    def __init__(self, app: App, folder: Path | None = None) -> None:
        super().__init__(app)
        from ..app import SCENARIO_DIR

        self.folder = folder or SCENARIO_DIR
        self.files = sorted(self.folder.glob("*.yaml")) + sorted(self.folder.glob("*.yml"))
        self.index = 0
        self.list = w.ListView(pygame.Rect(0, 0, 1, 1), 18)

    def build(self) -> None:
        W, H = self.app.size
        m = self.s(24)
        top = self.s(66) + w.paragraph_height(self.note(), self.s(15), W - 2 * m) + self.s(14)
        self.list.rect = pygame.Rect(m, top, min(W - 2 * m, self.s(760)), H - top - self.s(100))
        self.list.size = self.s(18)
        self.list.rows = [w.Row(f"{p.name}  (a variant: edit the file it extends)" if is_variant(p) else p.name,
                                value=i, ink=w.MUTED if is_variant(p) else w.INK) for i, p in enumerate(self.files)]
        self.list.selected = self.index
        label = "Open in the editor  ⏎"
        bw, bh = self.label_width(label, "#primary", self.s(240)), self.s(50)
        self.button(pygame.Rect(W - m - bw, H - m - bh, bw, bh), label, self.open, "#primary",
                    "Edit this scenario's map (Enter)", enabled=bool(self.files))
        self.button(pygame.Rect(m, H - m - bh, self.s(160), bh), "Back", self.back, None, "Back to the title (Esc)")

    def note(self) -> str:
        return f"Files in {self.folder}. Saving keeps the file's comments and layout; the file is checked before " \
            "it is replaced."

    def open(self) -> None:
        if not self.files:
            return
        from .editor import EditorScene

        self.app.push(EditorScene(self.app, self.files[self.index]))

    def back(self) -> None:
        self.app.pop(self)

    def handle(self, event: pygame.event.Event) -> bool:
        if key_event(event, pygame.K_RETURN, pygame.K_KP_ENTER):
            self.open()
        elif key_event(event, pygame.K_ESCAPE):
            self.back()
        elif key_event(event, pygame.K_DOWN, pygame.K_UP) and self.files:
            self.index = (self.index + (1 if event.key == pygame.K_DOWN else -1)) % len(self.files)
            self.list.selected = self.index
        elif event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
            row = self.list.click(event.pos)
            if row is None:
                return False
            self.index = int(row.value)  # type: ignore[call-overload]
        elif event.type == pygame.MOUSEWHEEL:
            self.list.wheel(event.y)
        else:
            return False
        return True

    def draw(self, surface: pygame.Surface) -> None:
        surface.fill(w.PAPER)
        m = self.s(24)
        w.text(surface, "Map editor: choose a scenario", (m, self.s(24)), self.s(32), w.INK, bold=True)
        w.paragraph(surface, self.note(), pygame.Rect(m, self.s(66), self.app.size[0] - 2 * m, self.list.rect.top -
                                                    self.s(66)), self.s(15), w.MUTED)
        w.panel(surface, self.list.rect.inflate(self.s(12), self.s(12)), (255, 255, 252))
        if not self.files:
            w.text(surface, "No scenario files found.", self.list.rect.topleft, self.s(18), w.WARN)
        self.list.draw(surface)
