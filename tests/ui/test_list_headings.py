"""The report's list draws whole rows only; found in a play-through at 1024×640: when the first row under a
heading was too tall to fit, the heading ("Combat") stood alone at the bottom over an empty space, reading
as a section with nothing in it."""

from __future__ import annotations

import pygame

from game.ui.scenes import widgets as w


def drawn_texts(view: w.ListView, monkeypatch) -> list[str]:  # type: ignore[no-untyped-def]
    drawn: list[str] = []
    real = w.text

    def spy(surface, s, *a, **k):  # type: ignore[no-untyped-def]
        drawn.append(s)
        return real(surface, s, *a, **k)

    monkeypatch.setattr(w, "text", spy)
    view.draw(pygame.Surface((400, 300)))
    return drawn


def test_a_heading_whose_first_row_does_not_fit_is_left_out_with_it(monkeypatch):
    pygame.display.init()
    pygame.font.init()
    long = "A long combat line " * 12
    rows = [w.Row("Places", header=True), w.Row("HTS took Homs."), w.Row("Combat", header=True), w.Row(long)]
    view = w.ListView(pygame.Rect(0, 0, 300, 100), 16)
    view.set_rows(rows)
    texts = drawn_texts(view, monkeypatch)
    assert "Places" in texts and "HTS took Homs." in texts
    assert "Combat" not in texts, "a heading over nothing"
    view.rect = pygame.Rect(0, 0, 300, 260)  # room for the row: the heading shows with it
    assert "Combat" in drawn_texts(view, monkeypatch)


def test_a_heading_shows_when_its_first_row_fits():
    pygame.display.init()
    pygame.font.init()
    view = w.ListView(pygame.Rect(0, 0, 300, 200), 16)
    view.set_rows([w.Row("Combat", header=True), w.Row("HTS attacked Hama.")])
    assert view.row_rect(0) is not None
    surf = pygame.Surface((300, 200))
    surf.fill((255, 255, 255))
    view.draw(surf)
    assert any(surf.get_at((x, y))[:3] != (255, 255, 255) for x in range(0, 80) for y in range(0, 24))
