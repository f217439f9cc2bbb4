"""What history did on each turn's date: the day-by-day table of docs/history.md when it is about
the game's scenario, else the benchmarks judged on that turn; each line with its seed facts."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from game.engine import World

HISTORY = Path(__file__).resolve().parents[2] / "docs" / "history.md"


@dataclass(frozen=True)
class HistoryLine:
    """One thing that happened (or one benchmark judged) on a turn's date, and the facts it rests on."""

    turns: tuple[int, int]
    when: str
    text: str
    seeds: tuple[str, ...] = ()


def _turn_range(cell: str) -> tuple[int, int] | None:
    """'1' -> (1, 1); '1→2' -> (1, 2); '8-12' -> (8, 12); anything else None."""
    nums = [int(n) for n in re.findall(r"\d+", cell)]
    if not nums or len(nums) > 2:
        return None
    return (nums[0], nums[-1])


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def read_history(path: Path, world: World, source: str = "") -> list[HistoryLine]:
    """The 'Day by day' table of a history page written for this scenario (it names the scenario's
    title in italics, or its file); empty when the page is missing or about another scenario."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return []
    names = [f"*{world.meta.title}*"] + ([Path(source).name] if source else [])
    if not any(n and n in text for n in names):
        return []
    out: list[HistoryLine] = []
    in_table = False
    for line in text.splitlines():
        if line.startswith("## "):
            in_table = line.strip().lower() == "## day by day"
            continue
        if not in_table or not line.startswith("|"):
            continue
        cells = _cells(line)
        if len(cells) < 4 or set(cells[0]) <= {"-", " "}:
            continue
        turns = _turn_range(cells[0])
        if turns is None:
            continue
        seeds = tuple(s.strip() for s in cells[3].split(",") if s.strip())
        out.append(HistoryLine(turns, cells[1], cells[2], seeds))
    return out


def from_benchmarks(world: World) -> list[HistoryLine]:
    """One line per benchmark judged on a given turn (its description says what history did)."""
    out = []
    for b in world.benchmarks:
        turn = b.by_turn if b.by_turn is not None else world.meta.turns
        if b.description:
            out.append(HistoryLine((turn, turn), world.date_of(turn), f"{b.side}: {b.description}", b.sources))
    return out


def history_lines(world: World, source: str = "", path: Path = HISTORY) -> list[HistoryLine]:
    """The history page's lines for this scenario, else its benchmarks' descriptions."""
    return read_history(path, world, source) or from_benchmarks(world)


def lines_for(lines: list[HistoryLine], turn: int) -> list[HistoryLine]:
    return [h for h in lines if h.turns[0] <= turn <= h.turns[1]]
