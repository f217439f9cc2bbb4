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
