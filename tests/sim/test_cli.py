"""`python main.py simulate`: outputs, the versioned JSON, and one-line errors with exit code 2."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import pytest

from game.sim.batch_cli import NOTE, simulate_main

ROOT = Path(__file__).resolve().parents[2]
TINY = str(ROOT / "tests" / "data" / "good" / "tiny.yaml")
HOMS = str(ROOT / "scenarios" / "homs_junction.yaml")


def test_outputs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "r.json"
    table = tmp_path / "r.csv"
    plot = tmp_path / "r.png"
    from game.report.batchplot import write_plot

    code = simulate_main([TINY, "--runs", "8", "--turns", "3", "--seed", "4", "--workers", "1", "--quiet",
                          "--json", str(out), "--csv", str(table), "--plot", str(plot)], plot=write_plot)
    assert code == 0
    text = capsys.readouterr().out
    assert NOTE in text and "Homs" in text and "Victory results" in text
    doc = json.loads(out.read_text())
    assert doc["version"] == 1 and doc["runs"] == 8 and doc["note"] == NOTE
    homs = doc["places"]["homs"]
    assert set(homs["control"]) == {"government", "hts"}
    assert {"p", "low", "high", "k", "n"} <= set(homs["control"]["government"])
    assert "fall_turn" in homs and len(homs["fallen_by_turn"]) == 3
    assert set(doc["factions"]["government"]) >= {"collapse", "collapse_turn"}
    assert sum(o["k"] for o in doc["outcomes"]) == 8
    rows = list(csv.reader(table.open()))
    assert len(rows) == 9 and rows[0][:3] == ["variant", "run", "seed"]
    assert plot.read_bytes()[:4] == b"\x89PNG"


def test_sweep_gives_one_batch_per_value(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "s.json"
    code = simulate_main([TINY, "--runs", "4", "--turns", "2", "--workers", "1", "--quiet", "--json", str(out),
                          "--sweep", "patrons.hezbollah.support.ground=0,base,1",
                          "--sweep", "patrons.hezbollah.capacity=0,2,4"])
    assert code == 0
    doc = json.loads(out.read_text())
    assert [b["label"] for b in doc["batches"]] == [
        "patrons.hezbollah.support.ground=0, patrons.hezbollah.capacity=0",
        "patrons.hezbollah.support.ground=base, patrons.hezbollah.capacity=2",
        "patrons.hezbollah.support.ground=1, patrons.hezbollah.capacity=4"]
    assert all("places" in b for b in doc["batches"])


@pytest.mark.parametrize(("args", "message"), [
    (["--set", "patrons.rusia.support.air=1"], "unknown id 'rusia' in patrons (did you mean 'russia'?)"),
    (["--set", "patrons.russia.suport.air=1"], "support"),
    (["--set", "patrons.russia.support.air=2"], "patrons"),
    (["--set", "patrons.russia.support.air=lots"], "expected a number"),
    (["--set", "nonsense"], "expected PATH=VALUE"),
    (["--runs", "0"], "--runs: must be from 1 to"),
    (["--runs", "many"], "--runs: expected a whole number"),
    (["--sweep", "meta.turns=2,3", "--sweep", "meta.seed=1"], "same number of values"),
])
def test_errors_are_one_line_and_exit_2(args: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    code = simulate_main([HOMS, "--runs", "2", "--turns", "1", "--quiet", *args] if "--runs" not in args
                         else [HOMS, "--turns", "1", "--quiet", *args])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("error: ") and err.count("\n") == 1, err
    assert message in err
    assert "Traceback" not in err


def test_plot_needs_the_report_layer(capsys: pytest.CaptureFixture[str]) -> None:
    assert simulate_main([TINY, "--runs", "2", "--plot", "x.png"]) == 2
    assert "python main.py simulate" in capsys.readouterr().err


def test_missing_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert simulate_main(["no/such.yaml"]) == 2
    assert "no such scenario file" in capsys.readouterr().err


def test_dask_missing_says_how_to_install(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setitem(sys.modules, "dask.distributed", None)
    assert simulate_main([TINY, "--runs", "2", "--dask", "tcp://127.0.0.1:8786"]) == 2
    assert "pip install -r requirements-dask.txt" in capsys.readouterr().err


def test_main_routes_simulate(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from game.cli import main

    plot = tmp_path / "p.png"
    assert main(["simulate", TINY, "--runs", "2", "--turns", "1", "--workers", "1", "--quiet", "--plot", str(plot)]) \
        == 0
    assert NOTE in capsys.readouterr().out
    assert plot.exists()


def test_dask_address_gives_the_local_results(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    distributed = pytest.importorskip("dask.distributed")
    args = [TINY, "--runs", "6", "--turns", "3", "--seed", "8", "--quiet"]
    assert simulate_main([*args, "--workers", "1", "--json", str(tmp_path / "local.json")]) == 0
    cluster = distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None)
    with cluster:
        assert simulate_main([*args, "--dask", cluster.scheduler_address, "--json", str(tmp_path / "dask.json")]) == 0
    capsys.readouterr()
    local, remote = (json.loads((tmp_path / f).read_text()) for f in ("local.json", "dask.json"))
    for doc in (local, remote):
        doc.pop("seconds")
    assert local == remote
