"""`python main.py simulate SCENARIO …`: a Monte Carlo batch of bot games, with confidence intervals.

Prints, for each key place, the chance each faction holds it at the end and the
turn it first changed hands; the chance each faction collapses; the distribution
of victory results. Writes the versioned JSON (see docs/calibration.md), a CSV
with one row per run and a plot. Errors are one-line messages and exit code 2.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .batch import KEY_VALUE, BatchRun, BatchSpec, default_workers, key_places, run_dask, run_local
from .overrides import OverrideError, apply_overrides, overwritten_by_events, parse_assignment, parse_sweep
from .stats import summarise

JSON_VERSION = 1
NOTE = "These results explore the assumptions of the model; they are not forecasts."
DASK_HINT = "--dask needs dask.distributed: pip install -r requirements-dask.txt"


class UsageError(Exception):
    """A problem with the command line or the scenario, shown as one line (exit code 2)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # one line, no usage dump
        raise UsageError(f"{message} (see python main.py simulate --help)")


def parser() -> argparse.ArgumentParser:
    p = _Parser(prog="python main.py simulate", description=__doc__.split("\n\n")[0] + " " + NOTE,
                epilog="The JSON and CSV formats and the calibration command: docs/calibration.md.")
    p.add_argument("scenario", help="scenario YAML")
    p.add_argument("--runs", type=int, default=100, help="games to play (default 100)")
    p.add_argument("--turns", type=int, default=None, help="turns per game (default: the scenario's)")
    p.add_argument("--seed", type=int, default=None, help="batch seed (default: the scenario's)")
    p.add_argument("--workers", type=int, default=None, help="worker processes (default: one per core)")
    p.add_argument("--set", dest="sets", action="append", default=[], metavar="PATH=VALUE",
                   help="override a scenario value, e.g. patrons.russia.support.air=0.9 (repeatable)")
    p.add_argument("--sweep", dest="sweeps", action="append", default=[], metavar="PATH=V1,V2,…",
                   help="one batch per value; several --sweep options change together (same number of values; "
                        "'base' keeps the scenario's value)")
    p.add_argument("--label", dest="labels", action="append", default=[], metavar="NAME",
                   help="a name for each sweep value, in order (default: the values)")
    p.add_argument("--level", choices=("easy", "normal", "hard"), default="normal", help="bot level (default normal)")
    p.add_argument("--key-value", type=float, default=KEY_VALUE,
                   help=f"places worth at least this are key places, besides victory places (default {KEY_VALUE:g})")
    p.add_argument("--json", help="write the statistics as JSON")
    p.add_argument("--csv", help="write one row per run as CSV")
    p.add_argument("--plot", help="write a PNG: chance each key place has changed hands, turn by turn")
    p.add_argument("--dask", metavar="ADDRESS", help="run on this Dask distributed scheduler")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    return p


class ProgressBar:
    """`[#####·····] 120/1000 runs  45.1 runs/s  0:19 left` on stderr, redrawn at most 5 times a second."""

    def __init__(self, label: str = "", stream: Any = None, enabled: bool = True) -> None:
        self.stream = stream or sys.stderr
        self.label = label
        self.enabled = enabled
        self.t0 = time.perf_counter()
        self.last = 0.0
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())

    def __call__(self, done: int, total: int) -> None:
        now = time.perf_counter()
        if not self.enabled or (now - self.last < (0.2 if self.tty else 5.0) and done < total):
            return
        self.last = now
        rate = done / max(now - self.t0, 1e-9)
        left = (total - done) / rate if rate > 0 else 0.0
        width = 24
        fill = int(width * done / max(total, 1))
        line = (f"{self.label}[{'#' * fill}{'·' * (width - fill)}] {done}/{total} runs  {rate:5.1f} runs/s  "
                f"{int(left) // 60}:{int(left) % 60:02d} left")
        self.stream.write(("\r" + line) if self.tty else line + "\n")
        if self.tty and done >= total:
            self.stream.write("\n")
        self.stream.flush()


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


