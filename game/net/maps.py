"""Map pictures for the pages, drawn on the host with the after-action report's renderer
(`game.report.figures.map_picture`) from a view: one per team (its fog), the public one and the
umpire's, cached until the game changes. matplotlib is not thread-safe, so one drawing at a time."""

from __future__ import annotations

import threading
from collections.abc import Callable

from game.engine.view import View
from game.report.figures import map_picture, outline_path, read_outline
from game.report.narrate import turn_text
from game.session.hosted import HostedGame

KEEP = 32


class MapCache:
    """PNG bytes by (who, state revision); the places' positions on the picture (the same for every view
    of one board, so worked out once)."""

    def __init__(self, game: HostedGame, height: float = 6.0, dpi: int = 100) -> None:
        w = game.start.world
        self.rings = read_outline(outline_path(w.meta.outline, game.source or None))
        self.height, self.dpi = height, dpi
        self.lock = threading.Lock()
        self.pngs: dict[tuple[str, int], bytes] = {}
        self.spots: dict[str, tuple[float, float]] = {}

    def png(self, who: str, revision: int, view_of: Callable[[], View]) -> bytes:
        """The picture of `who`'s view at `revision` (drawn when not cached)."""
        key = (who, revision)
        with self.lock:
            hit = self.pngs.get(key)
            if hit is not None:
                return hit
            view = view_of()
            png, spots = map_picture(view, self.rings, heading=f"{view.team_name}: {view.date}, {turn_text(view)}",
                                     height=self.height, dpi=self.dpi)
            self.spots = spots
            if len(self.pngs) >= KEEP:
                for old in [k for k in self.pngs if k[1] < revision] or list(self.pngs)[:1]:
                    del self.pngs[old]
            self.pngs[key] = png
            return png

    def positions(self, view_of: Callable[[], View]) -> dict[str, tuple[float, float]]:
        """Where each place is on the pictures (drawing one picture the first time)."""
        if not self.spots:
            self.png("public", -1, view_of)
        return self.spots
