"""Small overlays: a yes/no question, the in-game menu, and the list of saved games to load."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pygame

from .. import saves
from . import widgets as w
from .base import Scene, key_event


class Dialog(Scene):
    """A centred box over a darkened screen that takes every key and click; `close_keys` close it."""

    overlay = True
    width, height = 620, 300
    close_keys: tuple[int, ...] = (pygame.K_ESCAPE,)
    swallows: tuple[int, ...] = (pygame.KEYDOWN, pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP)

    def box(self) -> pygame.Rect:
        W, H = self.app.size
        r = pygame.Rect(0, 0, min(W - self.s(40), self.s(self.width)), min(H - self.s(40), self.s(self.height)))
        r.center = (W // 2, H // 2)
        return r

    def close(self) -> None:
        self.app.pop(self)

    def handle(self, event: pygame.event.Event) -> bool:
        if key_event(event, *self.close_keys):
            self.close()
            return True
        if key_event(event, pygame.K_F11, pygame.K_F12):
            return False  # full screen and screenshots work on every screen
        return event.type in self.swallows

    def draw(self, surface: pygame.Surface) -> None:
        w.shade(surface)
        w.panel(surface, self.box(), w.PAPER, w.EDGE, radius=10)


class ConfirmScene(Dialog):
    name = "confirm"

    def __init__(self, app, question: str, choices: Sequence[tuple[str, Callable[[], object], str | None]]) -> None:  # type: ignore
        super().__init__(app)
        self.question = question
        self.choices = choices

    def button_rects(self) -> list[pygame.Rect]:
        """The choices in one row when their labels fit, else one under another (the first at the top)."""
        r = self.box()
        n = len(self.choices)
        pad, gap, h = self.s(24), self.s(14), self.s(46)
        widths = [self.label_width(label, f"#{oid}" if oid else None) for label, _, oid in self.choices]
        share = (r.width - 2 * pad - gap * (n - 1)) // n
        if all(wd <= share for wd in widths):
            return [pygame.Rect(r.left + pad + k * (share + gap), r.bottom - pad - h, share, h) for k in range(n)]
        width = min(r.width - 2 * pad, max(widths))
        top = r.bottom - pad - n * h - (n - 1) * gap
        return [pygame.Rect(r.centerx - width // 2, top + k * (h + gap), width, h) for k in range(n)]

    def box(self) -> pygame.Rect:
        W, H = self.app.size
        lines = len(w.wrap(self.question, self.s(20), min(W - self.s(40), self.s(self.width)) - self.s(48), True))
        n = len(self.choices)
        tall = self.s(48) + lines * int(self.s(20) * 1.25) + self.s(24) + n * self.s(60)
        r = pygame.Rect(0, 0, min(W - self.s(40), self.s(self.width)), min(H - self.s(20), max(self.s(self.height),
                                                                                               tall)))
        r.center = (W // 2, H // 2)
        return r

    def build(self) -> None:
        for rect, (label, action, oid) in zip(self.button_rects(), self.choices):
            self.button(rect, label, lambda a=action: (self.close(), a()), f"#{oid}" if oid else None)

    def handle(self, event: pygame.event.Event) -> bool:
        if key_event(event, pygame.K_RETURN, pygame.K_KP_ENTER) and self.choices:
            if self.settled():
                self.close()
                self.choices[0][1]()
            return True
        return super().handle(event)

    def draw(self, surface: pygame.Surface) -> None:
        super().draw(surface)
        r = self.box()
        top = min(b.top for b in self.button_rects())
        box = pygame.Rect(r.left + self.s(24), r.top + self.s(24), r.width - self.s(48), top - r.top - self.s(36))
        w.scroll_text(surface, self.question, box, self.s(20), 0, w.INK, bold=True)


class MenuScene(Dialog):
    name = "menu"
    width, height = 420, 580

    def build(self) -> None:
        r = self.box()
        entries = [("Resume", self.close, "#primary"), ("Save game (F5)", self.save, None),
                   ("Load game…", self.load, None), ("Projector view (P)", self.projector, None),
                   ("After-action report", self.report, None),
                   ("Settings", self.settings, None),
                   ("Help (F1)", self.help, None), ("Quit to title", self.to_title, None),
                   ("Quit game", self.quit, "#danger")]
        y = r.top + self.s(70)
        step = min(self.s(60), (r.bottom - self.s(16) - y) // len(entries))
        for label, action, oid in entries:
            self.button(pygame.Rect(r.left + self.s(40), y, r.width - self.s(80), step - self.s(12)), label, action,
                        oid)
            y += step

    def save(self) -> None:
        self.close()
        self.app.save_game()

    def load(self) -> None:
        self.close()
        self.app.push(LoadScene(self.app))

    def projector(self) -> None:
        from ..projector import show_projector

        self.close()
        show_projector(self.app)

    def report(self) -> None:
        """The after-action report of the game so far (a debrief need not wait for the game's end)."""
        from .aar import AarScene

        self.close()
        if self.app.session is not None:
            self.app.push(AarScene(self.app, self.app.session))

    def settings(self) -> None:
        from .settings_scene import SettingsScene

        self.close()
        self.app.push(SettingsScene(self.app))

    def help(self) -> None:
        from .help import HelpScene

        self.close()
        self.app.push(HelpScene(self.app))

    def to_title(self) -> None:
        from .title import TitleScene

        def go() -> None:
            self.app.session = None
            self.app.replace(TitleScene(self.app))

        self.close()
        s = self.app.session
        if s is not None and s.has_unsaved_orders():
            self.app.push(ConfirmScene(self.app, "Your planned orders are not saved. Leave this game?", [
                ("Save and leave", lambda: self.app.save_game() is not None and go(), "primary"),
                ("Leave", go, "danger"), ("Cancel", lambda: None, None)]))
        else:
            go()

    def quit(self) -> None:
        self.close()
        self.app.request_quit()

    def draw(self, surface: pygame.Surface) -> None:
        super().draw(surface)
        r = self.box()
        w.text(surface, "Menu", (r.centerx, r.top + self.s(34)), self.s(26), w.INK, bold=True, anchor="center")


class LoadScene(Dialog):
    """Saved games, newest first; broken files are listed with their problem and cannot be chosen."""

    name = "load"
    width, height = 900, 560

    def __init__(self, app) -> None:  # type: ignore[no-untyped-def]
        super().__init__(app)
        self.infos = saves.list_saves()
        self.list = w.ListView(pygame.Rect(0, 0, 1, 1), 16)

    def build(self) -> None:
        r = self.box()
        self.list.rect = pygame.Rect(r.left + self.s(24), r.top + self.s(80), r.width - self.s(48),
                                     r.height - self.s(160))
        self.list.size = self.s(17)
        self.list.rows = [w.Row(i.label(), value=k, ink=w.WARN if i.problem else w.INK)
                          for k, i in enumerate(self.infos)]
        self.button(pygame.Rect(r.right - self.s(180), r.bottom - self.s(66), self.s(156), self.s(46)), "Cancel",
                    self.close)

    def newest(self) -> saves.SaveInfo | None:
        """The newest save that can be loaded (Enter loads it)."""
        return next((i for i in self.infos if not i.problem), None)

    def handle(self, event: pygame.event.Event) -> bool:
        if event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
            row = self.list.click(event.pos)
            if row is not None:
                info = self.infos[int(row.value)]  # type: ignore[call-overload]
                self.close()
                self.app.load_game(info.path)
                return True
        if key_event(event, pygame.K_RETURN, pygame.K_KP_ENTER):
            newest = self.newest()
            if newest is not None and self.settled():
                self.close()
                self.app.load_game(newest.path)
            return True
        if event.type == pygame.MOUSEWHEEL:
            self.list.wheel(event.y)
            return True
        return super().handle(event)

    def draw(self, surface: pygame.Surface) -> None:
        super().draw(surface)
        r = self.box()
        w.text(surface, "Load a saved game", (r.left + self.s(24), r.top + self.s(24)), self.s(26), w.INK, bold=True)
        w.text(surface, str(saves.saves_dir()), (r.left + self.s(24), r.top + self.s(56)), self.s(13), w.MUTED)
        if not self.infos:
            w.text(surface, "No saved games yet. F5 saves during a game.", self.list.rect.topleft, self.s(17), w.MUTED)
        elif self.newest() is not None:  # nothing else says that a line is what to click
            hint = "Click a saved game to load it; Enter loads the newest."
            if w.width_of(hint, self.s(14)) > r.width - self.s(48) - self.s(180):
                hint = "Click a game to load it."
            w.text(surface, hint, (r.left + self.s(24), r.bottom - self.s(43)), self.s(14), w.MUTED, anchor="midleft")
        self.list.draw(surface)
