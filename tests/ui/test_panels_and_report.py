"""The desktop shows what decides who wins, and a turn report that reads right. In a scenario with
benchmarks the Victory tab gives each side's standing against history and every benchmark's measure beside
history's (a hotseat seat only its own), the Sides tab whom each faction is allied with, neutral to and at
war with, the Chart tab and the game-over table the standings; a save keeps the standings' history, and older
saves without it still load. The report's summary adds up its own lines, names units the turn removed, and
says why an attack was not made."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pygame
import pytest

from game.engine.benchmarks import benchmark_sides, standings
from game.engine.types import Relation
from game.engine.view import view_for
from game.scenario import load_scenario
from game.ui.saves import session_problems
from game.ui.scenes import hud
from game.ui.session import Control, Session, new_session, side_name, standing_table

ROOT = Path(__file__).resolve().parents[2]
DEFAULT = ROOT / "scenarios" / "homs_junction.yaml"
TUTORIAL = ROOT / "scenarios" / "tutorial.yaml"


@pytest.fixture(scope="module")
def played() -> Session:
    """The default scenario, every side by the computer, two turns in."""
    pygame.font.init()
    world, start = load_scenario(DEFAULT)
    session = new_session(start, controls={s: Control(False) for s in world.sides}, source=str(DEFAULT))
    session.end_turn()
    session.end_turn()
    return session


def texts(lines: list[hud.Line]) -> str:
    return "\n".join(text for text, *_ in lines)


def test_the_victory_tab_gives_every_sides_standing_and_each_benchmark_against_history(played: Session) -> None:
    state = played.state
    shown = texts(hud.victory_lines(state, 2000, 14, lambda s: side_name(state, s)))
    assert "every side whose standing is above 0 beats history and wins" in shown
    assert "highest score wins" not in shown  # untrue where benchmarks decide
    stand = standings(state)
    for side in benchmark_sides(state.world):
        assert f"{side_name(state, side)}: {hud.standing_text(stand[side])}" in shown
    for i, b in enumerate(state.world.benchmarks):
        assert f"{hud.benchmark_label(b.description)}: now {float(state.b_value[i]):.2f}, history {b.history:.2f}" \
            in shown
    assert "as things stand now" in shown and "are final" not in shown
    from game.engine.state import Outcome

    over = state.copy(outcome=Outcome((), "the last turn was played", state.turn - 1))
    final = texts(hud.victory_lines(over, 2000, 14, lambda s: side_name(over, s)))
    assert "The figures are final: the game is over." in final and "as things stand now" not in final
    first = benchmark_sides(state.world)[-1]  # the seat's own sides come first
    mine = texts(hud.victory_lines(state, 2000, 14, lambda s: side_name(state, s), first=(first,)))
    top = side_name(state, benchmark_sides(state.world)[0])
    assert mine.index(side_name(state, first) + ":") < mine.index(top + ":")


def test_a_seat_reads_only_its_own_sides_standings(played: Session) -> None:
    state = played.state
    view = view_for(state, "government")
    marks, stand = hud.view_marks(view)
    assert set(stand) == {s for s in view.sides if s in benchmark_sides(state.world)} and "hts" not in stand
    shown = texts(hud.victory_lines(state, 2000, 14, lambda s: side_name(state, s), marks=(marks, stand)))
    assert f"{side_name(state, 'government')}: " in shown
    assert f"{side_name(state, 'hts')}: {hud.standing_text(standings(state)['hts'])}" not in shown
    nobody = texts(hud.victory_lines(state, 2000, 14, lambda s: s, marks=([], {})))
    assert "Other sides' standings are not shown to you." in nobody


def test_without_benchmarks_the_highest_score_wins() -> None:
    pygame.font.init()
    _, start = load_scenario(TUTORIAL)
    assert not start.world.benchmarks
    shown = texts(hud.victory_lines(start, 2000, 14, lambda s: s))
    assert "the highest score wins" in shown and "standing" not in shown


def test_the_sides_tab_names_every_other_faction_once_under_its_relation(played: Session) -> None:
    state = played.state
    world = state.world
    short = {f.id: f.short for f in world.factions}
    lines = [text for text, *_ in hud.relation_lines(state, 5000, 14, lambda s: side_name(state, s),
                                                     lambda s: short.get(s, s))]
    label = {Relation.ALLIED: "Allied with", Relation.HOSTILE: "At war with", Relation.NEUTRAL: "Neutral to"}
    for i, f in enumerate(world.factions):
        k = lines.index(f.name)
        block = []
        for text in lines[k + 1:]:
            if not text.startswith(tuple(label.values())):
                break
            block.append(text)
        for j, g in enumerate(world.factions):
            if j == i:
                continue
            want = label[Relation(int(state.relations[i, j]))]
            holding = [t for t in block if g.short in t.split(": ", 1)[1].split(", ")]
            assert len(holding) == 1 and holding[0].startswith(want), (f.id, g.id, block)
    for p in world.patrons:
        assert any(t.startswith(f"{p.name}: ") for t in lines), p.id


def test_the_game_over_table_ranks_every_side_by_standing(played: Session) -> None:
    state = played.state
    rows = standing_table(state)
    assert [r[0] for r in rows if r[2] is not None] == sorted(
        standings(state), key=lambda s: (-standings(state)[s], s))
    assert {r[0] for r in rows} == set(state.world.sides)
    for side, _, _, coh, _ in rows:
        assert (coh is None) == (side in state.world.patron_index)


def test_a_save_keeps_the_standings_chart_and_older_saves_still_load(played: Session) -> None:
    data = json.loads(json.dumps(played.to_dict()))
    sides = benchmark_sides(played.state.world)
    assert all(len(row) == 5 and len(row[4]) == len(sides) for row in data["history"])
    assert session_problems(data) == []
    again = Session.from_dict(data)
    assert again.history == played.history
    assert again.history[-1].standing == tuple(standings(played.state)[s] for s in sides)
    old = json.loads(json.dumps(data))
    old["history"] = [row[:4] for row in old["history"]]  # a save from before the standings were kept
    assert session_problems(old) == []
    assert all(h.standing == () for h in Session.from_dict(old).history)
    bad = json.loads(json.dumps(data))
    bad["history"][0][4] = bad["history"][0][4][:-1]
    assert session_problems(bad) and "standings" in session_problems(bad)[0]


def test_the_standing_chart_draws_below_zero_inside_its_frame() -> None:
    from game.ui.session import Snapshot

    pygame.font.init()
    surface = pygame.Surface((400, 300))
    surface.fill((1, 2, 3))
    rect = pygame.Rect(50, 50, 220, 150)
    history = [Snapshot(t, "2024-12-07", (), (), (-2.0 + t, 0.5 * t)) for t in range(1, 5)]
    hud.draw_chart(surface, rect, history, "standing", [(200, 0, 0), (0, 0, 200)], ["SAA", "HTS"], "Standing", 15)
    outside = [(x, y) for x in range(0, 400, 2) for y in range(0, 300, 2)
               if not rect.collidepoint(x, y) and surface.get_at((x, y))[:3] != (1, 2, 3)]
    assert outside == []
    inside = {surface.get_at((x, y))[:3] for x in range(rect.left, rect.right) for y in range(rect.top, rect.bottom)}
    assert (200, 0, 0) in inside and (0, 0, 200) in inside


def test_a_hotseat_seats_report_summary_counts_the_lines_it_shows() -> None:
    """The summary line of a fogged seat's turn report adds up its own lines (it said 0 places taken and
    0 fights above a report listing five of each)."""
    from game.ai import make_bot
    from game.engine import resolve_turn, turn_rng
    from game.sim.runner import bot_orders
    from game.ui.scenes.eventtext import summary
    from game.ui.scenes.gamefog import view_report_lines

    world, start = load_scenario(DEFAULT)
    bot = make_bot("normal", world.ai or None)
    after, events = resolve_turn(start, bot_orders(start, 3, bot), turn_rng(3, start.turn))
    view = view_for(after, "government", events, start)
    lines = view_report_lines(view)
    kinds = [e.kind for e in view.events]
    taken, fights = kinds.count("PlaceCaptured"), kinds.count("Combat") + kinds.count("Engagement")
    assert taken and fights  # the turn this test reads has both
    text = summary(lines)
    assert f"{taken:,} place{'s' if taken != 1 else ''} taken" in text
    assert f"{fights:,} fight{'s' if fights != 1 else ''}" in text


def test_the_turn_report_names_units_the_turn_removed() -> None:
    """A unit that surrendered or melted away is gone from the state at the turn's end; the report still
    calls it by its name (it printed ids such as gov_hasakah)."""
    from game.ai import make_bot
    from game.engine import events as ev
    from game.engine import resolve_turn, turn_rng
    from game.sim.runner import bot_orders
    from game.ui.scenes.eventtext import report_lines

    world, start = load_scenario(DEFAULT)
    bot = make_bot("normal", world.ai or None)
    for seed in range(1, 30):
        after, events = resolve_turn(start, bot_orders(start, seed, bot), turn_rng(seed, start.turn))
        left = {u.id for u in after.units}
        gone = {e.unit for e in events if isinstance(e, (ev.UnitSurrendered, ev.UnitDeserted)) and e.unit not in left}
        if gone:
            break
    assert gone
    text = "\n".join(line.text for line in report_lines(after, events, None, before=start))
    names = {u.id: u.name for u in start.units}
    for uid in gone:
        assert uid not in text and names[uid] in text


def test_the_turn_report_says_why_an_attack_was_not_made() -> None:
    from game.engine import events as ev
    from game.ui.scenes.eventtext import report_lines

    _, start = load_scenario(DEFAULT)
    unit = start.units[0]
    off = ev.AttackCalledOff(unit.id, unit.faction, "homs", "the unit was routed first")
    mine = [line.text for line in report_lines(start, [off], {unit.faction}, before=start)
            if line.category != "standing"]
    assert mine == [f"{unit.name} ({start.world.factions[start.world.faction_index[unit.faction]].short}) did not "
                    f"attack Homs: the unit was routed first."]
    assert [ln for ln in report_lines(start, [off], {"hts"}, before=start) if ln.category != "standing"] == []


def test_the_status_bar_shows_standings_where_benchmarks_decide(played: Session) -> None:
    state = played.state
    world = state.world
    stand = standings(state)
    gov = world.faction_index["government"]
    assert hud.status_figure(state, gov, stand, False)[0] == f"{stand['government']:+.2f}"
    commanded = next(i for i, f in enumerate(world.factions) if f.commander and f.id not in stand)
    text, tip = hud.status_figure(state, commanded, stand, False)
    assert text == f"{stand[world.factions[commanded].commander]:+.2f}" and "patron" in tip[0]
    assert hud.status_figure(state, gov, {}, True)[0] == "?"  # a fogged seat's other side
    _, start = load_scenario(TUTORIAL)
    assert hud.status_figure(start, 0, None, False)[0].endswith(" VP")  # no benchmarks: victory points


def test_the_turn_report_gives_the_viewers_standing_and_the_days_change() -> None:
    from game.ai import make_bot
    from game.engine import resolve_turn, turn_rng
    from game.sim.runner import bot_orders
    from game.ui.scenes.eventtext import report_lines
    from game.ui.scenes.gamefog import view_report_lines

    world, start = load_scenario(DEFAULT)
    bot = make_bot("normal", world.ai or None)
    after, events = resolve_turn(start, bot_orders(start, 3, bot), turn_rng(3, start.turn))
    was, now = standings(start), standings(after)
    lines = [ln.text for ln in report_lines(after, events, {"government", "russia"}, before=start)
             if ln.category == "standing"]
    move = now["government"] - was["government"]
    assert len(lines) == 1 and f"SAA {now['government']:+.2f} ({move:+.2f})" in lines[0]
    assert "HTS" not in lines[0] and "Russia" in lines[0]
    seat = [ln.text for ln in view_report_lines(view_for(after, "hts", events, start)) if ln.category == "standing"]
    assert len(seat) == 1 and f"{now['hts']:+.2f}" in seat[0] and "SAA" not in seat[0]
    _, tut = load_scenario(TUTORIAL)
    assert [ln for ln in report_lines(tut, [], None, before=tut) if ln.category == "standing"] == []


def test_an_order_aimed_at_a_highlighted_marker_goes_there_even_under_another_stack(app, state, monkeypatch) -> None:
    """Hovering or right-clicking near the marker of a place the selected unit may attack means that place,
    even where another stack's counters are drawn over it (the cursor found a friendly unit's tooltip
    instead of the combat preview at 1024x640)."""
    from tests.ui.conftest import click, game_app, unit_pos

    game = game_app(app, state)
    click(app, unit_pos(game, state.unit_index()["r1"]))
    assert game.selected == state.unit_index()["r1"]
    p2 = state.world.board.index["p2"]
    assert game.highlights().get(p2) == "attack"
    x, y = game.port.place_xy(p2)
    monkeypatch.setattr(game.port, "pick_place", lambda st, pos: state.world.board.index["p1"])  # a stack on top
    near = (x + game.s(5), y + game.s(3))
    assert game.aim_place(near) == p2
    game.mouse = near
    preview = game.hover_preview()
    assert preview is not None and preview.place == "p2"
    far = (x + game.s(60), y + game.s(60))
    assert game.aim_place(far) == state.world.board.index["p1"]  # away from any marker: what is under the cursor


def test_a_seats_report_tells_unseen_breaks_at_one_place_once_and_counts_the_same() -> None:
    """A seat's report read '1 unseen ... unit broke at Hasya' once per hidden unit; now once per place and
    side, as in the after-action report, with the same summary."""
    from game.engine.news import EventView
    from game.ui.scenes.eventtext import summary
    from game.ui.scenes.gamefog import view_report_lines

    world, start = load_scenario(DEFAULT)
    view = view_for(start, "hts")

    def broke(strength: str) -> EventView:
        return EventView("MoraleFailed", "hasya", False, {"unit": [], "unit_unseen": 1, "faction": "government",
                                                           "place": "hasya", "broke": True, "strength": strength})

    taken = EventView("PlaceCaptured", "homs", False, {"place": "homs", "faction": "hts", "previous": "government",
                                                       "value": 5.0})
    one = view_report_lines(replace(view, events=(broke("0-100"), taken, broke("200-500"))))
    texts = [ln.text for ln in one]
    assert sum("unseen" in t for t in texts) == 1
    assert any(t.startswith("2 unseen") and "Hasya" in t and "(lost 200-600)" in t for t in texts)
    separate = view_report_lines(replace(view, events=(broke("0-100"), taken)))
    assert summary(one) == summary(separate)


def test_an_order_row_too_long_for_the_panel_is_shortened_not_stripped_of_its_unit(monkeypatch: pytest.MonkeyPatch
                                                                                     ) -> None:
    """At 1024×640 and scale 1.5 two planned orders read just 'Entrench', with nothing to tell them apart;
    a row too long now keeps the start of its unit's name, shortened with '…' (the whole in a tooltip)."""
    from game.engine import Entrench
    from game.ui.app import App
    from game.ui.scenes import widgets
    from game.ui.scenes.game import GameScene
    from game.ui.session import Control, new_session
    from game.ui.settings import Settings
    from tests.ui.conftest import settle

    pygame.display.init()
    pygame.font.init()
    app = App(pygame.display.set_mode((1024, 640)), Settings(ui_scale=1.5, animation_speed=0.0), fps=0)
    app.background = False
    _, start = load_scenario(DEFAULT)
    app.start_session(new_session(start, controls={s: Control(s == "government") for s in start.world.sides}))
    settle(app)
    gov = [u for u in start.units if u.faction == "government"]
    longest = sorted(gov, key=lambda u: -len(u.name))[:2]
    for u in longest:
        assert app.session.plan("government", Entrench(u.id)) is None
    scene = app.find(GameScene)
    scene.panel.refresh()
    drawn: list[str] = []
    real = widgets.text

    def spy(surface: pygame.Surface, text: str, *args: object, **kw: object) -> pygame.Rect:
        drawn.append(text)
        return real(surface, text, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(widgets, "text", spy)
    scene.panel.draw(app.screen)
    rows = [t for t in drawn if t.startswith("Entrench")]
    assert len(rows) >= 2, drawn
    assert all(t != "Entrench" and " · " in t for t in rows)
    assert any(t.endswith("…") for t in rows)  # too long for the panel at this scale: shortened
