"""`python main.py simulate SCENARIO …`: a Monte Carlo batch of bot games, with confidence intervals.

Prints, for each key place, the chance each faction holds it at the end and the
turn it first changed hands; the chance each faction collapses; the distribution
of victory results. Writes the versioned JSON (see docs/calibration.md), a CSV
with one row per run and a plot. Errors are one-line messages and exit code 2.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from .batch import KEY_VALUE, BatchRun, BatchSpec, default_workers, key_places, run_local, usable_cores
from .batch_dask import DaskError, connect, run_dask
from .batch_output import OutputError, check_outputs, write_output
from .batch_signals import StopNow, StopSignals, exit_on_signal
from .batch_text import NOTE, ProgressBar, render_text, write_csv
from .overrides import OverrideError, apply_overrides, overwritten_by_events, parse_assignment, parse_sweep
from .stats import summarise

JSON_VERSION = 1
DASK_HINT = "--dask needs dask.distributed: pip install -r requirements-dask.txt"
MAX_RUNS = 100_000
MAX_TURNS = 10_000
MAX_SEED = 2**63 - 1
MAX_WORKERS = 1024
Override = tuple[str, str, str]
"""(option, path, value as typed) of one --set or --sweep value, to name it in an error."""


class UsageError(Exception):
    """A problem with the command line or the scenario, shown as one line (exit code 2)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # one line, no usage dump
        raise UsageError(f"{message} (see python main.py simulate --help)")


def _shown(text: str) -> str:
    return repr(text if len(text) <= 40 else text[:37] + "...")


def whole(low: int, high: int) -> Callable[[str], int]:
    """An argparse type: a whole number from `low` to `high` (argparse names the option in the error)."""
    def parse(text: str) -> int:
        try:
            value = int(text.strip())
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number from {low:,} to {high:,}, got {_shown(text)}") \
                from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be from {low:,} to {high:,}, got {_shown(text)}")
        return value
    return parse


def finite(low: float) -> Callable[[str], float]:
    """An argparse type: a finite number of at least `low`."""
    def parse(text: str) -> float:
        try:
            value = float(text.strip())
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a number, got {_shown(text)}") from None
        if not math.isfinite(value):
            raise argparse.ArgumentTypeError(f"expected a finite number, got {_shown(text)}")
        if value < low:
            raise argparse.ArgumentTypeError(f"must be at least {low:g}, got {_shown(text)}")
        return value
    return parse


def parser() -> argparse.ArgumentParser:
    p = _Parser(prog="python main.py simulate", description=__doc__.split("\n\n")[0] + " " + NOTE,
                epilog="The JSON and CSV formats and the calibration command: docs/calibration.md.")
    p.add_argument("scenario", help="scenario YAML")
    p.add_argument("--runs", type=whole(1, MAX_RUNS), default=100, help=f"games to play (default 100, at most "
                                                                         f"{MAX_RUNS:,})")
    p.add_argument("--turns", type=whole(1, MAX_TURNS), default=None,
                   help="turns per game (default and most: the scenario's)")
    p.add_argument("--seed", type=whole(0, MAX_SEED), default=None, help="batch seed (default: the scenario's)")
    p.add_argument("--workers", type=whole(1, MAX_WORKERS), default=None,
                   help="worker processes (default: one per core; at most one per core)")
    p.add_argument("--set", dest="sets", action="append", default=[], metavar="PATH=VALUE",
                   help="override a scenario value, e.g. patrons.russia.support.air=0.9 (repeatable)")
    p.add_argument("--sweep", dest="sweeps", action="append", default=[], metavar="PATH=V1,V2,…",
                   help="one batch per value; several --sweep options change together (same number of values; "
                        "'base' keeps the scenario's value)")
    p.add_argument("--label", dest="labels", action="append", default=[], metavar="NAME",
                   help="a name for each sweep value, in order (default: the values)")
    p.add_argument("--level", choices=("easy", "normal", "hard"), default="normal", help="bot level (default normal)")
    p.add_argument("--key-value", type=finite(0.0), default=KEY_VALUE,
                   help=f"places worth at least this are key places, besides victory places (default {KEY_VALUE:g})")
    p.add_argument("--json", help="write the statistics as JSON")
    p.add_argument("--csv", help="write one row per run as CSV")
    p.add_argument("--plot", help="write a chart (.png, .svg or .pdf): chance each key place has changed hands, "
                                  "turn by turn")
    p.add_argument("--dask", metavar="ADDRESS", help="run on this Dask distributed scheduler")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    return p


