"""Argument types shared by the commands of `python main.py`: whole numbers, seeds, turns, finite numbers
and image sizes within bounds.

Each is an argparse `type=`: a bad value raises `argparse.ArgumentTypeError`, which argparse prints as
`error: argument --turns: …` with exit code 2, instead of a traceback or a silent absurd run.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable

SEED_MAX = 2**63 - 1
"""Largest seed: the scenario format's `meta.seed` limit, so a seed given on the command line can be
written into a scenario, a log or a save and read back."""

TURNS_MAX = 10_000
"""Most turns a game can have: the scenario format's `meta.turns` limit."""

SIZE_MIN, SIZE_MAX = 200, 8192
"""Image sides in pixels: smaller cannot hold the title bar and legend, larger is hundreds of MB."""


def whole_number(lo: int, hi: int) -> Callable[[str], int]:
    """An argparse type: a whole number from `lo` to `hi`."""

    def parse(text: str) -> int:
        try:
            value = int(text.strip().replace("_", ""), 10)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number from {lo:,} to {hi:,}, got {text!r}") from None
        if not lo <= value <= hi:
            raise argparse.ArgumentTypeError(f"{value:,} is out of range: give a whole number from {lo:,} to {hi:,}")
        return value

    parse.__name__ = "whole number"
    return parse


seed = whole_number(0, SEED_MAX)
"""A random seed, 0 to 2**63 - 1."""


def turns(lo: int = 1) -> Callable[[str], int]:
    """A number of turns from `lo` to TURNS_MAX."""
    return whole_number(lo, TURNS_MAX)


def positive_count(hi: int) -> Callable[[str], int]:
    """A count from 1 to `hi` (runs, workers)."""
    return whole_number(1, hi)


def finite_number(lo: float, hi: float) -> Callable[[str], float]:
    """An argparse type: a finite number from `lo` to `hi` (nan and inf are refused)."""

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a number from {lo:g} to {hi:g}, got {text!r}") from None
        if not math.isfinite(value) or not lo <= value <= hi:
            raise argparse.ArgumentTypeError(f"{text.strip()} is out of range: give a number from {lo:g} to {hi:g}")
        return value

    parse.__name__ = "number"
    return parse


def image_size(text: str) -> tuple[int, int]:
    """'1600x1000' -> (1600, 1000); each side from SIZE_MIN to SIZE_MAX pixels."""
    w, sep, h = text.strip().lower().partition("x")
    try:
        size = (int(w, 10), int(h, 10))
    except ValueError:
        size = None
    if not sep or size is None:
        raise argparse.ArgumentTypeError(f"expected a size like 1600x1000 (WIDTHxHEIGHT in pixels), got {text!r}")
    if not all(SIZE_MIN <= side <= SIZE_MAX for side in size):
        raise argparse.ArgumentTypeError(f"{text.strip()} is out of range: each side must be from {SIZE_MIN} to "
                                         f"{SIZE_MAX} pixels")
    return size
