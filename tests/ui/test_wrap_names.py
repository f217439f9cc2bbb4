"""A word wider than its line (a file name in the scenario picker at UI scale 1.5) breaks after a _ - . or /
where one is not too early, rather than at any letter ("deterrence_of_aggression.y" / "aml")."""

from __future__ import annotations

import pygame

from game.ui.scenes import widgets as w


def test_a_long_file_name_breaks_after_a_separator():
    pygame.font.init()
    name = "deterrence_of_aggression.yaml"
    width = w.width_of("deterrence_of_aggression.y", 18) + 1
    lines = w.wrap(name, 18, width)
    assert "".join(lines) == name and len(lines) == 2
    assert lines[0].endswith(("_", ".")) and lines[1] in ("aggression.yaml", "yaml")


def test_a_word_with_no_separator_late_enough_still_breaks_where_it_must():
    pygame.font.init()
    word = "a_" + "x" * 60
    width = w.width_of("a_" + "x" * 30, 18)
    lines = w.wrap(word, 18, width)
    assert "".join(lines) == word and all(w.width_of(ln, 18) <= width for ln in lines)
    assert lines[0] != "a_", "a separator that early is not used"
