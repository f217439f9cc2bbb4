"""`python main.py simulate --workers 2` under signals: Ctrl-C once reports, twice stops, SIGTERM acts as
Ctrl-C, and after kill -9 of the parent the workers notice and exit. Every case checks that the whole
process tree is gone within 5 s of the signal (polled through /proc; psutil is not a dependency)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TINY = ROOT / "tests" / "data" / "good" / "tiny.yaml"
GONE_WITHIN = 5.0
"""Seconds the process tree may take to vanish after the signal (the issue's bound)."""
START_LIMIT = 120.0
"""A guard, not a measure: how long to wait for the workers to appear on a busy machine."""

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists() or sys.platform != "linux",
                                reason="reads the process tree from /proc")


def stat_of(pid: int) -> tuple[str, int] | None:
    """(state letter, parent pid) of a process, None when it no longer exists."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text.rsplit(")", 1)[1].split()
    return fields[0], int(fields[1])


def children(pid: int) -> list[int]:
    out = []
    for name in os.listdir("/proc"):
        if name.isdigit():
            st = stat_of(int(name))
            if st is not None and st[1] == pid:
                out.append(int(name))
    return out


def descendants(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        kids = children(todo.pop())
        found += kids
        todo += kids
    return found


def is_running(pid: int) -> bool:
    """Alive and not a zombie (an exited child not yet reaped by whoever adopted it)."""
    st = stat_of(pid)
    return st is not None and st[0] not in ("Z", "X")


def start_batch(tmp_path: Path) -> tuple[subprocess.Popen[str], list[int]]:
    """`simulate` with 2 workers on a batch far longer than the test; returns once both workers run."""
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "main.py"), "simulate", str(TINY), "--runs", "5000", "--workers", "2",
         "--seed", "3", "--quiet", "--json", str(tmp_path / "out.json")],
        cwd=tmp_path, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + START_LIMIT
    tree: list[int] = []
    while len(tree) < 2 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
        tree = descendants(proc.pid)
    if len(tree) < 2:
        proc.kill()
        out, err = proc.communicate()
        pytest.fail(f"the workers did not start: {err[-500:]}")
    return proc, tree


def wait_gone(proc: subprocess.Popen[str], tree: list[int]) -> float:
    """Poll until the parent has exited and every process of its tree is gone; the seconds it took."""
    t0 = time.monotonic()
    seen = set(tree)
    while time.monotonic() - t0 < GONE_WITHIN:
        if proc.poll() is None:
            seen.update(descendants(proc.pid))  # a worker started as the signal came is counted too
        elif not any(is_running(p) for p in seen):
            return time.monotonic() - t0
        time.sleep(0.01)
    tree = sorted(seen)
    left = [p for p in [proc.pid, *tree] if is_running(p)]
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    proc.communicate()
    pytest.fail(f"processes {left} still running {GONE_WITHIN:g} s after the signal")


def finish(proc: subprocess.Popen[str]) -> tuple[str, str]:
    out, err = proc.communicate(timeout=10)
    assert "Traceback" not in err, err
    return out, err


def report(tmp_path: Path) -> dict[str, object]:
    return dict(json.loads((tmp_path / "out.json").read_text()))


def test_one_ctrl_c_reports_the_finished_runs(tmp_path: Path) -> None:
    proc, tree = start_batch(tmp_path)
    proc.send_signal(signal.SIGINT)
    took = wait_gone(proc, tree)
    out, err = finish(proc)
    assert proc.returncode == 130, err
    assert "interrupted: reporting the" in err and "Victory results" in out
    doc = report(tmp_path)
    assert doc["interrupted"] is True and doc["requested_runs"] == 5000
    print(f"one SIGINT: tree gone in {took:.3f} s")


def test_two_ctrl_c_stop_at_once(tmp_path: Path) -> None:
    """The second Ctrl-C comes once the first has stopped the batch (its stderr line), as the report is
    being made: the command stops there, and the JSON is either whole or not written at all."""
    proc, tree = start_batch(tmp_path)
    proc.send_signal(signal.SIGINT)
    assert proc.stderr is not None
    first = proc.stderr.readline()
    proc.send_signal(signal.SIGINT)
    took = wait_gone(proc, tree)
    out, err = finish(proc)
    assert first.startswith("interrupted: reporting the"), first + err
    assert proc.returncode in (130, -signal.SIGINT), err
    if (tmp_path / "out.json").exists():
        assert report(tmp_path)["interrupted"] is True
    cut = "stopped before the report was finished" in err
    print(f"two SIGINTs: tree gone in {took:.3f} s after the second ({'report cut' if cut else 'report done'})")


def test_two_quick_ctrl_c_stop_the_batch(tmp_path: Path) -> None:
    proc, tree = start_batch(tmp_path)
    proc.send_signal(signal.SIGINT)
    proc.send_signal(signal.SIGINT)
    took = wait_gone(proc, tree)
    finish(proc)
    assert proc.returncode in (130, -signal.SIGINT)
    print(f"two quick SIGINTs: tree gone in {took:.3f} s")


def test_sigterm_acts_as_ctrl_c(tmp_path: Path) -> None:
    proc, tree = start_batch(tmp_path)
    proc.send_signal(signal.SIGTERM)
    took = wait_gone(proc, tree)
    out, err = finish(proc)
    assert proc.returncode == 128 + signal.SIGTERM, err
    assert "interrupted: reporting the" in err and "Victory results" in out
    assert report(tmp_path)["interrupted"] is True
    print(f"SIGTERM: tree gone in {took:.3f} s")


def test_workers_leave_when_the_parent_is_killed(tmp_path: Path) -> None:
    proc, tree = start_batch(tmp_path)
    proc.kill()
    took = wait_gone(proc, tree)
    proc.communicate(timeout=10)
    assert not (tmp_path / "out.json").exists()
    print(f"kill -9 of the parent: workers gone in {took:.3f} s")


def test_ctrl_c_during_start_up_is_quiet(tmp_path: Path) -> None:
    """Ctrl-C once the batch's modules are loading (numpy is mapped), before or as the workers start."""
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "main.py"), "simulate", str(TINY), "--runs", "5000", "--workers", "2",
         "--quiet"], cwd=tmp_path, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True)
    deadline = time.monotonic() + START_LIMIT
    maps = Path(f"/proc/{proc.pid}/maps")
    while proc.poll() is None and time.monotonic() < deadline:
        try:
            if "_multiarray_umath" in maps.read_text():
                break
        except OSError:
            pass
        time.sleep(0.005)
    tree = descendants(proc.pid)
    proc.send_signal(signal.SIGINT)
    wait_gone(proc, tree)
    finish(proc)
    assert proc.returncode in (130, -signal.SIGINT)


def test_a_worker_killed_stops_the_batch_with_a_message(tmp_path: Path) -> None:
    proc, tree = start_batch(tmp_path)
    os.kill(tree[0], signal.SIGKILL)
    took = wait_gone(proc, tree)
    out, err = finish(proc)
    assert proc.returncode == 1, err
    assert f"worker process {tree[0]} stopped (signal {int(signal.SIGKILL)})" in err
    assert "Victory results" in out and report(tmp_path)["interrupted"] is True
    print(f"a worker killed: tree gone in {took:.3f} s")
