"""The tutorial's card keeps off the player's own counters where a corner lets it (its first step asks to click
one): at 1024x640, UI scale 1.5, it covered two of the four counters of the tutorial."""

from __future__ import annotations

import pygame

from game.ui.tutorial import Step, Tutorial


def card(keep=(), then=()):  # type: ignore[no-untyped-def]
    pygame.font.init()
    t = Tutorial([Step("a", "Select a unit", "Click one of your counters.", "select")])
    return t.draw(pygame.Surface((800, 600)), pygame.Rect(0, 0, 800, 600), lambda px: round(px), keep, then)


def test_the_card_leaves_the_corner_of_the_players_counters():
    first = card()
    assert first is not None and first.left == 10 and first.bottom > 300, "bottom left when nothing is in the way"
    counter = pygame.Rect(first.centerx, first.centery, 40, 30)
    moved = card(then=[counter])
    assert moved is not None and not moved.colliderect(counter)


def test_what_overlays_keep_clear_comes_before_the_players_counters():
    first = card()
    assert first is not None
    corners = {}
    for name, keep in (("top left", pygame.Rect(20, 20, 10, 10)), ("bottom right", pygame.Rect(770, 570, 10, 10)),
                       ("top right", pygame.Rect(770, 20, 10, 10))):
        corners[name] = keep
    counter = pygame.Rect(first.centerx, first.centery, 40, 30)
    placed = card(keep=list(corners.values()), then=[counter])
    assert placed == first, "every other corner covers what must stay clear: the counter is covered"