def variants(data: dict[str, Any], sets: list[str], sweeps: list[str],
             labels: list[str] | None = None) -> list[tuple[str, dict[str, Any]]]:
    """(label, data) for each batch to run: one without --sweep, else one per sweep value."""
    base = apply_overrides(data, [parse_assignment(s) for s in sets])
    if not sweeps:
        return [("", base)]
    parsed = [parse_sweep(s) for s in sweeps]
    lengths = {len(vals) for _, vals in parsed}
    if len(lengths) != 1:
        raise OverrideError("every --sweep needs the same number of values (they change together)")
    count = lengths.pop()
    if labels and len(labels) != count:
        raise OverrideError(f"--label given {len(labels)} times for {count} sweep values")
    out = []
    for k in range(count):
        changes = [(path, vals[k]) for path, vals in parsed if vals[k] != "base"]
        label = labels[k] if labels else ", ".join(f"{path}={vals[k]}" for path, vals in parsed)
        out.append((label, apply_overrides(base, changes)))
    return out


def build_checked(data: dict[str, Any], name: str, marks: Any, base: str) -> Any:
    """Validate one variant in this process, so a bad value fails before any worker starts."""
    from game.scenario import ScenarioError, build_from_data

    try:
        return build_from_data(data, name, marks=marks, base=base)
    except ScenarioError as exc:
        more = f" (and {len(exc.problems) - 1} more)" if len(exc.problems) > 1 else ""
        if not exc.problems:
            raise UsageError(str(exc)) from None
        p = exc.problems[0]
        raise UsageError(f"{p.file}:{p.line}:{p.col}: {p.message}{more}") from None


