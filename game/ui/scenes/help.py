"""F1: every shortcut, how to play, and what the game is (and is not)."""

from __future__ import annotations

import pygame

from . import widgets as w
from .dialogs import Dialog

SHORTCUTS = [
    ("Click / Tab / Shift+Tab", "select one of your units / the next / the previous"),
    ("Right-click or drag", "order the selected unit: move, attack an adjacent enemy, or withdraw"),
    ("H, E, W", "hold, entrench, withdraw the selected unit"),
    ("Ctrl+Z", "undo the last order; × in the orders list removes one"),
    ("Delete", "remove the selected unit's order"),
    ("Enter", "end the turn (hotseat: pass to the next player)"),
    ("Space", "skip the turn animation"),
    ("Esc", "cancel targeting / deselect / open the menu"),
    ("Wheel, + and -", "zoom around the cursor"),
    ("Drag, arrow keys", "pan the map; Home fits it to the window"),
    ("M, L", "map mode (control, supply, patron reach); show or hide the legend"),
    ("R", "the last turn's report"),
    ("F1", "this help"),
    ("F5 / F9", "quick save / load the quick save"),
    ("F6", "reload the scenario file (it reloads by itself when saved, at the start of play)"),
    ("F7", "open this scenario in the map editor"),
    ("F2", "hide or show the tutorial (scenarios that have one)"),
    ("F11", "full screen"),
    ("F12", "screenshot to the data folder"),
]

ABOUT = (
    "Junction simulates the Syrian front as it stood on 7 December 2024: places and roads, factions, "
    "their outside patrons, supply and cohesion. Each turn is one day; every side gives its orders at "
    "the same time and the engine resolves them with seeded dice, so a game can be replayed exactly.\n\n"
    "This is a model of a real war in which real people died. Its numbers are estimates chosen for play. "
    "What happens in a game, or in many games, explores the model's assumptions; it is not a forecast, "
    "and not a judgement of anyone. Sources for the facts are listed in the seeds/ folder.")


class HelpScene(Dialog):
    width, height = 1100, 740
    close_keys = (pygame.K_ESCAPE, pygame.K_F1, pygame.K_RETURN, pygame.K_KP_ENTER)
    swallows = Dialog.swallows + (pygame.MOUSEWHEEL,)
    name = "help"

    def build(self) -> None:
        r = self.box()
        self.button(pygame.Rect(r.right - self.s(176), r.bottom - self.s(62), self.s(160), self.s(46)), "Close",
                    self.close, "#primary", "Esc or F1")

    def draw(self, surface: pygame.Surface) -> None:
        super().draw(surface)
        r = self.box()
        pad = self.s(22)
        w.text(surface, "Help: keys and mouse", (r.left + pad, r.top + pad), self.s(26), w.INK, bold=True)
        size = self.s(16)
        col = r.left + pad
        key_w = self.s(210)
        y = r.top + pad + self.s(44)
        half = (r.width - 3 * pad) // 2 + pad
        for key, what in SHORTCUTS:
            w.text(surface, key, (col, y), size, w.ACCENT, bold=True)
            y = w.paragraph(surface, what, pygame.Rect(col + key_w, y, half - key_w - pad, self.s(60)), size) + 4
        right = pygame.Rect(r.left + half + pad, r.top + pad + self.s(44), r.width - half - 2 * pad,
                            r.height - self.s(140))
        w.text(surface, "About this game", (right.left, right.top), self.s(20), w.INK, bold=True)
        w.paragraph(surface, ABOUT, pygame.Rect(right.left, right.top + self.s(32), right.width, right.height),
                    size)
