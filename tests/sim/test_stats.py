"""Confidence intervals and quartiles."""

from __future__ import annotations

import pytest

from game.sim.stats import quartiles, wilson


def test_wilson_known_values() -> None:
    p = wilson(50, 100)
    assert p.p == 0.5
    assert p.low == pytest.approx(0.4038, abs=1e-3)
    assert p.high == pytest.approx(0.5962, abs=1e-3)
    edge = wilson(0, 20)
    assert edge.low == 0.0 and 0.1 < edge.high < 0.2
    assert wilson(20, 20).high == 1.0
    assert wilson(0, 0).n == 0


def test_quartiles_and_median_interval() -> None:
    q = quartiles([1, 2, 2, 3, 3, 3, 4, 5, 9])
    assert q is not None
    assert (q.q1, q.median, q.q3) == (2, 3, 4)
    assert q.median_low <= q.median <= q.median_high
    assert quartiles([]) is None
    one = quartiles([7])
    assert one is not None and one.median == one.median_low == one.median_high == 7


def test_printed_turns_are_whole() -> None:
    """The text gives whole turns: the lower middle turn, quartiles rounded outwards (not 'turn 6.5 [6-7.25]')."""
    from game.sim.batch_text import _turns

    q = quartiles([6, 6, 7, 8])
    assert q is not None and (q.q1, q.median, q.q3) == (6.0, 6.5, 7.25)
    assert _turns(q.to_dict()) == "turn 6 [6-8]"
    assert _turns(None) == "-"
