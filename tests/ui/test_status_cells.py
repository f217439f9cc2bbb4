"""The status bar's faction cells at 1024 pixels: "SOUTH" and "SUWD" were shortened to "SOU…" and "SU…" while
"IS" and "SAA" had room to spare; cells now take the width their names need and share what is left."""

from __future__ import annotations

import pygame
import pytest

from game.scenario import load_scenario
from game.ui.app import DEFAULT_SCENARIO
from game.ui.scenes import hud
from game.ui.scenes import widgets as w


@pytest.mark.parametrize("size", [15, 18])
def test_every_name_shows_whole_at_1024_pixels(size):
    pygame.display.init()
    pygame.font.init()
    _, state = load_scenario(DEFAULT_SCENARIO)
    factions = state.world.factions
    rect = pygame.Rect(0, 0, 1024, round(64 * size / 15))
    surface = pygame.Surface(rect.size)
    shown: list[str] = []
    real = w.text

    def spy(surf, s, pos, sz, *a, **k):  # type: ignore[no-untyped-def]
        shown.append(s)
        return real(surf, s, pos, sz, *a, **k)

    hud.w.text = spy  # type: ignore[assignment]
    try:
        cells = hud.draw_status(surface, rect, state, [(90, 90, 90)] * len(factions), [0.5] * len(factions), size)
    finally:
        hud.w.text = real  # type: ignore[assignment]
    assert [f.short for f in factions if f.short not in shown] == []
    assert cells[0][0].left == rect.left and cells[-1][0].right == rect.right
    assert all(a.right == b.left for (a, _), (b, _) in zip(cells, cells[1:]))


def test_cells_stay_equal_where_every_name_fits_and_when_nothing_can():
    rect = pygame.Rect(10, 0, 1000, 50)
    assert hud.cell_edges(rect, [80] * 10) == [10 + 100 * i for i in range(11)]
    assert hud.cell_edges(rect, [200] * 10) == [10 + 100 * i for i in range(11)]
    edges = hud.cell_edges(rect, [60, 130, 60, 60, 60, 60, 60, 60, 60, 60])
    widths = [b - a for a, b in zip(edges, edges[1:])]
    assert edges[0] == 10 and edges[-1] == 1010 and widths[1] >= 130 and all(x >= 60 for x in widths)
