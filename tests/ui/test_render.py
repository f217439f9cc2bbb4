"""Map rendering: territory colours at known cities, front lines between hostile controllers,
faction colours in a screenshot, recolouring after a capture, picking, and the camera."""

from __future__ import annotations

import math
import os
from pathlib import Path

import numpy as np
import pytest

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import pygame  # noqa: E402

from game.engine import (  # noqa: E402
    Board,
    Corridor,
    Faction,
    Meta,
    Patron,
    Place,
    PlaceKind,
    Route,
    RouteKind,
    Rules,
    State,
    UnitInfo,
    UnitType,
    World,
    initial_state,
)
from game.engine.specs import VictoryCondition  # noqa: E402
from game.ui.drawutil import segment_distance  # noqa: E402
from game.ui.mapdraw import MapRenderer  # noqa: E402
from game.ui.mapview import Camera  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
OUTLINE = ROOT / "assets" / "outlines" / "levant.json"
SIZE = (1200, 900)

# id, name, lat, lon, kind, value, controller
PLACES = [
    ("damascus", "Damascus", 33.513, 36.292, PlaceKind.CITY, 10, "red"),
    ("homs", "Homs", 34.733, 36.717, PlaceKind.CITY, 8, "red"),
    ("latakia", "Latakia", 35.523, 35.792, PlaceKind.CITY, 5, "red"),
    ("palmyra", "Palmyra", 34.551, 38.269, PlaceKind.TOWN, 3, "red"),
    ("hama", "Hama", 35.132, 36.757, PlaceKind.CITY, 6, "blue"),
    ("aleppo", "Aleppo", 36.202, 37.134, PlaceKind.CITY, 8, "blue"),
    ("raqqa", "Raqqa", 35.952, 39.012, PlaceKind.CITY, 3, "green"),
    ("deir", "Deir ez-Zor", 35.336, 40.141, PlaceKind.CITY, 4, "green"),
    ("daraa", "Daraa", 32.618, 36.102, PlaceKind.CITY, 3, "gold"),
]
ROUTES = [("damascus", "homs", RouteKind.HIGHWAY, "M5"), ("homs", "hama", RouteKind.HIGHWAY, "M5"),
          ("hama", "aleppo", RouteKind.HIGHWAY, "M5"), ("homs", "latakia", RouteKind.ROAD, ""),
          ("homs", "palmyra", RouteKind.HIGHWAY, "M20"), ("palmyra", "deir", RouteKind.ROAD, ""),
          ("deir", "raqqa", RouteKind.ROAD, ""), ("raqqa", "aleppo", RouteKind.ROAD, ""),
          ("damascus", "daraa", RouteKind.HIGHWAY, "M5"), ("latakia", "hama", RouteKind.TRACK, "")]
FACTIONS = (Faction("red", "Red", "RED", "#D55E00", sources=("damascus",)),
            Faction("blue", "Blue", "BLUE", "#0072B2", allies=("green",), sources=("aleppo",)),
            Faction("green", "Green", "GRN", "#009E73", allies=("blue",), sources=("deir",)),
            Faction("gold", "Gold", "GOLD", "#E69F00", enemies=("red",), sources=("daraa",)))


def syria_world() -> World:
    places = tuple(Place(i, n, la, lo, k, value=float(v)) for i, n, la, lo, k, v, _ in PLACES)
    routes = tuple(Route(a, b, k, nm) for a, b, k, nm in ROUTES)
    corridor = Corridor("iraq", "Iraqi route", ("deir", "palmyra", "homs"))
    return World(Meta(title="Test Syria"), Board(places, routes, (corridor,)), FACTIONS,
                 (Patron("iran", "Iran", ("red",), "iraq"),),
                 victory=(VictoryCondition("v", "red", "hold", ("homs",)),))


def syria_state(world: World | None = None, units: bool = True) -> State:
    world = world or syria_world()
    control = {p[0]: p[6] for p in PLACES}
    infos = []
    if units:
        for k, (pid, _, _, _, _, _, fac) in enumerate(PLACES):
            infos.append((UnitInfo(f"u{k}", fac, f"Unit {k}", list(UnitType)[k % 6]), pid, 3000.0 + 500 * k, 0.8))
    return initial_state(world, Rules(), control=control, units=infos, cohesion={}, support={"iran": {"ground": 1.0}},
                         capacity={"iran": 2.0}, reserve={"iran": 2000.0})


@pytest.fixture(scope="module")
def renderer() -> MapRenderer:
    pygame.font.init()
    return MapRenderer(syria_world(), OUTLINE)