def load_data(path: str) -> tuple[dict[str, Any], Any]:
    """The scenario's raw data and node marks; reading problems become a UsageError."""
    from game.scenario import parse_file

    if not Path(path).is_file():
        raise UsageError(f"{path}: no such scenario file")
    parsed = parse_file(path)
    errors = [p for p in parsed.problems if p.is_error]
    if errors:
        raise UsageError(f"{errors[0].file}:{errors[0].line}:{errors[0].col}: {errors[0].message}")
    return parsed.data, parsed.marks


_TEXT_NUMBER = re.compile(r"[-+]?(\d[\d_]*\.?\d*|\.\d+)[eE][-+]?\d+|[-+]?(nan|inf|infinity)", re.IGNORECASE)
"""Numbers YAML 1.1 reads as text: an exponent without a point or sign (1e-3 is text, 1.0e-3 a number),
and nan/inf written the Python way."""


def checked_value(option: str, path: str, raw: str, value: Any) -> Any:
    """A parsed --set/--sweep value with the numbers YAML leaves as text read as numbers (unless quoted), and
    NaN or infinity refused, naming the argument."""
    quoted = raw.startswith(("'", '"'))

    def fix(v: Any) -> Any:
        if isinstance(v, list):
            return [fix(x) for x in v]
        if isinstance(v, str) and not quoted and _TEXT_NUMBER.fullmatch(v.strip()):
            v = float(v)
        if isinstance(v, float) and not math.isfinite(v):
            raise UsageError(f"{option} {path}={raw}: expected a finite number, got {v}")
        return v
    return fix(value)


def variants(data: dict[str, Any], sets: list[str], sweeps: list[str],
             labels: list[str] | None = None) -> list[tuple[str, dict[str, Any], list[Override]]]:
    """(label, data, overrides) for each batch to run: one without --sweep, else one per sweep value."""
    assigned = []
    for text in sets:
        path, value = parse_assignment(text)
        raw = text.partition("=")[2].strip()
        assigned.append((path, checked_value("--set", path, raw, value), ("--set", path, raw)))
    base = apply_overrides(data, [(path, value) for path, value, _ in assigned])
    given = [named for _, _, named in assigned]
    if not sweeps:
        return [("", base, given)]
    parsed = []
    for text in sweeps:
        path, values = parse_sweep(text)
        raws = [r.strip() for r in text.partition("=")[2].split(",")]
        parsed.append((path, [checked_value("--sweep", path, r, v) for r, v in zip(raws, values)], raws))
    lengths = {len(vals) for _, vals, _ in parsed}
    if len(lengths) != 1:
        raise OverrideError("every --sweep needs the same number of values (they change together)")
    count = lengths.pop()
    if labels and len(labels) != count:
        given = "once" if len(labels) == 1 else f"{len(labels)} times"
        raise OverrideError(f"--label given {given} for {count} sweep value{'s' * (count != 1)}: "
                            "give one --label per value")
    out = []
    for k in range(count):
        changes = [(path, vals[k]) for path, vals, _ in parsed if vals[k] != "base"]
        label = labels[k] if labels else ", ".join(f"{path}={vals[k]}" for path, vals, _ in parsed)
        named = given + [("--sweep", path, raws[k]) for path, vals, raws in parsed if vals[k] != "base"]
        out.append((label, apply_overrides(base, changes), named))
    return out


def _problem_path(message: str) -> str:
    """'patrons[russia].support.air: must be …' -> 'patrons.russia.support.air'."""
    head = message.split(": ", 1)[0]
    return re.sub(r"\[([^\]]*)\]", r".\1", head)


