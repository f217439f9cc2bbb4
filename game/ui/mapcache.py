"""The drawn static layers of the map, kept per map mode so that switching modes only blits, and reused
during a gesture (wheel zoom, a fast pan) by scaling and shifting what was drawn instead of drawing it
again every frame: the map is drawn sharp once the gesture stops. An overview of the whole map fills
what the kept layer does not cover."""

from __future__ import annotations

from dataclasses import dataclass, field

import pygame

from .mapview import Camera

RGB = tuple[int, int, int]


@dataclass
class Layer:
    """One drawn static layer: its camera's scale, what it shows (everything but the camera), the surface
    (the viewport plus a margin on every side), the camera it was drawn with, and the place labels left out of
    it: those that a viewport within the margin could cut, drawn with each frame (game.ui.labelfit)."""

    scale: float
    content: tuple[object, ...]
    surface: pygame.Surface
    camera: Camera
    pad: int
    loose: frozenset[int] = field(default_factory=frozenset)
    loose_labels: tuple[tuple[pygame.Surface, pygame.Rect], ...] = ()


def source_rect(layer: Layer, camera: Camera) -> tuple[float, float, float, float]:
    """Where the camera's viewport lies in the layer's pixels (x0, y0, x1, y1)."""
    vx, vy, vw, vh = camera.viewport
    x0, y0 = layer.camera.to_screen(*camera.to_world(vx, vy))
    x1, y1 = layer.camera.to_screen(*camera.to_world(vx + vw, vy + vh))
    return x0, y0, x1, y1


def paste(out: pygame.Surface, layer: Layer, camera: Camera) -> None:
    """Draw what `layer` shows of the camera's view onto `out` (viewport-sized), scaled and shifted, with the
    labels left out of it (where its own view would have them: during a gesture a label may be cut)."""
    x0, y0, x1, y1 = source_rect(layer, camera)
    if x1 <= x0 or y1 <= y0:
        return
    kx, ky = out.get_width() / (x1 - x0), out.get_height() / (y1 - y0)
    src = pygame.Rect(int(x0), int(y0), int(x1 - x0) + 2, int(y1 - y0) + 2).clip(layer.surface.get_rect())
    if not src.w or not src.h:
        return
    dest = (round((src.x - x0) * kx), round((src.y - y0) * ky))
    size = (max(1, round(src.w * kx)), max(1, round(src.h * ky)))
    part = layer.surface.subsurface(src)
    same = abs(kx - 1) < 1e-3 and abs(ky - 1) < 1e-3
    out.blit(part if same else pygame.transform.scale(part, size), dest)
    for img, rect in layer.loose_labels:
        at = pygame.Rect(round((rect.x - x0) * kx), round((rect.y - y0) * ky), round(rect.w * kx), round(rect.h * ky))
        if at.w and at.h and at.colliderect(out.get_rect()):
            out.blit(img if same else pygame.transform.scale(img, at.size), at)


KEEP = 3
"""Layers kept per map mode: the one on screen, and those drawn ahead for the turn's playback (the old map
without the units that move, the new map)."""


class LayerCache:
    """Static layers by map mode (the latest first), and one overview of the whole map per mode."""

    def __init__(self) -> None:
        self.kept: dict[str, list[Layer]] = {}
        self.overviews: dict[str, Layer] = {}

    def clear(self) -> None:
        self.kept.clear()
        self.overviews.clear()

    def latest(self, mode: str, content: tuple[object, ...] | None = None) -> Layer | None:
        """The newest layer kept for `mode` (showing `content`, when given)."""
        return next((layer for layer in self.kept.get(mode, ()) if content is None or layer.content == content),
                    None)

    def find(self, mode: str, scale: float, content: tuple[object, ...],
             camera: Camera) -> tuple[Layer, pygame.Rect] | None:
        """A kept layer of `mode` at this scale and content whose margin holds the camera's view, and the part
        of it that shows the view; None when the layer must be drawn."""
        _, _, vw, vh = camera.viewport
        for layer in self.kept.get(mode, ()):
            if layer.scale != scale or layer.content != content:
                continue
            x, y, _, _ = source_rect(layer, camera)
            if 0 <= x <= 2 * layer.pad and 0 <= y <= 2 * layer.pad:
                return layer, pygame.Rect(round(x), round(y), vw, vh)
        return None

    def view(self, mode: str, scale: float, content: tuple[object, ...], camera: Camera) -> pygame.Rect | None:
        hit = self.find(mode, scale, content, camera)
        return None if hit is None else hit[1]

    def store(self, mode: str, layer: Layer) -> None:
        """Keep a layer for its mode, the newest first (the oldest beyond KEEP is dropped)."""
        kept = [old for old in self.kept.get(mode, []) if old.content != layer.content]
        self.kept[mode] = [layer, *kept][:KEEP]

    def approximate(self, target: pygame.Surface, mode: str, content: tuple[object, ...], camera: Camera,
                    background: RGB) -> bool:
        """Draw the camera's view onto `target` (its viewport) from what is kept: the overview under the last
        sharp layer, scaled and shifted. False when nothing of this content is kept."""
        layer = self.latest(mode, content)
        overview = self.overviews.get(mode)
        overview = overview if overview is not None and overview.content == content else None
        if layer is None and overview is None:
            return False
        out = target.subsurface(pygame.Rect(camera.viewport).clip(target.get_rect()))
        local = camera.copy()
        local.set_viewport((0, 0, *out.get_size()))
        if layer is None or not covers(layer, local):
            out.fill(background)
            if overview is not None:
                paste(out, overview, local)
        if layer is not None:
            paste(out, layer, local)
        return True


def covers(layer: Layer, camera: Camera) -> bool:
    """Whether the layer holds the camera's whole view."""
    x0, y0, x1, y1 = source_rect(layer, camera)
    w, h = layer.surface.get_size()
    return x0 >= 0 and y0 >= 0 and x1 <= w and y1 <= h