def render(r: MapRenderer, state: State, **kw: object) -> tuple[pygame.Surface, Camera]:
    surf = pygame.Surface(SIZE)
    cam = r.make_camera((0, 0, *SIZE))
    r.draw(surf, state, cam, legend=False, **kw)  # type: ignore[arg-type]
    return surf, cam


def rgb(surf: pygame.Surface, pos: tuple[float, float]) -> tuple[int, int, int]:
    c = surf.get_at((round(pos[0]), round(pos[1])))
    return (c.r, c.g, c.b)


def open_spot(r: MapRenderer, state: State, cam: Camera, place: int) -> tuple[float, float]:
    """A screen pixel inside `place`'s territory, away from markers, counters, labels and routes."""
    b = state.world.board
    pts = cam.to_screen_many(r.lons, r.lats)
    lay = r.layout(state, cam)
    off = r._offset(cam)
    busy = [s.rect.move(off).inflate(16, 16) for s in lay.stacks] + [rc.move(off).inflate(8, 8) for _, rc in lay.labels]
    cx, cy = pts[place]
    for radius in range(30, 140, 6):
        for k in range(24):
            x, y = cx + radius * math.cos(k * math.pi / 12), cy + radius * math.sin(k * math.pi / 12)
            if r.cell_at(cam, (x, y)) != place or pygame.Rect(x - 1, y - 1, 3, 3).collidelist(busy) >= 0:
                continue
            if np.min(np.hypot(pts[:, 0] - x, pts[:, 1] - y)) < 25:
                continue
            if all(segment_distance((x, y), tuple(pts[i]), tuple(pts[j])) > 12 for i, j in b.ends.tolist()):
                return (x, y)
    raise AssertionError(f"no open pixel found for {b.places[place].id}")


def test_city_pixel_has_its_controllers_territory_colour(renderer: MapRenderer) -> None:
    state = syria_state()
    surf, cam = render(renderer, state)
    for pid in ("homs", "aleppo", "deir", "daraa"):
        i = state.world.board.index[pid]
        assert rgb(surf, open_spot(renderer, state, cam, i)) == renderer.palette.territory(int(state.controller[i]))


def test_territory_surface_is_coloured_by_controller_and_empty_abroad(renderer: MapRenderer) -> None:
    state = syria_state()
    renderer.recolour(state)
    t = renderer.territory
    for i, p in enumerate(state.world.board.places):
        c, r = t.to_pixel(p.lon, p.lat)
        assert t.labels[int(r), int(c)] == i
        colour = t.surface.get_palette_at(int(t.surface.get_at_mapped((int(c), int(r)))))
        assert tuple(colour)[:3] == renderer.palette.territory(int(state.controller[i]))
    assert t.label_at(35.0, 33.0) is None  # Beirut's hinterland: Lebanon, not Syria
    assert t.label_at(34.0, 35.0) is None  # the Mediterranean


def test_front_line_between_hostile_controllers_only(renderer: MapRenderer) -> None:
    state = syria_state(units=False)
    surf, cam = render(renderer, state)
    b = state.world.board
    pts = cam.to_screen_many(renderer.lons, renderer.lats)
    front = renderer.palette.colours.front

    def ridge_pixels(a: str, c: str) -> list[tuple[float, float]]:
        ia, ic = b.index[a], b.index[c]
        seg = next(s for x, y, s in renderer.territory.ridges if {x, y} == {ia, ic})
        xy = cam.to_screen_many(seg[:, 0], seg[:, 1])
        out = []
        for t in np.linspace(0.15, 0.85, 15):
            p = (xy[0] + t * (xy[1] - xy[0])).tolist()
            clear = all(segment_distance(p, tuple(pts[i]), tuple(pts[j])) > 10 for i, j in b.ends.tolist())
            if clear and renderer.cell_at(cam, p) in (ia, ic):
                out.append((p[0], p[1]))
        return out

    hostile = ridge_pixels("homs", "hama")  # red | blue
    assert hostile and sum(rgb(surf, p) == front for p in hostile) >= len(hostile) - 1
    same = ridge_pixels("damascus", "homs")  # red | red
    assert same and not any(rgb(surf, p) == front for p in same)
    allied = ridge_pixels("aleppo", "raqqa")  # blue | green, allies
    assert allied and not any(rgb(surf, p) == front for p in allied)
    t = renderer.territory
    mask = t.front_mask(state.controller, state.world.hostile)
    assert mask[t.edge_rows, t.edge_cols].any() and mask.sum() < t.land.sum() / 50
    ctrl = np.where(t.labels >= 0, state.controller[np.maximum(t.labels, 0)], -1)
    expected = np.zeros_like(mask)
    for d in ((0, 1), (1, 0)):
        a, c = ctrl[: ctrl.shape[0] - d[0], : ctrl.shape[1] - d[1]], ctrl[d[0]:, d[1]:]
        hit = (a >= 0) & (c >= 0) & state.world.hostile[np.maximum(a, 0), np.maximum(c, 0)]
        expected[: ctrl.shape[0] - d[0], : ctrl.shape[1] - d[1]] |= hit
    assert np.array_equal(mask, expected)
    assert set(t.labels[mask].tolist()) >= {b.index["homs"], b.index["hama"]}