def run_variant(spec: BatchSpec, args: argparse.Namespace, seed: int, label: str) -> BatchRun:
    bar = ProgressBar(f"{label}: " if label else "", enabled=not args.quiet)
    if args.dask:
        try:
            import dask.distributed  # noqa: F401
        except ImportError:
            raise UsageError(DASK_HINT) from None
        return run_dask(spec, seed, args.runs, args.dask, bar)
    return run_local(spec, seed, args.runs, args.workers or default_workers(), bar)


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
    (game.report.batchplot.write_plot, passed in by the command line: charts belong to the report layer)."""
    try:
        return _simulate(argv, plot)
    except (UsageError, OverrideError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"error: {exc.filename or ''}: {exc.strerror}", file=sys.stderr)
        return 2


def _simulate(argv: list[str], plot: PlotWriter | None) -> int:
    args = parser().parse_args(argv)
    if args.plot and plot is None:
        raise UsageError("--plot needs the report layer: run it as python main.py simulate … --plot FILE")
    if args.runs < 1 or (args.turns is not None and args.turns < 1) or (args.workers is not None and args.workers < 1):
        raise UsageError("--runs, --turns and --workers must be at least 1")
    if args.dask:
        try:
            import dask.distributed  # noqa: F401
        except ImportError:
            raise UsageError(DASK_HINT) from None
    data, marks = load_data(args.scenario)
    notes = overwritten_by_events(data, [parse_assignment(x)[0] for x in args.sets]
                                  + [parse_sweep(x)[0] for x in args.sweeps])
    for note in notes:
        print(note, file=sys.stderr)
    jobs = [(label, variant, build_checked(variant, args.scenario, marks, args.scenario)[1])
            for label, variant in variants(data, args.sets, args.sweeps, args.labels)]
    world = jobs[0][2].world
    seed = args.seed if args.seed is not None else world.meta.seed
    turns = args.turns or world.meta.turns
    doc: dict[str, Any] = {
        "version": JSON_VERSION, "note": NOTE, "scenario": args.scenario, "title": world.meta.title,
        "seed": seed, "turns": turns, "level": args.level, "set": args.sets, "sweep": args.sweeps,
        "notes": notes,
    }
    batches: list[tuple[dict[str, Any], BatchRun]] = []
    for label, variant, start in jobs:
        spec = BatchSpec(variant, args.scenario, args.scenario, turns, args.level, args.key_value)
        run = run_variant(spec, args, seed, label)
        batches.append((batch_dict(start, spec, run, label), run))
        if run.interrupted:
            print(f"interrupted: reporting the {len(run.records)} runs that finished", file=sys.stderr)
            break
    if args.sweeps:
        doc["batches"] = [b for b, _ in batches]
    else:
        doc.update(batches[0][0])
    print(render_text(doc, world))
    if args.json:
        Path(args.json).write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")
    if args.csv:
        write_csv(args.csv, [(b.get("label", ""), r) for b, r in batches], world, turns)
    if args.plot and plot is not None:
        plot(doc, world, args.plot)
    return 130 if any(r.interrupted for _, r in batches) else 0


def _pct(d: dict[str, Any]) -> str:
    return f"{100 * d['p']:.0f}% ({100 * d['low']:.0f}-{100 * d['high']:.0f})"


def _turns(q: dict[str, Any] | None) -> str:
    if not q:
        return "-"
    return f"turn {q['median']:g} [{q['q1']:g}-{q['q3']:g}]"


def render_batch(b: dict[str, Any], world: Any) -> list[str]:
    """The text tables of one batch."""
    lines = [f"{b['runs']} runs" + (f" (interrupted; {b['requested_runs']} asked)" if b["interrupted"] else ""), ""]
    lines.append("Key places: who holds it at the end, 95% CI · changed hands · turn it first changed hands, "
                 "median [quartiles]")
    for pl in b["places"].values():
        holders = sorted(pl["control"].items(), key=lambda kv: -kv[1]["p"])
        shown = " · ".join(f"{f} {_pct(c)}" for f, c in holders if c["k"] > 0)
        lines.append(f"  {pl['name']} (start {pl['start']}): {shown}")
        lines.append(f"      changed hands {_pct(pl['changed_hands'])}, {_turns(pl['fall_turn'])}")
    lines += ["", "Factions: chance of collapse (cohesion below the breakpoint) · turn it broke · final cohesion"]
    for f, fd in b["factions"].items():
        lines.append(f"  {f:<16} {_pct(fd['collapse']):<16} {_turns(fd['collapse_turn']):<18} "
                     f"median {fd['final_cohesion_median']}")
    lines += ["", "Victory results (Outcome winners)"]
    for o in b["outcomes"]:
        lines.append(f"  {', '.join(o['winners']) or '(no result: not finished)':<32} {_pct(o)}")
    return lines


def render_text(doc: dict[str, Any], world: Any) -> str:
    """The printed report: a header that says what the numbers are, then one block per batch."""
    head = [f"{doc['title']}: {doc['turns']} turns, seed {doc['seed']}, {doc['level']} bots"
            + (f"; set {', '.join(doc['set'])}" if doc["set"] else ""), NOTE]
    out = head + [""]
    for b in doc.get("batches", [doc]):
        if b.get("label"):
            out += [f"=== {b['label']}"]
        out += render_batch(b, world) + [""]
    return "\n".join(out).rstrip() + "\n"


def write_csv(path: str, batches: list[tuple[str, BatchRun]], world: Any, turns: int) -> None:
    """One row per run: the sweep label, run and seed, outcome, final holder and fall turn of each key place,
    and the turn each faction broke (empty if it did not)."""
    places = list(batches[0][1].records[0].control) if batches and batches[0][1].records else []
    factions = [f.id for f in world.factions]
    header = ["variant", "run", "seed", "turns", "winners", "reason"]
    header += [f"{p}_{k}" for p in places for k in ("end", "fall_turn")]
    header += [f"{f}_{k}" for f in factions for k in ("collapse_turn", "cohesion", "score")]
    with open(path, "w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(header)
        for label, run in batches:
            for r in run.records:
                row: list[Any] = [label, r.run, r.seed, r.turns, " ".join(r.winners), r.reason]
                for p in places:
                    row += [r.control[p][-1] if r.control[p] else "", r.fall_turn[p] or ""]
                for f in factions:
                    row += [r.collapse_turn.get(f) or "", r.cohesion[f], r.scores[f]]
                out.writerow(row)
