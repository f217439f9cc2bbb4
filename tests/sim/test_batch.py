"""Batches: the same results whatever the number of workers, locally or on Dask; Ctrl-C keeps what finished."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.scenario import parse_file
from game.sim.batch import BatchSpec, key_places, run_local, run_seeds

ROOT = Path(__file__).resolve().parents[2]
TINY = ROOT / "tests" / "data" / "good" / "tiny.yaml"


def spec(turns: int = 4, level: str = "normal") -> BatchSpec:
    return BatchSpec(parse_file(TINY).data, str(TINY), str(TINY), turns, level)


def dump(run) -> list[dict]:  # type: ignore[no-untyped-def]
    return [r.to_dict() for r in run.records]


def test_seeds_come_from_seed_sequence_spawn() -> None:
    assert run_seeds(7, 5) == run_seeds(7, 5)
    assert run_seeds(7, 5)[:3] == run_seeds(7, 3)
    assert len(set(run_seeds(7, 50))) == 50


def test_same_results_with_one_or_two_workers() -> None:
    one = run_local(spec(), 11, 12, workers=1)
    two = run_local(spec(), 11, 12, workers=2)
    assert [r.run for r in two.records] == list(range(12))
    assert dump(one) == dump(two)
    assert not one.interrupted and not two.interrupted


def test_records_hold_control_after_each_turn() -> None:
    run = run_local(spec(turns=3), 2, 3, workers=1)
    for r in run.records:
        assert set(r.control) == {"damascus", "homs", "hama"}
        assert all(len(v) == r.turns for v in r.control.values())


def test_a_place_an_event_gives_away_has_changed_hands() -> None:
    """tiny_homs_given.yaml: an event gives Damascus to HTS on turn 2 (the Guard may take it back later)."""
    from game.sim.stats import summarise_place

    given = ROOT / "tests" / "data" / "good" / "tiny_homs_given.yaml"
    run = run_local(BatchSpec(parse_file(given).data, str(given), str(given), 3), 2, 4, workers=1)
    assert [r.fall_turn["damascus"] for r in run.records] == [2] * 4
    assert [r.control["damascus"][1] for r in run.records] == ["hts"] * 4
    damascus = summarise_place("damascus", "Damascus", "government", run.records, ["government", "hts"], 3)
    assert damascus["changed_hands"]["k"] == 4 and [t["k"] for t in damascus["fallen_by_turn"]] == [0, 4, 4]


def test_key_places_are_victory_places_and_valuable_ones() -> None:
    from game.scenario import load_scenario

    world, _ = load_scenario(TINY)
    assert key_places(world) == ["damascus", "homs", "hama"]
    assert key_places(world, 100.0) == ["damascus", "homs"]


def test_ctrl_c_keeps_the_finished_runs() -> None:
    def progress(done: int, total: int) -> None:
        if done >= 3:
            raise KeyboardInterrupt

    run = run_local(spec(), 5, 20, workers=1, progress=progress)
    assert run.interrupted
    assert 3 <= len(run.records) < 20
    assert dump(run) == dump(run_local(spec(), 5, 20, workers=1))[:len(run.records)]


def test_dask_local_cluster_gives_the_same_results() -> None:
    distributed = pytest.importorskip("dask.distributed")
    from game.sim.batch_dask import run_dask

    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None)
    with cluster, distributed.Client(cluster) as client:
        remote = run_dask(spec(), 11, 12, client)
    assert dump(remote) == dump(run_local(spec(), 11, 12, workers=1))


def test_a_batch_run_is_the_runners_game_with_its_seed() -> None:
    from game.scenario import load_scenario
    from game.sim.runner import run_game

    _, start = load_scenario(TINY)
    for r in run_local(spec(turns=4), 9, 3, workers=1).records:
        final = run_game(start, 4, r.seed).final
        assert r.cohesion == {f.id: round(float(final.f_cohesion[i]), 4) for i, f in enumerate(final.world.factions)}
        assert r.control["homs"][-1] == final.world.factions[int(final.controller[final.world.board.index["homs"]])].id