def test_screenshot_contains_every_present_faction_colour(renderer: MapRenderer) -> None:
    state = syria_state()
    surf, _ = render(renderer, state)
    pixels = pygame.surfarray.array3d(surf).reshape(-1, 3)
    colours = {tuple(int(v) for v in c) for c in np.unique(pixels, axis=0)}
    for i, _ in enumerate(state.world.factions):
        assert renderer.palette.faction(i) in colours  # counters and markers
        assert renderer.palette.territory(i) in colours  # territory


def test_recolour_after_capture_changes_the_pixel_without_relabelling(renderer: MapRenderer,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    state = syria_state(units=False)
    surf, cam = render(renderer, state)
    homs = state.world.board.index["homs"]
    spot = open_spot(renderer, state, cam, homs)
    assert rgb(surf, spot) == renderer.palette.territory(0)
    labels = renderer.territory.labels
    monkeypatch.setattr(type(renderer.territory), "_label_raster", lambda self: pytest.fail("relabelled"))
    captured = state.copy()
    captured.controller[homs] = 1
    surf2, _ = render(renderer, captured)
    assert rgb(surf2, spot) == renderer.palette.territory(1)
    assert renderer.territory.labels is labels


def test_pick_place_unit_and_cell(renderer: MapRenderer) -> None:
    state = syria_state()
    _, cam = render(renderer, state)
    for i in range(state.world.board.n_places):
        assert renderer.pick_place(state, cam, renderer.place_screen_pos(cam, i)) == i
    homs = state.world.board.index["homs"]
    u = renderer.pick_unit(state, cam, renderer.place_screen_pos(cam, homs))
    assert u is not None and int(state.u_place[u]) == homs
    assert renderer.units_at_pos(state, cam, renderer.place_screen_pos(cam, homs)) == [u]
    sea = cam.to_screen(35.0, 34.3)
    assert renderer.pick_place(state, cam, sea) is None and renderer.pick_unit(state, cam, sea) is None
    assert renderer.cell_at(cam, sea) is None
    assert renderer.cell_at(cam, cam.to_screen(36.72, 34.70)) == homs


def test_tooltips_name_the_place_unit_and_route(renderer: MapRenderer) -> None:
    state = syria_state()
    _, cam = render(renderer, state, side="red")
    homs = state.world.board.index["homs"]
    unit_lines = renderer.tooltip_for(state, renderer.place_screen_pos(cam, homs), camera=cam)
    assert unit_lines and unit_lines[0] == "Unit 1"
    assert any(s.endswith(" troops") or " troops (" in s for s in unit_lines)
    empty = syria_state(units=False)
    lines = renderer.tooltip_for(empty, renderer.place_screen_pos(cam, homs), camera=cam, side="red")
    assert lines and lines[0] == "Homs" and any("Held by Red" in s for s in lines)
    assert any("Supply for RED: supplied" in s for s in lines) and any("victory objective" in s for s in lines)
    a, b = (np.array(renderer.place_screen_pos(cam, state.world.board.index[p])) for p in ("homs", "palmyra"))
    mid = tuple((a + (b - a) * 0.5).tolist())
    km = state.world.board.lengths[state.world.board.route_between(homs, state.world.board.index["palmyra"])]
    assert renderer.tooltip_for(empty, mid, camera=cam) == [f"M20 highway, {km:.0f} km"]


@pytest.mark.parametrize("mode", ["supply", "reach"])
def test_other_modes_draw_and_differ(renderer: MapRenderer, mode: str) -> None:
    state = syria_state()
    control, cam = render(renderer, state, side="red")
    other, _ = render(renderer, state, mode=mode, side="red")
    homs = state.world.board.index["homs"]
    spot = open_spot(renderer, state, cam, homs)
    assert rgb(control, spot) != rgb(other, spot)
    if mode == "supply":
        hama = state.world.board.index["hama"]
        assert rgb(other, open_spot(renderer, state, cam, hama)) == renderer.palette.colours.not_held


def test_overlays_and_colour_blind_palette_draw(renderer: MapRenderer) -> None:
    state = syria_state()
    b = state.world.board
    homs, hama = b.index["homs"], b.index["hama"]
    plain, cam = render(renderer, state)
    kw = {"selection": 1, "highlights": {hama: "attack", homs: "move"}, "arrows": [(homs, hama, "attack")],
          "hover": tuple(int(v) for v in renderer.place_screen_pos(cam, homs))}
    marked, _ = render(renderer, state, **kw)
    assert pygame.image.tobytes(plain, "RGB") != pygame.image.tobytes(marked, "RGB")
    renderer.set_palette("tol")
    try:
        tol, _ = render(renderer, state, **kw)
        assert renderer.palette.faction(0) != (213, 94, 0)
        assert rgb(tol, open_spot(renderer, state, cam, homs)) == renderer.palette.territory(0)
    finally:
        renderer.set_palette("okabe-ito")


def test_renderer_without_outline_uses_a_hull_of_the_places() -> None:
    state = syria_state()
    r = MapRenderer(state.world, None)
    surf, cam = render(r, state)
    homs = state.world.board.index["homs"]
    assert rgb(surf, open_spot(r, state, cam, homs)) == r.palette.territory(0)
    assert r.cell_at(cam, (2, 2)) is None


def test_camera_round_trip_zoom_about_cursor_pan_and_fit() -> None:
    cam = Camera.for_world(syria_world(), viewport=(10, 20, 800, 600))
    x, y = cam.to_screen(36.7, 34.7)
    assert cam.to_world(x, y) == pytest.approx((36.7, 34.7))
    cam.zoom_at((x, y), 2.0)
    assert cam.to_screen(36.7, 34.7) == pytest.approx((x, y))
    cam.pan(15, -5)
    assert cam.to_screen(36.7, 34.7) == pytest.approx((x + 15, y - 5))
    cam.fit((36.0, 33.0, 38.0, 35.0), (0, 0, 400, 400))
    x0, y0 = cam.to_screen(36.0, 35.0)
    x1, y1 = cam.to_screen(38.0, 33.0)
    assert x0 >= -1e-6 and x1 <= 400 + 1e-6 and y0 >= -1e-6 and y1 <= 400 + 1e-6
    assert cam.zoom == pytest.approx(1.0)
    for _ in range(60):
        cam.zoom_at((200, 200), 2.0)
    assert cam.zoom == pytest.approx(Camera.ZOOM_IN_LIMIT)


def test_pan_within_the_margin_reuses_the_static_layer(renderer: MapRenderer) -> None:
    state = syria_state()
    surf, cam = render(renderer, state)
    big = renderer.layers.latest("control").surface
    cam.pan(40, -25)
    renderer.draw(surf, state, cam)
    assert renderer.layers.latest("control").surface is big
    moved = pygame.Surface(SIZE)
    fresh = MapRenderer(state.world, OUTLINE)
    fresh.draw(moved, state, cam)
    diff = np.abs(pygame.surfarray.array3d(surf).astype(int) - pygame.surfarray.array3d(moved).astype(int))
    assert (diff.sum(axis=2) > 60).mean() < 0.01


def test_render_subcommand_writes_a_png_and_prints_its_path(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import argparse

    from game.ui.headless import render_main

    out = tmp_path / "maps" / "tiny.png"
    args = argparse.Namespace(scenario=str(ROOT / "tests" / "data" / "good" / "tiny.yaml"), output=str(out), turns=2,
                              seed=4, size="800x600")
    assert render_main(args) == 0
    assert capsys.readouterr().out.strip() == str(out)
    img = pygame.image.load(str(out))
    assert img.get_size() == (800, 600)
    bad = argparse.Namespace(scenario=args.scenario, output=str(out), turns=0, seed=None, size="huge")
    assert render_main(bad) == 2


def test_render_png_for_a_state_draws_title_and_map(tmp_path: Path) -> None:
    from game.ui.headless import render_png

    state = syria_state()
    path = render_png(state, tmp_path / "m.png", (900, 700), mode="supply", side="red")
    img = pygame.image.load(str(path))
    assert img.get_size() == (900, 700)
    assert img.get_at((5, 5))[:3] == (34, 38, 46)  # the title bar