def build_checked(data: dict[str, Any], name: str, marks: Any, base: str,
                  overrides: Sequence[Override] = ()) -> Any:
    """Validate one variant in this process, so a bad value fails before any worker starts. A problem in a
    value given by --set or --sweep names that argument."""
    from game.scenario import ScenarioError, build_from_data

    try:
        return build_from_data(data, name, marks=marks, base=base)
    except ScenarioError as exc:
        more = f" (and {len(exc.problems) - 1} more)" if len(exc.problems) > 1 else ""
        if not exc.problems:
            raise UsageError(str(exc)) from None
        p = exc.problems[0]
        where = _problem_path(p.message)
        for option, path, raw in overrides:
            if where == path or where.startswith(path + "."):
                rest = p.message.split(": ", 1)[-1] if where == path else p.message
                raise UsageError(f"{option} {path}={raw}: {rest}{more}") from None
        raise UsageError(f"{p.file}:{p.line}:{p.col}: {p.message}{more}") from None


def workers_for(args: argparse.Namespace) -> int:
    """--workers, or one per core (at most 8); never more than the cores this process may use."""
    cores = usable_cores()
    if args.workers is None:
        return default_workers()
    if args.workers > cores:
        print(f"note: --workers {args.workers}: this machine has {cores} core{'s' if cores > 1 else ''} for it; "
              f"using {cores}", file=sys.stderr)
        return cores
    return int(args.workers)


def need_dask() -> None:
    try:
        with exit_on_signal():
            import dask.distributed  # noqa: F401
    except ImportError:
        raise UsageError(DASK_HINT) from None


def load_modules() -> None:
    """Import the scenario layer now, where Ctrl-C simply exits (inside a C extension's import a
    KeyboardInterrupt would surface as a broken ImportError)."""
    with exit_on_signal():
        import game.scenario  # noqa: F401


def batch_dict(start: Any, spec: BatchSpec, run: BatchRun, label: str) -> dict[str, Any]:
    """The statistics of one batch, with how many runs finished."""
    world = start.world
    places = [(p, world.board.places[world.board.index[p]].name,
               world.factions[int(start.controller[world.board.index[p]])].id)
              for p in key_places(world, spec.key_value)]
    body = summarise(run.records, places=places, factions=[f.id for f in world.factions], turns=spec.turns)
    head = {"label": label} if label else {}
    return {**head, "runs": len(run.records), "requested_runs": run.requested, "interrupted": run.interrupted,
            "seconds": round(run.seconds, 3), **body}


PlotWriter = Callable[[dict[str, Any], Any, str], None]


def simulate_main(argv: list[str], plot: PlotWriter | None = None) -> int:
    """Entry point of `python main.py simulate`; returns the exit code. `plot` draws `--plot`
    (game.report.batchplot.write_plot, passed in by the command line: charts belong to the report layer).
    Ctrl-C or SIGTERM during the batch reports the runs that finished; during start-up, or a second time,
    it stops at once, quietly (exit code 128 + the signal)."""
    with StopSignals() as stop:
        try:
            return _simulate(argv, plot, stop)
        except (KeyboardInterrupt, StopNow) as exc:
            if stop.reporting:
                print("stopped before the report was finished; files not yet written are unchanged",
                      file=sys.stderr)
            return stop.code_for(exc)
        except (UsageError, OverrideError, OutputError, DaskError) as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        except OSError as exc:
            print(f"error: {exc.filename or ''}: {exc.strerror}", file=sys.stderr)
            return 2


