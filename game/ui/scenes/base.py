"""The scene interface: each screen builds its pygame_gui buttons, handles events, updates and draws.

Scenes never run their own loop: the app calls `handle`, `update` and `draw` once per frame,
so a test can drive any screen one frame at a time.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pygame
import pygame_gui

if TYPE_CHECKING:
    from game.ui.app import App

Action = Callable[[], Any]
BUTTON_FONTS: dict[str | None, tuple[int, bool]] = {
    None: (17, False), "#primary": (19, True), "#big": (22, True), "#on": (17, True), "#tab": (15, True),
    "#quiet": (15, False), "#small": (15, False), "#danger": (17, False)}
"""Font size (before the UI scale) and boldness of button labels by theme object id (assets/theme.json)."""
BUTTON_PAD = 2 * 8 + 2 * 2 + 8
"""A button's width beyond its label: the theme's text padding and border on both sides, and some air."""


class Scene:
    """A screen of the game. `overlay` scenes draw over the scene beneath them."""

    overlay = False
    opaque = False
    """Whether the scene paints every pixel of the window (the window need not be cleared first)."""
    dims_below = True
    """An overlay that leaves the scene beneath visible (no shade) sets this False: the buttons beneath
    then stay visible but disabled."""
    name = "scene"

    def __init__(self, app: App) -> None:
        self.app = app
        self.ui: list[pygame_gui.core.UIElement] = []
        self.actions: dict[pygame_gui.core.UIElement, Action] = {}
        self._cover: bool | None = None
        self._disabled: list[pygame_gui.core.UIElement] = []
        self.shown_at = app.time
        self.reasons: dict[pygame_gui.core.UIElement, str] = {}
        """Why a disabled button cannot be used (shown when it is hovered)."""
        self._keys: dict[pygame_gui.core.UIElement, tuple[object, ...]] = {}
        self._spare: dict[tuple[object, ...], pygame_gui.core.UIElement] = {}
        """Buttons taken down by a rebuild, kept to be put back unchanged (making one costs milliseconds)."""

    # --- lifecycle

    def enter(self) -> None:
        self.build()

    def leave(self) -> None:
        self.kill_ui()

    @property
    def covered(self) -> bool:
        return self._cover is not None

    def cover(self, keep_visible: bool = False) -> None:
        """Another scene was pushed on top: hide our buttons (or only disable them)."""
        self._cover = keep_visible
        self._disabled += [e for e in self.ui if e.is_enabled and e not in self._disabled]
        for e in self.ui:
            if keep_visible:
                e.disable()
            else:
                e.hide()

    def uncover(self) -> None:
        """We are on top again."""
        self._cover = None
        for e in self.ui:
            e.show()
        for e in self._disabled:
            if e.alive():
                e.enable()
        self._disabled = []

    def build(self) -> None:
        """Create the buttons for the current window size (called again after a resize)."""

    def rebuild(self) -> None:
        """Lay the buttons out again (those that come back unchanged are reused)."""
        self._put_aside(list(self.ui))
        self.build()
        self.drop_spares()
        if self._cover is not None:
            self.cover(self._cover)

    def kill_ui(self) -> None:
        for e in self.ui:
            e.kill()
        self.ui.clear()
        self.actions.clear()
        self.reasons.clear()
        self._keys.clear()
        self.drop_spares()

    def _put_aside(self, elements: list[pygame_gui.core.UIElement]) -> None:
        for e in elements:
            if e in self.ui:
                self.ui.remove(e)
            self.actions.pop(e, None)
            self.reasons.pop(e, None)
            key = self._keys.pop(e, None)
            if key is None:
                if not any(e is spare for spare in self._spare.values()):
                    e.kill()
            elif key in self._spare or not e.alive():
                e.kill()
            else:
                self._spare[key] = e

    def drop_spares(self) -> None:
        """Kill the buttons put aside and not reused."""
        for e in self._spare.values():
            e.kill()
        self._spare.clear()

    # --- helpers

    def s(self, px: float) -> int:
        return self.app.s(px)

    def button(self, rect: pygame.Rect, label: str, action: Action, object_id: str | None = None,
               tooltip: str | None = None, enabled: bool = True,
               group: list[pygame_gui.core.UIElement] | None = None) -> pygame_gui.elements.UIButton:
        """A themed button that calls `action` when pressed (`group` collects buttons rebuilt together)."""
        key = (tuple(rect), label, object_id, id(self.app.manager))
        b = self._spare.pop(key, None)
        if b is None:
            oid = pygame_gui.core.ObjectID(object_id=object_id) if object_id else None
            b = pygame_gui.elements.UIButton(rect, label, self.app.manager, object_id=oid,
                                             tool_tip_text=tooltip if enabled else None)
            if not enabled:
                b.disable()
        else:
            b.enable() if enabled else b.disable()
            if b.tool_tip_text != (tooltip if enabled else None):
                b.set_tooltip(tooltip if enabled else None)
            if self._cover is None:
                b.show()
        if not enabled and tooltip:
            self.reasons[b] = tooltip
        self._keys[b] = key
        self.ui.append(b)
        self.actions[b] = action
        if group is not None:
            group.append(b)
        return b

    def label_width(self, label: str, object_id: str | None = None, minimum: int = 0) -> int:
        """How wide a button must be for `label` in its theme font at the UI scale in use."""
        from . import widgets as w

        size, bold = BUTTON_FONTS.get(object_id, BUTTON_FONTS[None])
        return max(minimum, w.width_of(label, max(8, round(size * self.app.scale)), bold) + self.s(BUTTON_PAD))

    def kill_group(self, group: list[pygame_gui.core.UIElement]) -> None:
        """Take a group's buttons down (put aside for reuse until `drop_spares`)."""
        self._put_aside(list(group))
        group.clear()

    def draw_reasons(self, surface: pygame.Surface, pos: tuple[int, int]) -> None:
        """The reason a hovered disabled button cannot be used, in a tooltip."""
        from . import widgets as w

        for b, reason in self.reasons.items():
            if b.visible and not b.is_enabled and b.rect.collidepoint(pos):
                size = self.s(14)
                w.tooltip(surface, w.wrap(reason, size, self.s(360)), (pos[0], b.rect.bottom - 12), size,
                          bold_first=False)
                return

    def press(self, element: object) -> bool:
        """Run the action of a pressed button of this scene."""
        action = self.actions.get(element)  # type: ignore[call-overload]
        if action is None:
            return False
        action()
        return True

    # --- per frame

    def handle(self, event: pygame.event.Event) -> bool:
        """React to one event; True when it was used."""
        return False

    def update(self, dt: float) -> None:
        pass

    def idle_work(self) -> bool:
        """Work worth doing while nothing happens (one small piece); False when there is none."""
        return False

    def busy(self) -> bool:
        """Whether this scene changes on screen without input (an animation): the app keeps drawing."""
        return False

    def settled(self, seconds: float = 0.4) -> bool:
        """Whether the scene has been shown for `seconds`: a key that confirms it (Enter) is ignored before,
        so a double press meant for the screen before does not skip this one."""
        return self.app.time - self.shown_at >= seconds

    def draw(self, surface: pygame.Surface) -> None:
        pass

    def draw_over(self, surface: pygame.Surface) -> None:
        """Drawn after the buttons (tooltips, cursor messages)."""


def key_event(event: pygame.event.Event, *keys: int) -> bool:
    return event.type == pygame.KEYDOWN and event.key in keys


def is_ctrl(event: pygame.event.Event) -> bool:
    return bool(getattr(event, "mod", 0) & pygame.KMOD_CTRL)


def is_shift(event: pygame.event.Event) -> bool:
    return bool(getattr(event, "mod", 0) & pygame.KMOD_SHIFT)
