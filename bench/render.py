"""Map rendering figures: frame time with all overlays at 1920×1080, territory recolour after a
capture, and the time from `python main.py` to the first drawn map frame.

    python bench/render.py [--scenario scenarios/homs_junction.yaml] [--frames 300] [--size 1920x1080]

Targets (issue 5): frame median < 8 ms, recolour after a capture < 5 ms, first frame < 2 s.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import numpy as np  # noqa: E402
import pygame  # noqa: E402

from game.engine import Attack, Move, legal_orders  # noqa: E402
from game.scenario import load_scenario  # noqa: E402
from game.sim.runner import run_game  # noqa: E402
from game.ui.headless import outline_for  # noqa: E402
from game.ui.mapdraw import MapRenderer  # noqa: E402


def stats(ms: list[float]) -> str:
    a = np.array(ms)
    return f"median {np.median(a):6.2f} ms   p95 {np.percentile(a, 95):6.2f} ms   max {a.max():6.2f} ms"


def overlays(state, side: str) -> dict:  # type: ignore[no-untyped-def]
    """Selection, legal-order highlights and a few planned-order arrows for one side."""
    w = state.world
    idx = state.unit_index()
    orders = legal_orders(state, side)
    units = [idx[o.unit] for o in orders if isinstance(o, (Move, Attack))]
    sel = units[0] if units else None
    hl: dict[int, str] = {}
    arrows = []
    for o in orders:
        if isinstance(o, Move) and idx[o.unit] == sel:
            hl[w.board.index[o.to]] = "move"
        elif isinstance(o, Attack):
            if idx[o.unit] == sel:
                hl[w.board.index[o.target]] = "attack"
            if len(arrows) < 8:
                arrows.append((int(state.u_place[idx[o.unit]]), w.board.index[o.target], "attack"))
    return {"selection": sel, "highlights": hl, "arrows": arrows}


def time_frames(renderer: MapRenderer, surf: pygame.Surface, state, camera, n: int, pan: bool, **kw) -> list[float]:  # type: ignore[no-untyped-def]
    out = []
    for k in range(n):
        if pan:
            camera.pan(3 if k % 40 < 20 else -3, 1 if k % 40 < 20 else -1)
        t = time.perf_counter()
        renderer.draw(surf, state, camera, **kw)
        out.append((time.perf_counter() - t) * 1000)
    return out


def capture_times(renderer: MapRenderer, state, n: int = 50) -> tuple[list[float], list[float]]:  # type: ignore[no-untyped-def]
    """(recolour ms, full redraw ms) after flipping one place's controller back and forth."""
    w = state.world
    p = w.board.index.get("homs", 0)
    other = next(i for i in range(len(w.factions)) if i != int(state.controller[p]))
    states = [state, state.copy()]
    states[1].controller[p] = other
    recolour, first = [], []
    surf = pygame.Surface((1920, 1080))
    cam = renderer.make_camera((0, 0, 1920, 1080))
    for k in range(n):
        s = states[(k + 1) % 2]
        t = time.perf_counter()
        renderer.recolour(s)
        recolour.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        renderer.draw(surf, s, cam)
        first.append((time.perf_counter() - t) * 1000)
    return recolour, first


def startup(scenario: str) -> str:
    """Run `python main.py SCENARIO` until its first map frame (the app's quit-after-first-frame hook)."""
    env = dict(os.environ, SDL_VIDEODRIVER="dummy", JUNCTION_QUIT_AFTER_FIRST_FRAME="1",
               PYGAME_HIDE_SUPPORT_PROMPT="1")
    t = time.perf_counter()
    try:
        proc = subprocess.run([sys.executable, str(ROOT / "main.py"), scenario], env=env, capture_output=True,
                              text=True, timeout=60, cwd=ROOT)
    except subprocess.TimeoutExpired:
        return "did not finish in 60 s"
    wall = (time.perf_counter() - t) * 1000
    m = re.search(r"first map frame after (\d+) ms", proc.stdout)
    if m:
        return f"first map frame after {m.group(1)} ms (process wall time incl. exit {wall:.0f} ms)"
    return f"no first-frame line (exit {proc.returncode}, wall {wall:.0f} ms): {proc.stderr.strip()[-300:]}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenario", default=str(ROOT / "scenarios" / "homs_junction.yaml"))
    ap.add_argument("--frames", type=int, default=300)
    ap.add_argument("--size", default="1920x1080")
    ap.add_argument("--turns", type=int, default=3, help="bot turns played first, for a lived-in map")
    ap.add_argument("--no-startup", action="store_true")
    a = ap.parse_args()
    w_px, h_px = (int(v) for v in a.size.lower().split("x"))
    pygame.font.init()
    world, start = load_scenario(a.scenario)
    state = run_game(start, a.turns, world.meta.seed).final
    t = time.perf_counter()
    renderer = MapRenderer(world, outline_for(state, a.scenario))
    init_ms = (time.perf_counter() - t) * 1000
    renderer.note_strengths(start)
    surf = pygame.Surface((w_px, h_px))
    cam = renderer.make_camera((0, 0, w_px, h_px))
    side = world.factions[1].id if len(world.factions) > 1 else world.factions[0].id
    kw = overlays(state, side)
    x, y = renderer.place_screen_pos(cam, world.board.index.get("homs", 0))
    kw["hover"] = (int(x) + 40, int(y) + 3)
    print(f"{world.meta.title}: {world.board.n_places} places, {len(state.units)} units, {len(world.board.routes)} "
          f"routes; {a.size}; renderer set-up (label raster, ridges) {init_ms:.0f} ms")
    t = time.perf_counter()
    renderer.draw(surf, state, cam, side=side, **kw)
    print(f"first frame (all layers drawn)            {(time.perf_counter() - t) * 1000:6.1f} ms")
    for mode in ("control", "supply", "reach"):
        ms = time_frames(renderer, surf, state, cam, a.frames, False, mode=mode, side=side, **kw)
        print(f"frame, all overlays, {mode:8s}: {stats(ms)}")
    ms = time_frames(renderer, surf, state, cam, max(40, a.frames // 5), True, side=side, **kw)
    print(f"frame while panning (margin re-blit):        {stats(ms)}")
    zoom = []
    for k in range(40):
        cam.zoom_at((w_px / 2, h_px / 2), 1.1 if k % 20 < 10 else 1 / 1.1)
        t = time.perf_counter()
        renderer.draw(surf, state, cam, side=side, **kw)
        zoom.append((time.perf_counter() - t) * 1000)
    print(f"frame while zooming (layout + layers):       {stats(zoom)}")
    rec, first = capture_times(renderer, state)
    print(f"territory recolour after a capture:          {stats(rec)}")
    print(f"first frame after a capture (all layers):    {stats(first)}")
    if not a.no_startup:
        print(f"python main.py {Path(a.scenario).name} → {startup(a.scenario)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
