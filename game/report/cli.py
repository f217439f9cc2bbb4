"""`python main.py view GAME --team T [--turn N] [--json]` and `python main.py report LOG -o OUT`.

`view` prints exactly what one team knows (its View) at a turn of a save or an order log; `report`
writes the after-action report. Errors print `error: …` on stderr and return 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

from game.engine import State
from game.engine import events as ev
from game.engine.sight import UnknownTeam
from game.engine.view import View, view_for
from game.sim.log import LOG_FORMAT, LogError
from game.sim.outfiles import OutputError, output_path
from game.sim.playback import play_back

from .aar import write_report
from .narrate import Names, describe, turn_text

SaveReader = Callable[[Path], State]
"""Reads a saved game's state; raises ValueError with a message for people."""


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 2


def is_log(path: Path) -> bool:
    """Whether the file's first line is an order log's header (False for a save or anything else)."""
    try:
        with path.open(encoding="utf-8") as fh:
            first = fh.readline(1_000_000)
        head = json.loads(first)
    except (OSError, UnicodeDecodeError, ValueError):
        return False
    return isinstance(head, dict) and head.get("format") == LOG_FORMAT


def game_at(path: Path, turn: int | None, read_save: SaveReader) -> tuple[State, list[ev.Event]]:
    """The state at the start of `turn` (default: the last) and the events of the turn before it."""
    if not path.is_file():
        raise ValueError(f"{path}: no such file")
    if is_log(path):
        game = play_back(path, upto=turn)
        return game.state_at(game.final.turn if turn is None else turn)
    state = read_save(path)
    if turn is not None and turn != state.turn:
        raise ValueError(f"{path} is a save of turn {state.turn}; to see turn {turn}, give an order log")
    return state, []


def view_text(view: View) -> str:
    """A readable summary of a view: own units, the units it sees, who holds what, what it heard."""
    names = Names()
    names.learn(view)
    sight = "everything" if view.umpire else f"sees {view.sight_km:.0f} km by route"
    out = [f"{view.title}, {turn_text(view)} ({view.date}): what {view.team_name} knows ({sight})"]
    out.append(f"Own units ({len(view.units)}):")
    out += [f"  {u.id}: {u.name}, {u.type} at {names(u.place)}: {u.strength:,.0f}, cohesion {u.cohesion:.2f}, "
            f"{u.posture}, {u.supply}" for u in view.units]
    out.append(f"Other sides' units it sees ({len(view.estimates)}), as estimates:")
    out += [f"  {e.id}: {e.name} ({names(e.faction)}), {e.type} at {names(e.place)}: {e.label}"
            for e in view.estimates]
    held: dict[str, int] = {}
    for p in view.places:
        held[p.controller] = held.get(p.controller, 0) + 1
    out.append("Places held: " + ", ".join(f"{names(f)} {n}" for f, n in sorted(held.items(), key=lambda x: -x[1])))
    for side, stand in sorted(view.standings.items()):
        out.append(f"Standing of {names(side)} against history: {stand:+.2f}")
    out.append(f"Events it heard of last turn ({len(view.events)}):")
    out += [f"  - {describe(e, names)}" for e in view.events]
    return "\n".join(out)


def view_main(args: argparse.Namespace, read_save: SaveReader) -> int:
    """The `view` subcommand."""
    path = Path(args.game)
    try:
        state, events = game_at(path, args.turn, read_save)
        view = view_for(state, args.team, events)
    except (LogError, UnknownTeam, ValueError) as exc:
        return _fail(str(exc))
    except OSError as exc:
        return _fail(f"{path}: cannot read: {exc.strerror or exc}")
    if args.json:
        print(json.dumps(view.to_dict(), indent=1, ensure_ascii=False))
    else:
        print(view_text(view))
    return 0


SUFFIXES = {"html": (".html", ".htm"), "md": (".md",)}
"""The names a report may be written to, per format (a name without a suffix gets the first)."""


def report_main(args: argparse.Namespace) -> int:
    """The `report` subcommand. The output is checked before the log is played back: a folder, a device,
    another suffix or an existing file that is not a report (a scenario, the log itself) is refused."""
    try:
        target = output_path(args.output or f"report.{args.format}", SUFFIXES[args.format], example="report")
    except OutputError as exc:
        return _fail(f"-o {exc}")
    try:
        out = write_report(args.log, target, args.format, args.team)
    except (LogError, UnknownTeam) as exc:
        return _fail(str(exc))
    except ValueError as exc:
        return _fail(f"{args.log}: {exc}")
    except OSError as exc:
        return _fail(f"cannot write {args.output}: {exc.strerror or exc}")
    print(out)
    return 0
