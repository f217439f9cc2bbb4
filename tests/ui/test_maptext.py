"""Map tooltips: a route's line says when it crosses a river (where attacks along it are at worse odds)."""

from __future__ import annotations

from game.ui.maptext import route_text
from tests.boards import graph_world, make_state, place, red_blue


def test_a_route_tooltip_says_when_it_crosses_a_river() -> None:
    world = graph_world([place("a"), place("b"), place("c")], [("a", "b", 40.0), ("b", "c", 30.0)], red_blue(),
                        rivers=(("b", "c"),))
    s = make_state(world, {"a": "red", "b": "red", "c": "blue"}, [])
    assert route_text(s, 0) == "highway, 40 km"
    assert route_text(s, 1) == "highway, 30 km, crosses a river"
    s.route_open[1] = False
    assert route_text(s, 1) == "highway, 30 km, crosses a river — closed"


def test_the_map_marks_a_river_crossing_across_its_route() -> None:
    """A water-blue bar across the middle of a river route, none on the others: a player sees where an attack
    will be at worse odds before the combat preview says why."""
    import numpy as np
    import pygame

    from game.ui.maplayers import routes
    from game.ui.palette import make_palette

    world = graph_world([place("a"), place("b"), place("c")], [("a", "b", 40.0), ("b", "c", 30.0)], red_blue(),
                        rivers=(("b", "c"),))
    s = make_state(world, {"a": "red", "b": "red", "c": "blue"}, [])
    pal = make_palette(["red", "blue"], ["", ""])
    surf = pygame.Surface((400, 200))
    surf.fill((255, 255, 255))
    routes(surf, s, np.array([[20.0, 100.0], [200.0, 100.0], [380.0, 100.0]]), pal, 1.0)
    water = tuple(pal.colours.sea)
    across_river = [tuple(surf.get_at((290, y)))[:3] for y in range(90, 111)]
    across_road = [tuple(surf.get_at((110, y)))[:3] for y in range(90, 111)]
    assert across_river.count(water) >= 6  # above and below the road's line, 7 units each way
    assert water not in across_road


def test_the_legend_explains_the_river_bar_only_where_a_route_crosses_a_river() -> None:

    from game.ui.maptext import legend_rows
    from game.ui.overlays import legend
    from game.ui.palette import make_palette

    pal = make_palette(["red", "blue"], ["", ""])
    row = ("river", "river crossing: attacks across it at worse odds", None)
    with_river = graph_world([place("a"), place("b"), place("c")], [("a", "b", 40.0), ("b", "c", 30.0)], red_blue(),
                             rivers=(("b", "c"),))
    s = make_state(with_river, {"a": "red", "b": "red", "c": "blue"}, [])
    rows = legend_rows(s, "control", None, pal)[1]
    assert row in rows
    box = legend(rows, "Control", pal, 1.0)
    water = tuple(pal.colours.sea)
    assert any(tuple(box.get_at((x, y)))[:3] == water for x in range(box.get_width()) for y in range(box.get_height()))
    dry = graph_world([place("a"), place("b")], [("a", "b", 40.0)], red_blue())
    plain = make_state(dry, {"a": "red", "b": "blue"}, [])
    assert row not in legend_rows(plain, "control", None, pal)[1]