def _simulate(argv: list[str], plot: PlotWriter | None, stop: StopSignals) -> int:
    args = parser().parse_args(argv)
    if args.plot and plot is None:
        raise UsageError("--plot needs the report layer: run it as python main.py simulate … --plot FILE")
    check_outputs({"--json": args.json, "--csv": args.csv, "--plot": args.plot}, args.scenario)
    if args.dask:
        need_dask()
    load_modules()
    data, marks = load_data(args.scenario)
    notes = overwritten_by_events(data, [parse_assignment(x)[0] for x in args.sets]
                                  + [parse_sweep(x)[0] for x in args.sweeps])
    for note in notes:
        print(note, file=sys.stderr)
    jobs = [(label, variant, build_checked(variant, args.scenario, marks, args.scenario, named)[1])
            for label, variant, named in variants(data, args.sets, args.sweeps, args.labels)]
    world = jobs[0][2].world
    seed = args.seed if args.seed is not None else world.meta.seed
    if args.turns is not None and args.turns > world.meta.turns:
        print(f"note: --turns {args.turns}: the scenario ends after {world.meta.turns} turns; every game stops "
              f"there", file=sys.stderr)
    turns = min(args.turns or world.meta.turns, world.meta.turns)
    doc: dict[str, Any] = {
        "version": JSON_VERSION, "note": NOTE, "scenario": args.scenario, "title": world.meta.title,
        "seed": seed, "turns": turns, "level": args.level, "set": args.sets, "sweep": args.sweeps,
        "notes": notes,
    }
    workers = 1 if args.dask else workers_for(args)
    client = connect(args.dask) if args.dask else None
    batches: list[tuple[dict[str, Any], BatchRun]] = []
    try:
        for label, variant, start in jobs:
            last = start.world.meta.turns
            spec = BatchSpec(variant, args.scenario, args.scenario, min(args.turns or last, last), args.level,
                             args.key_value)
            bar = ProgressBar(f"{label}: " if label else "", enabled=not args.quiet)
            run = run_dask(spec, seed, args.runs, client, bar) if client else \
                run_local(spec, seed, args.runs, workers, bar)
            if run.interrupted:
                stop.reporting = True
                why = f"{run.stopped}: " if run.stopped else "interrupted: "
                print(f"{why}reporting the {len(run.records)} runs that finished", file=sys.stderr)
            batches.append((batch_dict(start, spec, run, label), run))
            if run.interrupted:
                break
    finally:
        if client is not None:
            client.close()
    stop.reporting = True
    if args.sweeps:
        doc["batches"] = [b for b, _ in batches]
    else:
        doc.update(batches[0][0])
    print_report(render_text(doc, world))
    failed = write_outputs(args, doc, batches, world, plot)
    if any(r.stopped for _, r in batches) or failed:
        return 2 if failed else 1
    return stop.code if any(r.interrupted for _, r in batches) else 0


def print_report(text: str) -> None:
    """Print the report; if nobody reads it any more (`| head`), send the rest of stdout nowhere and go on
    to write the files."""
    try:
        sys.stdout.write(text + "\n")
        sys.stdout.flush()
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


def _remove(path: str) -> None:
    """Drop a half-drawn temporary file (never the output itself: write_output renames only when done)."""
    if Path(path).name.startswith(".") and ".tmp" in Path(path).name and Path(path).is_file():
        Path(path).unlink(missing_ok=True)


def write_outputs(args: argparse.Namespace, doc: dict[str, Any], batches: list[tuple[dict[str, Any], BatchRun]],
                  world: Any, plot: PlotWriter | None) -> bool:
    """Write --json, --csv and --plot, each whole or not at all; True if one could not be written (said why)."""
    def text(target: str) -> None:
        Path(target).write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")

    def table(target: str) -> None:
        write_csv(target, [(b.get("label", ""), r) for b, r in batches], world)

    def chart(target: str) -> None:
        if plot is not None:
            sys.stdout.flush()
            with exit_on_signal(lambda: _remove(target)):  # it imports matplotlib: Ctrl-C exits at once
                plot(doc, world, target)

    failed = False
    for option, path, write in (("--json", args.json, text), ("--csv", args.csv, table), ("--plot", args.plot, chart)):
        if not path:
            continue
        try:
            write_output(option, path, write)
        except OutputError as exc:
            print(f"error: {exc}", file=sys.stderr)
            failed = True
    return failed
