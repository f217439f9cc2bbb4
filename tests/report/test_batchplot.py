"""simulate --plot: the turn axis is ticked at whole turns, even for a game of two or three turns."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from game.report import batchplot


def test_turn_ticks_are_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figures: list[Any] = []
    monkeypatch.setattr(plt, "close", figures.append)
    curve = [{"p": 0.0, "low": 0.0, "high": 0.5}, {"p": 0.25, "low": 0.05, "high": 0.7},
             {"p": 0.5, "low": 0.15, "high": 0.85}]
    doc = {"title": "T", "level": "normal", "seed": 1, "runs": 4,
           "places": {"a": {"name": "A", "start": "north", "fallen_by_turn": curve}}}
    world = SimpleNamespace(board=SimpleNamespace(places=[SimpleNamespace(id="a", value=1.0)]))
    batchplot.write_plot(doc, world, str(tmp_path / "plot.png"))
    [fig] = figures
    ax = fig.axes[0]
    lo, hi = ax.get_xlim()
    ticks = [t for t in ax.get_xticks() if lo <= t <= hi]
    assert ticks and all(float(t).is_integer() for t in ticks), ticks
