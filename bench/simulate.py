"""Batch throughput (a benchmark that prints, not a test): runs per minute of the default scenario,
10 turns, normal bots, with 1 and 2 worker processes, and the parallel efficiency
(runs/min with 2 workers ÷ twice the runs/min with 1). Targets: at least 600 runs per minute with
2 workers, and an efficiency of at least 80 %.

Games end early only when a decisive victory condition is met; the default scenario has none since
its regime-collapse conditions were made non-decisive, so every game plays all 10 turns (the mean
number of turns played is printed).

    python bench/simulate.py [--runs 300]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from game.scenario import parse_file  # noqa: E402
from game.sim.batch import BatchSpec, run_local  # noqa: E402

SCENARIO = Path(__file__).resolve().parents[1] / "scenarios" / "homs_junction.yaml"


def rate(spec: BatchSpec, runs: int, workers: int) -> tuple[float, float]:
    """(runs per minute, mean turns played), process start-up included."""
    run = run_local(spec, 1, runs, workers)
    turns = sum(r.turns for r in run.records) / len(run.records)
    return 60.0 * len(run.records) / run.seconds, turns


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=300)
    ap.add_argument("--turns", type=int, default=10)
    args = ap.parse_args()
    spec = BatchSpec(parse_file(SCENARIO).data, str(SCENARIO), str(SCENARIO), args.turns)
    one, turns1 = rate(spec, args.runs, 1)
    two, _ = rate(spec, args.runs, 2)
    print(f"default scenario: {args.runs} runs of {args.turns} turns (mean {turns1:.1f} played), normal bots")
    print(f"  1 worker  {one:7.0f} runs/min")
    print(f"  2 workers {two:7.0f} runs/min   parallel efficiency {100 * two / (2 * one):.0f} %")


if __name__ == "__main__":
    main()
