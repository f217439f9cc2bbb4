"""What a person would call a broken layout, found by looking at one drawn frame: a button or text that
leaves the window, two buttons on top of each other, a label too long for its button, text under a
button, text cut off or spilling out of its box, or text shortened with an ellipsis (unless a tooltip
shows all of it), a drop-down whose chosen option or an empty entry whose hint does not fit."""

from __future__ import annotations

import pygame

from game.ui.scenes import widgets as w

AIR = 4
"""Pixels of a button's width (beyond its border) that its label may not use."""


def buttons(app) -> list:  # type: ignore[no-untyped-def]
    """Every visible button of every scene, with the scene it belongs to."""
    return [(scene, b) for scene in app.scenes for b in scene.ui if b.visible and b.alive()]


def label(b) -> str:  # type: ignore[no-untyped-def]
    """A widget's text: a button's label, a menu's chosen option, an entry's text."""
    text = getattr(b, "text", None)
    if text is None:
        option = getattr(b, "selected_option", "")
        text = option[0] if isinstance(option, tuple) else option
    return str(text or type(b).__name__)


def border(b) -> int:  # type: ignore[no-untyped-def]
    """A button's border width in pixels (a theme may give one per side)."""
    return max(b.border_width.values()) if isinstance(b.border_width, dict) else int(b.border_width)


def menu_clipped(b) -> str | None:  # type: ignore[no-untyped-def]
    """What a drop-down shows (its chosen option) or an empty entry says (its hint), when it does not fit: the
    widget cuts it short on its own, so an umpire saw "Government and al" and "why (required, on the"."""
    from pygame_gui.elements import UIDropDownMenu, UITextEntryLine

    if isinstance(b, UIDropDownMenu):
        shown = getattr(b.current_state, "selected_option_button", None)
        if shown is None or not shown.visible:
            return None
        return shown.text if shown.font.size(shown.text)[0] > shown.rect.width - 2 * border(shown) else None
    if isinstance(b, UITextEntryLine) and not b.get_text() and b.placeholder_text:
        pad = b.padding[0] if isinstance(b.padding, tuple) else AIR
        return b.placeholder_text if b.font.size(b.placeholder_text)[0] > b.rect.width - 2 * pad else None
    return None


def label_clipped(b) -> bool:  # type: ignore[no-untyped-def]
    if not isinstance(getattr(b, "text", None), str) or not hasattr(b, "font"):
        return False  # not a button: menus and entries scroll or shorten their own text
    return b.font.size(b.text)[0] > b.rect.width - 2 * border(b) - 2 * AIR


def frame_problems(app, texts: list[w.Drawn]) -> list[str]:  # type: ignore[no-untyped-def]
    """Problems in the frame just drawn (`texts`: what `widgets.recording` recorded while drawing it)."""
    out = []
    window = pygame.Rect((0, 0), app.size)
    shown = buttons(app)
    for scene, b in shown:
        if not window.contains(b.rect):
            out.append(f"{scene.name}: button {label(b)!r} {tuple(b.rect)} leaves the window {app.size}")
        if label_clipped(b):
            out.append(f"{scene.name}: the label {b.text!r} is too long for its button ({b.rect.width} px)")
        cut = menu_clipped(b)
        if cut is not None:
            out.append(f"{scene.name}: {cut!r} does not fit its {type(b).__name__} ({b.rect.width} px)")
    top = app.top
    for i, (sa, a) in enumerate(shown):
        for sb, b in shown[i + 1:]:
            if (sa is top or sb is top or sa is sb) and a.rect.colliderect(b.rect):
                out.append(f"{sa.name}: buttons {label(a)!r} and {label(b)!r} overlap")
    for d in texts:
        under = [b for scene, b in shown if scene.name == d.owner and b.rect.colliderect(d.rect)]
        if under:
            out.append(f"{d.owner}: text {d.text!r} at {tuple(d.rect)} lies under the button {label(under[0])!r}")
        if d.is_cut:
            out.append(f"text {d.text!r} at {tuple(d.rect)} is cut off (its area is {tuple(d.clip)})")
        elif d.elided:
            out.append(f"text {d.text!r} at {tuple(d.rect)} is shortened with an ellipsis")
    out += texts_on_texts(texts)
    return out


def texts_on_texts(texts: list[w.Drawn]) -> list[str]:
    """Two texts of one scene drawn over each other (more than a sliver: line boxes may touch)."""
    out = []
    for i, a in enumerate(texts):
        for b in texts[i + 1:]:
            both = a.rect.clip(b.rect)
            if a.owner == b.owner and both.width > 2 and both.height > min(a.rect.height, b.rect.height) // 4:
                out.append(f"{a.owner}: texts {a.text!r} at {tuple(a.rect)} and {b.text!r} at {tuple(b.rect)} "
                           "overlap")
    return out


def draw_and_check(app) -> list[str]:  # type: ignore[no-untyped-def]
    """Draw one frame of the app as it is and return what is wrong with it."""
    app.dirty = True
    app.step([], dt=1 / 60)
    app.dirty = True
    with w.recording() as texts:
        app.draw()
    return frame_problems(app, texts)
