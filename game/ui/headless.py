"""Headless map images: `python main.py render SCENARIO -o map.png [--turns N --seed S --size WxH]`,
and `render_png` for the no-display fallback of `python main.py`. No window is opened: the map is
drawn on a plain pygame Surface and saved with pygame.image.save."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from game.sim.argtypes import image_size
from game.sim.outfiles import OutputError, atomic_output, output_path

if TYPE_CHECKING:
    import pygame

    from game.engine import State

ROOT = Path(__file__).resolve().parent.parent.parent
TITLE_H = 56


def _init_pygame() -> None:
    """Fonts only; the dummy video driver where no display exists. Keeps pygame's banner off stdout."""
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    import pygame

    if not pygame.font.get_init():
        pygame.font.init()


def parse_size(text: str | tuple[int, int]) -> tuple[int, int]:
    """'1600x1000' -> (1600, 1000); raises ValueError for anything else (or absurd sizes)."""
    if isinstance(text, tuple):
        text = f"{text[0]}x{text[1]}"
    try:
        return image_size(text)
    except argparse.ArgumentTypeError as exc:
        raise ValueError(f"--size: {exc}") from None


def outline_for(state: State, scenario_path: str | Path | None = None) -> str | None:
    """The scenario's outline file: relative to the scenario file, else to the shipped scenarios folder."""
    rel = state.world.meta.outline
    if not rel:
        return None
    p = Path(rel)
    bases = [Path(scenario_path).resolve().parent] if scenario_path else []
    bases.append(ROOT / "scenarios")
    for base in bases:
        cand = p if p.is_absolute() else base / p
        if cand.is_file():
            return str(cand)
    return None


def title_bar(surf: pygame.Surface, state: State, mode: str, u: float) -> None:
    """Scenario title, date and turn, the map mode, and each faction's cohesion and score."""
    import pygame

    from . import fonts

    w = state.world
    rect = pygame.Rect(0, 0, surf.get_width(), round(TITLE_H * u))
    pygame.draw.rect(surf, (34, 38, 46), rect)
    turn = f"turn {state.turn} of {w.meta.turns}" if not state.is_over else f"after turn {state.turn - 1}"
    head = fonts.text(f"{w.meta.title} — {state.date} — {turn}", round(22 * u), (245, 245, 245), True)
    surf.blit(head, (round(14 * u), round(6 * u)))
    parts = [f"{f.short} cohesion {state.f_cohesion[i]:.2f}, score {state.f_score[i]:g}"
             for i, f in enumerate(w.factions)]
    if state.outcome is not None:
        parts.insert(0, f"Game over: {', '.join(state.outcome.winners) or 'nobody'} ({state.outcome.reason})")
    sub = fonts.text("   ·   ".join(parts), round(13 * u), (200, 205, 215))
    surf.blit(sub, (round(14 * u), round(34 * u)))
    names = {"control": "Control map", "supply": "Supply map", "reach": "Patron reach map"}
    m = fonts.text(names.get(mode, mode), round(15 * u), (245, 245, 245), True)
    surf.blit(m, m.get_rect(topright=(rect.right - round(14 * u), round(10 * u))))


def render_surface(state: State, size: tuple[int, int], *, outline: str | None = None, mode: str = "control",
                   side: str | None = None, ui_scale: float = 1.0, palette: str = "okabe-ito",
                   start: State | None = None) -> pygame.Surface:
    """The map of `state` with a title bar and the legend, on a new surface of `size`."""
    _init_pygame()
    import pygame

    from .mapdraw import MapRenderer

    renderer = MapRenderer(state.world, outline, ui_scale=ui_scale, palette=palette)
    if start is not None:
        renderer.note_strengths(start)
    renderer.note_strengths(state)
    surf = pygame.Surface(size)
    top = round(TITLE_H * ui_scale)
    camera = renderer.make_camera((0, top, size[0], size[1] - top))
    renderer.draw(surf, state, camera, mode=mode, side=side)
    title_bar(surf, state, mode, ui_scale)
    return surf


def render_png(state: State, path: str | Path, size: tuple[int, int] = (1600, 1000), *,
               scenario_path: str | Path | None = None, mode: str = "control", side: str | None = None,
               ui_scale: float = 1.0, palette: str = "okabe-ito", start: State | None = None) -> Path:
    """Draw the map of `state` to a PNG at `path` (parent folders created; written to a temporary file
    renamed over `path`, so an old map is replaced only by a whole new one); returns the path."""
    _init_pygame()
    import pygame

    surf = render_surface(state, size, outline=outline_for(state, scenario_path), mode=mode, side=side,
                          ui_scale=ui_scale, palette=palette, start=start)
    out = Path(path)
    with atomic_output(out) as fh:
        pygame.image.save(surf, fh, out.name)
    return out


def check_side(side: str | None, state: State) -> str | None:
    """None when `side` is a faction or patron of the scenario (or not given), else the message."""
    import difflib

    sides = list(state.world.sides)
    if side is None or side in sides:
        return None
    near = difflib.get_close_matches(side, sides, n=1)
    hint = f"did you mean {near[0]!r}? " if near else ""
    return f"argument --side: no side {side!r} in this scenario; {hint}sides: {', '.join(sides)}"


def render_main(args: argparse.Namespace) -> int:
    """The `render` subcommand: load, play N bot turns, draw, print the PNG's path. Every argument is
    checked before the turns are played; errors are one `error: …` line and exit code 2."""
    from game.scenario import ScenarioError, load_scenario
    from game.sim.runner import run_game

    try:
        size = parse_size(getattr(args, "size", None) or "1600x1000")
    except ValueError as exc:
        return _fail(f"argument {exc}")
    try:
        out = output_path(str(args.output), (".png",))
    except OutputError as exc:
        return _fail(f"argument -o/--output: {exc}")
    try:
        world, start = load_scenario(args.scenario)
    except ScenarioError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except OSError as exc:
        return _fail(f"cannot read {args.scenario}: {exc.strerror or exc}")
    side = getattr(args, "side", None)
    problem = check_side(side, start)
    if problem:
        return _fail(problem)
    seed = args.seed if getattr(args, "seed", None) is not None else world.meta.seed
    turns = max(0, int(getattr(args, "turns", 0) or 0))
    state = run_game(start, turns, seed).final if turns else start
    mode = getattr(args, "mode", None) or "control"
    _init_pygame()
    import pygame

    try:
        out = render_png(state, out, size, scenario_path=args.scenario, mode=mode, side=side,
                         ui_scale=float(getattr(args, "ui_scale", 1.0) or 1.0), start=start)
    except (OSError, pygame.error) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        return _fail(f"cannot write {args.output}: {reason}")
    print(out)
    return 0


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 2
