"""Settings: window size, full screen, UI scale (projectors), animation speed, colour-blind mode."""

from __future__ import annotations

import pygame

from ..settings import ANIMATION_SPEEDS, UI_SCALES, WINDOW_SIZES, next_in
from . import widgets as w
from .dialogs import Dialog


def speed_label(x: float) -> str:
    return "off" if x <= 0 else {0.5: "slow", 1.0: "normal", 2.0: "fast"}.get(x, f"×{x:g}")


def scale_label(asked: float | None, used: float) -> str:
    return f"auto ({used:g}×)" if asked is None else f"{asked:g}×"


def scale_tip(asked: float | None, used: float) -> str:
    if asked is None:
        return "Bigger text and buttons for projectors; auto follows the window's size"
    return "Bigger text and buttons for projectors" + (
        f"; this window fits {used:g}×, a bigger one shows more" if used < asked else "")


class SettingsScene(Dialog):
    width, height = 760, 600
    close_keys = (pygame.K_ESCAPE, pygame.K_RETURN, pygame.K_KP_ENTER)
    name = "settings"

    def rows(self) -> list[tuple[str, str, object, str]]:
        st = self.app.settings
        return [
            ("Window size", f"{st.window_width} × {st.window_height}", self.next_size, "Used when not full screen"),
            ("Full screen", "on" if st.fullscreen else "off", self.toggle_full, "F11 also switches"),
            ("UI scale", scale_label(st.ui_scale, self.app.scale), self.next_scale,
             scale_tip(st.ui_scale, self.app.scale)),
            ("Turn playback", speed_label(st.animation_speed), self.next_speed,
             "How fast each turn plays out on the map; Space skips it"),
            ("Colour-blind palette", "on" if st.colour_blind else "off", self.toggle_cb,
             "Paul Tol's bright scheme; counters also carry each faction's short name"),
            ("Ask before End turn", "on" if st.confirm_end_turn else "off", self.toggle_confirm,
             "When most of your units have no order yet"),
        ]

    def geometry(self) -> tuple[pygame.Rect, int, int, int]:
        """(the box, the left of the value buttons, the top of the first row, the row height)."""
        r = self.box()
        bx = r.right - self.s(24) - self.s(200)
        top = r.top + self.s(78)
        done_top = r.bottom - self.s(62)
        row_h = max(self.s(46), min(self.s(64), (done_top - self.s(10) - top) // len(self.rows())))
        return r, bx, top, row_h

    def build(self) -> None:
        r, bx, top, row_h = self.geometry()
        for k, (_, value, action, tip) in enumerate(self.rows()):
            self.button(pygame.Rect(bx, top + k * row_h, self.s(200), min(self.s(44), row_h - self.s(6))), value,
                        action, "#quiet", tip)
        self.button(pygame.Rect(r.right - self.s(180), r.bottom - self.s(62), self.s(160), self.s(46)), "Done",
                    self.close, "#primary", "Settings are saved as you change them (Esc)")

    def _set(self, **changes: object) -> None:
        self.app.apply_settings(self.app.settings.with_changes(**changes))
        self.rebuild()

    def next_size(self) -> None:
        cur = (self.app.settings.window_width, self.app.settings.window_height)
        wsize, hsize = next_in(WINDOW_SIZES, cur)
        self._set(window_width=wsize, window_height=hsize)

    def toggle_full(self) -> None:
        self._set(fullscreen=not self.app.settings.fullscreen)

    def next_scale(self) -> None:
        self._set(ui_scale=next_in((None, *UI_SCALES), self.app.settings.ui_scale))

    def next_speed(self) -> None:
        self._set(animation_speed=next_in(ANIMATION_SPEEDS, self.app.settings.animation_speed))

    def toggle_confirm(self) -> None:
        self._set(confirm_end_turn=not self.app.settings.confirm_end_turn)

    def toggle_cb(self) -> None:
        self._set(colour_blind=not self.app.settings.colour_blind)

    def draw(self, surface: pygame.Surface) -> None:
        super().draw(surface)
        r, bx, top, row_h = self.geometry()
        w.text(surface, "Settings", (r.left + self.s(24), r.top + self.s(22)), self.s(28), w.INK, bold=True)
        width = bx - self.s(16) - (r.left + self.s(24))
        for k, (label, _, _, tip) in enumerate(self.rows()):
            y = top + k * row_h
            w.text(surface, label, (r.left + self.s(24), y), self.s(18), w.INK, bold=True)
            box = pygame.Rect(r.left + self.s(24), y + self.s(24), width, row_h - self.s(26))
            w.scroll_text(surface, tip, box, self.s(13), 0, w.MUTED, spacing=1.15)
