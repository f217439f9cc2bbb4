"""The scenario picker: every file in scenarios/ with its title, date, description and a thumbnail map.
A file that does not load is listed with its error instead of crashing the game. Files are read one by
one while the list is on screen (the one chosen at once), so the picker opens without waiting."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pygame

from game.engine import State

from . import widgets as w
from .base import Scene, key_event
from .thumbnail import thumbnail


@dataclass
class Entry:
    path: Path
    state: State | None = None
    error: str = ""
    loaded: bool = False

    @property
    def title(self) -> str:
        return self.state.world.meta.title if self.state is not None else self.path.name

    def load(self) -> Entry:
        """Read the file (once); a failure keeps its message."""
        if not self.loaded:
            from game.scenario import ScenarioError

            from ..app import load_scenario_file

            self.loaded = True
            try:
                self.state = load_scenario_file(self.path)[1]
            except (ScenarioError, OSError, ValueError) as exc:
                self.error = str(exc)
        return self


def scan(folder: Path, load: bool = True) -> list[Entry]:
    """Every *.yaml in `folder`, the default scenario first (`load`: read them all now)."""
    out = [Entry(path) for path in sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml"))]
    default = [e for e in out if e.path.name == "homs_junction.yaml"]
    out = default + [e for e in out if e not in default]
    return [e.load() for e in out] if load else out


class PickerScene(Scene):
    name = "picker"

    def __init__(self, app, folder: Path | None = None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(app)
        from ..app import SCENARIO_DIR

        self.entries = scan(folder or SCENARIO_DIR, load=False)
        self.index = 0
        self._thumbs: dict[tuple[int, tuple[int, int]], pygame.Surface] = {}
        self.list = w.ListView(pygame.Rect(0, 0, 1, 1), 18)
        self.detail_scroll = 0
        self.detail_h = 0
        self._wanted: tuple[int, tuple[int, int]] | None = None

    def build(self) -> None:
        W, H = self.app.size
        m = self.s(24)
        self.list.size = self.s(18)
        self.list.rows = self.rows()
        widest = max((w.width_of(r.text, self.list.size, r.header) for r in self.list.rows), default=0)
        width = min(int(W * 0.42), max(int(W * 0.34), widest + self.list.size + 6 + 8))  # names whole if they can be
        self.list.rect = pygame.Rect(m, self.s(90), width, H - self.s(90) - self.s(100))
        self.list.selected = self.index
        bw, bh = self.s(240), self.s(50)
        self.button(pygame.Rect(W - m - bw, H - m - bh, bw, bh), "Choose sides  ⏎", self.choose, "#primary",
                    "Play this scenario (Enter)")
        self.button(pygame.Rect(m, H - m - bh, self.s(160), bh), "Back", self.back, None, "Back to the title (Esc)")

    def rows(self) -> list[w.Row]:
        return [w.Row(e.title if not e.error else f"{e.path.name} — cannot be loaded", value=i,
                      ink=w.INK if not e.error else w.WARN) for i, e in enumerate(self.entries)]

    def idle_work(self) -> bool:
        """Once the list is on screen: read the chosen file, then draw its map, then read the others."""
        current = self.current
        if current is not None and not current.loaded:
            current.load()
        elif not self._thumb_work():
            rest = next((e for e in self.entries if not e.loaded), None)
            if rest is None:
                return False
            rest.load()
        self.list.rows = self.rows()
        self.app.dirty = True
        return True

    def _thumb_work(self) -> bool:
        want = self._wanted
        if want is None or want in self._thumbs or not 0 <= want[0] < len(self.entries):
            return False
        e = self.entries[want[0]]
        if e.state is None:
            return False
        self._thumbs = {want: thumbnail(e.state, want[1], str(e.path))}
        return True

    @property
    def current(self) -> Entry | None:
        return self.entries[self.index] if self.entries else None

    def choose(self) -> None:
        e = self.current
        if e is None:
            return
        e.load()
        if e.error:
            self.app.notify(f"{e.path.name} cannot be played: see its error.", "warn")
            return
        self.app.new_game(e.path)

    def back(self) -> None:
        self.app.pop(self)

    def handle(self, event: pygame.event.Event) -> bool:
        if key_event(event, pygame.K_RETURN, pygame.K_KP_ENTER):
            self.choose()
        elif key_event(event, pygame.K_ESCAPE):
            self.back()
        elif key_event(event, pygame.K_DOWN, pygame.K_UP) and self.entries:
            self.index = (self.index + (1 if event.key == pygame.K_DOWN else -1)) % len(self.entries)
            self.list.selected = self.index
            self.detail_scroll = 0
        elif event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
            row = self.list.click(event.pos)
            if row is None:
                return False
            self.index = int(row.value)  # type: ignore[call-overload]
            self.detail_scroll = 0
        elif event.type == pygame.MOUSEWHEEL and self.list.rect.collidepoint(self.app.mouse):
            self.list.wheel(event.y)
        elif event.type == pygame.MOUSEWHEEL:
            step = self.s(20)
            self.detail_scroll = max(0, min(self.detail_h, self.detail_scroll - event.y * step))
        else:
            return False
        return True

    def draw(self, surface: pygame.Surface) -> None:
        W, H = surface.get_size()
        surface.fill(w.PAPER)
        m = self.s(24)
        w.text(surface, "Choose a scenario", (m, self.s(24)), self.s(32), w.INK, bold=True)
        w.text(surface, f"{len(self.entries)} file(s) in scenarios/", (m, self.s(64)), self.s(15), w.MUTED)
        w.panel(surface, self.list.rect.inflate(self.s(12), self.s(12)), (255, 255, 252))
        if not self.entries:
            w.text(surface, "No scenario files found.", self.list.rect.topleft, self.s(18), w.WARN)
        self.list.draw(surface)
        detail = pygame.Rect(self.list.rect.right + self.s(32), self.s(90), 0, 0)
        detail.width, detail.height = W - detail.left - m, H - detail.top - self.s(100)
        if self.current is not None:
            self._detail(surface, self.current, detail)

    def _detail(self, surface: pygame.Surface, e: Entry, rect: pygame.Rect) -> None:
        if not e.loaded:
            w.text(surface, w.fit_text(f"Reading {e.path.name}…", self.s(18), rect.width), rect.topleft, self.s(18),
                   w.MUTED, full=e.path.name)
            return
        if e.error or e.state is None:
            w.text(surface, w.fit_text(e.path.name, self.s(22), rect.width, True), rect.topleft, self.s(22), w.WARN,
                   bold=True, full=e.path.name)
            box = pygame.Rect(rect.left, rect.top + self.s(40), rect.width, rect.height - self.s(40))
            self.detail_h = w.scroll_text(surface, "This file could not be loaded:\n\n" + e.error, box, self.s(15),
                                          self.detail_scroll)
            return
        meta = e.state.world.meta
        size = (rect.width, min(int(rect.height * 0.42), int(rect.width * 0.62)))
        self._wanted = (self.index, size)
        if self._wanted in self._thumbs:
            surface.blit(self._thumbs[self._wanted], rect.topleft)
        else:
            pygame.draw.rect(surface, (214, 226, 232), (rect.left, rect.top, *size))
            w.text(surface, "Drawing the map…", (rect.left + size[0] // 2, rect.top + size[1] // 2), self.s(15),
                   w.MUTED, anchor="center", full="Drawing the map…")
        pygame.draw.rect(surface, w.EDGE, (rect.left, rect.top, *size), 1)
        y = rect.top + size[1] + self.s(10)
        for line in w.wrap(meta.title, self.s(24), rect.width, True):
            w.text(surface, line, (rect.left, y), self.s(24), w.INK, bold=True)
            y += int(self.s(24) * 1.2)
        last = e.state.world.date_of(meta.turns)
        days = "1 day" if meta.turn_days == 1 else f"{meta.turn_days} days"
        info = f"Starts {meta.start_date} · {meta.turns} turns of {days}, to {last} · {e.path.name}"
        y = w.paragraph(surface, info, pygame.Rect(rect.left, y, rect.width, self.s(40)), self.s(14), w.MUTED)
        y += self.s(6)
        x = rect.left
        chip = self.s(14)
        rows, rest = 1, []
        for f in e.state.world.factions:
            name = f.name if w.width_of(f.name, chip) + self.s(22) <= rect.width else f.short
            width = w.width_of(name, chip) + self.s(22)
            if x > rect.left and x + width > rect.right:
                if rows == 3:  # the others are named with the description
                    rest.append(f.name)
                    continue
                x, y, rows = rect.left, y + self.s(22), rows + 1
            pygame.draw.rect(surface, w.hex_colour(f.colour), (x, y + 2, self.s(14), self.s(14)), border_radius=3)
            w.text(surface, name, (x + self.s(20), y), chip, w.INK)
            x += width + self.s(14)
        y += self.s(30)
        text = meta.description or "(no description)"
        if rest:
            text = f"Also: {', '.join(rest)}.\n\n{text}"
        box = pygame.Rect(rect.left, y, rect.width, rect.bottom - y)
        self.detail_h = w.scroll_text(surface, text, box, self.s(15), self.detail_scroll)
