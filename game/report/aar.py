"""The after-action report of a logged game: `write_report(log, out, fmt, team)`.

The report is built from Views only (engine/view.py): the umpire's report from `umpire_view`, a
team's from `view_for(state, team)`, so a team's report holds nothing its screens could not show.
The umpire's records in the log (overrides and matrix actions, their shape in `game.sim.umpiring` and
docs/classroom.md) are applied on playback and listed with their reasons, each on its turn's page.

A team's report shows a record when its `audience` names "all", the team or one of its sides (a
matrix action also when the team made it).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from game.engine.sight import UMPIRE, find_team
from game.engine.view import view_for
from game.sim import files
from game.sim.facts import seed_facts
from game.sim.playback import PlayedGame, play_back

from .document import Report, TurnPage
from .figures import charts, map_png, outline_path, read_outline
from .history import history_lines, lines_for
from .html import render_html
from .markdown import render_markdown
from .narrate import Names, key_events, orders_text

FORMATS = ("html", "md")


def shows_record(rec: dict[str, Any], team: str, sides: tuple[str, ...]) -> bool:
    """Whether a team's report shows an umpire record (the umpire's shows them all)."""
    if team == UMPIRE:
        return True
    if rec.get("type") == "matrix" and rec.get("team") in (team, *sides):
        return True
    audience = rec.get("audience") or []
    audience = [audience] if isinstance(audience, str) else audience
    return any(a == "all" or a == team or a in sides for a in audience)


def build_report(game: PlayedGame, team: str | None = None) -> Report:
    """The report of a played-back game, for the umpire (team None) or for one team."""
    world = game.start.world
    team_id = UMPIRE if team in (None, UMPIRE) else find_team(world, str(team)).id
    start = view_for(game.start, team_id)
    names = Names()
    names.learn(start)
    names.learn_teams({t.id: t.name for t in world.teams})
    rings = read_outline(outline_path(world.meta.outline, game.source))
    tag = "umpire's view" if start.umpire else f"as seen by {start.team_name}"  # not 'Government and allies's view'
    history = history_lines(world, game.source)
    own_sides = [s for s in world.sides if start.umpire or s in start.sides]
    pages = []
    views = [start]
    for played in game.turns:
        view = view_for(played.after, team_id, played.opening + played.events, played.before)
        names.learn(view)
        views.append(view)
        heading = f"{view.title}: end of turn {played.turn} ({played.before.date}), {tag}"
        records = [r for r in game.umpire if r.get("turn") == played.turn and shows_record(r, team_id, view.sides)]
        pages.append(TurnPage(played.turn, played.before.date, view, map_png(view, rings, heading=heading),
                              key_events(view, names), orders_text(played.orders, own_sides, names),
                              lines_for(history, played.turn), records))
    records = [r for r in game.umpire if shows_record(r, team_id, start.sides)]
    cited = {s for p in pages for h in p.history for s in h.seeds}
    facts = {k: v for k, v in seed_facts(game.source or None).items() if k in cited}
    return Report(world.meta.title, team_id, start.team_name, start.umpire, game.seed, game.source, start,
                  map_png(start, rings, heading=f"{start.title}: the start ({start.date}), {tag}"), pages,
                  charts(views), records, facts, {t.id: t.name for t in world.teams})


def write_report(log_path: str | Path, out_path: str | Path, fmt: str = "html", team: str | None = None) -> Path:
    """Write the after-action report of the game logged at `log_path` to `out_path`: one self-contained
    HTML file, or Markdown with its pictures in a folder beside it; `team` for that team's own view.
    Raises LogError (a bad log), UnknownTeam, ValueError (a bad format) or OSError (cannot write)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown report format {fmt!r} (choose {' or '.join(FORMATS)})")
    report = build_report(play_back(log_path), team)
    out = Path(out_path)
    text = render_html(report) if fmt == "html" else render_markdown(report, out.with_name(out.stem + "_files"))
    files.write_atomic(out, text)  # a failed or interrupted write keeps the old report whole
    return out
