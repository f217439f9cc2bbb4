"""Command line: `python main.py [SCENARIO]` plays; subcommands run, replay, validate, lint, schema, render,
simulate, view, report, host.

The desktop client (pygame) is imported only by the commands that need it, so
headless use never loads SDL.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from game.sim import argtypes
from game.sim.outfiles import output_type

if TYPE_CHECKING:
    from game.scenario import Parsed, Problem

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SCENARIO = ROOT / "scenarios" / "homs_junction.yaml"

COMMANDS = {
    "play": "open the game window (the default; SCENARIO.yaml skips the picker)",
    "run": "play a scenario headless, every side by bot, one line per turn",
    "replay": "re-resolve an order log and print the final state hash",
    "validate": "check scenario files; print FILE:LINE:COL errors",
    "lint": "validate scenario files and warn about what will not play as meant",
    "schema": "print (or write with -o) the JSON Schema of the scenario format",
    "render": "draw a scenario's map to a PNG, headless",
    "simulate": "Monte Carlo batch of bot games with statistics",
    "view": "print what one team knows at a turn of a save or an order log (fog of war)",
    "report": "write the after-action report of an order log (HTML or Markdown)",
    "host": "serve a classroom session to the teams' browsers (team pages, projector, umpire's console)",
}


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python main.py",
        description="Junction: a strategic territory simulation of the Syrian front, 7 December 2024.",
        epilog="Without a command, `python main.py [SCENARIO.yaml]` opens the game window.",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    play = sub.add_parser("play", help=COMMANDS["play"])
    play.add_argument("scenario", nargs="?", help="scenario YAML (default: the picker)")
    run = sub.add_parser("run", help=COMMANDS["run"])
    run.add_argument("scenario", help="scenario YAML")
    run.add_argument("--turns", type=argtypes.turns(1), default=None,
                     help="turns to play, 1-10000 (default: the scenario's)")
    run.add_argument("--seed", type=argtypes.seed, default=None,
                     help="random seed, 0-2**63-1 (default: the scenario's)")
    run.add_argument("--log", help="write the order log (JSON lines) here")
    run.add_argument("--umpire", metavar="PLAN", help="apply the umpire's overrides and matrix actions of this "
                                                      "JSON file between the turns (see docs/classroom.md)")
    rep = sub.add_parser("replay", help=COMMANDS["replay"])
    rep.add_argument("log", help="order log written by `run --log`")
    rep.add_argument("--view", action="store_true", help="open it in the desktop's replay viewer instead")
    rep.add_argument("--team", default=None, help="with --view: the view to start in (default: the umpire's)")
    val = sub.add_parser("validate", help=COMMANDS["validate"])
    val.add_argument("files", nargs="+", help="scenario YAML files")
    lint = sub.add_parser("lint", help=COMMANDS["lint"],
                          description="Exit code 0: clean; 1: warnings; 2: errors (as validate reports them).")
    lint.add_argument("files", nargs="+", help="scenario YAML files")
    lint.add_argument("--all", action="store_true", dest="show_all",
                      help="also print the warnings the files acknowledge with `# lint-ok:` comments")
    schema = sub.add_parser("schema", help=COMMANDS["schema"])
    schema.add_argument("-o", "--output", help="write the schema to this file (default: print it)")
    schema.add_argument("--variant", action="store_true", help="the schema of variants (files with `extends:`)")
    ren = sub.add_parser("render", help=COMMANDS["render"])
    ren.add_argument("scenario", help="scenario YAML")
    ren.add_argument("-o", "--output", type=output_type((".png",)), default="map.png",
                     help="PNG to write (default map.png; .png is added to a name without a suffix)")
    ren.add_argument("--turns", type=argtypes.turns(0), default=0, help="bot turns to play first, 0-10000")
    ren.add_argument("--seed", type=argtypes.seed, default=None, help="random seed, 0-2**63-1")
    ren.add_argument("--size", type=argtypes.image_size, default="1600x1000",
                     help="image size WxH, each side 200-8192 pixels (default 1600x1000)")
    ren.add_argument("--mode", choices=("control", "supply", "reach"), default="control", help="map mode")
    ren.add_argument("--side", help="faction or patron whose view to draw (supply and reach modes)")
    ren.add_argument("--ui-scale", type=argtypes.finite_number(0.5, 3.0), default=1.0,
                     help="text and counter scale, 0.5-3 (projectors: 1.5)")
    sim = sub.add_parser("simulate", help=COMMANDS["simulate"], add_help=False)
    sim.add_argument("rest", nargs=argparse.REMAINDER)
    vw = sub.add_parser("view", help=COMMANDS["view"])
    vw.add_argument("game", help="a save (.json) or an order log (.jsonl)")
    vw.add_argument("--team", required=True, help="a team id of the scenario, a side id, or 'umpire'")
    vw.add_argument("--turn", type=argtypes.turns(1), default=None,
                    help="the start of this turn (default: the last; logs only)")
    vw.add_argument("--json", action="store_true", help="print the view as JSON")
    aar = sub.add_parser("report", help=COMMANDS["report"])
    aar.add_argument("log", help="order log written by `run --log` or a session")
    aar.add_argument("-o", "--output", default=None,
                     help="file to write, .html or .md (default report.html or report.md); never one that is "
                          "not a report")
    aar.add_argument("--format", choices=("html", "md"), default="html", help="html (one self-contained file) or md")
    aar.add_argument("--team", default=None, help="a team's own view of its game (default: the umpire's)")
    hst = sub.add_parser("host", help=COMMANDS["host"])
    from game.net.arguments import add_arguments

    add_arguments(hst)
    return p


def fail(message: str, code: int = 2) -> int:
    print(f"error: {message}", file=sys.stderr)
    return code


def load(path: str) -> Any:
    """Load a scenario, or print its located errors and return None."""
    from game.scenario import ScenarioError
    from game.scenario.loader import load_checked
    from game.scenario.problems import sort_problems

    parsed, loaded, problems = load_checked(path)  # the file is read once, for the build and the AI block
    errors = sort_problems([p for p in problems if p.is_error] + ai_problems(parsed))
    if loaded is None or errors:
        print(ScenarioError(errors or problems), file=sys.stderr)
        return None
    return loaded.world, loaded.state


def cmd_run(args: argparse.Namespace) -> int:
    from game.engine.rulings import Refused
    from game.sim.log import LogError, check_log_target
    from game.sim.runner import run_game
    from game.sim.umpiring import PlanError, read_plan

    if args.log:
        try:
            check_log_target(Path(args.log))
        except LogError as exc:
            return fail(f"--log {exc}")
    try:
        plan = read_plan(args.umpire) if args.umpire else None
    except PlanError as exc:
        return fail(f"--umpire {exc}")
    loaded = load(args.scenario)
    if loaded is None:
        return 2
    world, state = loaded
    turns = args.turns if args.turns is not None else world.meta.turns
    seed = args.seed if args.seed is not None else world.meta.seed
    if turns > world.meta.turns:  # the game ends after the scenario's last turn
        print(f"note: --turns {turns}: the scenario ends after {world.meta.turns} turns; playing "
              f"{world.meta.turns}", file=sys.stderr)
        turns = world.meta.turns
    print(f"{world.meta.title}: {turns} turns, seed {seed}")
    try:
        result = run_game(state, turns, seed, log=args.log, source=str(args.scenario), echo=print, umpire=plan)
    except BrokenPipeError:
        raise
    except Refused as exc:
        kept = f"; the order log {args.log} is marked as interrupted" if args.log else ""
        return fail(f"--umpire {args.umpire}: {exc}{kept}")
    except LogError as exc:
        return fail(f"--log {exc}")
    except OSError as exc:
        return fail(f"cannot write the log {args.log}: {exc.strerror or exc}")
    except KeyboardInterrupt:
        kept = f"; the order log {args.log} is marked as interrupted" if args.log else ""
        print(f"interrupted{kept}", file=sys.stderr)
        return 130
    from game.engine import state_hash

    print(f"final state hash {state_hash(result.final)}")
    if args.log:
        print(f"order log written to {args.log}")
    return 0


def cmd_replay(args: argparse.Namespace) -> int:
    from game.engine import state_hash
    from game.sim.log import LogError
    from game.sim.runner import replay

    if args.view:
        from game.ui.replaylaunch import replay_window

        return replay_window(args.log, args.team)
    try:
        final, _ = replay(args.log)
    except LogError as exc:
        return fail(str(exc))
    except (KeyError, TypeError, ValueError, IndexError, ArithmeticError, RecursionError) as exc:
        return fail(f"{args.log}: not a valid order log ({type(exc).__name__}: {str(exc)[:200]})")
    print(f"replayed to turn {final.turn - 1}: final state hash {state_hash(final)}")
    return 0


def ai_problems(parsed: Parsed) -> list[Problem]:
    """Unknown weight names in a scenario's `ai:` block (what only game.ai knows; the scenario layer
    checks the sides and the numbers), located in the file as read (so a large map is not read twice)."""
    from game.ai.weights import name_problems
    from game.scenario.problems import Problem
    from game.scenario.variants import relocate

    path = parsed.name
    data = parsed.data if isinstance(parsed.data, dict) else {}
    out: list[Problem] = []
    for where, message in name_problems(data.get("ai")):
        loc = tuple(where.split("."))
        line, col = parsed.marks.at(loc, key=True)
        out.append(Problem(path, line, col, f"{where}: {message}"))
    return relocate(out)


def cmd_validate(args: argparse.Namespace) -> int:
    from game.scenario.cli import validate_main

    return validate_main(list(args.files), extra=ai_problems)


def cmd_lint(args: argparse.Namespace) -> int:
    from game.scenario.cli import lint_main

    return lint_main(list(args.files), extra=ai_problems, show_all=args.show_all)


def cmd_schema(args: argparse.Namespace) -> int:
    from game.scenario.cli import schema_main

    return schema_main(args.output, variant=args.variant)


def cmd_render(args: argparse.Namespace) -> int:
    from game.ui.headless import render_main

    return int(render_main(args))


def cmd_simulate(args: argparse.Namespace) -> int:
    from game.sim.batch_signals import exit_on_signal

    with exit_on_signal():  # Ctrl-C while numpy loads would break its import: nothing started, exit quietly
        from game.report.batchplot import write_plot
        from game.sim.batch_cli import simulate_main

    return int(simulate_main(list(args.rest), plot=write_plot))


def read_save(path: Path) -> Any:
    """A save's state, through the desktop client's validated reader (its errors as ValueError)."""
    from game.ui.saves import SaveError, load_session

    try:
        return load_session(path).state
    except SaveError as exc:
        raise ValueError(str(exc)) from None


def cmd_view(args: argparse.Namespace) -> int:
    from game.report.cli import view_main

    return view_main(args, read_save)


def cmd_report(args: argparse.Namespace) -> int:
    from game.report.cli import report_main

    return report_main(args)


def cmd_host(args: argparse.Namespace) -> int:
    from game.net.server import host_main

    return host_main(args)


def cmd_play(scenario: str | None) -> int:
    from game.ui.launch import play_main

    return int(play_main(scenario))


def main(argv: list[str]) -> int:
    """Run one command; output closed early (`| head`) ends quietly, Ctrl-C with one line, never a traceback."""
    ensure_std_streams()
    try:
        return dispatch(argv)
    except BrokenPipeError:
        quiet_stdout()
        return 141  # as a shell reports a process ended by SIGPIPE
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def ensure_std_streams() -> None:
    """Give a closed stdin, stdout or stderr (`<&-`, `>&-`) the null device, so printing works and no file
    opened later takes descriptor 0, 1 or 2 (where a library's writes to stdout would land in it)."""
    for fd, name, mode in ((0, "stdin", "r"), (1, "stdout", "w"), (2, "stderr", "w")):
        try:
            os.fstat(fd)
        except OSError:
            got = os.open(os.devnull, os.O_RDWR)
            if got != fd:
                os.dup2(got, fd)
                os.close(got)
            setattr(sys, name, open(fd, mode, encoding="utf-8", closefd=False))  # noqa: SIM115


def quiet_stdout() -> None:
    """Point stdout at the null device, so the flush at exit does not fail a second time."""
    try:
        fd = os.open(os.devnull, os.O_WRONLY)
        os.dup2(fd, sys.stdout.fileno())
        os.close(fd)
    except (OSError, ValueError, AttributeError):
        pass


def dispatch(argv: list[str]) -> int:
    if not argv or (argv[0] not in COMMANDS and not argv[0].startswith("-")):
        return cmd_play(argv[0] if argv else None)
    if argv[0] == "simulate":
        return cmd_simulate(argparse.Namespace(rest=argv[1:]))
    args = _parser().parse_args(argv)
    handlers = {"run": cmd_run, "replay": cmd_replay, "validate": cmd_validate, "lint": cmd_lint, "schema": cmd_schema,
                "render": cmd_render, "view": cmd_view, "report": cmd_report, "host": cmd_host}
    if args.command == "play":
        return cmd_play(args.scenario)
    if args.command is None:
        return cmd_play(None)
    return handlers[args.command](args)
