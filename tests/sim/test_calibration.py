"""The calibration of docs/calibration.md (python bench/calibrate.py), as checks with fixed seeds.

With the historical settings of the default scenario, Homs falls by the end of turn 2 in about two
runs in three (the target is 50-85 %), the government side keeps Hmeimim, and Damascus changes hands
within the scenario in most runs; with Russian and Iranian support at their maximum, the government
side holds Homs at the end of turn 3 far more often (about 64 % against 8 % on these seeds). The
margins are wide, so a few dozen runs suffice here: the bench measures the targets with 1,000 runs."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.scenario import parse_file
from game.sim.batch import BatchRun, BatchSpec, run_local
from game.sim.overrides import apply_overrides, parse_assignment

ROOT = Path(__file__).resolve().parents[2]
HOMS = ROOT / "scenarios" / "homs_junction.yaml"
SEED = 2024

MAX_SUPPORT = [f"patrons.{p}.support.{c}=1" for p in ("russia", "iran") for c in ("air", "ground", "supply")]

pytestmark = pytest.mark.skipif(not HOMS.exists(), reason="the default scenario is not there yet")


def batch(sets: list[str], runs: int, turns: int) -> BatchRun:
    data = apply_overrides(parse_file(HOMS).data, [parse_assignment(s) for s in sets])
    return run_local(BatchSpec(data, str(HOMS), str(HOMS), turns), SEED, runs, workers=2)


def share(run: BatchRun, test: object) -> float:
    return sum(1 for r in run.records if test(r)) / len(run.records)  # type: ignore[operator]


GOVERNMENT_SIDE = ("government", "russia_forces", "hezbollah_forces")


def homs_lost_after_turn(n: int):  # type: ignore[no-untyped-def]
    return lambda r: r.control["homs"][n - 1] not in GOVERNMENT_SIDE


def test_homs_falls_early_with_historical_support_and_holds_longer_with_maximum_support() -> None:
    historical = batch([], 80, 3)
    maximum = batch(MAX_SUPPORT, 80, 3)
    fell = share(historical, homs_lost_after_turn(2))
    assert 0.45 <= fell <= 0.85, f"Homs lost by the end of turn 2 in {fell:.0%} of runs"
    held_hist = 1 - share(historical, homs_lost_after_turn(3))
    held_max = 1 - share(maximum, homs_lost_after_turn(3))
    assert held_max - held_hist >= 0.3, f"Homs held at turn 3: {held_hist:.0%} historical, {held_max:.0%} maximum"


def test_damascus_changes_hands_and_hmeimim_stays_in_most_runs() -> None:
    run = batch([], 24, 12)
    changed = share(run, lambda r: r.fall_turn["damascus"] is not None)
    assert changed >= 0.7, f"Damascus changes hands in {changed:.0%} of runs"
    kept = share(run, lambda r: r.control["hmeimim"][-1] in GOVERNMENT_SIDE)
    assert kept >= 0.7, f"the government side keeps Hmeimim in {kept:.0%} of runs"


def test_the_dose_judge_counts_a_rise_of_exactly_ten_points_and_catches_a_lumpy_curve() -> None:
    from bench.calibrate import dose

    even = dose({"russia.air": [(20, 300), (29, 300), (43, 300), (45, 300), (50, 300)]})[0]
    assert even.met, even.figure  # 30 of 300 runs more is 10 points (floating point gives 0.0999…)
    lumpy = dose({"russia.ground": [(37, 300), (25, 300), (47, 300), (53, 300), (72, 300)]})[0]
    assert not lumpy.met, lumpy.figure  # one step of 7.3 points is more than 60 % of an 11.7-point rise
    flat = dose({"iran.ground": [(44, 300), (36, 300), (33, 300), (45, 300), (46, 300)]})[0]
    assert not flat.met


def test_a_patron_with_no_order_open_in_any_run_is_not_judged_and_one_with_orders_is() -> None:
    from bench.calibrate import agency

    def run(held: str, open_to: bool) -> dict:  # type: ignore[type-arg]
        return {"held": {"damascus": ["government", held, held]}, "standings": {},
                "open_to": {"iraqi_militias": open_to}}

    cut = agency({"iraqi_militias": ([run("hts", False)] * 10, [run("hts", False)] * 10)}, [], ["iraqi_militias"])[0]
    assert not cut.judged and "no order was open" in cut.figure
    moved = agency({"iraqi_militias": ([run("government", True)] * 10, [run("hts", True)] * 10)}, [],
                   ["iraqi_militias"])[0]
    assert moved.judged and moved.met
    still = agency({"iraqi_militias": ([run("hts", True)] * 10, [run("hts", True)] * 10)}, [], ["iraqi_militias"])[0]
    assert still.judged and not still.met


def test_a_game_records_every_place_a_patron_is_judged_on() -> None:
    from bench.calibrate import MAIN_OUTCOME, play

    r = play(("t", (), {"usa": "none"}, 7, 1))
    assert {place for _, place, _ in MAIN_OUTCOME.values()} <= set(r["held"])
    assert all(len(r["held"][place]) == 1 for _, place, _ in MAIN_OUTCOME.values())


def test_a_patron_line_shows_the_difference_turn_by_turn_up_to_the_turn_it_is_judged_at() -> None:
    from bench.calibrate import agency

    def run(held: list[str]) -> dict:  # type: ignore[type-arg]
        return {"held": {"damascus": held}, "standings": {}, "open_to": {"iraqi_militias": True}}

    line = agency({"iraqi_militias": ([run(["government", "government", "hts"])] * 10,
                                      [run(["government", "hts", "hts"])] * 10)}, [], ["iraqi_militias"])[0]
    assert not line.met  # judged at turn 3, where both lost it
    assert "+0.0 points; turns 1-3: +0 +100 +0" in line.figure


def test_the_dose_run_count_is_set_from_the_command_line_and_a_bad_count_is_refused(capsys, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from bench.calibrate import main

    page = tmp_path / "calibration.md"
    main(["--only", "dose", "--dose-runs", "2", "--workers", "1", "--markdown", str(page)])
    out = capsys.readouterr().out
    assert "5 levers x 5 levels x 2 runs of 3 turns" in out
    assert out.count("by russia.air level") == 1 and out.count("(government holds Homs") == 5
    text = page.read_text(encoding="utf-8")
    assert "except as set by --dose-runs 2" in text  # the page says it is no full run
    assert "(model.md#where-the-calibration-still-misses-and-why)" in text  # 2 runs a level miss: a pointer to why
    for bad in ("0", "-3", "many"):
        with pytest.raises(SystemExit) as stop:
            main(["--only", "dose", "--dose-runs", bad])
        assert stop.value.code == 2
        assert "--dose-runs" in capsys.readouterr().err
