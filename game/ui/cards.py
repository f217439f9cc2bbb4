"""The card at the top of the orders tab: the selected unit, the patron being ordered, or what to do
next; and the list of every unit at the selected unit's place. Each number has a tooltip."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from game.engine import CHANNELS, Posture, Supply

from .scenes import widgets as w
from .scenes.eventtext import describe_order

if TYPE_CHECKING:
    from .scenes.game import GameScene

TIPS = {
    "troops": "Troops: the unit's personnel. Its combat power is troops × quality × type × supply × cohesion.",
    "quality": "Quality: training and equipment, a multiplier of combat power (1 = regular army).",
    "supplied": "Supply: supplied units fight at full power; limited ones lose power and troops; cut-off "
                "ones much more, and may surrender.",
    "cohesion": "Cohesion (0-1): order and morale. A multiplier of combat power; the mark is the faction's "
                "breakpoint, below which units desert or fall back without orders.",
    "capacity": "Capacity: the points a patron may spend this turn on each channel: air (strikes), ground "
                "(reinforcements) and supply (surges); each channel has the whole capacity.",
    "reserve": "Reserve: troops the patron can still send as reinforcements.",
    "channel": "Support level (0-1) of this channel: how strong its strikes, reinforcements or supplies are.",
}


def card_height(scene: GameScene) -> int:
    return scene.s(16) * 13 // 10 + 5 * scene.s(21) + scene.s(4)


def draw_card(scene: GameScene, surface: pygame.Surface, rect: pygame.Rect) -> None:
    side = scene.active_side
    with w.clipped(surface, rect.inflate(4, 4)):
        if scene.selected is not None:
            _unit_card(scene, surface, scene.selected, rect)
        elif side is not None and side in scene.state.world.patron_index:
            _patron_card(scene, surface, side, rect)
        else:
            _hint(scene, surface, rect)


def _line(scene: GameScene, surface: pygame.Surface, parts: list[tuple[str, str | None]], pos: tuple[int, int],
          size: int, colour: w.RGB = w.INK, bold: bool = False) -> int:
    """Draw text pieces side by side, each with its tooltip (None: none); returns the x after them."""
    x, y = pos
    for text, tip in parts:
        r = w.text(surface, text, (x, y), size, colour, bold)
        if tip:
            scene.tip(r, *w.wrap(tip, scene.s(14), scene.s(380)))
        x = r.right
    return x


def _unit_card(scene: GameScene, surface: pygame.Surface, u: int, rect: pygame.Rect) -> None:
    s = scene.s
    st = scene.state
    info = st.units[u]
    place = st.world.board.places[int(st.u_place[u])]
    fac = st.world.factions[int(st.u_faction[u])]
    size, step = s(14), s(21)
    name = w.fit_text(info.name, s(16), rect.width, True)
    r = w.text(surface, name, rect.topleft, s(16), w.INK, bold=True, full=info.name)
    if name != info.name:
        scene.tip(r, info.name)
    y = rect.top + s(16) * 13 // 10 + s(2)
    kind = w.fit_text(f"{info.type.value.replace('_', ' ')} · {fac.short} · at {place.name}", size, rect.width)
    w.text(surface, kind, (rect.left, y), size, w.MUTED)
    y += step
    supply = Supply(int(st.u_supply[u])).label
    _line(scene, surface, [(f"{round(float(st.u_strength[u])):,} troops", TIPS["troops"]), (" · ", None),
                           (f"quality {info.quality:g}", TIPS["quality"]), (" · ", None),
                           (supply, TIPS["supplied"])], (rect.left, y), size, w.WARN if supply == "cut" else w.INK)
    y += step
    label = w.text(surface, "Cohesion", (rect.left, y), size, w.INK)
    bar = pygame.Rect(label.right + s(6), y + s(3), min(s(100), rect.width // 3), s(11))
    w.bar(surface, bar, float(st.u_cohesion[u]), scene.faction_rgb(int(st.u_faction[u])),
          mark=None if fac.insurgent else fac.breakpoint)
    posture = Posture(int(st.u_posture[u]))
    state = "routed: falls back" if posture is Posture.ROUTED else posture.label
    r = w.text(surface, f"{float(st.u_cohesion[u]):.2f} · {state}", (bar.right + s(6), y), size, w.INK)
    where = (f" {fac.short} is a network of insurgent cells: it never breaks as a whole and a cell with nowhere "
             "to go goes to ground instead of surrendering." if fac.insurgent
             else f" Breakpoint of {fac.short}: {fac.breakpoint:g}.")
    scene.tip(label.union(r), *w.wrap(TIPS["cohesion"] + where,
                                      s(14), s(380)))
    y += step
    order = scene.session.order_for_unit(info.id)
    from .orders_panel import attack_chance

    text = describe_order(st, order, scene.names, with_unit=False) + attack_chance(scene, order) if order else \
        "No order yet: it will hold."
    lines = w.wrap(text, size, rect.width, order is not None)
    for k, line in enumerate(lines[:2]):
        shown = w.fit_text(line, size, rect.width, order is not None) if k == 0 else \
            w.fit_text(" ".join(lines[1:]), size, rect.width, order is not None)
        r = w.text(surface, shown, (rect.left, y + k * step), size, w.ACCENT if order else w.MUTED,
                   bold=order is not None, full=text)
        if shown.endswith("…"):
            scene.tip(r, text)


def _patron_card(scene: GameScene, surface: pygame.Surface, side: str, rect: pygame.Rect) -> None:
    s = scene.s
    st = scene.state
    pi = st.world.patron_index[side]
    pat = st.world.patrons[pi]
    size, step = s(14), s(21)
    w.text(surface, w.fit_text(pat.name, s(16), rect.width, True), rect.topleft, s(16), w.INK, bold=True,
           full=pat.name)
    y = rect.top + s(16) * 13 // 10 + s(2)
    clients = ", ".join(scene.short_name(c) for c in pat.clients) or "none (interdicts " + \
        ", ".join(scene.long_name(p) for p in pat.interdicts) + ")"
    w.text(surface, w.fit_text(f"Helps: {clients}", size, rect.width), (rect.left, y), size, w.MUTED)
    y += step
    left, total = scene.session.capacity_left(side), float(st.p_capacity[pi])
    _line(scene, surface, [(f"Capacity left (of {total:g} each, below):", TIPS["capacity"])], (rect.left, y),
          size, w.WARN if left <= 0 else w.INK, bold=True)
    y += step
    _line(scene, surface, [(f"Reserve: {round(float(st.p_reserve[pi])):,} troops", TIPS["reserve"])],
          (rect.left, y), size)
    y += step
    x = rect.left
    cell = rect.width // len(CHANNELS)
    for k, ch in enumerate(CHANNELS):
        spare = scene.session.capacity_left(side, ch)
        r = w.text(surface, f"{ch.value} {spare:g}", (x, y), s(13), w.WARN if spare <= 0 else w.INK)
        bar = pygame.Rect(r.right + s(4), y + s(3), max(s(20), cell - (r.right - x) - s(10)), s(10))
        level = float(st.p_support[pi, k])
        w.bar(surface, bar, level, w.ACCENT)
        scene.tip(r.union(bar), f"{ch.value}: {spare:g} capacity left, support {level:.2f}",
                  *w.wrap(TIPS["channel"], s(14), s(380)))
        x += cell
    caption = "Bars: support level (0-1), not capacity"
    if w.width_of(caption, s(12)) <= rect.width:
        w.text(surface, caption, (rect.left, y + step), s(12), w.MUTED)


def _hint(scene: GameScene, surface: pygame.Surface, rect: pygame.Rect) -> None:
    seat = scene.session.current_seat()
    if scene.state.is_over:
        msg = "The game is over. End turn (Enter) shows who won; the Chart tab shows how it went."
    elif seat is None:
        msg = "The computer plays every side: press End turn (Enter) to watch the next day."
    else:
        left, total = scene.unordered()
        msg = (f"Select a unit: click it or press Tab. Then right-click a highlighted place to move or attack."
               f"\n{total - left} of {total} units have orders; the others hold.")
    w.paragraph(surface, msg, rect, scene.s(14), w.MUTED)


def stack_rows(scene: GameScene) -> list[w.Row]:
    """Every unit at the selected unit's place (when there are several): own units can be selected."""
    u = scene.selected
    st = scene.state
    if u is None:
        return []
    place = int(st.u_place[u])
    here = [k for k in range(len(st.units)) if int(st.u_place[k]) == place and float(st.u_strength[k]) > 0]
    if len(here) < 2:
        return []
    rows = []
    for k in sorted(here, key=lambda k: (not scene.is_mine_unit(k), -float(st.u_strength[k]))):
        info = st.units[k]
        order = scene.session.order_for_unit(info.id) if scene.is_mine_unit(k) else None
        doing = describe_order(st, order, scene.names, with_unit=False).removeprefix("Order: ") if order else \
            ("no order" if scene.is_mine_unit(k) else st.world.factions[int(st.u_faction[k])].short)
        rows.append(w.Row(f"{info.name} · {round(float(st.u_strength[k])):,} · {doing}",
                          value=k if scene.is_mine_unit(k) else None,
                          colour=scene.faction_rgb(int(st.u_faction[k])),
                          ink=w.INK if scene.is_mine_unit(k) else w.MUTED))
    return rows
