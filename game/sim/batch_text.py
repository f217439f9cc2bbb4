"""The printed report of `simulate`, its CSV and its progress bar."""

from __future__ import annotations

import csv
import math
import sys
import time
from typing import Any

from .batch import BatchRun

NOTE = "These results explore the assumptions of the model; they are not forecasts."


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


def _pct(d: dict[str, Any]) -> str:
    return f"{100 * d['p']:.0f}% ({100 * d['low']:.0f}-{100 * d['high']:.0f})"


def _turns(q: dict[str, Any] | None) -> str:
    """'turn 7 [6-8]': the median and quartiles in whole turns. The JSON keeps the interpolated values
    (6.5, 7.25); here the median is the lower of two middle turns and the quartiles are rounded outwards,
    so the bracket still holds the middle half of the runs."""
    if not q:
        return "-"
    return f"turn {math.floor(q['median'])} [{math.floor(q['q1'])}-{math.ceil(q['q3'])}]"


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
    if b.get("standings"):
        lines += ["", "Sides against history (their benchmarks): beats history, 95% CI · median standing"]
        for side, sd in b["standings"].items():
            lines.append(f"  {side:<16} {_pct(sd['beats_history']):<16} median {sd['median']:+.3f}")
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


def write_csv(path: str, batches: list[tuple[str, BatchRun]], world: Any) -> None:
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
