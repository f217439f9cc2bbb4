"""`simulate --dask` against workers that do not have the game: it is shipped to them (or refused with a
clear message before any run), and the results are those of 1 and 2 local workers."""

from __future__ import annotations

import importlib.util
import json
import os
import signal
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from game.sim import batch_dask
from game.sim.batch_cli import simulate_main
from game.sim.batch_dask import DaskError, code_digest, ship_game

ROOT = Path(__file__).resolve().parents[2]
TINY = str(ROOT / "tests" / "data" / "good" / "tiny.yaml")

CLUSTER = """
import sys
from dask.distributed import LocalCluster

if __name__ == "__main__":
    with LocalCluster(n_workers=1, threads_per_worker=2, processes=True, dashboard_address=None) as cluster:
        print(cluster.scheduler_address, flush=True)
        sys.stdin.read()
"""
"""A cluster started from a folder outside the project, with a PYTHONPATH that does not name it."""


@pytest.fixture(scope="module")
def outside_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    pytest.importorskip("dask.distributed")
    folder = tmp_path_factory.mktemp("elsewhere")
    (folder / "cluster.py").write_text(CLUSTER)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP")}
    proc = subprocess.Popen([sys.executable, "cluster.py"], cwd=folder, env=env, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, start_new_session=True)
    assert proc.stdout is not None and proc.stdin is not None
    try:
        address = proc.stdout.readline().strip()
        if not address:
            pytest.fail("the Dask cluster did not start")
        yield address
    finally:
        proc.stdin.close()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def results(path: Path) -> dict[str, Any]:
    doc = dict(json.loads(path.read_text()))
    doc.pop("seconds")
    return doc


def test_workers_without_the_game_get_it_and_give_the_local_results(
        outside_cluster: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from dask.distributed import Client

    with Client(outside_cluster) as client:
        found = client.run(importlib.util.find_spec, "game")
    if any(spec is not None for spec in found.values()):
        pytest.skip("the game is installed where the cluster's workers find it")
    args = [TINY, "--runs", "6", "--turns", "3", "--seed", "8", "--quiet"]
    for name, more in (("one", ["--workers", "1"]), ("two", ["--workers", "2"]), ("dask", ["--dask", outside_cluster])):
        assert simulate_main([*args, *more, "--json", str(tmp_path / f"{name}.json")]) == 0, capsys.readouterr().err
    capsys.readouterr()
    one, two, remote = (results(tmp_path / f"{n}.json") for n in ("one", "two", "dask"))
    assert one == two == remote
    assert remote["runs"] == 6


class FakeClient:
    """Answers `run(code_digest)` from a script of replies, and records uploads."""

    def __init__(self, *replies: Any) -> None:
        self.replies = list(replies)
        self.uploaded: list[list[str]] = []

    def run(self, function: Any) -> dict[str, Any]:
        assert function is code_digest
        reply = self.replies.pop(0)
        if isinstance(reply, Exception):
            raise reply
        return {"tcp://10.0.0.1:1": reply}

    def upload_file(self, path: str) -> None:
        assert path.endswith(".zip")
        with zipfile.ZipFile(path) as zf:
            self.uploaded.append(zf.namelist())


def test_workers_with_this_code_get_nothing() -> None:
    client = FakeClient(code_digest())
    assert ship_game(client) is False
    assert client.uploaded == []


def test_the_zip_holds_the_package_and_fixes_a_missing_game() -> None:
    client = FakeClient(Exception("ModuleNotFoundError(\"No module named 'game'\")"), code_digest())
    assert ship_game(client) is True
    names = client.uploaded[0]
    assert "game/__init__.py" in names and "game/sim/batch.py" in names and "game/engine/turn.py" in names
    assert not any("__pycache__" in n for n in names)


def test_workers_missing_a_dependency_are_refused() -> None:
    missing = Exception("ModuleNotFoundError(\"No module named 'pydantic'\")")
    client = FakeClient(missing, missing)
    with pytest.raises(DaskError) as caught:
        ship_game(client)
    assert "pydantic" in str(caught.value) and "requirements.txt" in str(caught.value)
    assert len(client.uploaded) == 1


def test_workers_holding_another_version_are_refused() -> None:
    other = dict(code_digest(), **{"game.sim.batch": "0" * 64})
    client = FakeClient(other, other)
    with pytest.raises(DaskError) as caught:
        ship_game(client)
    assert "game.sim.batch" in str(caught.value) and "restart" in str(caught.value)


def test_refusal_is_one_error_line_before_any_run(monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("dask.distributed")

    def refuse(address: str) -> None:
        raise DaskError(f"the workers at {address} cannot import the game: No module named 'numpy'")

    monkeypatch.setattr("game.sim.batch_cli.connect", refuse)
    monkeypatch.setattr(batch_dask, "run_dask", lambda *a, **k: pytest.fail("a batch started"))
    assert simulate_main([TINY, "--runs", "2", "--quiet", "--dask", "tcp://127.0.0.1:8786"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1 and "numpy" in err
